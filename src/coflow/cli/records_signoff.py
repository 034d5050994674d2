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
    unmet = _unmet(app.engine, project)
    if as_json:
        emit_json({"project": project, **record, "unmet": unmet})
        return
    click.echo(f"{record['actor']} signed off stage {record['stage']!r} of {project} as {record['role']}.")
    if record.get("changed"):
        from coflow.signoff_digest import described

        click.echo(f"Changed since your last sign-off of this stage: {described(record['changed'])}.")
    if unmet:
        click.echo(f"Not yet met at this gate: {', '.join(unmet)}. This sign-off records the records as they "
                   "are now; once what is missing is recorded, it is out of date and needed again.")


def _unmet(engine, project: str) -> list[str]:
    """Required checks of the gate, other than sign-offs, that are not met yet."""
    state = engine.get(project)
    stage = engine.pinned_workflow(state).stages[state.stage]
    signoff_checks = {c.id for c in stage.checks if c.type == "signoff"}
    return [c.id for c in engine.status(project).checks if c.blocks and c.id not in signoff_checks]
