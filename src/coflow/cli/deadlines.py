"""`coflow due` and `coflow tick`: due dates, and the notices that come with time."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option


@click.command()
@click.argument("project")
@click.option("--date", "date_text", required=True, metavar="DATE", help="The new due date, YYYY-MM-DD.")
@click.option("--stage", help="The stage it is for (default: where the project is now).")
@click.option("--reason", required=True, help="Why the project needs this date; recorded in the history.")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def due(app, project: str, date_text: str, stage: str | None, reason: str, as_json: bool) -> None:
    """Set or move PROJECT's own due date for a stage (instead of the stage's due_days)."""
    event = app.engine.set_due(project, date_text, stage, reason, app.actor)
    if as_json:
        emit_json({"project": project, **event.data, "seq": event.seq})
        return
    was = f" (it was {event.data['was']})" if event.data.get("was") else ""
    click.echo(f"{project}: stage {event.data['stage']!r} is now due on {event.data['date']}{was}. "
               "This is recorded in its history.")


def parse_as_of(as_of: str | None):
    from coflow.dates import parse_day
    from coflow.errors import UsageError

    if not as_of:
        return None
    try:
        return parse_day(as_of)
    except ValueError:
        raise UsageError(f"--as-of {as_of!r} is not a date", hint="write it as YYYY-MM-DD, such as 2026-03-04") from None


@click.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Count days up to DATE (YYYY-MM-DD) instead of today.")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send nothing.")
@json_option
@click.pass_context
def tick(ctx, as_of: str | None, dry_run: bool, as_json: bool) -> None:
    """Send the reminders, overdue notices and escalations that are due, each exactly once.

    Safe to run from cron or a systemd timer, as often as you like: a notice already sent is
    never sent again, even by two ticks at once. Exit 0, also when a notice could not be sent
    now (it is kept for `coflow notify retry`, and a warning says so); 3 when a [[notify]]
    setting is wrong.
    """
    from coflow.cli.notify import echo_found
    from coflow.notify.tick import entries_for
    from coflow.notify.tick import tick as run_tick

    engine = ctx.obj.engine
    day = parse_as_of(as_of)
    listening = entries_for(engine)
    found, results = run_tick(engine, today=day, dry_run=dry_run)
    if not as_json and not listening:
        click.echo("No [[notify]] entry in coflow.toml asks for \"reminder\", \"overdue\" or \"escalation\", "
                   "so there is no one to tell; nothing was sent.")
        return
    echo_found(ctx, found, results, dry_run, as_json, nothing="Nothing new is due.", label="Notice",
               kept_is_done=True)
