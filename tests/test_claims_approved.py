"""Claiming a level above the assessment's recommendation needs a justification and then
the sponsor's sign-off (through the CLI), for a claim recorded with the assessment and for
a relabel to a higher workflow alike."""

from __future__ import annotations

import pytest

ACTORS = """
[actors.tester]
permissions = ["relabel"]
[actors.sponsor-1]
roles = ["sponsor"]
"""
# engage is recommended: every criterion scores 1
ENGAGE = ["--authority", "1", "--shared-aims", "1", "--scale", "1", "--outcomes", "1", "--resources", "1",
          "--delivery-role", "1"]
CODESIGN = ["--authority", "2", "--shared-aims", "2", "--scale", "2", "--outcomes", "2", "--resources", "2",
            "--delivery-role", "1"]


@pytest.fixture
def lead(run, home):
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write(ACTORS)
    return run


def suitability(run, project: str) -> dict:
    return {c["id"]: c for c in run("status", project, "--json").json()["checks"]}["suitability-assessed"]


def test_a_claim_above_the_recommendation_needs_the_sponsors_sign_off_after_the_justification(lead):
    assert lead("new", "p1", "--workflow", "codesign").exit_code == 0
    assert lead("signoff", "p1", "--role", "sponsor", actor="sponsor-1").exit_code == 0  # before: does not count
    assert lead("assess", "p1", "--no-interactive", *ENGAGE, "--claimed", "co-design",
                "--justification", "one ward, partners agreed the aims").exit_code == 0
    check = suitability(lead, "p1")
    assert check["status"] == "fail"
    assert "the justification is recorded, but the Senior sponsor has not signed off since it was" in check["message"]
    assert check["hint"].endswith("coflow signoff p1 --role sponsor")
    # the order that counts: the justification first, then the sponsor's sign-off
    assert lead("new", "p2", "--workflow", "codesign").exit_code == 0
    assert lead("assess", "p2", "--no-interactive", *ENGAGE, "--claimed", "co-design",
                "--justification", "one ward, partners agreed the aims").exit_code == 0
    assert suitability(lead, "p2")["status"] == "fail"
    assert lead("signoff", "p2", "--role", "sponsor", actor="sponsor-1").exit_code == 0
    passed = suitability(lead, "p2")
    assert passed["status"] == "pass" and "the sponsor signed off after it" in passed["message"]
    report = lead("report", "p2", "--format", "json").json()["involvement"]
    assert [o["role"] for o in report["signed_after_justification"]] == ["sponsor"]
    assert "Signed off after the justification was recorded by: sponsor-1 (sponsor" in \
        lead("report", "p2", "--format", "md").stdout
    assert "Signed off after the justification was recorded by: sponsor-1 (sponsor" in \
        lead("report", "p2", "--format", "html").stdout
    # a new justification needs a new approval
    assert lead("assess", "p2", "--claimed", "co-design", "--justification", "now two wards").exit_code == 0
    assert suitability(lead, "p2")["status"] == "fail"


def test_relabelling_up_needs_the_same_approval(lead):
    assert lead("new", "p3", "--workflow", "codesign").exit_code == 0
    assert lead("assess", "p3", "--no-interactive", *CODESIGN, "--claimed", "co-production",
                "--justification", "partners will run the pilot themselves").exit_code == 0
    refused = lead("relabel", "p3", "--workflow", "coproduction", "--reason", "partners now run delivery")
    assert refused.exit_code == 2 and "has not signed off since" in refused.stderr
    assert "coflow signoff p3 --role sponsor" in refused.stderr
    assert lead("signoff", "p3", "--role", "sponsor", actor="sponsor-1").exit_code == 0
    moved = lead("relabel", "p3", "--workflow", "coproduction", "--reason", "partners now run delivery")
    assert moved.exit_code == 0, moved
    assert lead("status", "p3", "--json").json()["workflow"] == "coproduction"


UNAPPROVED = """\
schema = 1
[workflow]
id = "{id}"
version = "1"
[roles]
sponsor = {{ title = "Senior sponsor" }}
[stages.planning]
[[stages.planning.checks]]
id = "suitability-assessed"
type = "involvement_level"
level = "co-design"
{extra}
[stages.closed]
final = true
"""


def test_without_approval_role_a_justification_alone_still_counts(lead, home):
    """A pinned workflow that does not ask for approval keeps its meaning."""
    (home / "workflows" / "old.toml").write_text(UNAPPROVED.format(id="old", extra=""), encoding="utf-8")
    assert lead("new", "p4", "--workflow", "old").exit_code == 0
    assert lead("assess", "p4", "--no-interactive", *ENGAGE, "--claimed", "co-design",
                "--justification", "a small pilot").exit_code == 0
    assert suitability(lead, "p4")["status"] == "pass"


@pytest.mark.parametrize("extra, words", [
    ('approval_role = "board"', "stages.planning.checks[0].approval_role: there is no role called 'board'"),
    ("approval_role = 3", "approval_role"),
])
def test_a_bad_approval_role_is_a_workflow_error(lead, home, extra, words):
    path = home / "workflows" / "bad-approval.toml"
    path.write_text(UNAPPROVED.format(id="bad-approval", extra=extra), encoding="utf-8")
    result = lead("workflow", "validate", str(path))
    assert result.exit_code == 3 and words in (result.stdout + result.stderr), result
