"""`coflow relabel`: move a project to another workflow, keeping its whole history.

The honest way down: a project started as co-production whose partners did not take part
in delivery can be called co-design from then on. Nothing is rewritten: a `relabelled`
event records the old and new workflow, the stage and the reason; the new workflow is
pinned as `migrate` pins one (stored by its content hash), and the project continues at the
stage of the same id (or the one named), as a new visit to that stage, so its gate (and
its sign-offs) are met under the new workflow's rules.

Moving to a workflow of a higher level than the suitability assessment recommends needs
what claiming that level needs: the target workflow's `involvement_level` checks must pass.
"""

from __future__ import annotations

from coflow.errors import PermissionDenied, UsageError
from coflow.events import RELABELLED
from coflow.pinning import definition_hash

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.storage.base import Transaction


def workflow_level(workflow: Any) -> str | None:
    """The involvement level a workflow stands for: the `level` of its involvement_level checks."""
    for stage in workflow.stages.values():
        for spec in stage.checks:
            if spec.type == "involvement_level" and spec.params.get("level"):
                return str(spec.params["level"])
    return None


def _rank(level: str | None) -> int:
    from coflow.checks.common import LEVELS

    return LEVELS.index(level) if level in LEVELS else -1


def _require_permission(engine: Any, actor: str) -> None:
    if "relabel" not in engine.config.actor(actor).permissions:
        raise PermissionDenied(f"{actor} does not have the relabel permission, so cannot move a project to another workflow",
                               hint=f"ask whoever looks after coflow.toml to add \"relabel\" to the permissions "
                                    f"list under [actors.{actor}], such as: permissions = [\"relabel\"]")


def _target_stage(project: str, state: Any, current: Any, target: Any, stage: str | None) -> str:
    """The stage the project continues at under `target`: `stage`, or the one of the same id."""
    usable = [s for s in target.stage_order if not target.stages[s].final]
    listing = ", ".join(usable) or "none"
    if stage is not None:
        if stage not in target.stages:
            raise UsageError(f"the {target.id} workflow has no stage called {stage!r}",
                             hint=f"its stages are {listing}")
        if target.stages[stage].final:
            raise UsageError(f"{stage!r} is the final stage of the {target.id} workflow: a relabelled project "
                             "continues at a stage with a gate to meet",
                             hint=f"choose one of {listing} with --stage")
        return stage
    if state.stage in target.stages and not target.stages[state.stage].final:
        return state.stage
    here = current.stages[state.stage].title if state.stage in current.stages else state.stage
    raise UsageError(f"the {target.id} workflow has no stage {state.stage!r} ({here}), where project {project} is",
                     hint=f"name the stage it continues at with --stage, one of: {listing}")


def _require_level(engine: Any, state: Any, current: Any, target: Any, stage: str) -> None:
    """A move above the level the current workflow stands for, and above the assessment's
    recommendation, needs what claiming that level needs: the target's involvement checks pass."""
    new, old = workflow_level(target), workflow_level(current)
    if new is None or (old is not None and _rank(new) <= _rank(old)):
        return
    assessment = state.assessment or {}
    if assessment and _rank(new) <= _rank(assessment.get("recommended")):
        return
    from coflow.gate import run_check
    from coflow.project import ProjectView

    trial = state.shallow_copy()
    trial.stage = stage
    trial.workflow_hash = target.content_hash
    if assessment:  # the claim becomes the target's level; a justification for less does not carry over
        keep = _rank(assessment.get("claimed")) >= _rank(new)
        trial.assessment = {**assessment, "claimed": new,
                            "justification": assessment.get("justification") if keep else None}
    view = ProjectView(trial, target)
    specs = [spec for s in target.stages.values() for spec in s.checks if spec.type == "involvement_level"]
    for spec in specs[:1]:
        outcome = run_check(spec, engine.check_types, view, engine.config.check_timeout, engine.config.state_dir)
        if outcome.status != "pass":
            raise UsageError(f"moving {state.id} to {target.id} claims {new}, a higher level than "
                             f"{'it claims now' if not assessment else 'the assessment recommends'}: {outcome.message}",
                             hint=(outcome.hint or f"coflow assess {state.id} --interactive").replace("PROJECT", state.id))


