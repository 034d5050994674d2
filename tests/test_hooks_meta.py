"""Every hook is the public contract below, has a test, and is documented in docs/hooks.md.

A new hook in hookspecs.py fails here, naming it, until a test called
`test_hook_<hook name>_...` exercises it and docs/hooks.md has a section for it.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from coflow import hookspecs

REPO = Path(__file__).resolve().parent.parent
HOOKS = sorted(name for name, value in vars(hookspecs).items()
               if name.startswith("coflow_") and hasattr(value, "coflow_spec"))

# The table of hooks: names and argument names are a public contract (docs/hooks.md).
CONTRACT = {
    "coflow_register_checks": ["register"],
    "coflow_register_storage": ["register"],
    "coflow_register_notifiers": ["register"],
    "coflow_register_records": ["register"],
    "coflow_before_advance": ["project", "source", "dest"],
    "coflow_after_advance": ["project", "event"],
    "coflow_workflow_dirs": [],
    "coflow_register_commands": ["cli"],
}


def test_hookspecs_are_exactly_the_design_contract():
    found = {name: list(inspect.signature(getattr(hookspecs, name)).parameters) for name in HOOKS}
    assert found == CONTRACT


def function_names(path: Path) -> set[str]:
    """Names of every test function in tests/ (by reading the files, not importing them)."""
    names = set()
    for file in path.glob("test_*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


TEST_NAMES = function_names(REPO / "tests")
DOCS = (REPO / "docs" / "hooks.md").read_text(encoding="utf-8")
DOC_HEADINGS = re.findall(r"^## `(coflow_\w+)\(([^)]*)\)`$", DOCS, re.MULTILINE)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    tests = [name for name in TEST_NAMES if name.startswith(f"test_hook_{hook}")]
    assert tests, f"hook {hook} has no test; name one test_hook_{hook}_... (in tests/)"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_signature(hook):
    documented = dict(DOC_HEADINGS)
    assert hook in documented, f"hook {hook} has no section in docs/hooks.md (## `{hook}(...)`)"
    args = [a.strip() for a in documented[hook].split(",") if a.strip()]
    assert args == CONTRACT[hook], f"docs/hooks.md gives {hook}({documented[hook]})"


def test_docs_describe_no_hook_that_does_not_exist():
    assert sorted(name for name, _ in DOC_HEADINGS) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_has_a_docstring_saying_when_it_is_called(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert re.search(r"\bcalled\b", doc, re.IGNORECASE) and ":return:" in doc, \
        f"{hook}: its docstring must say when it is called and what it returns"
