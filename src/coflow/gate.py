"""Evaluating a gate: every check of the current stage, plugin vetoes, fail closed.

Never stops at the first failure: people need the whole list of what is missing.
"""

from __future__ import annotations

from pathlib import Path

from coflow import log
from coflow.checks.base import CheckResult, CheckType
from coflow.plain import Plain
from coflow.project import ProjectView, _freeze
from coflow.timelimit import TimeLimitExceeded, call_with_limit
from coflow.workflow.model import CheckSpec, Workflow

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.plugins import PluginManager


class CheckOutcome(Plain):
    _fields = ("id", "title", "status", "severity", "message", "hint", "source")

    def __init__(self, id: str, title: str, status: str, severity: str, message: str, hint: str | None = None,
                 source: str | None = None):
        self.id = id
        self.title = title
        self.status = status  # "pass", "fail", "error"
        self.severity = severity  # "required", "advisory"
        self.message = message
        self.hint = hint
        self.source = source

    @property
    def blocks(self) -> bool:
        return self.severity == "required" and self.status != "pass"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "status": self.status, "severity": self.severity,
                "message": self.message, "hint": self.hint, "source": self.source}

    def stored(self) -> dict[str, Any]:
        """What an `advanced` or `blocked` event keeps of this result: what reports and
        `history` show (id, title, status, message, and severity when not "required"). The
        hint says what to do next and the source is pinned with the workflow, so neither is
        repeated in every event."""
        kept = {"id": self.id, "title": self.title, "status": self.status, "message": self.message}
        if self.severity != "required":
            kept["severity"] = self.severity
        return kept


class GateReport(Plain):
    _fields = ("project", "workflow", "stage", "stage_title", "next_stage", "final", "checks", "guidance",
               "workflow_changed", "workflow_file_problem", "next_stage_title", "relabelled", "ways",
               "deadline", "workflow_parents_changed")

    def __init__(self, project: str, workflow: str, stage: str, stage_title: str, next_stage: str | None,
                 final: bool, checks: list[CheckOutcome] | None = None, guidance: str = "",
                 workflow_changed: bool = False, workflow_file_problem: str | None = None,
                 next_stage_title: str | None = None, relabelled: dict | None = None,
                 ways: list[dict[str, Any]] | None = None, deadline: dict[str, Any] | None = None,
                 workflow_parents_changed: list[str] | None = None):
        self.project = project
        self.workflow = workflow
        self.stage = stage
        self.stage_title = stage_title
        self.next_stage = next_stage
        self.final = final
        self.checks: list[CheckOutcome] = [] if checks is None else checks
        self.guidance = guidance
        self.workflow_changed = workflow_changed
        # Set only when the file changed: why `coflow migrate` could not use it (None: it could).
        self.workflow_file_problem = workflow_file_problem
        self.next_stage_title = next_stage_title  # how people know the next stage ("Closed", not "closed")
        self.relabelled = relabelled  # the latest `coflow relabel`: from, to, stage, reason, ts, actor
        # Only where a stage branches: each way on, in order, and whether it holds now
        self.ways = ways
        # The current stage's due date and standing (coflow.deadlines), when it has one
        self.deadline = deadline
        # The ids of the workflows this one extends whose files changed since the project pinned them.
        self.workflow_parents_changed: list[str] = list(workflow_parents_changed or [])

    @property
    def passes(self) -> bool:
        """A final stage has nothing to pass; otherwise no required check may fail, and where
        the stage branches, one of its ways on must hold."""
        if self.final or any(c.blocks for c in self.checks):
            return False
        return self.ways is None or any(w["holds"] for w in self.ways)

    @property
    def no_way_on(self) -> bool:
        """The checks are met but none of the stage's branches holds."""
        return self.ways is not None and not any(w["holds"] for w in self.ways)

    @property
    def failing(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.blocks]

    def to_dict(self) -> dict[str, Any]:
        """The report for --json: hints name this project, as the text output does."""
        checks = [{**c.to_dict(), "hint": project_hint(c.hint, self.project)} for c in self.checks]
        return {"project": self.project, "workflow": self.workflow, "stage": self.stage,
                "passes": self.passes, "checks": checks,
                "stage_title": self.stage_title, "next_stage": self.next_stage, "final": self.final,
                "workflow_changed": self.workflow_changed, "workflow_file_problem": self.workflow_file_problem,
                "relabelled": self.relabelled, "deadline": self.deadline,
                "workflow_parents_changed": self.workflow_parents_changed,
                **({} if self.ways is None else {"ways": self.ways})}


