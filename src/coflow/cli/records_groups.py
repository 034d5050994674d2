"""`coflow group add|action|list`: the under-represented groups a project means to reach."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json, json_option


@click.group()
def group() -> None:
    """Groups the project means to reach, and what was done to reach each."""


@group.command("add")
@click.argument("project")
@click.argument("name")
@json_option
@click.pass_obj
def add(app, project: str, name: str, as_json: bool) -> None:
    """Name a group PROJECT means to reach, such as "young men"."""
    from coflow.records import groups

    record, new = groups.name(app.engine, project, app.actor, name)
    if as_json:
        emit_json({"project": project, **record, "new": new})
    elif new:
        click.echo(f"Named the group {record['name']} for {project}. Record what you do to reach it with "
                   f'`coflow group action {project} {record["name"]} --date DATE --what "..."`.')
    else:
        click.echo(f"Nothing to change: {project} already names the group {record['name']}.")


@group.command("action")
@click.argument("project")
@click.argument("name")
@click.option("--date", required=True, help="When it was done, such as 2026-03-04 (not in the future).")
@click.option("--what", "action", required=True,
              help='What was done to reach the group, naming no person, such as "asked the youth club to share the call".')
@json_option
@click.pass_obj
def action(app, project: str, name: str, date: str, action: str, as_json: bool) -> None:
    """Record what was done to reach the group NAME."""
    from coflow.records import groups

    record = groups.act(app.engine, project, app.actor, name, date, action)
    if as_json:
        emit_json({"project": project, **record})
    else:
        click.echo(f"Recorded an action for the group {record['name']} ({len(record['actions'])} so far).")


@group.command("list")
@click.argument("project")
@json_option
@click.pass_obj
def list_groups(app, project: str, as_json: bool) -> None:
    """The groups PROJECT means to reach, and what was done for each."""
    from coflow.records import groups

    found = list(groups.named(app.engine.get(project)).values())
    if as_json:
        emit_json(found)
        return
    if not found:
        click.echo(f"{project} names no groups yet. Name one with `coflow group add {project} \"young men\"`.")
    for g in found:
        click.echo(f"{g['name']}: {len(g['actions'])} action(s)")
        for a in g["actions"]:
            click.echo(f"  {a['date']}  {a['action']}")
