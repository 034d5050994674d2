"""`coflow history` and `coflow verify`: the event log and its hash chain."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json, json_option

# how a session's fields are named when a correction is described
SESSION_FIELDS = {"agenda_coauthors": "agenda co-authors", "attendance": "attendance", "decisions": "decisions made",
                  "paid": "paid or not"}


def describe(event) -> str:
    d = event.data
    kinds = {
        "created": lambda: f"started with the {d['workflow']['id']} workflow at {d['stage']!r}",
        "fact_recorded": lambda: f"recorded {d['key']} = {d['value']!r}",
        "fact_unset": lambda: f"withdrew the fact {d['key']}; reason: {d.get('reason')}",
        "history_break_noted": lambda: (f"wrote on although the history does not verify (event {d.get('broken_at')}: "
                                        f"{d.get('why')}); reason: {d.get('reason')}"),
        "advanced": lambda: (f"moved from {d['from']!r} to {d['to']!r}"
                             + (f" by OVERRIDE (not met: {', '.join(d['override']['failing']) or 'none'}); "
                                f"reason: {d['override']['reason']}" if d.get("override") else "")),
        "blocked": lambda: (f"tried to move on from {d['stage']!r}; " + _blocked_by(d)
                            + (f"; override refused (this stage must be met); reason given: "
                               f"{d['override_refused'].get('reason')}" if d.get("override_refused") else "")),
        "reopened": lambda: f"reopened at {d['to']!r} (from {d['from']!r}); reason: {d['reason']}",
        "due_set": lambda: (f"set the due date of {d['stage']!r} to {d['date']}"
                            + (f" (was {d['was']})" if d.get("was") else "") + f"; reason: {d.get('reason')}"),
        "migrated": lambda: f"moved to {d['workflow']['id']} version {d['workflow']['version']}",
        "relabelled": lambda: (f"relabelled from the {d['from']['id']} workflow (at {d['from']['stage']!r}) to "
                               f"{d['workflow']['id']} version {d['workflow']['version']} at {d['stage']!r}; "
                               f"reason: {d['reason']}"),
        "participant_added": lambda: (f"added participant {d['id']} ({d.get('role') or 'partner'}"
                                      + (", lived experience" if d.get("lived_experience") else "") + ")"),
        "participant_updated": lambda: f"updated participant {d['id']}",
        "participant_forgotten": lambda: f"erased the personal details of {d['id']}; reason: {d.get('reason')}",
        "session_recorded": lambda: (f"recorded session {d['id']} on {d.get('date')} ({d.get('format')}, "
                                     f"{len(d.get('attendance') or [])} attended)"),
        "session_updated": lambda: (f"corrected session {d['id']}: "
                                    + (", ".join(SESSION_FIELDS.get(k, k) for k in d.get("changes") or {})
                                       or "nothing")),
        "attendance_recorded": lambda: f"recorded attendance at {d['session']}: {', '.join(d.get('participants') or [])}",
        "payment_recorded": lambda: f"recorded payment {d['id']} to {d.get('participant')}: {d.get('status')}",
        "payment_updated": lambda: f"updated payment {d['id']}",
        "evidence_added": lambda: f"added evidence {d['id']} ({d.get('kind')})",
        "evidence_updated": lambda: (f"corrected evidence {d['id']}: "
                                     + ", ".join(f"{k} = {v!r}" for k, v in (d.get("changes") or {}).items())
                                     + f"; reason: {d.get('reason')}"),
        "evidence_withdrawn": lambda: f"withdrew evidence {d['id']}; reason: {d.get('reason')}",
        "feedback_recorded": lambda: f"recorded \"you said, we did\" item {d['id']} ({d.get('status')})",
        "feedback_updated": lambda: f"updated \"you said, we did\" item {d['id']}",
        "signed_off": lambda: f"signed off {d.get('stage')!r} as {d.get('role')}",
        "assessed": lambda: (f"recorded the suitability assessment: recommends {d.get('recommended')}"
                             + (f", claims {d['claimed']}" if d.get("claimed") else "")),
    }
    text = kinds.get(event.type)
    try:
        return text() if text else event.type.replace("_", " ")
    except (KeyError, TypeError):  # an older or plugin-written event: say what it is, never crash
        return event.type.replace("_", " ")


@click.command()
@click.argument("project")
@json_option
@click.pass_obj
def history(app, project: str, as_json: bool) -> None:
    """Every event of PROJECT, oldest first."""
    events = app.engine.history(project)
    if as_json:
        emit_json([e.as_dict() for e in events])
        return
    for e in events:
        who = f"{e.actor} (recorded by {e.account})" if e.recorded_for else e.actor
        click.echo(f"{e.seq:>4}  {e.ts[:19].replace('T', ' ')}  {who:<12} {describe(e)}")


def _integrity_error(broken: dict[str, tuple[int, str]], what: str):
    """One error naming the first broken project and event; the rest as details."""
    from coflow.errors import IntegrityError

    (first, (seq, why)), *rest = sorted(broken.items())
    error = IntegrityError(f"the history of project {first} {what} from event {seq}: {why}", first, seq,
                           hint="do not change anything; restore the store from a backup and compare, "
                                "and tell whoever looks after coflow here")
    error.details = [f"project {p} {what} from event {s}: {w}" for p, (s, w) in rest]
    return error


@click.command()
@click.argument("project", required=False)
@click.option("--anchor", "make_anchor", is_flag=True,
              help="Print each project's latest event number and hash, to keep somewhere else.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="With --anchor: write the anchor to this file instead of the screen.")
@click.option("--against", "against", type=click.Path(dir_okay=False),
              help="Check the store against an anchor file written earlier by --anchor.")
@click.option("--digest", help="With --against: the digest quoted in the board papers; the file must match it.")
@json_option
@click.pass_context
def verify(ctx, project: str | None, make_anchor: bool, output: str | None, against: str | None,
           digest: str | None, as_json: bool) -> None:
    """Check the hash chain of PROJECT (or every project): exit 0 intact, 5 broken.

    --anchor writes down where each history ends now; keep it away from the store (board
    papers, an email). --against FILE later proves nothing up to those points was rewritten.
    """
    from coflow.errors import UsageError

    if make_anchor and against:
        raise UsageError("--anchor and --against do different things; use one at a time",
                         hint="--anchor writes an anchor now; --against checks the store against an old one")
    if output and not make_anchor:
        raise UsageError("-o/--output goes with --anchor", hint="coflow verify --anchor -o anchor.txt")
    if digest and not against:
        raise UsageError("--digest goes with --against", hint="coflow verify --against anchor.txt --digest sha256:...")
    engine = ctx.obj.engine
    if against:
        _verify_against(engine, project, against, digest, as_json)
    elif make_anchor:
        _write_anchor(engine, project, output, as_json)
    else:
        _verify_chains(engine, project, as_json)


def _verify_chains(engine, project: str | None, as_json: bool) -> None:
    results, files = engine.verify_with_evidence(project)
    broken = {p: r for p, r in results.items() if r is not None}
    file_problems = [(p, f) for p, found in sorted(files.items()) for f in found if f["why"]]
    if as_json:
        emit_json({"intact": not broken, "evidence_files_ok": not file_problems, "projects": [
            {"project": p, "intact": r is None, "first_bad_seq": r[0] if r else None, "why": r[1] if r else None,
             "evidence": _evidence_json(files.get(p, []))}
            for p, r in sorted(results.items())]})
    else:
        for p, r in sorted(results.items()):
            line = f"{p}: intact" if r is None else f"{p}: NOT INTACT from event {r[0]}: {r[1]}"
            _echo_with_files(line, files.get(p, []), indent="")
        if not results:
            click.echo("No projects to verify.")
    if broken:
        error = _integrity_error(broken, "does not verify")
        error.details += [_file_problem(p, f) for p, f in file_problems]
        raise error
    if file_problems:
        raise _evidence_error(file_problems)


def _evidence_json(checked: list[dict]) -> dict:
    return {"files_checked": len(checked), "files_ok": not any(f["why"] for f in checked), "files": checked}


def _echo_with_files(line: str, checked: list[dict], indent: str = "  ") -> None:
    """A project's line, with how many evidence files were checked and each one that fails."""
    if checked:
        bad = sum(1 for f in checked if f["why"])
        line += (f"; {_files(len(checked))} checked, " + ("all match" if not bad else f"{bad} with problems"))
    click.echo(line)
    for f in checked:
        if f["why"]:
            click.echo(f"{indent}  evidence {_evidence_name(f)}: {f['why']}")


