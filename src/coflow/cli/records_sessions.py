"""`coflow session add|update|list|attend`: the sessions that were held, and who came."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import json_option
from coflow.cli.records import show_list, show_record

COLUMNS = [("id", "id"), ("date", "date"), ("format", "format"), ("hours", "hours"), ("title", "title"),
           ("attended", "attendance"), ("agenda by", "agenda_coauthors"), ("decisions", "decisions"),
           ("paid", "paid")]
SHOWN = [("Date", "date"), ("Format", "format"), ("Hours", "hours"), ("Attended", "attendance"),
         ("Agenda written with", "agenda_coauthors"), ("Decisions made", "decisions"), ("Paid", "paid")]


@click.group()
def session() -> None:
    """Sessions held with participants: date, format, hours, attendance, agenda co-authors."""


@session.command("add")
@click.argument("project")
@click.option("--id", "sid", help="Give the id yourself (default: the next free S-001, S-002, ...).")
@click.option("--date", required=True, help="When it was held, such as 2026-03-04 (not in the future).")
@click.option("--format", "format_", required=True,
              help="in-person, virtual (or online), hybrid, phone or home-visit.")
@click.option("--hours", required=True, help="How long it lasted, such as 2 or 1.5.")
@click.option("--title", help="What it was, such as \"Planning workshop\".")
@click.option("--kind", help="What it was for, such as planning, design, delivery or evaluation.")
@click.option("--attendee", "attendance", multiple=True, help="A participant id who attended (repeat for each).")
@click.option("--agenda-by", "agenda_coauthors", multiple=True,
              help="A participant id who helped write the agenda (repeat for each).")
@click.option("--decisions", is_flag=True, default=False, help="Decisions were made at this session.")
@click.option("--paid", is_flag=True, default=False, help="Participants are paid for attending this session.")
@json_option
@click.pass_obj
@forceable()
def add(app, project: str, sid: str | None, format_: str, as_json: bool, **fields) -> None:
    """Record a session PROJECT held."""
    from coflow.records import sessions

    record = sessions.add(app.engine, project, app.actor, id=sid, format=format_, **fields)
    show_record(record, as_json, f"Recorded session {record['id']} ({record['date']}) for {project}.", SHOWN)


@session.command("update")
@click.argument("project")
@click.argument("session_id", metavar="SESSION")
@click.option("--date", help="When it was held, such as 2026-03-04 (not in the future).")
@click.option("--format", "format_", help="in-person, virtual (or online), hybrid, phone or home-visit.")
@click.option("--hours", help="How long it lasted, such as 2 or 1.5.")
@click.option("--title", help="What it was; an empty title (--title \"\") removes it.")
@click.option("--kind", help="What it was for, such as planning, design, delivery or evaluation.")
@click.option("--attendee", "attendance", multiple=True,
              help="Who attended: replaces the whole list (repeat for each).")
@click.option("--add-attendee", "add_attendance", multiple=True,
              help="Someone else who attended, added to the list (repeat for each).")
@click.option("--agenda-by", "agenda_coauthors", multiple=True,
              help="Who helped write the agenda: replaces the whole list (repeat for each).")
@click.option("--add-agenda-by", "add_agenda_coauthors", multiple=True,
              help="Someone else who helped write the agenda, added to the list (repeat for each).")
@click.option("--decisions/--no-decisions", default=None, help="Whether decisions were made at this session.")
@click.option("--paid/--no-paid", default=None, help="Whether participants are paid for attending it.")
@json_option
@click.pass_obj
@forceable()
def update(app, project: str, session_id: str, format_: str | None, as_json: bool, **fields) -> None:
    """Correct session SESSION of PROJECT; only what you give changes."""
    from coflow.records import sessions

    record, changed = sessions.update(app.engine, project, app.actor, session_id, format=format_, **fields)
    sentence = (f"Updated session {session_id}." if changed
                else f"Nothing to change: session {session_id} already has these details.")
    show_record(record, as_json, sentence, SHOWN)


@session.command("list")
@click.argument("project")
@json_option
@click.pass_obj
def list_(app, project: str, as_json: bool) -> None:
    """List PROJECT's sessions, oldest first."""
    from coflow.records import sessions

    show_list(sessions.listing_for(app.engine, project), COLUMNS, as_json,
              f"No sessions yet. Record one with `coflow session add {project} --date ... --format ... --hours ...`.")


@session.command("attend")
@click.argument("project")
@click.argument("session_id", metavar="SESSION")
@click.argument("participants", metavar="PARTICIPANT...", nargs=-1, required=True)
@json_option
@click.pass_obj
@forceable()
def attend(app, project: str, session_id: str, participants: tuple[str, ...], as_json: bool) -> None:
    """Record that participants attended SESSION (ids such as P-001 P-002)."""
    from coflow.records import sessions

    record, added = sessions.attend(app.engine, project, app.actor, session_id, list(participants))
    if added:
        sentence = f"Recorded {', '.join(added)} at session {session_id}."
    else:
        sentence = f"Nothing to add: everyone given is already recorded at session {session_id}."
    show_record(record, as_json, sentence, [("Attended", "attendance")])
