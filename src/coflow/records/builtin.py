"""coflow's own record kinds, registered like any plugin's (a built-in plugin module).

The core's event types (created, advanced, blocked, ...) form the record kind "project";
each kind of co-production record brings its event types and reducers from
coflow.records.reducers. Their input is checked by the service layer (coflow.records.*)
against the locked project before an event is built, so no `validate` is registered here.
"""

from __future__ import annotations

from collections.abc import Callable

from coflow.hookmark import hookimpl


@hookimpl
def coflow_register_records(register: Callable[..., None]) -> None:
    from coflow.project import CORE_EVENTS
    from coflow.records.reducers import KINDS

    register("project", CORE_EVENTS)
    for kind, events in KINDS.items():
        register(kind, events)
