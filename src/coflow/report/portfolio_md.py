"""The portfolio overview in Markdown: its opening (totals and stage groups) and each
project's part, rendered separately so `report --all` can write a project at a time."""

from __future__ import annotations

from coflow.report import words as w
from coflow.report.markdown import deadline_line, md, table


def head_lines(r: dict) -> list[str]:
    """Everything before the first project (the whole text when there are none)."""
    t = r["totals"]
    lines = ["# Portfolio overview", "", f"Made by coflow on {w.day(r['generated'])}.", ""]
    if not t["projects"]:
        return [*lines, "There are no projects yet. Start one with `coflow new`.", ""]
    lines += [f"- **Projects:** {t['projects']} ({t['finished']} finished)",
              f"- **Gates not yet open:** {t['blocked']}",
              f"- **Projects with overdue items** (more than {r['overdue_days']} days): {t['with_overdue']}"]
    if t["unreadable"]:
        lines.append(f"- **Projects that could not be read:** {t['unreadable']}")
    if t["broken_history"]:
        lines.append(f"- **Projects whose history does not verify:** {t['broken_history']}")
    if t.get("workflow_changed"):
        lines.append(f"- **Projects whose workflow file has changed since they were pinned:** {t['workflow_changed']}")
    due = r.get("deadlines") or {}
    if due.get("past_due"):
        lines.append(f"- **Stages past their due date:** {due['past_due']} (escalated: {due.get('escalated', 0)})")
    lines += ["", "## Projects by stage", ""]
    lines += table(["Workflow", "Stage", "Projects"],
                   [(md(g["workflow_title"]), md(g["title"]), ", ".join(md(x) for x in g["projects"]))
                    for g in r["by_stage"]])
    return [*lines, "## Each project", ""]


def project_lines(p: dict) -> list[str]:
    """One project's part, ending with an empty line."""
    lines = [f"### {md(p['id'])}", ""]
    if p["error"]:
        return [*lines, f"This project could not be read: {md(p['error'])}", ""]
    lines.append(f"- At **{md(p['stage_title'])}** ({md(p['workflow_title'])}); last activity "
                 f"{w.day(p['last_activity'])} ({w.plural(p['days_since_activity'] or 0, 'day')} ago).")
    if p["intact"] is False:
        lines.append("- **The history of this project does not verify.** Run `coflow verify`.")
    if p.get("workflow_changed"):
        lines.append("- Its workflow file has changed since the project was pinned to it; "
                     f"`coflow migrate {md(p['id'])} --dry-run` shows what changed.")
    if p.get("deadline"):
        lines.append(f"- {deadline_line(p['deadline'])}")
    if p["final"]:
        lines.append("- Finished." + (f" {w.plural(p['added_after_finish'], 'record')} added since it "
                                      "finished (see its report)." if p.get("added_after_finish") else ""))
    elif p["failing"]:
        lines.append("- The gate to the next stage is closed; not met yet: "
                     + "; ".join(md(c["title"]) for c in p["failing"]) + ".")
    else:
        lines.append("- The gate to the next stage is open.")
    for o in p["overdue"]:
        lines.append(f"- Overdue: {md(o['id'])}, {o['what']} since {w.day(o['since'])} ({o['days']} days).")
    if p["open_feedback"] or p["pending_payments"]:
        lines.append(f"- Waiting: {w.plural(p['open_feedback'], 'feedback item')} without a response, "
                     f"{w.plural(p['pending_payments'], 'payment')} not yet made.")
    return [*lines, ""]
