"""Built-in check types load their module only when used, and still validate workflows."""

from __future__ import annotations

import subprocess
import sys

from coflow.checks.builtin import BUILTIN_TYPES


def test_status_loads_only_the_check_modules_its_stage_uses(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0  # the mini workflow: fact checks only
    code = ("import sys; from coflow.cli.main import cli\n"
            "try:\n"
            f"    cli(['--home', {str(home)!r}, 'status', 'p1'], standalone_mode=False)\n"
            "finally:\n"
            "    print(sorted(m for m in sys.modules if m.startswith('coflow.checks.')), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = done.stderr.strip().splitlines()[-1]
    assert loaded == str(["coflow.checks.base", "coflow.checks.builtin", "coflow.checks.common",
                          "coflow.checks.fact"])


def test_every_built_in_validator_still_names_a_bad_parameter():
    for name, check_type in BUILTIN_TYPES.items():
        problems = check_type.validate({"no_such_setting": 1})
        assert problems and any("no_such_setting" in p for p in problems), name


def test_a_workflow_with_a_bad_built_in_check_setting_is_refused(run, home):
    (home / "workflows" / "bad.toml").write_text(
        'schema = 1\n[workflow]\nid = "bad"\nversion = "1"\ntitle = "Bad"\n'
        '[stages.start]\ntitle = "Start"\nnext = "end"\n'
        '[[stages.start.checks]]\nid = "paid"\ntype = "payments"\nmax_pending_days = "soon"\ntitle = "Paid"\n'
        '[stages.end]\ntitle = "End"\nfinal = true\n', encoding="utf-8")
    result = run("workflow", "validate", str(home / "workflows" / "bad.toml"))
    assert result.exit_code == 3 and "max_pending_days" in result.stdout + result.stderr
