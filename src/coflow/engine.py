"""The engine: projects, gates and the advance transaction.

Knows no click: the CLI calls it, it calls workflows, the fold, checks (via plugins) and the
store. Appending to a project (store, fold, pinned workflow, outbox) is coflow.writer's job;
the engine adds what decides a move and what checks integrity. Every change to a project is read-evaluate-append inside one write transaction, with
the expected sequence number as a second guard, so racing commands queue and never both land.
"""

from __future__ import annotations

from pathlib import Path

from coflow import events as ev
from coflow import log
from coflow.errors import GateBlocked, PermissionDenied, UsageError
from coflow.events import Event
from coflow.gate import GateReport, evaluate
from coflow.lazy import lazy_pattern
from coflow.plain import Plain
from coflow.project import ProjectState, ProjectView
from coflow.verifier import Verifier
from coflow.workflow.model import Workflow
from coflow.writer import check_project_id, fold

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.storage.base import Transaction

__all__ = ["AdvanceResult", "Engine", "check_project_id", "fold"]

FACT_KEY_RE = lazy_pattern(r"^[A-Za-z_][A-Za-z0-9_.-]{0,79}$")


def stage_after_migration(stage: str, workflow: Workflow) -> str | None:
    """Where a project at `stage` stands in `workflow`: the same stage, the stage it was
    renamed to ([workflow] renamed), or None when the workflow has neither."""
    if stage in workflow.stages:
        return stage
    renamed = workflow.renamed.get(stage)
    return renamed if renamed in workflow.stages else None


class AdvanceResult(Plain):
    _fields = ("report", "advanced", "source", "dest", "event", "override", "dry_run", "override_refused",
               "no_way_on", "override_requested")

    def __init__(self, report: GateReport, advanced: bool, source: str, dest: str | None,
                 event: Event | None = None, override: bool = False, dry_run: bool = False,
                 override_refused: bool = False, no_way_on: bool = False):
        self.report = report
        self.advanced = advanced
        self.source = source
        self.dest = dest
        self.event = event
        self.override = override
        self.dry_run = dry_run
        self.override_refused = override_refused  # --override asked where the stage forbids it
        self.no_way_on = no_way_on  # the gate is met (or overridden) but none of its branches holds
        self.override_requested = False  # the override waits for a second account (override_needs_second)

    def to_dict(self) -> dict[str, Any]:
        data = self.report.to_dict()
        data.update({"advanced": self.advanced, "from": self.source, "to": self.dest,
                     "stage": self.dest if self.advanced and not self.dry_run else self.source,
                     "override": self.override, "dry_run": self.dry_run,
                     "override_refused": self.override_refused, "override_requested": self.override_requested})
        if self.report.ways is not None:
            data["no_way_on"] = self.no_way_on
        return data


