"""`status` and `report --all` over every project, read a page at a time and written as they go.

The output must be the same as one project at a time gives (the JSON document exactly the
same shape), in project id order; a store without its own paging still works.
"""

from __future__ import annotations

import json

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


# -- report --all ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["portfolio", "portfolio-ltr", "portfolio-empty"])
@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_overview_reads_exactly_as_before_whole_or_written_a_project_at_a_time(name, fmt, monkeypatch):
    from portfolio_samples import GOLDEN, samples

    from coflow.report import portfolio_text, render

    data = samples()[name]
    golden = (GOLDEN / f"{name}.{fmt}").read_text(encoding="utf-8")
    assert render(data, fmt) == golden
    assert "".join(portfolio_text.stream(iter(data["projects"]), fmt, rs.NOW, data["overdue_days"])) == golden
    monkeypatch.setattr(portfolio_text, "SPOOL_IN_MEMORY", 10)  # the parts kept in a file on disk
    monkeypatch.setattr(portfolio_text, "BATCH", 2)  # HTML rows rendered two at a time
    assert "".join(portfolio_text.stream(iter(data["projects"]), fmt, rs.NOW, data["overdue_days"])) == golden


def in_process_portfolio(engine, overdue_days: int = 30) -> dict:
    """The overview as one dict, each project read on its own (as before streaming)."""
    from coflow.report.data import utc
    from coflow.report.portfolio import build_portfolio, error_row, project_row

    now = utc(None)
    rows = []
    for pid in engine.project_ids():
        try:
            state = engine.state_of(pid)
            rows.append(project_row(state, engine.pinned_workflow(state), engine.evaluate(state), now, overdue_days,
                                    workflow_changed=engine.workflow_changed(state)))
        except Exception as exc:  # noqa: BLE001 - the CLI lists it as unreadable
            rows.append(error_row(pid, getattr(exc, "message", str(exc))))
    return build_portfolio(rows, now, overdue_days)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_all_over_many_projects_is_the_overview_built_whole(run, engine, many, fmt, tmp_path):
    from coflow.report import render

    with engine.store.transaction() as tx:  # a project the store lost the workflow of is listed too
        tx.save_project(ProjectRow("ghost", "mini", "0" * 64, "planning", 3, "f" * 64, rs.ts("2026-01-01")))
    shown = run("report", "--all", "--format", fmt, "--overdue-days", "7")
    assert shown.exit_code == 0, shown
    expected = in_process_portfolio(engine, 7)
    assert [p["id"] for p in expected["projects"]] == ["B-1", "a", "a-0", "b-2", "c", "ghost", "z"]
    assert expected["totals"]["unreadable"] == 1 and expected["totals"]["finished"] == 1
    if fmt == "json":
        got = shown.json()
        expected["generated"] = got["generated"]  # the moment it was made: the one thing that differs
        assert shown.stdout == json_document(expected)
    else:
        assert shown.stdout == render(expected, fmt)
    written = run("report", "--all", "--format", fmt, "--overdue-days", "7", "-o", str(tmp_path / f"all.{fmt}"))
    assert written.exit_code == 0 and "Wrote the portfolio overview to" in written.stderr
    text = (tmp_path / f"all.{fmt}").read_text(encoding="utf-8")
    assert text == shown.stdout if fmt != "json" else json.loads(text)["projects"] == got["projects"]


def test_over_every_project_each_is_told_whether_its_own_pinned_workflow_file_changed(run, home, engine):
    for pid in ("old-1", "old-2"):
        assert run("new", pid, "--workflow", "mini").exit_code == 0
    path = home / "workflows" / "mini.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('title = "Planning"', 'title = "Planning it"'),
                    encoding="utf-8")
    assert run("new", "new-1", "--workflow", "mini").exit_code == 0  # pinned to the edited file
    changed = {r["project"]: r["workflow_changed"] for r in run("status", "--json").json()}
    assert changed == {"new-1": False, "old-1": True, "old-2": True}
    rows = {p["id"]: p["workflow_changed"] for p in run("report", "--all", "--json").json()["projects"]}
    assert rows == changed
    assert changed == {pid: engine.status(pid).workflow_changed for pid in changed}


def test_a_long_history_over_every_project_is_read_as_one_project_is(run, engine):
    from coflow import events as ev
    from coflow.writer import REBUILD_FROM

    for pid in ("long", "short"):
        assert run("new", pid, "--workflow", "mini").exit_code == 0

    def notes(state, view, tx):
        for i in range(REBUILD_FROM + 5):
            yield ev.FACT_RECORDED, {"key": "note", "value": f"entry {i}"}

    engine.change_many("long", "tester", notes)
    engine.record_fact("long", "sponsor", "Dr A. Mensah", "tester")
    result = run("status", "--json")
    assert result.exit_code == 0, result
    assert result.stdout == json_document(one_at_a_time(engine))
    assert [r["project"] for r in result.json()] == ["long", "short"]
