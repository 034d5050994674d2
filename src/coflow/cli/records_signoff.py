"""`coflow signoff PROJECT --role ROLE`: a named role agrees the current stage is done."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option


@click.command()
@click.argument("project")
@click.option("--role", required=True, help="The role you sign as; coflow.toml must give it to you.")
@click.option("--stage", help="The stage you mean to sign (default: the stage the project is at). "
                              "If the project has moved on, nothing is signed.")
@json_option
@click.pass_obj
@forceable()
def signoff(app, project: str, role: str, stage: str | None, as_json: bool) -> None:
    """Sign off PROJECT's current stage as ROLE (one role per person per gate)."""
    from coflow.records import signoffs

    record = signoffs.sign(app.engine, project, app.actor, role, stage)
    if as_json:
        emit_json({"project": project, **record})
    else:
        click.echo(f"{record['actor']} signed off stage {record['stage']!r} of {project} as {record['role']}.")
