"""Check parameters are validated before any project runs: `coflow workflow validate` exits 3
and names the exact key path; good parameters of every type are accepted.

Each tests/bad_workflows/checks_*.toml holds one bad check and says, in `# expect:` lines,
every problem it must produce: no more, no fewer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BAD = sorted((Path(__file__).parent / "bad_workflows").glob("checks_*.toml"))


def expected(path: Path) -> list[str]:
    return re.findall(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), flags=re.M)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_check_parameters_are_reported_at_their_key_path(run, path):
    wanted = expected(path)
    assert wanted, f"{path.name} needs a '# expect: KEY.PATH' comment"
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3, result
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(problems) == len(wanted), result.stderr
    for key_path in wanted:
        assert any(f"{path}: {key_path}: " in line for line in problems), (key_path, result.stderr)


GOOD = """\
schema = 1
[workflow]
id = "every-type"
version = "1"
[roles]
sponsor = { title = "Senior sponsor" }
co-chair = { title = "Lived-experience co-chair", lived_experience = true }
[stages.all]
[[stages.all.checks]]
id = "fact"
type = "fact"
key = "sponsor"
[[stages.all.checks]]
id = "evidence"
type = "evidence"
kind = "minutes"
min = 2
[[stages.all.checks]]
id = "signoff"
type = "signoff"
roles = ["sponsor", "co-chair"]
[[stages.all.checks]]
id = "participants"
type = "participants"
min = 5
lived_experience = true
min_groups = 3
min_routes = 2
role = "co-facilitator"
[[stages.all.checks]]
id = "training"
type = "training"
who = "all"
what = "training"
role = "co-chair"
[[stages.all.checks]]
id = "sessions"
type = "sessions"
min = 4
min_span_weeks = 12.5
min_formats = 2
coauthored = true
decisions_after_involvement = true
[[stages.all.checks]]
id = "attendance"
type = "attendance"
min = 2
lived_experience_share = 0.5
[[stages.all.checks]]
id = "payments"
type = "payments"
max_pending_days = 0
expenses = true
[[stages.all.checks]]
id = "feedback"
type = "feedback"
min = 0
[[stages.all.checks]]
id = "access"
type = "access_needs"
[[stages.all.checks]]
id = "level"
type = "involvement_level"
level = "co-design"
[[stages.all.checks]]
id = "elapsed"
type = "elapsed"
min_days = 7
max_days = 7
[stages.closed]
final = true
"""


def test_every_check_type_with_every_parameter_is_accepted(run, tmp_path):
    path = tmp_path / "every-type.toml"
    path.write_text(GOOD, encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 0, result.stderr


def test_unknown_signoff_role_names_the_roles_that_exist(run):
    path = Path(__file__).parent / "bad_workflows" / "checks_signoff_unknown_role.toml"
    result = run("workflow", "validate", str(path))
    assert "there is no role called 'co-chair' in [roles]" in result.stderr
    assert "roles defined: sponsor" in result.stderr


def test_signoff_in_a_workflow_without_roles_is_an_error(run, tmp_path):
    path = tmp_path / "no-roles.toml"
    path.write_text('schema = 1\n[workflow]\nid = "x"\nversion = "1"\n[stages.a]\n'
                    '[[stages.a.checks]]\nid = "s"\ntype = "signoff"\nroles = ["sponsor"]\n'
                    '[stages.b]\nfinal = true\n', encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert f"{path}: stages.a.checks[0].roles[0]: there is no role called 'sponsor'" in result.stderr


def test_a_project_cannot_start_on_a_workflow_with_bad_check_parameters(run):
    path = Path(__file__).parent / "bad_workflows" / "checks_payments_negative_days.toml"
    result = run("new", "p1", "--workflow", str(path))
    assert result.exit_code == 3
    assert "max_pending_days" in result.stderr
    assert run("status", "--json").json() == []
