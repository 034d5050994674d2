"""The example plugins in plugins/: each package's own tests pass, run as its author runs
them (in its folder, from source), and coflow-payment-policy installs and loads through
its entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from plugin_helpers import install_to_target, run_pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
PACKAGES = sorted(p.parent for p in PLUGINS.glob("*/pyproject.toml"))


def test_there_are_at_least_two_example_plugins():
    assert len(PACKAGES) >= 2, PACKAGES


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_example_plugin_tests_pass(package):
    result = run_pytest(package, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


PAYMENT_WORKFLOW = """\
schema = 1
[workflow]
id = "paid"
version = "1"
[stages.delivery]
[[stages.delivery.checks]]
id = "fair-pay"
type = "payment_policy"
{params}
[stages.closed]
final = true
"""


@pytest.mark.slow
def test_payment_policy_installs_and_loads_through_its_entry_point(home, run_process, tmp_path):
    site = install_to_target(PLUGINS / "coflow-payment-policy", tmp_path)
    env = {"PYTHONPATH": str(site)}
    row = {r["name"]: r for r in run_process("plugins", "--json", env=env).json()}["payment_policy"]
    assert row["origin"] == "entry point" and row["package"] == "coflow_payment_policy"
    assert row["version"] == "0.1.0" and row["check_types"] == ["payment_policy"]
    assert row["location"] == str(site / "coflow_payment_policy" / "__init__.py")
    workflow = home / "workflows" / "paid.toml"
    workflow.write_text(PAYMENT_WORKFLOW.format(params="max_pending_days = 14"), encoding="utf-8")
    bad = run_process("workflow", "validate", str(workflow), env=env)
    assert bad.exit_code == 3 and "stages.delivery.checks[0].hourly_rate: missing" in bad.stderr
    workflow.write_text(PAYMENT_WORKFLOW.format(params="hourly_rate = 25"), encoding="utf-8")
    assert run_process("workflow", "validate", str(workflow), env=env).exit_code == 0
    assert run_process("new", "p1", "--workflow", "paid", env=env).exit_code == 0
    check = run_process("check", "p1", "--json", env=env)
    assert check.exit_code == 0 and check.json()["checks"][0]["message"].startswith("no payments recorded yet")
    left_out = run_process("workflow", "validate", str(workflow), env={**env, "COFLOW_LOAD_PLUGINS": ""})
    assert left_out.exit_code == 3 and "unknown check type 'payment_policy'" in left_out.stderr