def _files(count: int) -> str:
    return f"{count} evidence file{'s' if count != 1 else ''}"


def _evidence_name(found: dict) -> str:
    return f"{found['id']} ({found['file']})" if found.get("file") else str(found["id"])


def _file_problem(project: str, found: dict) -> str:
    return f"project {project}, evidence {_evidence_name(found)}: {found['why']}"


def _evidence_error(problems: list[tuple[str, dict]]):
    """One error naming the first evidence file that is missing or changed; the rest as details."""
    from coflow.errors import StoreError

    (project, first), *rest = problems
    return StoreError(_file_problem(project, first),
                      hint="the history itself verifies; restore the evidence folder (.coflow/evidence) "
                           "from a backup: each file there is named by its SHA-256 fingerprint, such as "
                           f"{first['sha256']}",
                      details=[_file_problem(p, f) for p, f in rest])


def _write_anchor(engine, project: str | None, output: str | None, as_json: bool) -> None:
    from coflow.anchor import write_file
    from coflow.jsondoc import json_document

    broken = {p: r for p, r in engine.verify(project).items() if r is not None}
    if broken:
        error = _integrity_error(broken, "does not verify")
        error.hint = "no anchor was written: it would vouch for a broken history. " + error.hint
        raise error
    anchor = engine.anchor(project)
    content = json_document(anchor.to_dict()) if as_json else anchor.to_text()
    if output is None:
        click.echo(content, nl=False)
        return
    write_file(output, content)
    if as_json:
        emit_json({**anchor.to_dict(), "file": output})
        return
    count = len(anchor.heads)
    click.echo(f"Wrote the anchor for {count} project{'s' if count != 1 else ''} to {output}.")
    click.echo(f"Quote this line in the board papers or an email: coflow anchor {anchor.created[:10]} digest {anchor.digest}")