def project_hint(hint: str | None, project: str) -> str | None:
    """A check's hint with the PROJECT placeholder replaced by the project's id."""
    return hint.replace("PROJECT", project) if hint else hint


# id(spec) -> (spec, its params frozen): a pinned workflow's check parameters never change,
# so `status` over many projects freezes each check's parameters once.
_FROZEN_PARAMS: dict[int, tuple[CheckSpec, Any]] = {}


def _frozen_params(spec: CheckSpec) -> Any:
    held = _FROZEN_PARAMS.get(id(spec))
    if held is None or held[0] is not spec:
        held = _FROZEN_PARAMS[id(spec)] = (spec, _freeze(spec.params))
    return held[1]


def run_check(spec: CheckSpec, types: dict[str, CheckType], view: ProjectView, timeout: float,
              log_dir: Path | None = None) -> CheckOutcome:
    """Run one check, failing closed: an error, a timeout or a wrong answer blocks the gate.

    The message names the plugin and the check; a traceback goes only to a file in `log_dir`.
    Logged at info (seen with -v): the checklist already shows the failure, so nothing is
    added on stderr by default.
    """
    outcome = CheckOutcome(spec.id, spec.title, "error", spec.severity, "", spec.hint, spec.source)
    check_type = types.get(spec.type)
    if check_type is None:
        outcome.message = f"no plugin provides the check type {spec.type!r}, so this check cannot be judged"
        outcome.hint = "install the plugin that provides it (see `coflow plugins`)"
        return outcome
    # Read-only all the way down, so no check can change the pinned workflow for the next one.
    params = _frozen_params(spec)
    try:
        if check_type.builtin:
            result = check_type.func(view, params)
        else:
            result = call_with_limit(check_type.func, (view, params), timeout, f"check-{check_type.name}")
    except (Exception, SystemExit) as exc:  # fail closed: the gate stays shut
        what = _what(spec, check_type)
        if isinstance(exc, TimeLimitExceeded):  # not a TimeoutError the plugin raised itself
            outcome.message = (f"{what} did not finish within {timeout:g} seconds, "
                               "so this check cannot be judged")
            outcome.hint = ("the gate stays closed; check_timeout in coflow.toml sets the limit; "
                            "tell whoever looks after the plugin")
            log.info("check_timed_out", check=spec.id, type=spec.type, plugin=check_type.plugin, seconds=timeout)
            return outcome
        from coflow.log import write_traceback

        details = write_traceback(log_dir, exc)
        log.info("check_failed", check=spec.id, type=spec.type, plugin=check_type.plugin,
                 error=f"{type(exc).__name__}: {exc}", details=str(details))
        outcome.message = f"{what} failed: {type(exc).__name__}: {exc}"
        outcome.hint = (f"the gate stays closed until this check can run; the details are in {details}; "
                        "tell whoever looks after the plugin")
        return outcome
    if not isinstance(result, CheckResult) or not isinstance(result.ok, bool):
        got = ("nothing (None)" if result is None else
               f"a CheckResult whose ok is {result.ok!r}, not True or False" if isinstance(result, CheckResult)
               else f"{type(result).__name__} {result!r}"[:120])
        outcome.message = f"{_what(spec, check_type)} returned {got}, not a CheckResult, so this check cannot be judged"
        outcome.hint = "the gate stays closed until the plugin is fixed; tell whoever looks after it"
        log.info("check_answer_invalid", check=spec.id, type=spec.type, plugin=check_type.plugin)
        return outcome
    outcome.status = "pass" if result.ok else "fail"
    outcome.message = result.message or ("passed" if result.ok else "not met")
    if not result.ok:
        outcome.hint = spec.hint or result.hint
    return outcome


