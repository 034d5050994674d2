"""The core path end to end: new, blocked advance, record, advance, history, verify."""


def test_advance_is_refused_until_required_checks_pass_then_moves_on(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    blocked = run("advance", "p1", "--json")
    assert blocked.exit_code == 1
    data = blocked.json()
    assert data["advanced"] is False and data["stage"] == "planning"
    assert {c["id"]: c["status"] for c in data["checks"]} == {"sponsor-named": "fail", "budget": "fail", "dpia": "fail"}
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", "p1", "budget", "750").exit_code == 0
    moved = run("advance", "p1", "--json")
    assert moved.exit_code == 0, moved
    assert moved.json()["to"] == "delivery" and moved.json()["stage"] == "delivery"
    types = [e["type"] for e in run("history", "p1", "--json").json()]
    assert types == ["created", "blocked", "fact_recorded", "fact_recorded", "advanced"]
    assert run("verify").exit_code == 0
