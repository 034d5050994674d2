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
@click.option("--for", "signer", help="Record a sign-off someone gave outside coflow (a participant id such as "
                                      "P-003): needs record_for_others, --how and --evidence.")
@click.option("--how", help="How it was given, such as \"signed form\" or \"email of 4 March\" (with --for).")
@click.option("--evidence", "evidence_id", help="The evidence record showing it, such as E-005 (with --for).")
@json_option
@click.pass_obj
@forceable()
def signoff(app, project: str, role: str, stage: str | None, signer: str | None, how: str | None,
            evidence_id: str | None, as_json: bool) -> None:
    """Sign off PROJECT's current stage as ROLE (one role per person per gate), or record a
    sign-off someone gave outside coflow with --for, --how and --evidence."""
    from coflow.records import signoffs

    if signer is None and (how or evidence_id):
        from coflow.errors import UsageError

        raise UsageError("--how and --evidence go with --for (a sign-off given outside coflow)",
                         hint=f"coflow signoff {project} --role {role} --for P-003 --how \"signed form\" --evidence E-005")
    if signer is not None:
        from coflow.errors import UsageError
        from coflow.records.signoffs_for import sign_for

        if not how or not evidence_id:
            raise UsageError("a sign-off given outside coflow needs --how and --evidence",
                             hint=f"coflow signoff {project} --role {role} --for {signer} --how \"signed form\" "
                                  "--evidence E-005 (add the form or email first with `coflow evidence add`)")
        record = sign_for(app.engine, project, app.actor, role, signer, how, evidence_id, stage)
        unmet = _unmet(app.engine, project)
        if as_json:
            emit_json({"project": project, **record, "unmet": unmet})
            return
        click.echo(f"Recorded: {signer} signed off stage {record['stage']!r} of {project} as {record['role']} "
                   f"({how}, evidence {evidence_id}), recorded by {record['recorded_by']}.")
        return
    record = signoffs.sign(app.engine, project, app.actor, role, stage)
    unmet = _unmet(app.engine, project)
    if as_json:
        emit_json({"project": project, **record, "unmet": [check_id for check_id, _ in unmet]})
        return
    click.echo(f"{record['actor']} signed off stage {record['stage']!r} of {project} as {record['role']}.")
    if record.get("changed"):
        from coflow.signoff_digest import described

        click.echo(f"Changed since your last sign-off of this stage: {described(record['changed'])}.")
    if unmet:
        click.echo("Not yet met at this gate: " + "; ".join(title for _, title in unmet) + ". This sign-off "
                   "records the records as they are now; once what is missing is recorded, it is out of date "
                   "and needed again.")


def _unmet(engine, project: str) -> list[tuple[str, str]]:
    """Required checks of the gate, other than sign-offs, that are not met yet (id and title:
    scripts get the ids, people the titles)."""
    state = engine.get(project)
    stage = engine.pinned_workflow(state).stages[state.stage]
    signoff_checks = {c.id for c in stage.checks if c.type == "signoff"}
    return [(c.id, c.title or c.id) for c in engine.status(project).checks if c.blocks and c.id not in signoff_checks]
