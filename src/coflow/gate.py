"""Evaluating a gate: every check of the current stage, plugin vetoes, fail closed.

Never stops at the first failure: people need the whole list of what is missing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from coflow import log
from coflow.checks.base import CheckResult, CheckType
from coflow.project import ProjectView
from coflow.workflow.model import CheckSpec, Workflow


@dataclass
class CheckOutcome:
    id: str
    title: str
    status: str  # "pass", "fail", "error"
    severity: str  # "required", "advisory"
    message: str
    hint: str | None = None
    source: str | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == "required" and self.status != "pass"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "status": self.status, "severity": self.severity,
                "message": self.message, "hint": self.hint, "source": self.source}


@dataclass
class GateReport:
    project: str
    workflow: str
    stage: str
    stage_title: str
    next_stage: str | None
    final: bool
    checks: list[CheckOutcome] = field(default_factory=list)
    guidance: str = ""
    workflow_changed: bool = False

    @property
    def passes(self) -> bool:
        """A final stage has nothing to pass; otherwise no required check may fail."""
        return not self.final and not any(c.blocks for c in self.checks)

    @property
    def failing(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.blocks]

    def to_dict(self) -> dict[str, Any]:
        return {"project": self.project, "workflow": self.workflow, "stage": self.stage,
                "passes": self.passes, "checks": [c.to_dict() for c in self.checks],
                "stage_title": self.stage_title, "next_stage": self.next_stage, "final": self.final,
                "workflow_changed": self.workflow_changed}


def _run_with_timeout(check_type: CheckType, view: ProjectView, params: dict, timeout: float) -> Any:
    """Run a plugin check in a daemon thread so a hung check cannot hang the gate."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = check_type.func(view, params)
        except BaseException as exc:  # noqa: BLE001 - reported as an error outcome
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"check-{check_type.name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"took longer than {timeout:g} seconds")
    if "error" in box:
        raise box["error"]
    return box.get("result")


def run_check(spec: CheckSpec, types: dict[str, CheckType], view: ProjectView, timeout: float) -> CheckOutcome:
    outcome = CheckOutcome(spec.id, spec.title, "error", spec.severity, "", spec.hint, spec.source)
    check_type = types.get(spec.type)
    if check_type is None:
        outcome.message = f"no plugin provides the check type {spec.type!r}, so this check cannot be judged"
        outcome.hint = "install the plugin that provides it (see `coflow plugins`)"
        return outcome
    who = "built-in" if check_type.builtin else f"plugin {check_type.plugin!r}"
    try:
        if check_type.builtin:
            result = check_type.func(view, dict(spec.params))
        else:
            result = _run_with_timeout(check_type, view, dict(spec.params), timeout)
    except Exception as exc:  # fail closed: the gate stays shut
        from coflow.log import write_traceback

        log.error("check_failed", check=spec.id, type=spec.type, plugin=check_type.plugin, error=str(exc))
        if not isinstance(exc, TimeoutError):
            log.debug("check_traceback", path=str(write_traceback(None, exc)))
        outcome.message = f"the {who} check type {spec.type!r} failed: {type(exc).__name__}: {exc}"
        outcome.hint = "the gate stays closed until this check can run; tell whoever looks after the plugin"
        return outcome
    if not isinstance(result, CheckResult):
        outcome.message = (f"the {who} check type {spec.type!r} returned {type(result).__name__}, "
                           "not a CheckResult, so this check cannot be judged")
        outcome.hint = "the gate stays closed until the plugin is fixed"
        return outcome
    outcome.status = "pass" if result.ok else "fail"
    outcome.message = result.message or ("passed" if result.ok else "not met")
    if not result.ok:
        outcome.hint = spec.hint or result.hint
    return outcome


def evaluate(view: ProjectView, workflow: Workflow, types: dict[str, CheckType], hook: Any,
             timeout: float) -> GateReport:
    stage = workflow.stages[view.stage]
    report = GateReport(view.id, workflow.id, stage.id, stage.title, stage.next, stage.final,
                        guidance=stage.guidance)
    for spec in stage.checks:
        report.checks.append(run_check(spec, types, view, timeout))
    if not stage.final and hook is not None:
        report.checks.extend(vetoes(view, stage.id, stage.next, hook))
    return report


def vetoes(view: ProjectView, source: str, dest: str | None, hook: Any) -> list[CheckOutcome]:
    """Call every coflow_before_advance; each reason becomes a failed `veto:<plugin>` check."""
    outcomes = []
    for impl in reversed(hook.coflow_before_advance.get_hookimpls()):
        try:
            reason = impl.function(project=view, source=source, dest=dest)
        except Exception as exc:  # fail closed
            reason = f"the plugin's advance check failed: {type(exc).__name__}: {exc}"
            status = "error"
        else:
            status = "fail"
        if reason:
            outcomes.append(CheckOutcome(f"veto:{impl.plugin_name}", f"Plugin {impl.plugin_name} allows the move",
                                         status, "required", str(reason), None, None))
    return outcomes
