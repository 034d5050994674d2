"""`coflow migrate --all`: every project on a changed workflow, planned and moved together.

Each project is planned as `coflow migrate PROJECT --dry-run` plans it (its workflow file as
it stands now, a renamed stage followed), then moved in its own transaction, so one project
that cannot move (its stage is gone, its file is invalid, it changed underneath) never stops
the others, and is named in the table with the reason.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


# What happened (or would happen) to one project
UP_TO_DATE = "up to date"
MOVES = "moves"
MOVED = "moved"
CANNOT = "cannot move"


def matches(state: Any, workflow: str | None) -> bool:
    """Whether a project runs `workflow`, or a workflow built on it with `extends`."""
    if workflow is None:
        return True
    return state.workflow_id == workflow or any(p.get("id") == workflow for p in state.workflow_parents)


def plan_one(engine: Any, project: str) -> dict[str, Any]:
    """One row of the table: what `migrate` would do to `project`, never raising for it."""
    from coflow.errors import CoflowError

    state = engine.get(project)
    row: dict[str, Any] = {"project": project, "workflow": state.workflow_id, "from_version": state.workflow_version,
                           "to_version": None, "stage": state.stage, "to_stage": None, "result": CANNOT,
                           "now_failing": [], "reason": None}
    try:
        _, current, report = engine.migrate_plan(project)
    except CoflowError as exc:
        row["reason"] = _plain(exc)
        return row
    row.update(to_version=current.version, to_stage=report.stage,
               now_failing=[c.id for c in report.failing] if not report.final else [])
    row["result"] = UP_TO_DATE if current.content_hash == state.workflow_hash else MOVES
    return row


def plan_all(engine: Any, workflow: str | None = None) -> list[dict[str, Any]]:
    """A row for every project (on `workflow`, or built on it, when given), by project id."""
    rows = []
    for project in engine.project_ids():
        state = engine.get(project)
        if matches(state, workflow):
            rows.append(plan_one(engine, project))
    return rows


def migrate_all(engine: Any, actor: str, workflow: str | None = None) -> list[dict[str, Any]]:
    """Move every project the plan says can move; each in its own transaction."""
    from coflow.errors import CoflowError

    rows = plan_all(engine, workflow)
    for row in rows:
        if row["result"] != MOVES:
            continue
        try:
            event, current, report = engine.migrate(row["project"], actor)
        except CoflowError as exc:
            row.update(result=CANNOT, reason=_plain(exc))
            continue
        row.update(result=MOVED if event is not None else UP_TO_DATE, to_version=current.version,
                   to_stage=report.stage, now_failing=[c.id for c in report.failing] if not report.final else [])
    return rows


def _plain(exc: Any) -> str:
    message = exc.message
    return f"{message} ({exc.hint})" if getattr(exc, "hint", None) else message


def table(rows: list[dict[str, Any]], dry_run: bool) -> list[str]:
    """The rows as a plain-text table a person reads: where each project is, what happens to
    it, and the checks of its stage that would then fail."""
    if not rows:
        return ["No projects to migrate."]
    header = ("PROJECT", "WORKFLOW", "VERSION", "STAGE", "RESULT", "CHECKS THAT WOULD FAIL" if dry_run
              else "CHECKS THAT NOW FAIL")
    lines = []
    body = []
    for r in rows:
        version = r["from_version"] if r["to_version"] in (None, r["from_version"]) else \
            f"{r['from_version']} -> {r['to_version']}"
        stage = r["stage"] if r["to_stage"] in (None, r["stage"]) else f"{r['stage']} -> {r['to_stage']}"
        result = "would move" if r["result"] == MOVES else r["result"]
        moving = r["result"] in (MOVES, MOVED)
        failing = (", ".join(r["now_failing"]) or "none") if moving else ("-" if r["result"] == UP_TO_DATE else "")
        body.append((r["project"], r["workflow"], version, stage, result, failing))
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header) - 1)]
    for row in [header, *body]:
        lines.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + str(row[-1]))
    reasons = [r for r in rows if r["result"] == CANNOT]
    if reasons:
        lines.append("")
        lines.append("Could not move:" if not dry_run else "Would not move:")
        lines.extend(f"  {r['project']}: {r['reason']}" for r in reasons)
    return lines