def _verify_against(engine, project: str | None, path: str, digest: str | None, as_json: bool) -> None:
    from coflow.anchor import parse_anchor, read_file
    from coflow.errors import UsageError

    anchor = parse_anchor(read_file(path), source=f"the anchor file {path}")
    if digest is not None and digest.strip().removeprefix("sha256:") != anchor.digest.removeprefix("sha256:"):
        raise UsageError(f"the anchor file {path} is not the one whose digest you gave: it has {anchor.digest}",
                         hint="find the copy whose digest matches the board papers; nothing was checked")
    records: dict[str, list[dict]] = {}
    findings = engine.verify_against(anchor, project, records)
    anchored = {f.project for f in findings}
    others = {} if project else {p: r for p, r in engine.verify(None, records).items() if p not in anchored}
    files = engine.check_evidence_files(records)
    file_problems = [(p, f) for p, found in sorted(files.items()) for f in found if f["why"]]
    broken = {f.project: (f.bad_seq, f.message) for f in findings if not f.ok}
    broken.update({p: r for p, r in others.items() if r is not None})
    if as_json:
        emit_json({"intact": not broken, "evidence_files_ok": not file_problems,
                   "anchor": {"file": path, "created": anchor.created, "digest": anchor.digest,
                              "projects": len(anchor.heads)},
                   "projects": [{**f.to_dict(), "evidence": _evidence_json(files.get(f.project, []))}
                                for f in findings] + [
                       {"project": p, "anchored_seq": None, "matches": None,
                        "first_bad_seq": r[0] if r else None, "later_events": None, "why": r[1] if r else None,
                        "evidence": _evidence_json(files.get(p, []))}
                       for p, r in sorted(others.items())]})
    else:
        click.echo(f"Checking against the anchor taken {anchor.created[:16].replace('T', ' ')} UTC ({anchor.digest}):")
        for f in findings:
            line = (f"  {f.project}: {f.message}" if f.ok else
                    f"  {f.project}: NOT AS ANCHORED from event {f.bad_seq}: {f.message}")
            _echo_with_files(line, files.get(f.project, []))
        for p, r in sorted(others.items()):
            line = (f"  {p}: not in the anchor (started after it was taken); "
                    + ("its history verifies" if r is None else f"NOT INTACT from event {r[0]}: {r[1]}"))
            _echo_with_files(line, files.get(p, []))
    if broken:
        error = _integrity_error(broken, "does not verify")
        error.details += [_file_problem(p, f) for p, f in file_problems]
        raise error
    if file_problems:
        raise _evidence_error(file_problems)
    if not as_json:
        click.echo("Nothing up to the anchored events has been changed.")


def _blocked_by(d: dict) -> str:
    """Why an advance was stopped: the checks not met, a branch that did not hold, or a veto."""
    if d.get("failing"):
        return f"blocked by {', '.join(d['failing'])}"
    if d.get("no_way_on"):
        return "blocked: none of the ways on from there held"
    if d.get("to"):
        return f"blocked: the way on to {d['to']!r} did not hold"
    return "blocked by a veto"
