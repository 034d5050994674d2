"""The everyday commands' work: status, check, advance and record, free of click.

The light command table runs these straight from the command line, and the click commands
in coflow.cli.projects call them too (for --help, usage errors and in-process runs), so
both say the same. Each returns the exit code.
"""

from __future__ import annotations

from itertools import chain

from coflow.cli.app import echo
from coflow.cli.output import echo_gate, emit_chunks, emit_json

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def status(app: Any, project: str | None, as_json: bool) -> int:
    """Where PROJECT is and what its gate needs; every project when none is given."""
    engine = app.engine
    if project:
        report = engine.status(project)
        emit_json(report.to_dict()) if as_json else echo_gate(report)
        return 0
    from coflow.every_project import states, workflow_changes

    # One project at a time, written as it goes: memory does not grow with the projects.
    changed = workflow_changes(engine)
    reports = (engine.status_of(state, changed(state)) for state in states(engine))
    if as_json:
        from coflow.jsondoc import json_array_chunks

        emit_chunks(chain(json_array_chunks(r.to_dict() for r in reports), ["\n"]))
        return 0
    lines = (status_line(report) for report in reports)
    first = next(lines, None)
    if first is None:
        echo("No projects yet. Start one with `coflow new PROJECT --workflow coproduction`.")
        return 0
    emit_chunks(chain([first], lines))
    return 0


def status_line(report: Any) -> str:
    """One project's line in `coflow status`: where it is and what its gate needs."""
    if report.final:
        state = "finished"
    elif report.passes:
        state = "gate open: ready to advance"
    elif report.no_way_on and not report.failing:
        state = "none of the ways on holds yet"
    else:
        state = f"{len(report.failing)} required check(s) not met"
    due = report.deadline
    if due and due["standing"] != "due":
        state += f"; {due['standing'].upper()} (due {due['due']})"
    elif due:
        state += f"; due {due['due']}"
    return f"{report.project}: {report.stage_title} ({report.workflow}) - {state}\n"


def check(app: Any, project: str, as_json: bool) -> int:
    """Evaluate PROJECT's gate without changing anything (exit 0 open, 1 closed).

    A finished project (at its final stage) has no gate left: that is exit 0, said plainly.
    """
    report = app.engine.status(project)
    emit_json(report.to_dict()) if as_json else echo_gate(report)
    if report.final:
        echo(f"Nothing to check: {project} is finished (at its final stage {report.stage_title!r}). "
             f"To work on it again, `coflow reopen {project} --to STAGE --reason TEXT`.", err=True)
        return 0
    return 0 if report.passes else 1


def advance(app: Any, project: str, dry_run: bool, override: bool, reason: str | None, to_stage: str | None,
            as_json: bool) -> int:
    """Move PROJECT to its next stage if every required check passes (exit 0 moved, 1 not)."""
    result = app.engine.advance(project, app.actor, dry_run=dry_run, override=override, reason=reason,
                                to=to_stage)
    if as_json:
        emit_json(result.to_dict())
    elif result.override_refused:
        raise app.engine.override_refused_error(result)
    elif result.override_requested:
        echo_gate(result.report)
        echo(f"Override requested: {project} stays at {result.source!r}. This stage needs a second person: "
             "the same command (`coflow advance --override --reason ...`) from a different account with the "
             "override permission completes it. Your request and reason are recorded.")
    else:
        report = result.report
        if report.final:
            echo(f"{project} is at the final stage {report.stage_title!r}: there is nowhere further to go.")
        else:
            echo_gate(report)
            how = " by override" if result.override else ""
            if override and not result.override and result.advanced:
                echo("Every required check passes, so no override is needed; the reason is not recorded.")
            if dry_run:
                echo(f"Dry run: {project} {'would move' if result.advanced else 'would not move'} "
                     f"from {result.source!r} to {result.dest!r}{how}. Nothing was changed.")
            elif result.advanced:
                recorded = (" (recorded with your name, your reason and the checks not met)"
                            if result.override else "")
                echo(f"Advanced {project} from {result.source!r} to {result.dest!r}{how}{recorded}.")
            else:
                if to_stage and not report.failing:
                    echo(f"The way on to {to_stage!r} does not hold now, so {project} cannot go there.")
                elif result.no_way_on:
                    echo(f"None of the ways on from {result.source!r} holds now, so {project} cannot move on.")
                echo(f"Not advanced: {project} stays at {result.source!r}. This attempt is recorded.")
    return 0 if result.advanced else 1


# Words `record` reads as yes or no, in any case (the spreadsheet import reads them so too).
YES_NO = {"yes": True, "true": True, "no": False, "false": False}


def record(app: Any, project: str, key: str, value: str) -> int:
    """Record a fact KEY VALUE (VALUE read as a number, yes/no or date when it looks like one)."""
    from coflow.scalar import parse_scalar

    parsed = YES_NO.get(value.strip().lower())
    if parsed is None:
        parsed = parse_scalar(value)
    app.engine.record_fact(project, key, parsed, app.actor)
    echo(f"Recorded {key} = {shown_value(parsed)} for {project}.")
    close = likely_typo(app.engine, project, key)
    if close:
        echo(f"No check of this workflow uses {key!r}. Did you mean {close!r}?", err=True)
    return 0


def shown_value(value: object) -> str:
    """A recorded value as the user would write it: true/false, a number, a date, or "text"."""
    import datetime as dt
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def likely_typo(engine: Any, project: str, key: str) -> str | None:
    """The fact key a check of the project's workflow uses that `key` looks like a
    misspelling of, if any."""
    import difflib

    used = engine.fact_keys(project)
    if key in used:
        return None
    close = difflib.get_close_matches(key, sorted(used), n=1, cutoff=0.8)
    return close[0] if close else None
