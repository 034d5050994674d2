"""The coflow_* hooks: the plugin contract of DESIGN.md §2.2.

Grouped like pytest's hookspec.py. Names and signatures are a public contract: change them
only on purpose, with docs/hooks.md and a CHANGELOG entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("coflow")
hookimpl = pluggy.HookimplMarker("coflow")


# -- Registration: called once when the plugin manager is first used -------------------------


@hookspec
def coflow_register_checks(register: Callable[..., None]) -> None:
    """Register check types.

    Called once per process, the first time a command needs check types.

    :param register: ``register(type_name, func, validate=None)``. ``func(project, params)``
        returns a :class:`coflow.CheckResult`; ``project`` is a read-only view and ``params``
        holds only the check's own keys from the workflow file. ``validate(params)`` returns
        a list of problems (``"key: what is wrong"``) used by ``coflow workflow validate``.
    """


@hookspec
def coflow_register_storage(register: Callable[..., None]) -> None:
    """Register stores by URL scheme.

    :param register: ``register(url_scheme, factory)``; ``factory(url, **options)`` returns
        a store that follows :class:`coflow.storage.base.Store`.
    """


@hookspec
def coflow_register_notifiers(register: Callable[..., None]) -> None:
    """Register notifiers that ``[[notify]]`` entries in coflow.toml can name.

    :param register: ``register(name, func, validate=None)``; ``func(event, project, config)``
        delivers one event (a dict) and raises on failure so the outbox keeps it to retry.
    """


@hookspec
def coflow_workflow_dirs() -> list[str]:
    """Return folders of workflow TOML files this plugin ships, searched after the
    configured ``workflow_dirs`` and before coflow's own shipped workflows."""


@hookspec
def coflow_register_commands(cli: Any) -> None:
    """Add click commands to the ``coflow`` command group.

    :param cli: the root :class:`click.Group`; call ``cli.add_command(...)``.
    """


# -- Advancing a project ---------------------------------------------------------------------


@hookspec
def coflow_before_advance(project: Any, source: str, dest: str) -> str | None:
    """Veto an advance. Every implementation is called, and every veto collected.

    Called by ``check``, ``advance --dry-run`` and ``advance``, after the gate's checks.

    :param project: the read-only project view.
    :param source: the stage the project is at.
    :param dest: the stage it would move to.
    :return: a reason (plain words) to block, or None to allow. A veto shows as a failed
        required check ``veto:<plugin>``.
    """


@hookspec
def coflow_after_advance(project: Any, event: dict) -> None:
    """Side effects after an advance is committed. A failure here is logged and never
    undoes the transition.

    :param project: the read-only project view, after the advance.
    :param event: the ``advanced`` event as a dict: project, seq, ts, actor, type, data.
    """
