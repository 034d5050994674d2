"""`coflow relabel`: call a project by another workflow's name from now on, keeping its history."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option


@click.command()
@click.argument("project")
@click.option("--workflow", "workflow_ref", required=True,
              help="The workflow the project continues under: an id (see `coflow workflow list`) or a .toml file.")
@click.option("--reason", required=True, help="Why the work is better called by the other name; kept in the history.")
@click.option("--stage", help="The stage it continues at, when the new workflow has none of the same id.")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def relabel(app, project: str, workflow_ref: str, reason: str, stage: str | None, as_json: bool) -> None:
    """Move PROJECT to another workflow (for example from coproduction to codesign), keeping its
    whole history. Needs the relabel permission in coflow.toml."""
    from coflow.cli.output import echo_gate
    from coflow.relabel import relabel as do_relabel

    event, target, report = do_relabel(app.engine, project, workflow_ref, reason, app.actor, stage)
    if as_json:
        emit_json({**report.to_dict(), "relabelled": True, "from": event.data["from"]["id"],
                   "from_stage": event.data["from"]["stage"], "reason": event.data["reason"]})
        return
    old = event.data["from"]
    click.echo(f"Relabelled {project}: it now runs the {target.id} workflow (version {target.version}), "
               f"at stage {event.data['stage']!r}, instead of {old['id']} at {old['stage']!r}. "
               "The history keeps everything, with your reason.")
    echo_gate(report)
