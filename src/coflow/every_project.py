"""Every project of the store, one at a time: what `status` and `report --all` walk.

Projects are read a page at a time (coflow.storage.paging) and folded one by one, so the
memory a portfolio command needs does not grow with the number of projects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coflow.errors import CoflowError
from coflow.project import ProjectState
from coflow.storage.paging import project_histories

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def states(engine: Any) -> Iterator[ProjectState]:
    """Each project folded, in id order, read as `Writer.get` reads one: an unusable id or a
    project without events is an error, and a history that does not verify is reported on
    stderr (once per project)."""
    from coflow import integrity
    from coflow.writer import REBUILD_FROM, check_project_id

    snapshots = callable(getattr(engine.store, "snapshot", None))
    for project_id, row, events in project_histories(engine.store):
        check_project_id(project_id)
        if snapshots and events and len(events) >= REBUILD_FROM:
            # A long history: read as `Writer.get` reads it, from its snapshot when one may
            # be trusted, rather than folding (and re-hashing) every event here.
            yield engine.get(project_id)
            continue
        if not events:
            raise engine._no_project(project_id)
        if project_id not in engine._warned:
            broken = integrity.chain_problem(events, row)
            if broken is not None:
                from coflow.notice import say

                engine._warned.add(project_id)
                say(integrity.warning(project_id, broken))
        yield engine.fold(project_id, events)


def states_or_errors(engine: Any) -> Iterator[tuple[str, ProjectState | None, CoflowError | None]]:
    """(id, state, None) for each project folded from whatever events the store holds (as
    `Writer.state_of`), or (id, None, error) when even that fails: one unreadable project
    must not hide the others."""
    for project_id, _row, events in project_histories(engine.store):
        try:
            yield project_id, engine.fold(project_id, events), None
        except CoflowError as exc:
            yield project_id, None, exc


def workflow_changes(engine: Any) -> Callable[[ProjectState], bool]:
    """`engine.workflow_changed` for one pass over many projects: each workflow file (with the
    files it extends) is looked at once, and every project pinned to the same bytes gets the
    same answer."""
    seen: dict[tuple, bool] = {}

    def changed(state: ProjectState) -> bool:
        try:
            key = (state.workflow_path, state.workflow_file_hash or state.workflow_hash,
                   tuple((str(p["path"]), p["hash"]) for p in state.workflow_parents))
        except (KeyError, TypeError):  # parents the engine itself reports as changed
            return bool(engine.workflow_changed(state))
        found = seen.get(key)
        if found is None:
            found = seen[key] = bool(engine.workflow_changed(state))
        return found

    return changed
