"""`coflow import PROJECT FILE.csv --kind ...`: bring in the spreadsheets kept today."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option

KINDS = ("participants", "sessions", "attendance", "payments")


@click.command("import")
@click.argument("project")
@click.argument("file", metavar="FILE.csv")
@click.option("--kind", required=True, type=click.Choice(KINDS),
              help="What the file holds: one row per participant, session, attendance or payment.")
@json_option
@click.pass_obj
@forceable()
def import_records(app, project: str, file: str, kind: str, as_json: bool) -> None:
    """Import FILE.csv into PROJECT: every row is checked first; all rows are written, or none.

    \b
    Columns (the first row names them; upper case, spaces and '-' are fine):
      participants: lived_experience; optional id, role, category, groups, route,
                    access_needs_met, credit, future_contact, induction, training,
                    payment_info, signs_as, name, email, phone, address, access_needs
      sessions:     date, format, hours; optional id, title, attendees, agenda_by,
                    decisions, paid
      attendance:   session, participant
      payments:     participant, amount, status; optional id, session, finance_ref,
                    date, expenses, expenses_status, expenses_reason
    Lists in one cell (groups, attendees) are separated by ';'. Dates are 2026-03-04.
    """
    from coflow.cli.records import progress_for_terminal
    from coflow.records.importer import import_csv

    progress = progress_for_terminal()
    try:
        summary = import_csv(app.engine, project, app.actor, file, kind, progress=progress)
    finally:
        if progress is not None:
            progress.finish()
    if as_json:
        emit_json(summary)
        return
    if kind == "attendance":
        click.echo(f"Imported {summary['rows']} rows into {project}: {summary['attendance_added']} new "
                   "attendances recorded (any already recorded were left as they were).")
    else:
        ids = summary["ids"]
        span = f" ({ids[0]} to {ids[-1]})" if len(ids) > 1 else (f" ({ids[0]})" if ids else "")
        click.echo(f"Imported {len(ids)} {kind} into {project}{span}.")
