"""Markdown rendering of the report dicts: readable as plain text, tidy when rendered.

Recorded text is escaped so that nothing anyone typed into a record (`|`, `*`, `<script>`,
a newline) can break a table or turn into markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from coflow.report import words as w

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# Characters that could start markup; an underscore inside a word (report_ref) cannot.
_SPECIAL = re.compile(r"([\\`*\[\]<>|#~]|(?<!\w)_|_(?!\w)|&(?=#?\w+;))")


def md(value: Any) -> str:
    """Recorded text made safe for one Markdown line or table cell."""
    return _md_text("" if value is None else str(value))


@lru_cache(maxsize=4096)  # the portfolio repeats the same titles for thousands of projects
def _md_text(text: str) -> str:
    text = " ".join(text.split())  # newlines and tabs would break a table row
    if _SPECIAL.search(text):
        text = _SPECIAL.sub(r"\\\1", text)
    return w.isolate(text)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table; cells are already escaped (or built from safe words)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) if cell not in (None, "") else "-" for cell in row) + " |"
              for row in rows]
    return [*lines, ""]


def _summary(r: dict) -> list[str]:
    p, stage, part = r["project"], r["project"]["stage"], r["participation"]
    since = w.stage_since(r)
    rec, fb = r["recognition"], r["feedback"]
    integrity = r["integrity"]
    history = ("intact: every event matches its hash" if integrity["intact"]
               else f"BROKEN at event {integrity['first_bad_seq']}: {md(integrity['why'])}")
    lines = [
        "## At a glance", "",
        f"- **Stage now:** {md(stage['title'])}{since}",
        f"- **Started:** {w.day(p['created'])}",
        f"- **Gates passed:** {len(r['gates'])}, of which {len(r['overrides'])} by override",
        f"- **Reopened:** {w.plural(len(r['reopenings']), 'time')}",
        f"- **People taking part:** {w.people_line(part)}",
        f"- **Sessions:** {r['sessions']['count']} ({w.number(r['sessions']['hours'])} hours)",
        f"- **Payments:** {w.plural(rec['count'], 'payment')}, {w.money(rec['total_recognised'], r.get('currency'))} paid or given as vouchers, "
        f"{w.money(rec['total_pending'], r.get('currency'))} waiting",
        f"- **You said, we did:** {w.plural(fb['count'], 'item')}, {fb['open']} waiting for a response"
        + (f" ({fb['overdue']} for more than {r['overdue_days']} days)" if fb["overdue"] else ""),
        f"- **Evidence:** {w.plural(r['evidence']['count'], 'item')}",
        f"- **History check:** {history}",
        "",
    ]
    if r.get("added_after_finish"):
        count = len(r["added_after_finish"])
        lines.insert(-1, f"- **Added after it finished:** {w.plural(count, 'record')} (listed under "
                         "\"Added after the project finished\")")
    return lines


def _timeline(r: dict) -> list[str]:
    lines = ["## Timeline", ""]
    rows = [(md(v["title"]), w.day(v["entered"]), "now" if v["current"] else w.day(v["left"]),
             w.duration(v["seconds"]) + (" so far" if v["current"] else ""), w.word(w.HOW, v["how"]))
            for v in r["timeline"]]
    lines += table(["Stage", "Entered", "Left", "Time there", "How it got there"], rows)
    if any(t["visits"] > 1 for t in r["time_by_stage"]):
        lines += ["Total time in each stage, adding up every visit:", ""]
        lines += table(["Stage", "Visits", "Total time"],
                       [(md(t["title"]), t["visits"], w.duration(t["seconds"])) for t in r["time_by_stage"]])
    return lines


def _checks(checks: list[dict]) -> list[str]:
    if not checks:
        return ["This gate had no checks.", ""]
    return table(["Check", "Result", "Details"],
                 [(md(c["title"]), w.check_status(c), md(c["message"])) for c in checks])


def _current(r: dict) -> list[str]:
    gate = r["current_gate"]
    if gate is None:
        return []
    lines = ["## Where the project stands now", ""]
    if gate["final"]:
        return [*lines, "The project is at its final stage: there is no gate left to pass.", ""]
    state = "open: every required check is met" if gate["passes"] else \
        f"closed: {w.plural(len(gate['failing']), 'required check')} not met yet"
    if not gate["passes"] and not gate["failing"] and gate.get("ways"):
        state = "closed: none of the ways on from here holds yet"
    lines += [f"The gate out of {md(gate['title'])} is {state}.", ""]
    if gate.get("deadline"):
        lines += [deadline_line(gate["deadline"]), ""]
    if gate.get("ways"):
        lines += ["The ways on from here, tried in order (the first that holds is taken):", ""]
        lines += [f"- {md(way['title'])}, {md(way['when'])}: {'holds' if way['holds'] else 'does not hold yet'}"
                  for way in gate["ways"]]
        lines.append("")
    return lines + _checks(gate["checks"])


def _gates(r: dict) -> list[str]:
    lines = ["## Gates passed", ""]
    if not r["gates"]:
        return [*lines, "No gate has been passed yet.", ""]
    for g in r["gates"]:
        lines += [f"### {md(g['from_title'])} to {md(g['to_title'])}, {w.day(g['ts'])}", ""]
        lines.append(f"Moved on by {md(w.who(g))}"
                     + (" **by override**." if g["override"] else ", with every required check met."))
        if g["override"]:
            lines.append(f"Reason given: {md(g['override']['reason'])}")
        if g["blocked_attempts"]:
            lines.append(f"Before this, {w.plural(g['blocked_attempts'], 'attempt')} to move on "
                         f"{'was' if g['blocked_attempts'] == 1 else 'were'} stopped by the gate.")
        lines += ["", "The checks as they stood when the gate was passed:", ""]
        lines += _checks(g["checks"])
        if g["signoffs"]:
            signed = "; ".join(f"{md(s['role_title'])}: {md(w.signer(s))} on {w.day(s['ts'])}" for s in g["signoffs"])
            lines += [f"Signed off by: {signed}.", ""]
        else:
            lines += ["No sign-offs were recorded for this gate.", ""]
    return lines


def _exceptions(r: dict) -> list[str]:
    lines = ["## Overrides and reopenings", ""]
    lines += ["### Overrides", ""]
    if r["overrides"]:
        lines += ["An override moves a project on although some required checks were not met. "
                  "Each one is recorded with who did it and why.", ""]
        lines += table(["Date", "Gate", "By", "Reason", "Checks not met"],
                       [(w.day(o["ts"]), f"{md(o['stage_title'])} to {md(o['to_title'])}", md(w.who(o)),
                         md(o["reason"]), "; ".join(md(f["title"]) for f in o["failing"]))
                        for o in r["overrides"]])
    else:
        lines += ["No gate was overridden.", ""]
    lines += ["### Reopenings", ""]
    if r["reopenings"]:
        lines += table(["Date", "From", "Back to", "By", "Reason"],
                       [(w.day(o["ts"]), md(o["from_title"]), md(o["to_title"]), md(w.who(o)), md(o["reason"]))
                        for o in r["reopenings"]])
    else:
        lines += ["The project was never sent back to an earlier stage.", ""]
    if r["migrations"]:
        lines += ["### Workflow changes", ""]
        lines += table(["Date", "By", "From version", "To version"],
                       [(w.day(m["ts"]), md(w.who(m)), md(m["from_version"]), md(m["to_version"]))
                        for m in r["migrations"]])
    if r.get("relabellings"):
        lines += ["### Relabelled", "",
                  "The work was moved to another workflow, keeping its history: from then on it is "
                  "called by the new workflow's name and judged by its gates.", ""]
        lines += table(["Date", "By", "From", "To", "Continued at", "Reason"],
                       [(w.day(m["ts"]), md(w.who(m)), f"{md(m['from_title'])} ({md(m['from_stage'])})",
                         md(m["to_title"]), md(m["stage"]), md(m["reason"]))
                        for m in r["relabellings"]])
    if r.get("added_after_finish"):
        lines += ["### Added after the project finished", "",
                  "These were recorded while the project stood at its final stage. They are part of "
                  "the history, but came after the work was reported finished.", ""]
        lines += table(["Date", "Event", "What", "By"],
                       [(w.day(a["ts"]), str(a["seq"]), md(a["what"]), md(a["actor"]))
                        for a in r["added_after_finish"]])
    return lines


def _participation(r: dict) -> list[str]:
    p = r["participation"]
    lines = ["## Who took part", ""]
    if not p["total"]:
        return [*lines, "No participants have been recorded yet.", ""]
    needs = p["access_needs"]
    lines += [
        f"- {w.plural(p['total'], 'person', 'people')} recorded; {p['took_part']} attended at least one session.",
        f"- {p['lived_experience']} with lived experience ({w.percent(p['lived_experience_share'])}).",
        f"- Access needs: {w.plural(needs['recorded'], 'person', 'people')} with recorded needs; "
        f"{needs['met']} had them met.",
        f"- Inducted: {p['inducted']}; trained: {p['trained']}.",
    ]
    if p.get("withdrawn"):
        lines.append(f"- {w.plural(p['withdrawn'], 'person', 'people')} withdrew; what they did before "
                     "still counts, and nobody expects more of them.")
    if p["erased"]:
        lines.append(f"- {w.plural(p['erased'], 'person', 'people')} asked for their personal data to be erased; "
                     "their part in the project still counts.")
    lines.append("")
    for title, key, name in (("Roles", "by_role", "title"), ("Groups reached", "groups", "group"),
                             ("How people were recruited", "routes", "route"),
                             ("Lived-experience categories", "categories", "category")):
        if p[key]:
            lines += [f"### {title}", ""]
            lines += table(["", "People"], [(md(row[name]), row["count"]) for row in p[key]])
    if p.get("small_numbers_note"):
        lines += [md(p["small_numbers_note"]), ""]
    lines += ["### People", ""]
    if not r["names_included"]:
        lines += ["Names are left out; people are shown by their project id.", ""]
    headers = ["Person", *(["Name"] if r["names_included"] else []), "Role", "Lived experience", "Sessions attended"]
    rows = []
    for person in p["people"]:
        who = f"{md(person['id'])} ({w.ERASED_LABEL})" if person["erased"] and not r["names_included"] else md(person["id"])
        if person.get("withdrawn"):
            who += f" (withdrew {person['withdrawn']})"
        rows.append((who, *([md(person["name"])] if r["names_included"] else []), md(person["role_title"]),
                     w.yes_no(person["lived_experience"]), person["sessions_attended"]))
    return lines + table(headers, rows)


def _sessions(r: dict) -> list[str]:
    s = r["sessions"]
    lines = ["## Sessions", ""]
    if not s["count"]:
        return [*lines, "No sessions have been recorded yet.", ""]
    formats = ", ".join(f"{f['count']} {w.word(w.FORMATS, f['format'])}" for f in s["formats"])
    lines += [f"{w.plural(s['count'], 'session')}, {w.number(s['hours'])} hours in all: {formats}. "
              f"{s['coauthored']} with an agenda written together with partners; "
              f"{s['with_decisions']} where decisions were made.", ""]
    return lines + table(["Date", "Session", "Format", "Hours", "Attended", "With lived experience", "Decisions made"],
                         [(w.day(i["date"]), md(i["title"]), w.word(w.FORMATS, i["format"]), w.number(i["hours"]),
                           i["attended"], i["lived_experience_attended"], w.yes_no(i["decisions"]))
                          for i in s["items"]])


def _recognition(r: dict) -> list[str]:
    rec = r["recognition"]
    lines = ["## Payments and recognition", ""]
    if not rec["count"]:
        return [*lines, "No payments have been recorded yet.", ""]
    lines += [f"{w.money(rec['total_recognised'], r.get('currency'))} paid or given as vouchers to "
              f"{w.plural(rec['people_recognised'], 'person', 'people')}; {w.money(rec['total_pending'], r.get('currency'))} waiting to be paid.", ""]
    lines += table(["Status", "Payments", "Amount"],
                   [(w.word(w.PAYMENT_STATUS, s["status"]), s["count"], w.money(s["amount"], r.get('currency'))) for s in rec["by_status"]])
    if rec["expenses"]["by_status"]:
        lines += table(["Expenses", "Claims", "Amount"],
                       [(w.word(w.EXPENSES_STATUS, s["status"]), s["count"], w.money(s["amount"], r.get('currency')))
                        for s in rec["expenses"]["by_status"]])
    if rec["overdue"]:
        lines += [f"Overdue (more than {r['overdue_days']} days):", ""]
        lines += [f"- {md(o['id'])} for {md(o['participant'])}: {o['what']} since {w.day(o['since'])} ({o['days']} days)"
                  for o in rec["overdue"]]
        lines.append("")
    return lines + table(["Date", "Payment", "Person", "Amount", "Status", "Expenses"],
                         [(w.day(i["date"]), md(i["id"]), md(i["participant"]), w.money(i["amount"], r.get('currency')),
                           w.word(w.PAYMENT_STATUS, i["status"]) + w.waited(i),
                           f"{w.money(i['expenses'], r.get('currency'))} ({w.word(w.EXPENSES_STATUS, i['expenses_status'])})"
                           if i["expenses"] else "-")
                          for i in rec["items"]])


def _feedback(r: dict) -> list[str]:
    f = r["feedback"]
    lines = ["## You said, we did", ""]
    if not f["count"]:
        return [*lines, "No feedback has been recorded yet.", ""]
    lines += [f"{w.plural(f['count'], 'item')}; {f['open']} still waiting for a response.", ""]
    rows = []
    for i in f["items"]:
        did = "; ".join(part for part in (md(i["response"]), f"why: {md(i['reason'])}" if i["reason"] else "") if part)
        rows.append((w.day(i["date"]), md(i["said"]), did, w.feedback_status(i)))
    return lines + table(["Date", "You said", "We did", "Status"], rows)


def _evidence(r: dict) -> list[str]:
    e = r["evidence"]
    lines = ["## Evidence", ""]
    if not e["count"]:
        return [*lines, "No evidence has been recorded yet.", ""]
    lines += ["A SHA-256 fingerprint changes if even one byte of the file changes, so anyone can check "
              "that a file is the one recorded.", ""]
    if e.get("files_not_matching"):
        lines += [f"**{w.plural(e['files_not_matching'], 'stored file')} no longer "
                  f"{'matches' if e['files_not_matching'] == 1 else 'match'} what was recorded.**", ""]
    if e.get("withdrawn"):
        lines += [f"Withdrawn: {w.plural(e['withdrawn'], 'item')}, added by mistake and withdrawn with a reason. "
                  "They stay here and in the history, but no check counts them.", ""]
    return lines + table(["Date", "Evidence", "Kind", "File or reference", "SHA-256", "Stored file"],
                         [(w.day(i["date"]), _evidence_name(i),
                           md(i["kind"]), md(i["file"] or i["ref"]), f"`{i['sha256']}`" if i["sha256"] else "-",
                           i.get("file_check_text") or "-")
                          for i in e["items"]])


def _evidence_name(i: dict) -> str:
    shown = f"{md(i['id'])}: {md(i['title'])}" if i["title"] else md(i["id"])
    if i.get("withdrawn"):
        shown += f" (**withdrawn** {w.day(i['withdrawn']['ts'])}: {md(i['withdrawn']['reason'])})"
    if i.get("corrections"):
        shown += f" (corrected {w.plural(i['corrections'], 'time')})"
    return shown


def _involvement(r: dict) -> list[str]:
    inv = r["involvement"]
    lines = ["## Level of involvement", ""]
    if inv is None:
        return [*lines, "The suitability assessment has not been recorded yet.", ""]
    lines += [f"- **Recommended by the assessment:** {md(inv['recommended'])}",
              f"- **Claimed:** {md(inv['claimed']) if inv['claimed'] else 'not claimed yet'}",
              "", w.COMPARISON.get(inv["comparison"], ""), ""]
    if inv["justification"]:
        lines += [f"Justification given: {md(inv['justification'])}", ""]
        after = inv.get("signed_after_justification") or []
        lines += [("Signed off after the justification was recorded by: "
                   + ", ".join(f"{md(o['actor'])} ({md(o['role'])}, {w.day(o['ts'])})" for o in after) + ".")
                  if after else "Nobody has signed off since the justification was recorded.", ""]
    if inv["held_back_by"]:
        lines += ["What held the level back: " + ", ".join(w.criterion(c) for c in inv["held_back_by"]) + ".", ""]
    if inv["scores"]:
        lines += table(["Criterion", "Score (0 to 2)", "Notes"],
                       [(w.criterion(k), v, md(inv["notes"].get(k, ""))) for k, v in inv["scores"].items()])
    return lines


def _about(r: dict) -> list[str]:
    i = r["integrity"]
    lines = ["## About this report", "",
             f"Made by coflow on {w.day(r['generated'])} from the project's history of {w.plural(i['events'], 'event')}."]
    if i["intact"]:
        lines.append(f"The history was checked when this report was made: every event matches its hash. "
                     f"The latest event is number {i['head_seq']}, with hash `{i['head_hash']}`.")
    else:
        lines.append(f"**Warning:** the history does not verify from event {i['first_bad_seq']}: {md(i['why'])}. "
                     "Parts of this report may rest on changed records.")
    lines.append("")
    return lines


def render_project(r: dict) -> str:
    p = r["project"]
    wf = p["workflow"]
    lines = [f"# Accountability report: {md(p['id'])}", "",
             f"{md(wf['title'])} (workflow {md(wf['id'])}, version {md(wf['version'])}). "
             f"Report made on {w.day(r['generated'])}.", ""]
    for part in (_summary, _timeline, _path, _current, _gates, _exceptions, _participation, _sessions, _recognition,
                 _feedback, _evidence, _involvement, _about):
        lines += part(r)
    return "\n".join(lines).rstrip() + "\n"


def deadline_line(d: dict) -> str:
    """The current stage's due date and standing, in words."""
    own = " (a date set for this project)" if d.get("source") == "set" else ""
    if d["standing"] == "escalated":
        return f"**Overdue and escalated:** the stage was due on {w.day(d['due'])}{own}."
    if d["standing"] == "overdue":
        return f"**Overdue:** the stage was due on {w.day(d['due'])}{own}."
    return f"The stage is due on {w.day(d['due'])}{own}."


def _path(r: dict) -> list[str]:
    """The project's path through its workflow: passed, here, not reached; branches taken."""
    path = r.get("path") or {}
    if not path.get("stages"):
        return []
    words = {"passed": "passed", "current": "here now", "not_reached": "not reached"}
    lines = ["## The way through the workflow", ""]
    lines += [f"{i}. {md(s['title'])}: {words[s['state']]}" for i, s in enumerate(path["stages"], 1)]
    branches = [t for t in path.get("taken", []) if t.get("branch")]
    if branches:
        lines.append("")
        for t in branches:
            others = ", ".join(md(o) for o in t.get("others") or []) or "none"
            lines.append(f"- From {md(t['from_title'])} the project went to {md(t['to_title'])} "
                         f"({md(t['when'] or '')}); the other ways: {others}.")
    return [*lines, ""]


def render_portfolio(r: dict) -> str:
    from coflow.report.portfolio_text import render

    return render(r, "md")
