"""`coflow plugin new`: a plugin package whose test passes straight away.

The files are written into a temporary folder beside the target and renamed into place,
so a failure leaves nothing half-written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from coflow.errors import UsageError

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

PYPROJECT = '''\
[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "__PACKAGE__"
version = "0.1.0"
description = "A coflow plugin: the __CHECK__ check type."
readme = "README.md"
requires-python = ">=3.10"
# coflow is not on the package index yet: install it first, into the same environment
# (pip install -e /path/to/coflow); pip then uses that copy. No version pin, so a copy
# installed from coflow's source folder always satisfies it.
dependencies = ["coflow"]

[project.optional-dependencies]
test = ["pytest>=7.4"]

# This is what makes coflow load the plugin once the package is installed.
[project.entry-points.coflow]
__ENTRY__ = "__MODULE__"

[tool.hatch.build.targets.wheel]
packages = ["src/__MODULE__"]
# `pip install -e .` points at src/ with a .pth file: no extra build package is needed,
# so `pip install --no-build-isolation -e .` also works without network access.
dev-mode-dirs = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
'''

README = '''\
# __PACKAGE__

A coflow plugin that adds the `__CHECK__` check type.

## Install

coflow is not on the Python package index yet, so install it first, into the same
environment (virtualenv) as this plugin, from its source folder; pip then uses that copy:

    pip install -e /path/to/coflow        # skip if `coflow --version` already works here
    pip install -e .
    coflow plugins            # __ENTRY__ is listed, with the check type it adds

Without network access, `pip install --no-build-isolation -e .` builds with the hatchling
already installed (`pip install hatchling` first if it is not).

If you tried this plugin as a file in a plugins folder first, delete that file now (or take
`plugins_dir` out of coflow.toml): with both, coflow stops with "two plugins are called
'__ENTRY__'".

## Use it in a workflow

```toml
[[stages.planning.checks]]
id = "__CHECK__-done"
type = "__CHECK__"
key = "__CHECK___ref"          # the fact this check looks for
title = "The __CHECK__ record is referenced"
```

`coflow workflow validate` rejects unknown or missing parameters before any project runs.

## Test it

    pip install pytest        # or: pip install -e ".[test]"
    python -m pytest

The tests use coflow's pytest fixtures (`coflow.testing`): `coflow_plugin` registers the
plugin for one test, `coflow_workflow` writes a workflow, `coflow_run` runs coflow, and
`make_view` builds a project view to test the check function on its own.
'''

MODULE = '''\
"""coflow plugin: the `__CHECK__` check type.

Replace the check with your organisation's policy; keep the validate function in step with
the parameters the check reads.
"""

from __future__ import annotations

import coflow

__version__ = "0.1.0"

PARAMS = ("key",)


@coflow.hookimpl
def coflow_register_checks(register):
    register("__CHECK__", check, validate=validate)


def validate(params):
    """Problems with a check's parameters, each as "key: what is wrong"."""
    problems = [f"{key}: unknown parameter; this check type takes: {', '.join(PARAMS)}"
                for key in params if key not in PARAMS]
    key = params.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append('key: missing; expected the name of a fact, such as "dpia_ref"')
    return problems


def check(project, params):
    """Passes when the fact named by `key` has been recorded for the project."""
    key = params["key"]
    value = project.facts.get(key)
    if value in (None, ""):
        return coflow.CheckResult(False, f"no {key!r} recorded yet",
                                  hint=f"coflow record PROJECT {key} VALUE")
    return coflow.CheckResult(True, f"{key} is recorded: {value}")
'''

TEST = '''\
"""Tests for the __CHECK__ check type, using coflow's pytest fixtures (coflow.testing)."""

from coflow.testing import make_view

import __MODULE__ as plugin

WORKFLOW = """
schema = 1
[workflow]
id = "__ENTRY__-demo"
version = "1"
[stages.planning]
[[stages.planning.checks]]
id = "reference"
type = "__CHECK__"
key = "policy_ref"
[stages.done]
final = true
"""


def test_check_fails_until_the_fact_is_recorded():
    assert plugin.check(make_view(), {"key": "policy_ref"}).ok is False
    assert plugin.check(make_view({"policy_ref": "POL-7"}), {"key": "policy_ref"}).ok is True


def test_validate_names_missing_and_unknown_parameters():
    assert plugin.validate({"key": "policy_ref"}) == []
    problems = plugin.validate({"colour": "red"})
    assert any(p.startswith("key:") for p in problems)
    assert any(p.startswith("colour:") for p in problems)


def test_the_check_type_closes_and_opens_a_gate(coflow_plugin, coflow_workflow, coflow_run):
    coflow_plugin(plugin, "__ENTRY__")
    coflow_workflow(WORKFLOW)
    assert coflow_run("new", "p1", "--workflow", "__ENTRY__-demo").exit_code == 0
    closed = coflow_run("check", "p1", "--json")
    assert closed.exit_code == 1
    assert closed.json()["checks"][0]["status"] == "fail"
    assert coflow_run("record", "p1", "policy_ref", "POL-7").exit_code == 0
    assert coflow_run("check", "p1").exit_code == 0


def test_workflow_validate_rejects_bad_parameters(coflow_plugin, coflow_workflow, coflow_run):
    coflow_plugin(plugin, "__ENTRY__")
    path = coflow_workflow(WORKFLOW.replace('key = "policy_ref"', 'colour = "red"'))
    result = coflow_run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert "colour" in result.stderr
'''


def names(name: str) -> dict[str, str]:
    """The package, module, entry-point and check-type names for NAME."""
    slug = name.strip().lower().replace("_", "-")
    slug = slug.removeprefix("coflow-")
    if not NAME_RE.match(slug):
        raise UsageError(f"{name!r} is not a usable plugin name",
                         hint="use lower-case letters, digits and '-', starting with a letter, "
                              "such as payment-rates (the package becomes coflow-payment-rates)")
    return {"__PACKAGE__": f"coflow-{slug}", "__MODULE__": "coflow_" + slug.replace("-", "_"),
            "__ENTRY__": slug.replace("-", "_"), "__CHECK__": slug.replace("-", "_")}


def write_plugin(name: str, directory: Path) -> Path:
    """Write the package into DIRECTORY/coflow-NAME and return that folder."""
    parts = names(name)
    target = directory / parts["__PACKAGE__"]
    if target.exists():
        raise UsageError(f"{target} already exists, so nothing was written",
                         hint="choose another name, or --dir for another folder")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file, not a folder")
    module, entry = parts["__MODULE__"], parts["__ENTRY__"]
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"src/{module}/__init__.py": MODULE,
        f"tests/test_{entry}.py": TEST,
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".coflow-plugin-", dir=directory))
    except OSError as exc:
        raise UsageError(f"cannot create the plugin in {directory}: {exc.strerror}") from None
    try:
        for relative, template in files.items():
            text = template
            for token, value in parts.items():
                text = text.replace(token, value)
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot write the plugin into {target}: {exc.strerror}") from None
    return target
