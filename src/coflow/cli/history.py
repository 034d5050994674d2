"""`coflow history` and `coflow verify`: the event log and its hash chain."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json, json_option


def describe(event) -> str:
    d = event.data
    kinds = {
        "created": lambda: f"started with the {d['workflow']['id']} workflow at {d['stage']!r}",
        "fact_recorded": lambda: f"recorded {d['key']} = {d['value']!r}",
        "advanced": lambda: (f"moved from {d['from']!r} to {d['to']!r}"
                             + (f" by OVERRIDE: {d['override']['reason']}" if d.get("override") else "")),
        "blocked": lambda: f"tried to move on from {d['stage']!r}; blocked by {', '.join(d['failing']) or 'a veto'}",
        "reopened": lambda: f"reopened at {d['to']!r}: {d['reason']}",
        "migrated": lambda: f"moved to {d['workflow']['id']} version {d['workflow']['version']}",
    }
    text = kinds.get(event.type)
    return text() if text else event.type.replace("_", " ")


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
        click.echo(f"{e.seq:>4}  {e.ts[:19].replace('T', ' ')}  {e.actor:<12} {describe(e)}")


@click.command()
@click.argument("project", required=False)
@json_option
@click.pass_context
def verify(ctx, project: str | None, as_json: bool) -> None:
    """Check the hash chain of PROJECT (or every project): exit 0 intact, 5 broken."""
    results = ctx.obj.engine.verify(project)
    broken = {p: r for p, r in results.items() if r is not None}
    if as_json:
        emit_json({"intact": not broken, "projects": [
            {"project": p, "intact": r is None, "first_bad_seq": r[0] if r else None, "why": r[1] if r else None}
            for p, r in sorted(results.items())]})
    else:
        for p, r in sorted(results.items()):
            if r is None:
                click.echo(f"{p}: intact")
            else:
                click.echo(f"{p}: BROKEN at event {r[0]}: {r[1]}", err=True)
        if not results:
            click.echo("No projects to verify.")
    if broken:
        click.echo(f"The history of {len(broken)} project(s) does not verify. "
                   "Restore the store from a backup and compare.", err=True)
        ctx.exit(5)
