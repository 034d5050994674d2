"""Small helpers the CLI tests share (fixtures are in conftest.py)."""

from __future__ import annotations


def history(run, project: str = "p1") -> list[dict]:
    """The project's events as `coflow history --json` gives them."""
    return run("history", project, "--json").json()


def history_length(run, project: str = "p1") -> int:
    """How many events the project has: a refused command must leave it unchanged."""
    return len(history(run, project))
