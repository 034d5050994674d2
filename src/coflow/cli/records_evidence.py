"""`coflow evidence add|update|withdraw|list`: documents that show the work was done.

Nothing recorded is ever lost: a correction keeps the values it replaced, and withdrawn
evidence stays in the history and the report, marked, with the reason.
"""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import json_option
from coflow.cli.records import show_list, show_record

COLUMNS = [("id", "id"), ("kind", "kind"), ("title", "title"), ("date", "date"), ("file", "file"),
           ("reference", "ref"), ("status", "state")]
SHOWN = [("Kind", "kind"), ("Title", "title"), ("File", "file"), ("Kept as", "stored"),
         ("sha256", "sha256"), ("Reference", "ref"), ("Date", "date")]


def _row(record: dict) -> dict:
    row = dict(record)
    withdrawn = record.get("withdrawn")
    row["state"] = "withdrawn" if withdrawn else ("corrected" if record.get("corrections") else "")
    return row


@click.group()
def evidence() -> None:
    """Evidence: ground rules, agendas, minutes, board reports, DPIAs and the like."""


@evidence.command("add")
@click.argument("project")
@click.option("--kind", required=True, help="What it is, such as ground-rules, minutes or board-report.")
@click.option("--file", "file", help="A document to copy into coflow's evidence folder.")
@click.option("--ref", help="A reference or URL instead of a file.")
@click.option("--title", help="A title, such as \"Ground rules agreed 4 March\".")
@click.option("--date", help="The document's date (default today; not in the future).")
@click.option("--id", "eid", help="Give the id yourself (default: the next free E-001, ...).")
@json_option
@click.pass_obj
@forceable()
def add(app, project: str, eid: str | None, as_json: bool, **fields) -> None:
    """Add evidence to PROJECT: a --file (copied in, with its sha256) or a --ref."""
    from coflow.records import evidence as records

    record = records.add(app.engine, project, app.actor, id=eid, **fields)
    show_record(record, as_json, f"Added {record['kind']} evidence {record['id']} to {project}.", SHOWN)


@evidence.command("list")
@click.argument("project")
@click.option("--kind", help="Only evidence of this kind.")
@json_option
@click.pass_obj
def list_(app, project: str, kind: str | None, as_json: bool) -> None:
    """List PROJECT's evidence."""
    from coflow.records import evidence as records

    rows = records.listing_for(app.engine, project, kind)
    show_list(rows if as_json else [_row(r) for r in rows], COLUMNS, as_json, "No evidence added.")


@evidence.command("update")
@click.argument("project")
@click.argument("item", metavar="ID")
@click.option("--kind", help="The right kind, such as minutes.")
@click.option("--title", help="The right title.")
@click.option("--ref", help="The right reference or URL (for evidence added with --ref).")
@click.option("--date", help="The right date of the document.")
@click.option("--reason", help="What was wrong; kept in the history with the values replaced.")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def update(app, project: str, item: str, reason: str | None, as_json: bool, **fields) -> None:
    """Correct what was recorded about evidence ID; the values replaced are kept.

    A stored file is never swapped: withdraw the item and add the right file instead.
    """
    from coflow.records import evidence as records

    record, changed = records.correct(app.engine, project, app.actor, item, reason, **fields)
    sentence = (f"Corrected evidence {item} of {project}; the values it replaced are kept in its history."
                if changed else f"Nothing to correct: evidence {item} already says this.")
    show_record(record, as_json, sentence, SHOWN)


@evidence.command("withdraw")
@click.argument("project")
@click.argument("item", metavar="ID")
@click.option("--reason", help="Why it is withdrawn, such as \"added to the wrong project\"; kept in the history.")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def withdraw(app, project: str, item: str, reason: str | None, as_json: bool) -> None:
    """Withdraw evidence ID added by mistake: it stays in the history and the report,
    marked withdrawn, and no check counts it any more."""
    from coflow.records import evidence as records

    record = records.withdraw(app.engine, project, app.actor, item, reason)
    show_record(record, as_json, f"Withdrew evidence {item} from {project}: no check counts it now; "
                                 "the history and the report keep it, marked withdrawn, with your reason.")