def _what(spec: CheckSpec, check_type: CheckType) -> str:
    """How a message names a check that could not be judged (built only when one could not)."""
    who = "built-in" if check_type.builtin else f"plugin {check_type.plugin!r}"
    return f"the {who} check type {spec.type!r} (check {spec.id!r})"


def evaluate(view: ProjectView, workflow: Workflow, types: dict[str, CheckType], plugins: PluginManager | None,
             timeout: float, log_dir: Path | None = None) -> GateReport:
    """Every check of the current stage, then every plugin's veto (`plugins`: the PluginManager)."""
    stage = workflow.stages[view.stage]
    following = workflow.stages.get(stage.next) if stage.next else None
    report = GateReport(view.id, workflow.id, stage.id, stage.title, stage.next, stage.final,
                        guidance=stage.guidance,
                        next_stage_title=(following.title or following.id) if following else None)
    for spec in stage.checks:
        report.checks.append(run_check(spec, types, view, timeout, log_dir))
    if stage.branches:
        _ways(report, view, workflow)
    if not stage.final and plugins is not None:
        report.checks.extend(vetoes(view, stage.id, report.next_stage, plugins, log_dir))
    return report


def _ways(report: GateReport, view: ProjectView, workflow: Workflow) -> None:
    """Each way on from a branching stage and whether it holds (the machine's answer); the
    next stage is the first that holds."""
    from coflow.machine import open_choices

    passed = {c.id: c.status == "pass" for c in report.checks}
    holding = set(open_choices(workflow, report.stage, passed, view))
    stage = workflow.stages[report.stage]
    report.ways = [{"stage": c.stage, "title": workflow.stages[c.stage].title, "when": c.describe(),
                    "holds": c.stage in holding} for c in stage.choices]
    first = next((w for w in report.ways if w["holds"]), None)
    report.next_stage = first["stage"] if first else None
    report.next_stage_title = first["title"] if first else None


def vetoes(view: ProjectView, source: str, dest: str | None, plugins: PluginManager,
           log_dir: Path | None = None) -> list[CheckOutcome]:
    """Call every coflow_before_advance; each reason becomes a failed `veto:<plugin>` check.

    Fail closed: a hook that raises, or answers with something other than text or None,
    becomes an `error` check of the same id.
    """
    outcomes = []
    for plugin, call in plugins.each("coflow_before_advance"):
        status, reason = "fail", None
        try:
            answers = call(project=view, source=source, dest=dest)
        except (Exception, SystemExit) as exc:
            from coflow.log import write_traceback

            details = write_traceback(log_dir, exc)
            log.info("veto_failed", plugin=plugin, project=view.id, error=f"{type(exc).__name__}: {exc}",
                     details=str(details))
            status = "error"
            reason = (f"plugin {plugin!r} could not decide whether the project may move on: "
                      f"{type(exc).__name__}: {exc} (details in {details})")
        else:
            answer = answers[0] if answers else None
            if isinstance(answer, str) and answer.strip():
                reason = answer.strip()
            elif answer is not None:
                status = "error"
                reason = (f"plugin {plugin!r} answered {_brief(answer)} from coflow_before_advance; "
                          "it must give a reason (text) to stop the move, or None to allow it")
        if reason is not None:
            outcomes.append(CheckOutcome(f"veto:{plugin}", f"Plugin {plugin} allows the move",
                                         status, "required", reason,
                                         None if status == "fail" else "tell whoever looks after the plugin",
                                         None))
    return outcomes


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
