"""`coflow notify ...`: see, check, retry and sweep the notifications of coflow.toml."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json, json_option

STATUSES = ("pending", "failed", "delivered")


@click.group()
def notify() -> None:
    """Notifications: what is waiting, what failed, and sending it again."""


def _row(item) -> dict:
    event = item.payload.get("event") or {}
    return {"id": item.id, "project": item.project, "seq": item.seq, "event_type": event.get("type"),
            "notifier": item.notifier, "entry": item.payload.get("notify_index"), "status": item.status,
            "attempts": item.attempts, "last_error": item.last_error, "created": item.created,
            "delivered": item.delivered}


@notify.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only notifications in this state.")
@json_option
@click.pass_obj
def list_(app, status: str | None, as_json: bool) -> None:
    """Every notification in the outbox, oldest first."""
    items = app.engine.notifications(status)
    if as_json:
        emit_json([_row(i) for i in items])
        return
    if not items:
        click.echo(f"No {status} notifications." if status else "No notifications yet.")
        return
    for i in items:
        event = (i.payload.get("event") or {}).get("type", "?")
        where = f"notify[{i.payload.get('notify_index')}] ({i.notifier})"
        line = f"#{i.id}  {i.project} event {i.seq} ({event}) to {where}: "
        if i.status == "delivered":
            line += f"sent {i.delivered[:19].replace('T', ' ') if i.delivered else ''}"
        elif i.status == "failed":
            line += f"FAILED after {i.attempts} attempt{'s' if i.attempts != 1 else ''}: {i.last_error}"
        else:
            line += "waiting to be sent"
        click.echo(line)
    waiting = sum(1 for i in items if i.status != "delivered")
    if waiting:
        click.echo(f"{waiting} not sent yet; `coflow notify retry` sends them.")


def _echo_results(results, as_json: bool, dry_run: bool = False) -> None:
    sent = sum(r.delivered for r in results)
    if as_json:
        emit_json({"delivered": sent, "failed": len(results) - sent, "results": [r.to_dict() for r in results]})
        return
    for r in results:
        what = f"#{r.id} {r.project} event {r.seq} ({r.event_type}) to {r.entry}"
        click.echo(f"{what}: sent" if r.delivered else f"{what}: NOT SENT: {r.error}")


def _exit_code(results) -> int:
    """0 all sent; 5 when a queued notification does not match the history (refused);
    3 when a setting is wrong (fix coflow.toml); 1 when a delivery failed."""
    failed = [r for r in results if not r.delivered]
    if any(r.refused for r in failed):
        return 5
    if any(r.config_problem for r in failed):
        return 3
    return 1 if failed else 0


@notify.command()
@json_option
@click.pass_context
def retry(ctx, as_json: bool) -> None:
    """Send every notification not sent yet (exit 0 all sent, 1 some failed, 3 a setting is wrong)."""
    from coflow.notify.outbox import retry as retry_all

    results = retry_all(ctx.obj.engine)
    _echo_results(results, as_json)
    if not as_json:
        if not results:
            click.echo("Nothing to send: every notification has been sent.")
        else:
            failed = len([r for r in results if not r.delivered])
            click.echo(f"Sent {len(results) - failed} of {len(results)}."
                       + (" The rest stay in the outbox; fix the reason above and run this again." if failed else ""))
    ctx.exit(_exit_code(results))


@notify.command()
@json_option
@click.pass_obj
def check(app, as_json: bool) -> None:
    """Check the [[notify]] entries of coflow.toml, and that their environment variables are set."""
    from coflow.notify.base import label
    from coflow.notify.outbox import require_valid

    engine = app.engine
    entries = engine.config.notify
    require_valid(engine, environment=True)
    if as_json:
        emit_json([{"entry": i, "notifier": e.get("notifier"), "events": e.get("events"), "ok": True}
                   for i, e in enumerate(entries)])
        return
    if not entries:
        click.echo("coflow.toml has no [[notify]] entries, so no notifications are sent.")
        return
    for index, entry in enumerate(entries):
        click.echo(f"{label(index, entry)}: ready, for {', '.join(entry['events'])}")


@notify.command()
@click.option("--dry-run", is_flag=True, help="List what is overdue; send nothing.")
@click.option("--as-of", "as_of", metavar="DATE", help="Count days up to DATE (YYYY-MM-DD) instead of today.")
@json_option
@click.pass_context
def overdue(ctx, dry_run: bool, as_of: str | None, as_json: bool) -> None:
    """The "overdue" part of `coflow tick`: payments pending too long, stages past their time.

    Each overdue item is announced once to each [[notify]] entry with "overdue" in its events.
    `coflow tick` sends these together with reminders and escalations; prefer it.
    """
    from coflow.cli.deadlines import parse_as_of
    from coflow.notify.overdue import sweep

    day = parse_as_of(as_of)
    engine = ctx.obj.engine
    if not any("overdue" in (entry.get("events") or []) for entry in engine.config.notify):
        # Nothing is wrong with coflow.toml: no one asked for reminders, so there is nothing to do.
        click.echo("No [[notify]] entry in coflow.toml asks for \"overdue\" reminders, so none were looked for "
                   "or sent. To have them, add \"overdue\" to an entry's events, such as "
                   "events = [\"blocked\", \"overdue\"] (docs/config.md).", err=True)
        if as_json:
            emit_json({"overdue": [], "delivered": 0, "failed": 0, "results": []})
        ctx.exit(0)
    found, results = sweep(engine, today=day, dry_run=dry_run)
    echo_found(ctx, found, results, dry_run, as_json, nothing="Nothing new is overdue.", label="Overdue")


def echo_found(ctx, found: list, results: list, dry_run: bool, as_json: bool, nothing: str, label: str,
               kept_is_done: bool = False) -> None:
    """What a tick found and sent, in words or as one JSON document; exits with the outcome.

    `kept_is_done` (tick): a notice that could not be sent is kept for `coflow notify retry`
    and the command still exits 0, so cron and systemd see a tick that did its work; a
    setting that is wrong is still exit 3.
    """
    code = _exit_code(results)
    if kept_is_done and code == 1:
        failed = sum(not r.delivered for r in results)
        click.echo(f"{failed} notice{'s' if failed != 1 else ''} could not be sent now; "
                   f"{'they are' if failed != 1 else 'it is'} kept, and `coflow notify retry` sends "
                   f"{'them' if failed != 1 else 'it'}.", err=True)
        code = 0
    if as_json:
        emit_json({("overdue" if label == "Overdue" else "notices"): found, "delivered": sum(r.delivered for r in results),
                   "failed": sum(not r.delivered for r in results), "results": [r.to_dict() for r in results],
                   "dry_run": dry_run})
        ctx.exit(code)
    from coflow.notify.text import headline

    if not found:
        click.echo(nothing)
    for item in found:
        kind = item["event"]["type"]
        prefix = label if label == "Overdue" else kind.capitalize()
        click.echo(f"{prefix}: {headline(item['event'])} (for notify[{item['entry']}])")
    if dry_run:
        click.echo("Dry run: nothing was sent.")
    else:
        _echo_results(results, as_json=False)
    ctx.exit(code)
