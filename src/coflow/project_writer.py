"""What records and notifications may use of the write path: the `ProjectWriter` Protocol
and the shapes of the build functions `change`/`change_many` take. coflow.writer.Writer (and
so the engine) provides it; depending on this, not on the engine, keeps the dependency one way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, overload

from coflow.config import Config
from coflow.events import Event
from coflow.project import ProjectState, ProjectView

if TYPE_CHECKING:
    from coflow.kinds import RecordKinds
    from coflow.plugins import PluginManager
    from coflow.storage.base import Store, Transaction
    from coflow.workflow.model import Workflow

# build(state, view, tx) -> the event data, or None when the change is already so
Build = Callable[[ProjectState, ProjectView, "Transaction"], "dict[str, Any] | None"]
# a build that always has something to write: change() then always returns the event
BuildAlways = Callable[[ProjectState, ProjectView, "Transaction"], "dict[str, Any]"]
# build(state, view, tx) -> (event type, data) pairs, appended one by one
BuildMany = Callable[[ProjectState, ProjectView, "Transaction"], Iterable[tuple[str, dict[str, Any]]]]


class ProjectWriter(Protocol):
    """What records and notifications may use: read a project, write one change to it.

    `Writer` (and so the engine) provides it; a record module never needs more.
    """

    config: Config

    @property
    def plugins(self) -> PluginManager: ...

    @property
    def store(self) -> Store: ...

    @property
    def record_kinds(self) -> RecordKinds: ...

    def get(self, project_id: str) -> ProjectState: ...

    def state_of(self, project_id: str, upto: int | None = None) -> ProjectState: ...

    def view(self, state: ProjectState) -> ProjectView: ...

    def pinned_workflow(self, state: ProjectState) -> Workflow: ...

    def project_ids(self) -> list[str]: ...

    def personal_details(self, project_id: str) -> dict[str, dict[str, Any]]: ...

    def personal_detail(self, project_id: str, participant: str) -> dict[str, Any] | None: ...

    @overload
    def change(self, project_id: str, actor: str, event_type: str,
               build: BuildAlways) -> tuple[Event, ProjectState]: ...

    @overload
    def change(self, project_id: str, actor: str, event_type: str,
               build: Build) -> tuple[Event | None, ProjectState]: ...

    def change_many(self, project_id: str, actor: str,
                    build: BuildMany) -> tuple[list[Event], ProjectState]: ...
