"""How commands speak: one JSON document for scripts, plain words for people (no click here:
the light command table prints through this too)."""

from __future__ import annotations

from collections.abc import Iterable

from coflow.cli.app import echo
from coflow.lazy import lazy_pattern

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

STATUS_WORDS = {"pass": "done", "fail": "missing", "error": "cannot check"}
MARKS = {"pass": "[x]", "fail": "[ ]", "error": "[!]"}



def __getattr__(name: str) -> Any:
    """`json_option`, the --json flag, built (with click) only by modules that define commands."""
    if name == "json_option":
        import click

        option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document for scripts.")
        globals()["json_option"] = option
        return option
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def emit_chunks(chunks: Iterable[str], size: int = 1 << 16) -> None:
    """Print text given in pieces (a long list written as it is made), gathered into writes
    of about `size` characters, so neither the whole text nor a write a line is needed."""
    held: list[str] = []
    length = 0
    for chunk in chunks:
        held.append(chunk)
        length += len(chunk)
        if length >= size:
            echo("".join(held), nl=False)
            held, length = [], 0
    if held:
        echo("".join(held), nl=False)


def emit_json(data: Any) -> None:
    """Print one strict JSON document (coflow.jsondoc): values it cannot carry are errors."""
    from coflow.jsondoc import json_document

    echo(json_document(data), nl=False)


_EVIDENCE_FILE = lazy_pattern(r"""--file (?:"[^"]*"|'[^']*'|\S+)""")


def readable_hint(hint: str, project: str) -> str:
    """A hint as a person reads it. An evidence hint's example file name may not exist on
    their computer, and a link or document reference does as well: say both."""
    text = hint.replace("PROJECT", project)
    if "coflow evidence add" in text and _EVIDENCE_FILE.search(text):
        text = _EVIDENCE_FILE.sub("--file PATH-TO-YOUR-FILE", text, count=1)
        text += ", or --ref a link or document reference instead of --file"
    return text


def gate_lines(report: Any, show_hints: bool = True) -> list[str]:
    """A gate report as a checklist a co-production lead can act on."""
    lines = []
    header = f"{report.project}: at stage {report.stage_title!r} ({report.workflow} workflow)"
    lines.append(header)
    moved = getattr(report, "relabelled", None)
    if moved:
        lines.append(f"  Relabelled from the {moved['from']} workflow to {moved['to']} on {str(moved['ts'])[:10]} "
                     f"by {moved['actor']}; reason: {moved['reason']}")
    parents = getattr(report, "workflow_parents_changed", [])
    what = ("the workflow file has changed since this project started" if not parents else
            f"the {' and '.join(parents)} workflow{'s' if len(parents) > 1 else ''} this project's workflow "
            "is built on changed since the project started")
    if report.workflow_changed and report.workflow_file_problem:
        lines.append(f"  Note: {what}, and "
                     f"{report.workflow_file_problem}. Until the file is fixed, the project keeps the version it has.")
    elif report.workflow_changed:
        lines.append(f"  Note: {what}; "
                     f"`coflow migrate {report.project}` would move it to the new version.")
    if report.final:
        lines.append("  This is the final stage: the project is finished.")
        return lines
    if getattr(report, "deadline", None):
        lines.append("  " + deadline_words(report.deadline))
    if not report.checks:
        lines.append("  This stage has no checks.")
    for c in report.checks:
        advisory = " (advisory)" if c.severity == "advisory" else ""
        lines.append(f"  {MARKS.get(c.status, '[?]')} {c.title}{advisory}: {STATUS_WORDS.get(c.status, c.status)}")
        if c.status != "pass":
            lines.append(f"      {c.message}")
            if show_hints and c.hint:
                lines.append(f"      To fix: {readable_hint(c.hint, report.project)}")
    blocking = len(report.failing)
    following = getattr(report, "next_stage_title", None) or report.next_stage
    ways = getattr(report, "ways", None)
    if ways:
        lines.append("  Ways on from here (the first that holds is taken):")
        for way in ways:
            lines.append(f"    {'->' if way['holds'] else '  '} {way['title']} ({way['stage']}), {way['when']}: "
                         f"{'holds' if way['holds'] else 'does not hold yet'}")
    if ways is not None and not any(w["holds"] for w in ways):
        lines.append(f"  Not ready to move on: none of the ways on from here holds yet"
                     f"{f', and {blocking} required check' + ('s' if blocking != 1 else '') + ' not met' if blocking else ''}.")
    elif blocking:
        lines.append(f"  Not ready to move on to {following!r} yet: {blocking} required "
                     f"check{'s' if blocking != 1 else ''} not met.")
    else:
        lines.append(f"  Ready to move on to {following!r}: `coflow advance {report.project}` moves the project there.")
    return lines


def deadline_words(deadline: dict[str, Any]) -> str:
    """A stage's due date and standing in words: due in 5 days, overdue, escalated."""
    left = deadline["days_left"]
    own = " (a date set for this project)" if deadline.get("source") == "set" else ""
    if left >= 0:
        when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
        return f"Due {when}, on {deadline['due']}{own}."
    late = f"{-left} day{'s' if left != -1 else ''} ago"
    if deadline["standing"] == "escalated":
        return f"OVERDUE and ESCALATED: this stage was due on {deadline['due']}, {late}{own}."
    return f"OVERDUE: this stage was due on {deadline['due']}, {late}{own}."


def echo_gate(report: Any) -> None:
    echo("\n".join(gate_lines(report)))
