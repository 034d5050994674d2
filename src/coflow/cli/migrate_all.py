"""`coflow migrate --all [--workflow ID] [--dry-run]`: the table of every project's move."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def migrate_all(app: Any, project: str | None, all_projects: bool, workflow_id: str | None,
                dry_run: bool, as_json: bool) -> None:
    """Plan (--dry-run) or move every project; exit 1 when any project cannot move."""
    from coflow import migration

    if project is not None:
        raise click.UsageError(f"give either a project ({project}) or --all, not both")
    if not all_projects:
        raise click.UsageError("--workflow goes with --all: coflow migrate --all --workflow ID")
    engine = app.engine
    rows = (migration.plan_all(engine, workflow_id) if dry_run
            else migration.migrate_all(engine, app.actor, workflow_id))
    if workflow_id is not None and not rows:
        from coflow.workflow.loader import find

        find(workflow_id, engine.workflow_dirs())  # a misspelt id is exit 2 with the usual hint
    if as_json:
        emit_json({"dry_run": dry_run, "workflow": workflow_id, "projects": rows})
    else:
        for line in migration.table(rows, dry_run):
            click.echo(line)
        moving = sum(1 for r in rows if r["result"] in (migration.MOVES, migration.MOVED))
        if dry_run:
            click.echo(f"\n{moving} project{'s' if moving != 1 else ''} would move. Nothing was changed.")
        else:
            click.echo(f"\n{moving} project{'s' if moving != 1 else ''} moved; each move is recorded in its history.")
    if any(r["result"] == migration.CANNOT for r in rows):
        click.get_current_context().exit(1)
