"""The view checks receive is built lazily: a gate whose checks read no events copies none,
and whatever a check does read is read-only all the way down."""

from __future__ import annotations

import pytest

from coflow import config
from coflow.engine import Engine
from coflow.gate import evaluate


@pytest.fixture
def engine(home):
    engine = Engine(config.load(home))
    engine.create("p1", "mini", "tester")
    for i in range(30):
        engine.record_fact("p1", "note", f"entry {i}", "tester")
    return engine


def test_a_gate_of_fact_checks_copies_no_events(engine):
    state = engine.get("p1")
    view = engine.view(state)
    report = evaluate(view, engine.pinned_workflow(state), engine.check_types, engine.plugins,
                      engine.config.check_timeout, engine.config.state_dir)
    assert [c.status for c in report.checks][:2] == ["fail", "fail"]
    assert "events" not in vars(view) and "participants" not in vars(view)
    assert "facts" in vars(view)  # what the fact checks read


def test_what_a_check_reads_is_frozen_when_read(engine):
    view = engine.view(engine.get("p1"))
    assert len(view.events) == 31 and view.events[-1]["data"]["value"] == "entry 29"
    with pytest.raises(TypeError):
        view.events[-1]["data"]["value"] = "changed"
    with pytest.raises(AttributeError):
        view.events = ()
    with pytest.raises(AttributeError):
        view.participants = ()  # not built yet, and still not replaceable
    assert engine.get("p1").events[-1].data["value"] == "entry 29"
    assert set(dir(view)) >= {"events", "facts", "participants", "timeline"}
