"""Workflow validation: every bad file is rejected with file, key path and hint, exit 3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BAD = sorted((Path(__file__).parent / "bad_workflows").glob("*.toml"))


def expected_paths(path: Path) -> list[str]:
    return re.findall(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), flags=re.M)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_workflow_is_rejected_naming_file_and_key_path(run, path):
    wanted = expected_paths(path)
    assert wanted, f"{path.name} must say what it expects in a '# expect:' comment"
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    for key_path in wanted:
        assert f"{path}: {key_path}" in result.stderr or key_path in result.stderr, result.stderr
    assert str(path) in result.stderr


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_new_project_with_bad_workflow_writes_nothing(run, path):
    result = run("new", "p1", "--workflow", str(path))
    assert result.exit_code == 3
    assert run("status", "--json").json() == []


def test_all_problems_are_reported_at_once(run, tmp_path):
    bad = tmp_path / "many.toml"
    bad.write_text(
        'schema = 2\n[workflow]\nid = "x"\n[stages.a]\nnext = "nope"\nbogus = 1\n'
        '[[stages.a.checks]]\nid = "c"\ntype = "unknown"\n',
        encoding="utf-8",
    )
    result = run("workflow", "validate", str(bad))
    assert result.exit_code == 3
    for fragment in ("schema", "workflow.version", "stages.a.next", "stages.a.bogus",
                     "stages.a.checks[0].type", "no final stage"):
        assert fragment in result.stderr


def test_syntax_error_reports_line_and_column(run, tmp_path):
    bad = tmp_path / "syntax.toml"
    bad.write_text('schema = 1\n[workflow\nid = "x"\n', encoding="utf-8")
    result = run("workflow", "validate", str(bad))
    assert result.exit_code == 3
    assert "line 2" in result.stderr and "column" in result.stderr


def test_every_problem_carries_a_hint_where_one_helps(run):
    result = run("workflow", "validate", str(Path(__file__).parent / "bad_workflows" / "core_unknown_check_type.toml"))
    assert "known types:" in result.stderr and "fact" in result.stderr


def test_valid_file_passes_and_validate_of_missing_file_fails(run, home, tmp_path):
    assert run("workflow", "validate", str(home / "workflows" / "mini.toml")).exit_code == 0
    missing = run("workflow", "validate", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 3 and "nope.toml" in missing.stderr


def test_no_expression_is_evaluated(run, tmp_path):
    """A value that looks like code stays text: validation never evaluates it."""
    marker = tmp_path / "pwned"
    wf = tmp_path / "code.toml"
    wf.write_text(
        'schema = 1\n[workflow]\nid = "code"\nversion = "1"\n'
        '[[stages.a.checks]]\nid = "c"\ntype = "fact"\nkey = "k"\nop = "=="\n'
        f'value = "__import__(\'os\').system(\'touch {marker}\')"\n'
        '[stages.end]\nfinal = true\n',
        encoding="utf-8",
    )
    assert run("workflow", "validate", str(wf)).exit_code == 0
    assert run("new", "p1", "--workflow", str(wf)).exit_code == 0
    assert run("check", "p1").exit_code == 1
    assert not marker.exists()
