"""A one-stage workflow made of checks copied from a shipped workflow, so a test can judge
records against exactly what the shipped file asks, without walking every earlier gate."""

from __future__ import annotations

import json
from pathlib import Path

from coflow.toml import _toml as tomllib

REPO = Path(__file__).resolve().parent.parent


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def shipped_checks(workflow: str, *ids: str) -> str:
    """TOML for a workflow `shipped-<workflow>` whose one stage holds these checks."""
    data = tomllib.loads((REPO / "workflows" / f"{workflow}.toml").read_text(encoding="utf-8"))
    found = {c["id"]: c for stage in data["stages"].values() for c in stage.get("checks", [])}
    lines = ["schema = 1", "[workflow]", f'id = "shipped-{workflow}"', 'version = "1"', "[roles]"]
    for role, spec in data.get("roles", {}).items():
        inner = ", ".join(f"{k} = {_value(v)}" for k, v in spec.items())
        lines.append(f"{role} = {{ {inner} }}")
    lines += ["[stages.gate]", 'title = "Gate"']
    for cid in ids:
        lines.append("[[stages.gate.checks]]")
        lines += [f"{key} = {_value(value)}" for key, value in found[cid].items()]
    lines += ["[stages.closed]", "final = true", ""]
    return "\n".join(lines)


def use_shipped(run, home: Path, workflow: str, *ids: str, project: str = "p1") -> None:
    (home / "workflows" / f"shipped-{workflow}.toml").write_text(shipped_checks(workflow, *ids), encoding="utf-8")
    result = run("new", project, "--workflow", f"shipped-{workflow}")
    assert result.exit_code == 0, result


def check(run, check_id: str, project: str = "p1") -> dict:
    checks = run("check", project, "--json").json()["checks"]
    return next(c for c in checks if c["id"] == check_id)
