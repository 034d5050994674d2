"""`status` and `report --all` over every project, read a page at a time and written as they go.

The output must be the same as one project at a time gives (the JSON document exactly the
same shape), in project id order; a store without its own paging still works.
"""

from __future__ import annotations

import pytest
import report_samples as rs

from coflow import config
from coflow.engine import Engine
from coflow.jsondoc import json_document
from coflow.storage import paging
from coflow.storage.base import ProjectRow

IDS = ["b-2", "B-1", "a", "a-0", "z", "c"]  # created in this order, listed in code point order


class ProtocolOnly:
    """A store with only the Store protocol's reads (a third-party store without paging)."""

    def __init__(self, store):
        self._store = store

    def projects(self):
        return self._store.projects()

    def project(self, project_id):
        return self._store.project(project_id)

    def events(self, project_id):
        return self._store.events(project_id)

    def iter_all_events(self):
        return self._store.iter_all_events()

    def workflow_definition(self, content_hash):
        return self._store.workflow_definition(content_hash)


@pytest.fixture
def engine(home):
    return Engine(config.load(home))


@pytest.fixture
def many(run, engine):
    """Projects in different states: gate closed, gate open, moved on, finished."""
    for pid in IDS:
        assert run("new", pid, "--workflow", "mini").exit_code == 0
    for pid in ("a", "z", "c"):
        run("record", pid, "sponsor", "Dr A. Mensah")
        run("record", pid, "budget", "900")
    for pid in ("z", "c"):
        assert run("advance", pid).exit_code == 0
    run("record", "c", "report_ref", "BR-1")
    assert run("advance", "c").exit_code == 0
    return sorted(IDS)


def one_at_a_time(engine) -> list[dict]:
    return [engine.status(pid).to_dict() for pid in sorted(engine.project_ids())]


def test_status_json_over_every_project_is_the_document_one_project_at_a_time_gives(run, engine, many):
    result = run("status", "--json")
    assert result.exit_code == 0, result
    assert result.stdout == json_document(one_at_a_time(engine))
    assert [r["project"] for r in result.json()] == ["B-1", "a", "a-0", "b-2", "c", "z"]


def test_status_lines_come_in_project_id_order_one_per_project(run, engine, many):
    lines = run("status").stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["B-1", "a", "a-0", "b-2", "c", "z"]
    assert lines[0] == "B-1: Planning (mini) - 2 required check(s) not met"
    assert lines[1] == "a: Planning (mini) - gate open: ready to advance"
    assert lines[4] == "c: Closed (mini) - finished"
    assert lines[5] == "z: Delivery (mini) - 1 required check(s) not met"


def test_status_over_no_projects_says_so_and_json_is_an_empty_list(run):
    assert run("status").stdout == "No projects yet. Start one with `coflow new PROJECT --workflow coproduction`.\n"
    assert run("status", "--json").stdout == "[]\n"


def test_status_with_a_project_row_but_no_events_is_still_an_error(run, engine, many):
    with engine.store.transaction() as tx:
        tx.save_project(ProjectRow("ghost", "mini", "0" * 64, "planning", 3, "f" * 64, rs.ts("2026-01-01")))
    result = run("status")
    assert result.exit_code == 2 and "there is no project called 'ghost'" in result.stderr


def test_a_store_without_its_own_paging_gives_the_same_projects(engine, many):
    own = list(paging.project_histories(engine.store, 2))
    assert [pid for pid, _row, _events in own] == ["B-1", "a", "a-0", "b-2", "c", "z"]
    assert list(paging.project_histories(ProtocolOnly(engine.store), 2)) == own
    expected = one_at_a_time(engine)
    engine.store = ProtocolOnly(engine.store)
    from coflow.every_project import states

    assert [engine.status_of(state).to_dict() for state in states(engine)] == expected


def test_pages_hold_fewer_projects_when_their_histories_are_long():
    rows = [ProjectRow(f"p{i}", "w", "h", "s", seq, "x", "t") for i, seq in enumerate([5, 5, 30, 1, 1, 1])]
    asked: list[tuple[str, str | None]] = []

    def read_rows(after: str, limit: int) -> list[ProjectRow]:
        return [r for r in rows if r.id > after][:limit]

    def read_events(after: str, upto: str | None) -> list:
        asked.append((after, upto))
        return []

    got = [pid for pid, _row, _events in paging.pages(read_rows, read_events, page=4, budget=12)]
    assert got == [r.id for r in rows]
    # 5+5 fit; 30 alone is over the budget but a page always holds one; then 1+1+1
    assert asked == [("", "p1"), ("p1", "p2"), ("p2", None)]
    with pytest.raises(ValueError):
        list(paging.pages(read_rows, read_events, page=0))
