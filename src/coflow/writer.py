"""The write path: the one place that appends to a project.

It owns the store, the fold, the pinned workflow and the append (event, project row and
outbox rows in one transaction), and offers `change`/`change_many`, through which every
record is written. Records and notifications are given a `ProjectWriter` (the Protocol in
coflow.project_writer) rather than the engine, so they depend on this small surface and nothing else; the
engine is a Writer that also decides moves (advance, reopen, migrate) and checks integrity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from coflow import events as ev
from coflow import log
from coflow.config import Config
from coflow.errors import NotFound, PermissionDenied, StoreError, UsageError
from coflow.events import Event
from coflow.names import PROJECT_ID_RE
from coflow.project import ProjectState, ProjectView, fold
from coflow.storage.base import ProjectRow
from coflow.workflow.model import Workflow

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any, overload

    from coflow.kinds import RecordKinds
    from coflow.plugins import PluginManager
    from coflow.project_writer import Build, BuildAlways, BuildMany
    from coflow.storage.base import Store, Transaction

__all__ = ["Writer", "check_project_id", "fold", "open_store"]


def open_store(config: Config, plugins: PluginManager, **options: Any) -> Store:
    """The store coflow.toml (or COFLOW_STORE) names, opened by the factory registered for its
    URL scheme (coflow's own or a plugin's); `options` such as create=True go to the factory."""
    url = config.store
    scheme = url.split("://", 1)[0].split("+", 1)[0]
    storage = plugins.registry().storage
    if scheme not in storage:
        raise StoreError(f"no store is registered for {scheme}:// URLs",
                         hint=f"known: {', '.join(sorted(storage))}; a plugin may add others")
    factory, _owner = storage[scheme]
    return factory(url, base=config.home, busy_timeout=config.busy_timeout, **options)


REBUILD_FROM = 100  # a read folds a shorter history without a snapshot, and writes none for it


def check_project_id(project_id: str) -> str:
    if not PROJECT_ID_RE.match(project_id or ""):
        raise UsageError(f"{project_id!r} is not a usable project id",
                         hint="use letters, digits, '.', '-' or '_' (no spaces or slashes), such as carers-hub-2026")
    return project_id


class Writer:
    """Reads and appends to the projects of one coflow home (implements ProjectWriter)."""

    def __init__(self, config: Config, plugins_dir: str | Path | None = None, plugin_manager: Any = None):
        self.config = config
        # coflow.toml's plugins_dir and --plugins-dir both load (the same folder once)
        self._plugins_dir = [config.plugins_dir, plugins_dir]
        self._pm = plugin_manager
        self._workflows: dict[str, Workflow] = {}
        self._notify_queued: list[int] = []  # outbox rows written, sent after the commit
        self._notify_checked = False
        self._warned: set[str] = set()  # projects whose broken history was already reported
        self._force_reason: str | None = None  # --force --reason: write past a broken history
        self._breaks: dict[str, tuple[int, str]] = {}  # forced breaks not yet noted in the log
        self._written: dict[str, ProjectState] = {}  # projects appended to in the open transaction

    # -- collaborators, built on first use ------------------------------------------------

    @property
    def plugins(self) -> PluginManager:
        if self._pm is None:
            from coflow.plugins import PluginManager

            self._pm = PluginManager(self._plugins_dir)
        return self._pm

    @cached_property
    def store(self) -> Store:
        return open_store(self.config, self.plugins)

    @property
    def check_types(self) -> dict[str, Any]:
        return self.plugins.registry().check_types

    @property
    def record_kinds(self) -> RecordKinds:
        """Every registered record kind: the event types the log may hold and their reducers."""
        return self.plugins.registry().record_kinds

    def fold(self, project_id: str, events: Iterable[Event]) -> ProjectState:
        """A project's state from its events, with every registered record kind's reducer."""
        return fold(project_id, events, self.record_kinds.reducers)

    @cached_property
    def fold_id(self) -> str:
        """Which reducers fold here (coflow.snapshot.fingerprint): a snapshot made by others is not used."""
        from coflow.snapshot import fingerprint

        return fingerprint(self.record_kinds.reducers)

    @cached_property
    def _faithful_fold(self) -> bool:
        from coflow.snapshot import coflow_only

        return coflow_only(self.record_kinds.reducers)

    # -- snapshots: the folded state kept at each project's head (coflow.snapshot) -----------

    def _restore(self, reader: Any, project_id: str) -> ProjectState | None:
        """The project from its snapshot and the events after it (read through `reader`, the
        store or a write transaction), or None when there is no snapshot that may be trusted."""
        store = self.store
        if getattr(reader, "snapshot", None) is None or not self._sealed():
            return None
        snap = reader.snapshot(project_id)
        if snap is None or snap.fold != self.fold_id:
            return None
        from coflow.snapshot import decode, usable

        tail = reader.events_from(project_id, snap.seq)
        if not usable(snap, self.fold_id, tail, store.project(project_id)):
            return None

        def earlier() -> list[Event]:
            return [e for e in store.events(project_id) if e.seq <= snap.seq]

        state = decode(project_id, snap.state, tail[0], earlier)
        if state is None:
            return None
        reducers = self.record_kinds.reducers
        for event in tail[1:]:
            state.apply(event, reducers)
        return state

    def _sealed(self) -> bool:
        """The store's tables are as coflow left them (no append-only trigger dropped since)."""
        sealed = getattr(self.store, "schema_sealed", None)
        return bool(sealed is not None and sealed())

    def _offer_snapshot(self, state: ProjectState) -> None:
        """A long history read without a usable snapshot (a store from before snapshots, or
        a coflow upgrade) gets one, if nobody is writing: the next command starts from it."""
        offer = getattr(self.store, "offer_snapshot", None)
        if offer is None or state.seq < REBUILD_FROM or not self._sealed():
            return
        snapshot = self._snapshot_of(state)
        if snapshot is not None:
            offer(snapshot)

    def _snapshot_of(self, state: ProjectState) -> Any:
        from coflow.snapshot import encode
        from coflow.storage.base import Snapshot

        text = encode(state, self._faithful_fold)
        return None if text is None else Snapshot(state.id, state.seq, state.head_hash, self.fold_id, text)

    @contextmanager
    def writing(self) -> Iterator[Transaction]:
        """A write transaction that also saves, before it commits, the snapshot of every
        project it appended to (so a snapshot is never behind or ahead of its events)."""
        with self.store.transaction() as tx:
            self._written = {}
            yield tx
            save = getattr(tx, "save_snapshot", None)
            written, self._written = self._written, {}
            if save is not None:
                for state in written.values():
                    snapshot = self._snapshot_of(state)
                    if snapshot is not None:
                        save(snapshot)

    # -- workflows ------------------------------------------------------------------------

    def workflow_dirs(self) -> list[Path]:
        from coflow.workflow.loader import shipped_dir

        return [*self.config.workflow_dirs, *self.plugins.workflow_dirs(), shipped_dir()]

    def load_workflow(self, ref: str) -> Workflow:
        """A workflow by path or id, validated against the registered check types."""
        from coflow.workflow.loader import find, load_file

        path = find(ref, self.workflow_dirs())
        return load_file(path, self.plugins.check_validators(), self.workflow_dirs())

    def pinned_workflow(self, state: ProjectState) -> Workflow:
        """The workflow version a project was started (or last migrated) with."""
        cached = self._workflows.get(state.workflow_hash)
        if cached is None:
            definition = self.store.workflow_definition(state.workflow_hash)
            if definition is None:
                raise StoreError(f"the store has lost the workflow pinned by project {state.id}",
                                 hint="run `coflow verify`; restore the store from a backup")
            self._check_pinned(state)
            cached = Workflow.from_definition(definition, state.workflow_hash, state.workflow_path)
            self._workflows[state.workflow_hash] = cached
        return cached

    def _check_pinned(self, state: ProjectState) -> None:
        """No gate is evaluated with a stored definition that is not the one pinned (exit 5)."""
        from coflow.pinning import pins_of, problem

        pinned = [p for p in pins_of(state) if p[1] == state.workflow_hash]
        if not pinned:
            return
        _seq, file_hash, recorded, path = pinned[-1]
        why = problem(self.store, file_hash, recorded, path)
        if why:
            raise StoreError(f"project {state.id}: {why}; no gate is judged with it",
                             hint="run `coflow verify`; restore the store from a backup")

    # -- reading projects -----------------------------------------------------------------

    def get(self, project_id: str, whole_history: bool = False) -> ProjectState:
        """A project, folded; a history that does not verify is reported on stderr (once).

        It starts from the project's snapshot when one may be trusted; `whole_history` folds
        every event instead, and checks the whole chain (what a report is built from)."""
        check_project_id(project_id)
        restored = None if whole_history else self._restore(self.store, project_id)
        if restored is not None:
            return restored
        events = self.store.events(project_id)
        if not events:
            raise self._no_project(project_id)
        from coflow import integrity

        broken = integrity.chain_problem(events, self.store.project(project_id))
        if broken is not None and project_id not in self._warned:
            from coflow.notice import say

            self._warned.add(project_id)
            say(integrity.warning(project_id, broken))
        state = self.fold(project_id, events)
        if broken is None:
            self._offer_snapshot(state)
        return state

    def write_past_broken_history(self, reason: str) -> None:
        """--force: let this command write to a project whose history does not verify; the
        write is preceded by a `history_break_noted` event with the break and `reason`."""
        from coflow.errors import UsageError

        if not reason or not reason.strip():
            raise UsageError("--force needs a reason, and it is kept in the history",
                             hint="add --reason \"why this must be recorded although the history does not verify\"")
        self._force_reason = reason.strip()

    def _no_project(self, project_id: str) -> NotFound:
        """The error for an unknown project id, suggesting close ids (only on this error path)."""
        import difflib

        close = difflib.get_close_matches(project_id, self.project_ids(), n=3, cutoff=0.6)
        suggestion = f"did you mean {' or '.join(map(repr, close))}? Otherwise " if close else ""
        return NotFound(f"there is no project called {project_id!r}",
                        hint=suggestion + "see `coflow status` for the projects here, or start one with `coflow new`")

    def state_of(self, project_id: str, upto: int | None = None) -> ProjectState:
        """The project folded from whatever events the store holds (up to seq `upto`), without
        get()'s not-found check: for projects the store lists, and past notifications."""
        events = self.store.events(project_id)
        return self.fold(project_id, events if upto is None else [e for e in events if e.seq <= upto])

    def view(self, state: ProjectState) -> ProjectView:
        return ProjectView(state, self.pinned_workflow(state))

    def project_ids(self) -> list[str]:
        from coflow.storage.base import event_projects

        return sorted({*(row.id for row in self.store.projects()), *event_projects(self.store)})

    def personal_details(self, project_id: str) -> dict[str, dict[str, Any]]:
        """{participant id: name, contact details, access needs} for one project: kept beside
        the log, never in it, and shown only where someone asked for names."""
        return self.store.personal_for_project(project_id)

    def personal_detail(self, project_id: str, participant: str) -> dict[str, Any] | None:
        return self.store.get_personal(project_id, participant)

    # -- writing --------------------------------------------------------------------------

    if TYPE_CHECKING:  # the overloads are for the type checker alone
        @overload
        def change(self, project_id: str, actor: str, event_type: str,
                   build: BuildAlways) -> tuple[Event, ProjectState]: ...

        @overload
        def change(self, project_id: str, actor: str, event_type: str,
                   build: Build) -> tuple[Event | None, ProjectState]: ...

    def change(self, project_id: str, actor: str, event_type: str,
               build: Build) -> tuple[Event | None, ProjectState]:
        """Append one event built from the locked, current state: the way every record is written.

        `build(state, view, tx)` validates against the current state (raising CoflowError to
        write nothing) and returns the event data; it may also write personal data via `tx`.
        It returns None when the change is already so: nothing is written, and (None, state)
        comes back, so a racing identical command never leaves an empty event.
        """
        check_project_id(project_id)
        with self.writing() as tx:
            state = self._locked_state(tx, project_id)
            data = build(state, self.view(state), tx)
            if data is None:
                return None, state
            state = self._append(tx, state, actor, event_type, data)
        event = state.latest
        assert event is not None  # just appended
        log.info(event_type, project=project_id, actor=actor, stage=state.stage, seq=event.seq)
        self._note_if_finished(state, [event])
        self.deliver_notifications()
        return event, state

    def change_many(self, project_id: str, actor: str, build: BuildMany) -> tuple[list[Event], ProjectState]:
        """Append several events in one transaction, all or none (imports from spreadsheets).

        `build(state, view, tx)` returns an iterable of (event_type, data); each event is
        appended before the next item is asked for, so a generator sees the state so far.
        Raising a CoflowError at any point writes nothing at all.
        """
        check_project_id(project_id)
        with self.writing() as tx:
            state = self._locked_state(tx, project_id)
            first = state.seq
            for event_type, data in build(state, self.view(state), tx):
                state = self._append(tx, state, actor, event_type, data)
        added = state.applied_after(first)
        log.info("records_imported", project=project_id, actor=actor, events=len(added))
        self._note_if_finished(state, added)
        self.deliver_notifications()
        return added, state

    def _note_if_finished(self, state: ProjectState, added: list[Event]) -> None:
        """Recording on a finished project is allowed (the log keeps everything), but said on
        stderr, and the report lists it under "Added after the project finished"."""
        if not added or all(e.type == ev.MIGRATED for e in added):
            return
        stage = self.pinned_workflow(state).stages.get(state.stage)
        if stage is not None and stage.final:
            from coflow.notice import finished_project_changed, say

            say(finished_project_changed(state.id, stage.title))

    @property
    def account(self) -> str:
        """Who is writing, as the platform says: the operating-system account (SQLite), or
        the database role that logged in (PostgreSQL); never a flag or an environment variable."""
        account = getattr(self.store, "account", None)
        if not account:
            from coflow.storage.sqlite import os_account

            account = os_account()
        return str(account)

    def acting_as(self, claimed: str | None) -> str:
        """The actor to record: the account itself, or (with the record_for_others
        permission in coflow.toml) the person the account names; anyone else is refused."""
        account = self.account
        if not claimed or claimed == account:
            return account
        if "record_for_others" in self.config.actor(account).permissions:
            return claimed
        raise PermissionDenied(
            f"you are signed in as {account!r}, so coflow records {account!r} as the one acting, not {claimed!r}",
            hint=f"leave out --actor (and COFLOW_ACTOR) to act as yourself; to record what {claimed} did or said, "
                 f"whoever looks after coflow.toml adds permissions = [\"record_for_others\"] under "
                 f"[actors.{account}]; the history then shows both")

    def _locked_state(self, tx: Transaction, project_id: str) -> ProjectState:
        """The project as it stands inside a write transaction (NotFound if it has no events).

        A history that does not verify is refused (exit 5) unless --force gave a reason.
        """
        restored = self._restore(tx, project_id)
        if restored is not None:
            return restored
        events = tx.events(project_id)
        if not events:
            raise self._no_project(project_id)
        from coflow import integrity

        broken = integrity.chain_problem(events, self.store.project(project_id))
        if broken is not None:
            if self._force_reason is None:
                raise integrity.refusal(project_id, broken)
            self._breaks[project_id] = broken
        state = self.fold(project_id, events)
        state.unverified = broken is not None  # a history that does not verify gets no snapshot
        return state

    def _append(self, tx: Transaction, state: ProjectState, actor: str, event_type: str, data: dict[str, Any]) -> ProjectState:
        """Chain one event onto `state` inside `tx`: the event, the project row, its outbox rows.

        An event type no record kind registers, or data its kind's check refuses, is a
        UsageError (exit 2) raised before anything is written.
        """
        broken = self._breaks.pop(state.id, None)
        if broken is not None and self._force_reason is not None:  # --force: note the break first
            from coflow import integrity

            state = self._append(tx, state, actor, integrity.BREAK_NOTED, integrity.noted(broken, self._force_reason))
        kinds = self.record_kinds
        problems = kinds.problems(event_type, data)
        if problems:
            raise UsageError(f"a {event_type} event cannot be recorded: {'; '.join(problems)}",
                             hint=_kind_hint(kinds, event_type))
        prev = state.head_hash or ev.GENESIS_HASH
        account = self.account
        self.acting_as(actor)  # naming someone else needs record_for_others, whoever calls
        event = Event.make(state.id, state.seq + 1, actor, event_type, data, prev, account=account)
        tx.append(event)
        state.apply(event, kinds.reducers)
        tx.save_project(ProjectRow(state.id, state.workflow_id, state.workflow_hash, state.stage,
                                   state.seq, state.head_hash, event.ts))
        if not state.unverified:
            self._written[state.id] = state
        self._enqueue_notifications(tx, event)
        return state

    def _enqueue_notifications(self, tx: Transaction, event: Event) -> None:
        """Put the event in the outbox for each [[notify]] entry that wants it (same transaction).

        The entries are checked first: a notifier no plugin provides, or a missing setting,
        is a ConfigError (exit 3) before anything is written.
        """
        if not self.config.notify:
            return
        from coflow.notify.base import wants

        if not self._notify_checked:
            from coflow.notify.outbox import require_valid

            require_valid(self)
            self._notify_checked = True
        for index, entry in enumerate(self.config.notify):
            if wants(entry, event.type, event.data):
                self._notify_queued.append(tx.add_outbox(event.project, event.seq, str(entry.get("notifier", "")),
                                                         {"event": event.as_dict(), "notify_index": index}))

    def deliver_notifications(self) -> None:
        """After a commit, send the notifications it queued; a failure only warns and stays
        in the outbox for `coflow notify retry` (the change is never undone)."""
        ids, self._notify_queued = self._notify_queued, []
        if not ids:
            return
        from coflow.notify.outbox import deliver_after_change

        deliver_after_change(self, ids)


def _kind_hint(kinds: RecordKinds, event_type: str) -> str:
    kind = kinds.by_event.get(event_type)
    if kind is None:
        return "a plugin registers its own event types with the coflow_register_records hook (docs/hooks.md)"
    return f"the record kind {kind.name!r} (plugin {kind.plugin!r}) checks this data; correct it and run the command again"