class Engine(Verifier):
    """A Writer (coflow.writer) that checks integrity (coflow.verifier) and decides moves:
    advance, reopen, migrate."""

    # -- workflows ------------------------------------------------------------------------

    def workflow_changed(self, state: ProjectState) -> bool:
        """True when the pinned workflow's file, or a file of a workflow it extends, now
        holds something else."""
        from coflow.filedigest import file_sha256

        if not state.workflow_path:
            return False
        try:
            digest = file_sha256(state.workflow_path)
        except OSError:
            return False
        return digest != (state.workflow_file_hash or state.workflow_hash) or bool(self.parents_changed(state))

    def parents_changed(self, state: ProjectState) -> list[str]:
        """The ids of the workflows the project's workflow extends whose files have changed
        (or gone) since the project pinned them."""
        from coflow.filedigest import file_sha256

        changed = []
        for parent in state.workflow_parents:
            try:
                same = file_sha256(str(parent["path"])) == parent["hash"]
            except (OSError, KeyError, TypeError):
                same = False
            if not same:
                changed.append(str(parent.get("id")))
        return changed

    # -- reading projects -----------------------------------------------------------------

    def notifications(self, status: str | None = None) -> list[Any]:
        """The outbox rows (one status, or all), oldest first."""
        return self.store.outbox(status)

    def evaluate(self, state: ProjectState) -> GateReport:
        workflow = self.pinned_workflow(state)
        report = evaluate(self.view(state), workflow, self.check_types, self.plugins,
                          self.config.check_timeout, self.config.state_dir)
        from coflow.deadlines import deadline

        due = deadline(state, workflow)
        report.deadline = due.to_dict() if due else None
        return report

    def set_due(self, project_id: str, date: str, stage: str | None, reason: str | None, actor: str) -> Event:
        """Set or move the project's own due date for a stage (its current one by default)."""
        from coflow.deadlines import build_due

        event, _state = self.change(project_id, actor, ev.DUE_SET,
                                    build_due(project_id, date, stage, reason, self.pinned_workflow))
        return event

    def status(self, project_id: str) -> GateReport:
        return self.status_of(self.get(project_id))

    def status_of(self, state: ProjectState, workflow_changed: bool | None = None) -> GateReport:
        """Where a folded project is and what its gate needs (`status`, one or every project);
        `workflow_changed` when the caller already knows it (coflow.every_project)."""
        report = self.evaluate(state)
        report.workflow_changed = self.workflow_changed(state) if workflow_changed is None else workflow_changed
        from coflow.relabel import last

        report.relabelled = last(state)
        if report.workflow_changed:
            report.workflow_parents_changed = self.parents_changed(state)
            report.workflow_file_problem = self.changed_workflow_problem(state)
        return report

    def progress(self, state: ProjectState) -> tuple[Workflow, Any]:
        """A project's pinned workflow and where it stands on it (for live diagrams): the way
        it came and how many required checks of its stage are not met."""
        from coflow.machine import route
        from coflow.workflow.graph import Progress

        workflow = self.pinned_workflow(state)
        report = self.evaluate(state)
        return workflow, Progress(route(state.timeline), len(report.failing))

    def changed_workflow_problem(self, state: ProjectState) -> str | None:
        """Why `migrate` could not move the project to its changed workflow file; None if it could.

        Validates the file, so it is asked only once the file is known to have changed.
        """
        from coflow.errors import CoflowError

        if not state.workflow_path:
            return None
        try:
            current = self.load_workflow(state.workflow_path)
        except CoflowError:
            return f"it is currently invalid: see what is wrong with `coflow workflow validate {state.workflow_path}`"
        if state.stage not in current.stages and current.renamed.get(state.stage) not in current.stages:
            return f"it no longer has the stage {state.stage!r}, where the project is"
        return None

    def history(self, project_id: str) -> list[Event]:
        return self.get(project_id).events

    # -- writing --------------------------------------------------------------------------

    def create(self, project_id: str, workflow_ref: str, actor: str) -> ProjectState:
        check_project_id(project_id)
        workflow = self.load_workflow(workflow_ref)
        with self.writing() as tx:
            if tx.events(project_id):
                raise UsageError(f"a project called {project_id!r} already exists",
                                 hint="choose another id, or see it with `coflow status " + project_id + "`")
            tx.save_workflow(workflow.content_hash, workflow.id, workflow.version, workflow.definition)
            data = {"workflow": {"id": workflow.id, "version": workflow.version, "hash": workflow.content_hash,
                                 "definition_hash": _definition_hash(workflow.definition),
                                 "title": workflow.title,
                                 "path": str(Path(workflow.path).resolve()) if workflow.path else None,
                                 **workflow.lineage()},
                    "stage": workflow.first_stage}
            state = self._append(tx, ProjectState(project_id), actor, ev.CREATED, data)
        log.info("project_created", project=project_id, actor=actor, stage=state.stage, workflow=workflow.id)
        self.deliver_notifications()
        return state

    def fact_keys(self, project_id: str) -> set[str]:
        """The fact keys the checks of a project's pinned workflow use (no history folded)."""
        row = self.store.project(project_id)
        definition = self.store.workflow_definition(row.workflow_hash) if row else None
        stages = (definition or {}).get("stages", {}).values()
        return {str(check["key"]) for stage in stages for check in stage.get("checks", [])
                if isinstance(check, dict) and isinstance(check.get("key"), str)}

    def record_fact(self, project_id: str, key: str, value: Any, actor: str) -> Event:
        if not FACT_KEY_RE.match(key or ""):
            raise UsageError(f"{key!r} is not a usable fact name",
                             hint="use letters, digits and '_' (start with a letter), such as dpia_ref")
        if isinstance(value, str) and not value.strip():
            raise UsageError(f"the value for {key!r} is empty", hint="give the value to record")
        from coflow.names import PLACEHOLDERS

        if isinstance(value, str) and value.strip() in PLACEHOLDERS:
            raise UsageError(f"{value.strip()!r} stands for the real value in a hint",
                             hint=f"type what is true in its place: coflow record {project_id} {key} followed by "
                                  "the real value (in quotes when it has spaces)")
        event, _ = self.change(project_id, actor, ev.FACT_RECORDED, lambda s, v, tx: {"key": key, "value": value})
        return event

    def advance(self, project_id: str, actor: str, dry_run: bool = False, override: bool = False,
                reason: str | None = None, to: str | None = None) -> AdvanceResult:
        """Move on if the gate allows; where the stage branches, to the first way on that holds
        (or to `to`, when that is one of the ways and it holds)."""
        check_project_id(project_id)
        if override:
            self._require_override(actor, reason)
        if dry_run:
            state = self.get(project_id)
            return self._decide(state, override, dry_run=True, to=to)
        with self.writing() as tx:
            state = self._locked_state(tx, project_id)
            result = self._decide(state, override, dry_run=False, to=to)
            if result.report.final:
                return result
            checks = [c.stored() for c in result.report.checks]
            request = self._second_override(state, result)
            data: dict[str, Any]
            if result.override_requested:
                data = {"stage": result.source, "to": result.dest, "reason": (reason or "").strip(),
                        "failing": [c.id for c in result.report.failing]}
                state = self._append(tx, state, actor, "override_requested", data)
            elif not result.advanced:
                data = {"stage": result.source, "failing": [c.id for c in result.report.failing], "checks": checks}
                if result.override_refused:
                    data["override_refused"] = {"reason": (reason or "").strip(),
                                                "why": "the workflow sets allow_override = false for this stage"}
                if to is not None:
                    data["to"] = to
                if result.no_way_on:
                    data["no_way_on"] = True
                state = self._append(tx, state, actor, ev.BLOCKED, data)
            else:
                data = {"from": result.source, "to": result.dest, "checks": checks}
                if result.override:
                    data["override"] = {"reason": (reason or "").strip(), "failing": [c.id for c in result.report.failing]}
                    if request is not None:  # approved by this second account; both are kept
                        data["override"]["requested"] = {"seq": request.seq, "actor": request.actor,
                                                         "account": request.account or request.actor,
                                                         "reason": request.data.get("reason")}
                state = self._append(tx, state, actor, ev.ADVANCED, data)
            latest = state.latest
            assert latest is not None  # just appended
            result.event = latest
        log.info("advanced" if result.advanced else "blocked", project=project_id, actor=actor,
                 stage=state.stage, source=result.source, dest=result.dest, override=result.override)
        if result.advanced:
            self._after_advance(state, latest)
        self.deliver_notifications()
        return result

    def _second_override(self, state: ProjectState, result: AdvanceResult) -> Event | None:
        """Where the stage sets override_needs_second, an override moves the project only when
        another account asked for it first at this visit: returns that request. Otherwise the
        result becomes a request (recorded, moving nothing)."""
        if not (result.advanced and result.override):
            return None
        stage = self.pinned_workflow(state).stages[result.source]
        if not getattr(stage, "override_needs_second", False):
            return None
        me = self.account
        for event in reversed(state.events):
            if event.seq <= state.stage_entered_seq:
                break
            if event.type == "override_requested" and (event.account or event.actor) != me:
                return event
        result.advanced, result.override, result.override_requested = False, False, True
        return None

    @staticmethod
    def override_refused_error(result: AdvanceResult) -> GateBlocked:
        """What to tell a person whose --override the stage forbids (exit 1); a real attempt
        is kept as a `blocked` event, a dry run records nothing."""
        kept = ("this was a dry run, so nothing was recorded" if result.dry_run
                else "the attempt is kept in the history")
        return GateBlocked(f"the {result.report.stage_title} gate cannot be overridden: it must be met",
                           hint=f"the workflow sets allow_override = false for this stage; {kept}",
                           details=[f"not met: {c.title}" for c in result.report.failing])

    def _require_override(self, actor: str, reason: str | None) -> None:
        if "override" not in self.config.actor(actor).permissions:
            raise PermissionDenied(f"{actor} does not have the override permission, so cannot move a project past its gate",
                                   hint=f"ask whoever looks after coflow.toml to add the line "
                                        f"permissions = [\"override\"] under [actors.{actor}] "
                                        "(adding that table if it is not there)")
        if not reason or not reason.strip():
            raise UsageError("an override needs a reason, and it is kept in the history",
                             hint="add --reason \"why the project must move on without these checks\" "
                                  "(no names or personal details)")

    def _decide(self, state: ProjectState, override: bool, dry_run: bool, to: str | None = None) -> AdvanceResult:
        from coflow.machine import advance_to

        workflow = self.pinned_workflow(state)
        view = self.view(state)
        report = evaluate(view, workflow, self.check_types, self.plugins, self.config.check_timeout,
                          self.config.state_dir)
        stage = workflow.stages[state.stage]
        result = AdvanceResult(report, False, stage.id, to or report.next_stage, dry_run=dry_run)
        if stage.final:
            return result
        if to is not None and to not in [c.stage for c in stage.choices]:
            ways = ", ".join(c.stage for c in stage.choices)
            raise UsageError(f"{to!r} is not a way on from {stage.id!r}, where project {state.id} is",
                             hint=f"the ways on from {stage.id!r} are: {ways}; "
                                  f"see which holds with `coflow status {state.id}`")
        blocking = any(c.blocks for c in report.checks)
        use_override = override and blocking
        if use_override and not stage.allow_override:
            result.override_refused = True
            use_override = False
        allowed = not blocking or use_override
        result.override = use_override
        # The workflow's state machine decides whether the project moves, and where to.
        passed = {c.id: c.status == "pass" for c in report.checks}
        dest = advance_to(workflow, stage.id, allowed, passed, view, to)
        result.advanced = dest is not None
        result.dest = dest or result.dest
        result.no_way_on = allowed and dest is None and report.no_way_on and not result.override_refused
        return result

    def reopen(self, project_id: str, to: str, reason: str, actor: str) -> Event:
        """Return to an earlier stage the project passed through; its gates are met again from there."""
        if not reason or not reason.strip():
            raise UsageError("reopening needs a reason", hint="add --reason \"what needs doing again\"")

        def build(state: ProjectState, view: ProjectView, tx: Transaction) -> dict:
            from coflow.machine import can_reopen, route

            workflow = self.pinned_workflow(state)
            way = route(state.timeline)
            returnable = [s for s in dict.fromkeys(way[:-1]) if can_reopen(workflow, state.stage, s, way)]
            can = f"{project_id} can return to: {', '.join(returnable) or 'no stage yet'}"
            if to not in workflow.stages:
                raise UsageError(f"the {workflow.id} workflow has no stage called {to!r}",
                                 hint=f"its stages are {', '.join(workflow.stage_order)}; {can}")
            if not can_reopen(workflow, state.stage, to, way):  # the machine's rule: back the way it came
                order = workflow.stage_order
                if to == state.stage:
                    raise UsageError(f"project {project_id} is already at {to!r}", hint=can)
                if to in way[:-1]:
                    raise UsageError(f"the {workflow.id} workflow has no way back from {state.stage!r} to {to!r}; "
                                     "reopening only goes back the way the project came", hint=can)
                if to in order and state.stage in order and order.index(to) > order.index(state.stage):
                    raise UsageError(f"{to!r} comes after {state.stage!r}, where project {project_id} is; "
                                     "reopening only goes back",
                                     hint=f"to move on, meet the gate and run `coflow advance {project_id}`; {can}")
                raise UsageError(f"project {project_id} has not passed through {to!r} on its way to "
                                 f"{state.stage!r}, so it cannot be reopened there", hint=can)
            return {"from": state.stage, "to": to, "reason": reason.strip()}

        event, state = self.change(project_id, actor, ev.REOPENED, build)
        return event

    def migrate_plan(self, project_id: str) -> tuple[ProjectState, Workflow, GateReport]:
        """What `migrate` would do: the current file, and the gate as it would then stand."""
        state = self.get(project_id)
        pinned = self.pinned_workflow(state)
        ref = state.workflow_path if state.workflow_path and Path(state.workflow_path).is_file() else pinned.id
        current = self.load_workflow(ref)
        stage = stage_after_migration(state.stage, current)
        if stage is None:
            raise GateBlocked(f"the current {current.id} workflow has no stage {state.stage!r}, where project {project_id} is",
                              hint=f"keep the stage in the file, or say what it is called now in [workflow]: "
                                   f"renamed = {{ {state.stage} = \"NEW-NAME\" }}")
        trial = state.shallow_copy()
        trial.workflow_hash = current.content_hash
        trial.stage = stage
        self._workflows.setdefault(current.content_hash, current)
        report = evaluate(ProjectView(trial, current), current, self.check_types, self.plugins,
                          self.config.check_timeout, self.config.state_dir)
        return state, current, report

    def migrate(self, project_id: str, actor: str) -> tuple[Event | None, Workflow, GateReport]:
        state, current, report = self.migrate_plan(project_id)
        if current.content_hash == state.workflow_hash:
            return None, current, report

        def build(locked: ProjectState, view: ProjectView, tx: Transaction) -> dict:
            if locked.seq != state.seq:
                from coflow.errors import ConcurrentChange

                raise ConcurrentChange(f"project {project_id} changed while migrating", hint="run it again")
            tx.save_workflow(current.content_hash, current.id, current.version, current.definition)
            data = {"from": {"id": state.workflow_id, "version": state.workflow_version, "hash": state.workflow_hash},
                    "workflow": {"id": current.id, "version": current.version, "hash": current.content_hash,
                                 "definition_hash": _definition_hash(current.definition),
                                 "path": state.workflow_path, **current.lineage()},
                    "now_failing": [c.id for c in report.failing]}
            if report.stage != state.stage:  # the stage was renamed: the visit goes on under its new name
                data["renamed"] = {"from": state.stage, "to": report.stage}
            return data

        event, _ = self.change(project_id, actor, ev.MIGRATED, build)
        return event, current, report

    # -- internals ------------------------------------------------------------------------

    def _after_advance(self, state: ProjectState, event: Event) -> None:
        """Call every coflow_after_advance; a failure is logged and never undoes the advance."""
        hooks = self.plugins.each("coflow_after_advance")
        if not hooks:
            return
        view = self.view(state)
        for plugin, call in hooks:
            try:
                call(project=view, event=event.as_dict())
            except Exception as exc:  # never undo a committed transition
                details = log.write_traceback(self.config.state_dir, exc)
                log.warning("after_advance_failed", plugin=plugin, project=state.id,
                            error=f"{type(exc).__name__}: {exc}", details=str(details))


def _definition_hash(definition: Any) -> str:
    from coflow.pinning import definition_hash  # only when a workflow is pinned

    return definition_hash(definition)