def relabel(engine: Any, project: str, workflow_ref: str, reason: str | None, actor: str,
            stage: str | None = None) -> tuple[Any, Any, Any]:
    """Move `project` to the workflow `workflow_ref`; returns (event, new workflow, gate report)."""
    from coflow.errors import ConcurrentChange
    from coflow.writer import check_project_id

    check_project_id(project)
    _require_permission(engine, actor)
    if not reason or not reason.strip():
        raise UsageError("relabelling needs a reason, and it is kept in the history",
                         hint="add --reason \"why this work is better called by the other name\" "
                              "(no names or personal details)")
    from coflow.names import PLACEHOLDERS

    if reason.strip() in PLACEHOLDERS:
        raise UsageError(f"{reason.strip()!r} stands for the real reason in a hint",
                         hint="say why in your own words, such as --reason \"partners did not help deliver the result\"")
    state = engine.get(project)
    current = engine.pinned_workflow(state)
    target = engine.load_workflow(workflow_ref)
    if target.id == current.id:
        raise UsageError(f"project {project} already runs the {target.id} workflow",
                         hint=f"to move it to a changed file of the same workflow use `coflow migrate {project}`; "
                              "to relabel, name another workflow (see `coflow workflow list`)")
    if current.stages.get(state.stage) is not None and current.stages[state.stage].final:
        raise UsageError(f"project {project} is finished (at its final stage {state.stage!r}): "
                         "its name stands as it was closed", hint="a finished project is not relabelled")
    dest = _target_stage(project, state, current, target, stage)
    _require_level(engine, state, current, target, dest)

    def build(locked: Any, view: Any, tx: Transaction) -> dict:
        if locked.seq != state.seq:
            raise ConcurrentChange(f"project {project} changed while relabelling", hint="run it again")
        tx.save_workflow(target.content_hash, target.id, target.version, target.definition)
        from pathlib import Path

        return {"from": {"id": current.id, "version": current.version, "hash": current.content_hash,
                         "title": current.title, "stage": state.stage, "level": workflow_level(current)},
                "workflow": {"id": target.id, "version": target.version, "hash": target.content_hash,
                             "definition_hash": definition_hash(target.definition),
                             "title": target.title, "level": workflow_level(target),
                             "path": str(Path(target.path).resolve()) if target.path else None,
                             **target.lineage()},
                "stage": dest, "reason": reason.strip()}

    event, new_state = engine.change(project, actor, RELABELLED, build)
    return event, target, engine.evaluate(new_state)


def apply(state: Any, event: Any) -> None:
    """The fold of a `relabelled` event: the new workflow pinned, a new visit to the stage, and
    the level claimed follows the workflow (a claim recorded with the assessment is replaced)."""
    wf = event.data["workflow"]
    state.workflow_id = wf["id"]
    state.workflow_version = wf["version"]
    state.workflow_hash = wf["hash"]
    state.workflow_path = wf.get("path")
    state.workflow_file_hash = wf.get("file_hash")
    state.workflow_parents = list(wf.get("parents", []))
    state.transitions.append({"type": RELABELLED, "seq": event.seq, "ts": event.ts, "actor": event.actor,
                              **event.data})
    if state.assessment and wf.get("level"):
        state.assessment = {**state.assessment, "claimed": wf["level"], "claimed_by_relabel": event.seq}
    state.enter(event.data["stage"], event.ts, RELABELLED, event.seq)


def last(state: Any) -> dict | None:
    """The latest relabelling of a project, for status: {from, to, stage, reason, ts, actor}."""
    for item in reversed(state.transitions):
        if item.get("type") == RELABELLED:
            return {"from": item["from"]["id"], "to": item["workflow"]["id"], "stage": item.get("stage"),
                    "reason": item.get("reason", ""), "ts": item["ts"], "actor": item["actor"]}
    return None


def section(state: Any) -> list[dict]:
    """Every relabelling, oldest first, for reports."""
    return [{"seq": t["seq"], "ts": t["ts"], "actor": t["actor"], "from": t["from"].get("id"),
             "from_title": t["from"].get("title") or t["from"].get("id"), "from_stage": t["from"].get("stage"),
             "to": t["workflow"].get("id"), "to_title": t["workflow"].get("title") or t["workflow"].get("id"),
             "stage": t.get("stage"), "reason": t.get("reason", "")}
            for t in state.transitions if t.get("type") == RELABELLED]
