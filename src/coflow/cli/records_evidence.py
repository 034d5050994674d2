"""`coflow evidence add|list`: documents that show the work was done."""

from __future__ import annotations

import click

from coflow.cli.output import json_option
from coflow.cli.records import show_list, show_record

COLUMNS = [("id", "id"), ("kind", "kind"), ("title", "title"), ("date", "date"), ("file", "file"),
           ("reference", "ref")]
SHOWN = [("Kind", "kind"), ("Title", "title"), ("File", "file"), ("Kept as", "stored"),
         ("sha256", "sha256"), ("Reference", "ref"), ("Date", "date")]


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

    show_list(records.listing_for(app.engine, project, kind), COLUMNS, as_json, "No evidence added.")
