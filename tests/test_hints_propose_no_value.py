"""Refusals a new user meets on the way through the first project: their hints say what to
do and never offer a value (today's date, a made-up reference) or a shortcut round the
person whose sign-off a gate asks for."""

from __future__ import annotations

from datetime import date, timedelta


def test_a_placeholder_typed_as_a_fact_is_refused_without_offering_some_other_value(run, p1):
    refused = run("record", p1, "sponsor", "...")
    assert refused.exit_code == 2 and "'...' stands for the real value" in refused.stderr
    assert "DPIA-" not in refused.stderr  # no made-up reference for a sponsor (or anything else)
    assert f"coflow record {p1} sponsor followed by the real value" in refused.stderr
    assert [e["type"] for e in run("history", p1, "--json").json()] == ["created"]


def test_a_date_in_the_future_is_refused_without_proposing_today(run, p1):
    pid = run("participant", "add", p1, "--role", "staff").stdout.split()[2]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    refused = run("participant", "update", p1, pid, "--training", tomorrow)
    assert refused.exit_code == 2 and f"{tomorrow} is in the future" in refused.stderr
    assert date.today().isoformat() not in refused.stderr
    assert "the day it really happened" in refused.stderr


def test_the_role_hint_says_the_sponsor_signs_for_themselves(run, p1):
    refused = run("signoff", p1, "--role", "sponsor", actor="rlead")
    assert refused.exit_code == 2
    assert "given by the Senior sponsor themselves, from their own account; only if that is rlead" in refused.stderr
    assert "Add these two lines to coflow.toml:" in refused.stderr  # the way, once it is them


def test_the_partner_role_hint_has_the_partner_sign_from_their_own_account(run, p1):
    refused = run("signoff", p1, "--role", "co-chair", actor="rlead")
    assert refused.exit_code == 2
    assert f"they sign from their own account: `coflow signoff {p1} --role co-chair`" in refused.stderr
    assert "--actor NAME" not in refused.stderr  # naming someone else needs record_for_others


def test_the_example_workflows_in_docs_hint_with_stand_ins_only():
    """A hint copied from the docs' examples must not propose a date or a reference: a date
    check writes its own hint, any other fact hint ends with a stand-in the CLI refuses."""
    from pathlib import Path

    from coflow.names import PLACEHOLDERS
    from coflow.workflow.loader import parse_file

    examples = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.toml"))
    assert examples
    for path in examples:
        data, _ = parse_file(path)
        for stage, spec in data["stages"].items():
            for check in spec.get("checks", []):
                where, hint = f"{path.name}: {stage}.{check['id']}", check.get("hint")
                if check["type"] == "fact" and check.get("op") in ("date", "past_date"):
                    assert hint is None, where
                elif check["type"] == "fact" and hint:
                    assert hint.split()[-1].strip('"') in PLACEHOLDERS, f"{where}: {hint}"
