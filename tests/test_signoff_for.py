"""Partners who do not use coflow: a sign-off given on a signed form, by email or in a
meeting is recorded for them, with how it was given and its evidence; one given from the
person's own account is shown as such, and reports tell the two apart."""

from __future__ import annotations

import json
import os
import pwd

import pytest

ACCOUNT = pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture
def partner(run, monkeypatch, p1):
    """p1 with a lived-experience partner P-001 and the signed form as evidence E-001; the
    account running the tests acts as itself (no --actor)."""
    monkeypatch.delenv("COFLOW_ACTOR")
    assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    assert run("evidence", "add", "p1", "--kind", "signoff", "--ref", "Signed form, scanned to SharePoint").exit_code == 0
    return "P-001"


def test_a_sign_off_given_on_paper_is_recorded_for_the_partner_with_how_and_evidence(run, partner, home, tmp_path):
    result = run("signoff", "p1", "--role", "co-chair", "--for", partner, "--how", "signed form",
                 "--evidence", "E-001", "--json")
    assert result.exit_code == 0, result
    record = result.json()
    assert (record["actor"], record["for"], record["how"], record["evidence"], record["recorded_by"]) == (
        "P-001", "P-001", "signed form", "E-001", ACCOUNT)
    event = run("history", "p1", "--json").json()[-1]
    assert event["type"] == "signed_off" and event["actor"] == event["account"] == ACCOUNT
    assert (event["data"]["for"], event["data"]["how"], event["data"]["evidence"]) == ("P-001", "signed form", "E-001")
    report = json.loads(run("report", "p1", "--format", "json").stdout)
    assert "P-001" in json.dumps(report)
    # the account that recorded it can still sign its own role: the partner's signature is the partner's
    config = home / "coflow.toml"
    config.write_text(f'actors.{ACCOUNT}.roles = ["sponsor"]\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    own = run("signoff", "p1", "--role", "sponsor")
    assert own.exit_code == 0, own
    for key, value in (("sponsor", "Dr A. Mensah"), ("budget", "750")):
        assert run("record", "p1", key, value).exit_code == 0
    assert run("advance", "p1").exit_code == 0
    markdown = run("report", "p1", "--format", "md").stdout
    assert f"P-001, given outside coflow (signed form, evidence E-001), recorded by {ACCOUNT}" in markdown
    assert f"{ACCOUNT}, signed in coflow from their own account" in markdown
    html = tmp_path / "r.html"
    assert run("report", "p1", "--format", "html", "-o", str(html)).exit_code == 0
    assert "given outside coflow (signed form, evidence E-001)" in html.read_text(encoding="utf-8")


def test_one_partner_cannot_be_recorded_for_two_roles_of_a_gate(run, partner, add_to_config):
    add_to_config('[actors.P-001]\nroles = ["sponsor"]\n')
    assert run("signoff", "p1", "--role", "co-chair", "--for", partner, "--how", "email of 4 March",
               "--evidence", "E-001").exit_code == 0
    twice = run("signoff", "p1", "--role", "sponsor", "--for", partner, "--how", "email", "--evidence", "E-001")
    assert twice.exit_code == 2 and "one person cannot also sign" in twice.stderr


def test_a_sign_off_for_someone_else_needs_how_evidence_a_partner_and_the_permission(run, partner, home):
    before = len(run("history", "p1", "--json").json())
    no_how = run("signoff", "p1", "--role", "co-chair", "--for", partner, "--evidence", "E-001")
    assert no_how.exit_code == 2 and "--how" in no_how.stderr
    no_evidence = run("signoff", "p1", "--role", "co-chair", "--for", partner, "--how", "signed form")
    assert no_evidence.exit_code == 2 and "--evidence" in no_evidence.stderr
    unknown = run("signoff", "p1", "--role", "co-chair", "--for", partner, "--how", "signed form", "--evidence", "E-009")
    assert unknown.exit_code == 2 and "E-009" in unknown.stderr
    assert run("participant", "add", "p1").exit_code == 0  # P-002, no lived experience
    staff = run("signoff", "p1", "--role", "co-chair", "--for", "P-002", "--how", "signed form", "--evidence", "E-001")
    assert staff.exit_code == 2 and "lived experience" in staff.stderr
    stray = run("signoff", "p1", "--role", "co-chair", "--how", "signed form")
    assert stray.exit_code == 2 and "--for" in stray.stderr
    from coflow.config import TEMPLATE

    (home / "coflow.toml").write_text(TEMPLATE, encoding="utf-8")  # nobody may record for others
    refused = run("signoff", "p1", "--role", "co-chair", "--for", partner, "--how", "signed form", "--evidence", "E-001")
    assert refused.exit_code == 2 and "record_for_others" in refused.stderr
    assert len(run("history", "p1", "--json").json()) == before + 1  # only P-002 was added
