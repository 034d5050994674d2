"""Every project of a store with its events, a page at a time (`status` and `report --all`).

A store may offer `project_histories(page)`: every project id it knows (from the projects
table or the log), in code point order, each with its projects row (or None) and its events
in seq order, read a page of projects at a time, so memory does not grow with the number of
projects. coflow's SQLite and PostgreSQL stores build it from `pages()` below with two small
queries; `project_histories(store)` falls back to the Store protocol's own reads, one
project at a time, for a store that lacks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby

from coflow.events import Event
from coflow.storage.base import ProjectRow, event_projects

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

PAGE = 500  # projects read per page
EVENT_BUDGET = 20_000  # events read per page at most (by the rows' seq), unless one project has more

History = tuple[str, ProjectRow | None, list[Event]]


def project_histories(store: Any, page: int = PAGE) -> Iterator[History]:
    """(project id, its row or None, its events) for every project, in id order."""
    own = getattr(store, "project_histories", None)
    if callable(own):
        yield from own(page)
        return
    # A store without its own paging: the protocol's reads, one project at a time.
    ids = sorted({*(row.id for row in store.projects()), *event_projects(store)})
    for project_id in ids:
        yield project_id, store.project(project_id), store.events(project_id)


def pages(read_rows: Callable[[str, int], list[ProjectRow]],
          read_events: Callable[[str, str | None], list[Event]], page: int = PAGE,
          budget: int = EVENT_BUDGET) -> Iterator[History]:
    """The histories, a page at a time, from two reads a store gives:

    `read_rows(after, limit)`: the projects rows with id > after, in id order, at most limit;
    `read_events(after, upto)`: the events of projects with after < id <= upto (no upper
    bound when upto is None), ordered by project id, then seq.
    """
    if page < 1:
        raise ValueError("a page holds at least one project")
    after = ""  # no project id is empty
    while True:
        rows = read_rows(after, page)
        upto = rows[-1].id if len(rows) == page else None
        total = 0
        for index, row in enumerate(rows):  # long histories: fewer projects a page
            total += max(int(row.seq or 0), 1)
            if total > budget and index > 0:
                rows = rows[:index]
                upto = rows[-1].id
                break
        events = {pid: list(group) for pid, group in groupby(read_events(after, upto), key=lambda e: e.project)}
        by_id = {row.id: row for row in rows}
        for project_id in sorted({*by_id, *events}):
            yield project_id, by_id.get(project_id), events.get(project_id, [])
        if upto is None:
            return
        after = upto
