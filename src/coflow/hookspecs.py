"""The coflow_* hooks: coflow's plugin contract (documented in docs/hooks.md).

Grouped like pytest's hookspec.py. Names and signatures are a public contract: change them
only on purpose, with docs/hooks.md and a CHANGELOG entry. No hook is ``firstresult``:
coflow calls every implementation, one plugin at a time, so that it can say which plugin
registered what, or which plugin failed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from os import PathLike

import pluggy

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    import click

    from coflow.project import ProjectView

hookspec = pluggy.HookspecMarker("coflow")
hookimpl = pluggy.HookimplMarker("coflow")


# -- Registration: called once per process, the first time a command needs the tables --------


@hookspec
def coflow_register_checks(register: Callable[..., None]) -> None:
    """Register check types that workflow files can name in ``type = "..."``.

    Called once per process, the first time a command needs check types (``status``,
    ``check``, ``advance``, ``workflow validate``, ...).

    :param register: ``register(type_name, func, validate=None, schema=None)``.

        - ``type_name`` (str): the name workflow files use; two plugins registering the
          same name is an error that names both.
        - ``func(project, params) -> coflow.CheckResult``: ``project`` is the read-only
          project view; ``params`` holds only this check's own keys from the workflow file.
          Raising, running past ``check_timeout`` or returning anything but a CheckResult
          makes the check an ``error``: the gate stays closed.
        - ``validate(params) -> list[str]``: the problems with a check's parameters, each
          as ``"key: what is wrong"``, so ``coflow workflow validate`` rejects bad files
          before any project runs. An empty list means the parameters are fine.
        - ``schema``: a JSON Schema fragment for the check's own keys, such as
          ``{"properties": {"prefix": {"type": "string"}}, "required": ["prefix"]}`` (or a
          function returning one), put into ``coflow workflow schema`` so editors can
          complete and check them. Without one, a check of this type may hold any keys.
    :return: nothing; use ``register``.
    """


@hookspec
def coflow_register_storage(register: Callable[..., None]) -> None:
    """Register stores by URL scheme (the part of coflow.toml's ``store`` before ``://``).

    Called once per process, when a command first opens the store.

    :param register: ``register(url_scheme, factory)``. ``factory(url) -> Store`` opens
        the store the URL names and returns an object following
        :class:`coflow.storage.base.Store`. A factory may also accept the keyword options
        ``base`` (the coflow folder, for relative paths) and ``busy_timeout`` (seconds to
        wait for a busy store); coflow passes only the options a factory accepts.
    :return: nothing; use ``register``.
    """


@hookspec
def coflow_register_notifiers(register: Callable[..., None]) -> None:
    """Register notifiers that ``[[notify]]`` entries in coflow.toml can name.

    Called once per process, when an event is first put in the outbox or delivered.

    :param register: ``register(name, func, validate=None)``. ``func(event, project,
        config)`` delivers one event (a dict: project, seq, ts, actor, type, data) and
        raises on failure, so the outbox keeps it to retry. ``validate(settings)``
        optionally returns a list of problems with a ``[[notify]]`` entry's settings.
    :return: nothing; use ``register``.
    """


@hookspec
def coflow_register_records(register: Callable[..., None]) -> None:
    """Register a kind of record of your own (such as filming consent): its event types,
    how each changes a project's state, and a check of each event's data.

    Called once per process, when a command first reads or writes a project. Events of a
    type no kind registers are refused before anything is written.

    :param register: ``register(kind, events, validate=None)``.

        - ``kind`` (str): the kind's name; two plugins registering one name is an error.
        - ``events``: ``{event_type: reducer}``. ``reducer(state, event)`` files the event
          in the project state, under ``state.records[kind]`` (checks then read it as
          ``project.records[kind]``); ``None`` for an event that changes no state. An event
          type another kind (or coflow itself) registers is an error naming both.
        - ``validate(event_type, data) -> list[str]``: the problems with an event's data,
          each as ``"key: what is wrong"``; any problem stops the write (exit 2) and nothing
          is written. An empty list means the data is fine.

        Write such events with the project writer's ``change`` (``coflow.writer``), for
        example from a command the plugin adds.
    :return: nothing; use ``register``.
    """


@hookspec
def coflow_workflow_dirs() -> Sequence[str | PathLike[str]]:
    """Folders of workflow TOML files this plugin ships.

    Called when a command looks a workflow up by id (``new``, ``workflow list``,
    ``workflow validate``, ``migrate``). They are searched after coflow.toml's
    ``workflow_dirs`` and before coflow's own shipped workflows.

    :return: a list of folder paths (str or Path); each must exist.
    """


@hookspec
def coflow_register_commands(cli: click.Group) -> None:
    """Add commands to the ``coflow`` command line.

    Called only when the command typed is not one of coflow's own, or for ``--help``, so
    plugin commands cost nothing on the usual path. A plugin may not replace one of
    coflow's own commands.

    :param cli: the root :class:`click.Group`; call ``cli.add_command(command)`` or use
        ``@cli.command()``.
    :return: nothing.
    """


# -- Advancing a project ---------------------------------------------------------------------


@hookspec
def coflow_before_advance(project: ProjectView, source: str, dest: str) -> str | None:
    """Veto moving a project on. Every implementation is called and every veto collected.

    Called by ``status``, ``check``, ``advance --dry-run`` and ``advance``, after the
    gate's own checks, so ``check`` predicts ``advance`` exactly. Not called at a final
    stage. A veto shows as a failed required check ``veto:<plugin>``; an exception, or a
    return value that is neither text nor None, shows as an ``error`` check of the same id.

    :param project: the read-only project view (as checks get it).
    :param source: the id of the stage the project is at.
    :param dest: the id of the stage it would move to.
    :return: a reason in plain words to stop the move, or None to allow it.
    """


@hookspec
def coflow_after_advance(project: ProjectView, event: dict[str, Any]) -> None:
    """Side effects after a project has moved on.

    Called after an ``advance`` (an override too) is committed to the event log; not after
    a dry run or a blocked advance. A failure here is logged (the traceback goes to the log file) and never undoes the
    transition.

    :param project: the read-only project view, after the advance.
    :param event: the ``advanced`` event as a dict: project, seq, ts, actor, type, data.
    :return: nothing.
    """
