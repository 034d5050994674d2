"""pytest fixtures for coflow plugin authors, registered as a pytest plugin (``pytest11``).

Installed with coflow, so any test can use them without a conftest.py:

- ``coflow_home``: a fresh coflow folder (coflow.toml, the SQLite store, workflows/), set
  as COFLOW_HOME for the test, so subprocesses find it too.
- ``coflow_plugin``: ``coflow_plugin(obj, name=None)`` registers a plugin object (a module,
  class or instance with ``@coflow.hookimpl`` functions) for this test only.
- ``coflow_workflow``: ``coflow_workflow(toml_text)`` writes a workflow file into the home.
- ``coflow_run``: ``coflow_run("check", "p1", "--json")`` runs the coflow command line in
  this process and returns ``.exit_code``, ``.stdout``, ``.stderr`` and ``.json()``.
- ``coflow_engine`` and ``coflow_store``: the engine and store of the home, for setting up
  records without the command line (``coflow_engine.change(...)``).
- ``make_view(...)``: a read-only project view from plain dicts, to unit-test a check
  function without any store.
- ``StoreConformance``: the store conformance suite; subclass it as ``Test...`` with a
  ``store_url`` fixture to run every test a coflow store must pass (docs/storage.md).

Kept import-light: this module loads in every pytest run where coflow is installed, so
it imports nothing of coflow until a fixture is used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pytest

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.engine import Engine
    from coflow.project import ProjectView


def __getattr__(name: str) -> Any:
    """``StoreConformance`` and ``SnapshotConformance`` load only when a test module asks for them."""
    if name == "StoreConformance":
        from coflow.store_conformance import StoreConformance

        return StoreConformance
    if name == "SnapshotConformance":
        from coflow.snapshot_conformance import SnapshotConformance

        return SnapshotConformance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RunResult:
    """What one coflow command did: exit code, stdout, stderr."""

    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"<RunResult exit={self.exit_code} stdout={self.stdout[-300:]!r} stderr={self.stderr[-300:]!r}>"


@pytest.fixture
def coflow_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh coflow folder with coflow.toml, an empty SQLite store and workflows/."""
    from click.testing import CliRunner

    from coflow.cli.main import cli

    for name in ("COFLOW_STORE", "COFLOW_HOME", "COFLOW_TRACE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COFLOW_ACTOR", "tester")
    folder = tmp_path / "coflow-home"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    if result.exit_code != 0:
        raise RuntimeError(f"coflow init failed: {result.output}")
    import pwd

    # Tests act as named people (COFLOW_ACTOR=tester, actor="amensah"): the account running
    # them may record for others.
    account = pwd.getpwuid(os.geteuid()).pw_name
    config = folder / "coflow.toml"  # a dotted key at the top: tables may still be added below
    config.write_text(f'actors.{account}.permissions = ["record_for_others"]\n' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    monkeypatch.setenv("COFLOW_HOME", str(folder))
    return folder


@pytest.fixture
def coflow_plugin() -> Iterator[Callable[..., str]]:
    """Register plugin objects for one test: ``coflow_plugin(obj, name=None) -> name``.

    Every coflow run or engine built afterwards in this test sees them, whatever
    COFLOW_LOAD_PLUGINS says; they are unregistered when the test ends.
    """
    from coflow import plugins

    names: list[str] = []

    def register(plugin: object, name: str | None = None) -> str:
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        plugins.add_plugin(plugin, name)
        names.append(name)
        return name

    yield register
    for name in names:
        plugins.remove_plugin(name)


@pytest.fixture
def coflow_workflow(coflow_home: Path) -> Callable[..., Path]:
    """Write a workflow into the home: ``coflow_workflow(toml_text) -> path``."""
    from coflow import toml

    def write(text: str, filename: str | None = None) -> Path:
        if filename is None:
            try:
                meta = toml.loads(text).get("workflow", {})
            except toml.TOMLDecodeError as exc:
                raise ValueError(f"the workflow text is not valid TOML: {exc}") from None
            filename = f"{meta.get('id', 'test-workflow')}.toml"
        path = coflow_home / "workflows" / filename
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def coflow_run(coflow_home: Path) -> Callable[..., RunResult]:
    """Run coflow in this process against ``coflow_home``: ``coflow_run("status", "p1")``."""
    from click.testing import CliRunner

    from coflow.cli.main import cli

    def run(*args: str, input: str | None = None, actor: str | None = None,
            env: Mapping[str, str] | None = None) -> RunResult:
        argv = ["--home", str(coflow_home)] + (["--actor", actor] if actor else [])
        result = CliRunner().invoke(cli, [*argv, *map(str, args)], input=input, env=dict(env or {}),
                                    catch_exceptions=False)
        return RunResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def coflow_engine(coflow_home: Path) -> Iterator[Engine]:
    """The engine of ``coflow_home`` (register plugins with coflow_plugin before using it)."""
    from coflow import config
    from coflow.engine import Engine

    engine = Engine(config.load(coflow_home))
    yield engine
    store = engine.__dict__.get("store")
    if store is not None and hasattr(store, "close"):
        store.close()


@pytest.fixture
def coflow_store(coflow_engine: Engine) -> Any:
    """The store of ``coflow_home``."""
    return coflow_engine.store


def make_view(facts: Mapping[str, Any] | None = None, *, participants: Iterable[Mapping] = (),
              sessions: Iterable[Mapping] = (), payments: Iterable[Mapping] = (),
              evidence: Iterable[Mapping] = (), feedback: Iterable[Mapping] = (),
              signoffs: Iterable[Mapping] = (), stage: str = "planning", project_id: str = "test-project",
              workflow_id: str = "test-workflow") -> ProjectView:
    """A read-only project view, as checks get it, built from plain dicts.

    Records without an ``id`` get one (P-001, S-001, PAY-001, E-001, F-001).
    """
    from coflow.project import ProjectState, ProjectView

    def keyed(records: Iterable[Mapping], prefix: str) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for number, record in enumerate(records, start=1):
            data = dict(record)
            data.setdefault("id", f"{prefix}-{number:03d}")
            out[data["id"]] = data
        return out

    state = ProjectState(project_id, workflow_id=workflow_id, workflow_version="1", stage=stage,
                         facts=dict(facts or {}), participants=keyed(participants, "P"),
                         sessions=keyed(sessions, "S"), payments=keyed(payments, "PAY"),
                         evidence=keyed(evidence, "E"), feedback=keyed(feedback, "F"),
                         signoffs=[dict(s) for s in signoffs])
    return ProjectView(state)
