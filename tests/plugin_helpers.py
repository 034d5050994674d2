"""Helpers for the plugin tests: plugin files, fake installed packages, workflows using them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

DPIA_PLUGIN = '''
import coflow

@coflow.hookimpl
def coflow_register_checks(register):
    register("dpia_registered", dpia_registered, validate=validate)

def validate(params):
    problems = [f"{key}: unknown parameter; dpia_registered takes: prefix" for key in params if key != "prefix"]
    if "prefix" in params and not isinstance(params["prefix"], str):
        problems.append("prefix: expected text, such as \\"DPIA-\\"")
    return problems

def dpia_registered(project, params):
    ref = str(project.facts.get("dpia_ref", ""))
    prefix = params.get("prefix", "DPIA-")
    if not ref.startswith(prefix):
        return coflow.CheckResult(False, "no DPIA reference from the IG register",
                                  hint=f"coflow record PROJECT dpia_ref {prefix}2026-041")
    return coflow.CheckResult(True, f"DPIA {ref} registered")
'''

# A workflow whose one gate uses a check type a plugin provides.
PLUGIN_WORKFLOW = """\
schema = 1
[workflow]
id = "plugged"
version = "1"
title = "Workflow using a plugin check"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "dpia"
type = "{type}"
title = "DPIA registered"
{params}
[stages.delivery]
title = "Delivery"
[stages.closed]
title = "Closed"
final = true
"""


def write_plugin(folder: Path, name: str, code: str) -> Path:
    """Write `name`.py into `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


def write_workflow(home: Path, check_type: str, params: str = "") -> Path:
    path = home / "workflows" / "plugged.toml"
    path.write_text(PLUGIN_WORKFLOW.format(type=check_type, params=params), encoding="utf-8")
    return path


def set_plugins_dir(home: Path, folder: str = "plugins", extra: str = "") -> Path:
    """Point coflow.toml's plugins_dir at home/`folder` (plus any other lines)."""
    config = home / "coflow.toml"
    config.write_text(f'plugins_dir = "{folder}"\n{extra}' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    return home / folder


def fake_package(site: Path, dist: str, version: str, entry_points: dict[str, str],
                 modules: dict[str, str]) -> Path:
    """An installed package as pip leaves it: a .dist-info with entry_points.txt, and modules."""
    info = site / f"{dist}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[console_scripts]\nx = y:z\n\n[coflow]\n{lines}", encoding="utf-8")
    for module, code in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return site


def by_name(rows: list[dict]) -> dict[str, dict]:
    return {row["name"]: row for row in rows}


def run_pytest(folder, timeout: float = 180) -> subprocess.CompletedProcess:
    """pytest in `folder` as its own run (its own rootdir and settings), as an author would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COFLOW_", "PYTEST_"))}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                          capture_output=True, text=True, timeout=timeout, env=env)


def install_to_target(package, tmp_path):
    """Build the package's wheel and install it into a folder of its own (not this environment)."""
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(package)], check=True, capture_output=True, env=env, timeout=300)
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, env=env, timeout=300)
    return site
