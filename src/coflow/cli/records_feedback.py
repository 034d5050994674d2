"""`coflow feedback add|update|list`: "you said, we did"."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import json_option
from coflow.cli.records import show_list, show_record

STATUS_HELP = ("open, adopted, adapted or not-adopted (adopted and adapted need --response, "
               "not-adopted needs --reason).")
COLUMNS = [("id", "id"), ("date", "date"), ("you said", "said"), ("we did", "response"), ("status", "status"),
           ("reason", "reason")]
SHOWN = [("You said", "said"), ("We did", "response"), ("Status", "status"), ("Why not", "reason")]


@click.group()
def feedback() -> None:
    """Feedback ("you said, we did"): what people said and what was done about it."""


@feedback.command("add")
@click.argument("project")
@click.option("--said", required=True, help="What people said.")
@click.option("--response", help="What was done (\"we did\"); needed when adopted or adapted.")
@click.option("--status", help=STATUS_HELP.removesuffix(").") + "; default open).")
@click.option("--reason", help="Why it was not adopted.")
@click.option("--date", help="When it was said (default today; not in the future).")
@click.option("--id", "fid", help="Give the id yourself (default: the next free F-001, ...).")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def add(app, project: str, fid: str | None, as_json: bool, **fields) -> None:
    """Record something people said to PROJECT, and the answer if there is one."""
    from coflow.records import feedback as records

    record = records.add(app.engine, project, app.actor, id=fid, **fields)
    show_record(record, as_json, f"Recorded feedback {record['id']} ({record['status']}).", SHOWN)


@feedback.command("update")
@click.argument("project")
@click.argument("item", metavar="ID")
@click.option("--said", help="What people said, corrected.")
@click.option("--response", help="What was done (\"we did\").")
@click.option("--status", help="The new status: " + STATUS_HELP)
@click.option("--reason", help="Why it was not adopted.")
@click.option("--date", help="When it was said, such as 2026-03-04 (not in the future).")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def update(app, project: str, item: str, as_json: bool, **fields) -> None:
    """Answer or change feedback item ID.

    Only the options you give change; everything else stays as recorded.
    """
    from coflow.records import feedback as records

    record, changed = records.update(app.engine, project, app.actor, item, **fields)
    sentence = f"Updated feedback {item}." if changed else f"Nothing to change: feedback {item} already says this."
    show_record(record, as_json, sentence, SHOWN)


@feedback.command("list")
@click.argument("project")
@click.option("--status", help="Only items with this status, such as open.")
@json_option
@click.pass_obj
def list_(app, project: str, status: str | None, as_json: bool) -> None:
    """List PROJECT's "you said, we did" items."""
    from coflow.records import feedback as records

    show_list(records.listing_for(app.engine, project, status), COLUMNS, as_json, "No feedback recorded.")
