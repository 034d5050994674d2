"""`coflow migrate-store`: add what older stores need for today's rules (recorded, never rewriting)."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json, json_option


@click.command("migrate-store")
@click.option("--dry-run", is_flag=True, help="Say what would be recorded; change nothing.")
@json_option
@click.pass_obj
def migrate_store(app, dry_run: bool, as_json: bool) -> None:
    """Record the workflow fingerprints that projects started with an older coflow lack, so
    `coflow verify` can check their stored workflows. History is never rewritten."""
    from coflow.store_upgrade import upgrade

    engine = app.engine
    actor = app.actor
    results = {}
    for project in engine.project_ids():
        done = upgrade(engine, project, actor, dry_run=dry_run)
        if done is not None:
            results[project] = done
    if as_json:
        emit_json({"dry_run": dry_run, "projects": results})
        return
    if not results:
        click.echo("Nothing to do: every project's workflows already carry their fingerprints.")
        return
    verb = "would record" if dry_run else "recorded"
    for project, done in sorted(results.items()):
        count = len(done["definition_hashes"])
        note = (f"; {len(done['taken_as_stored'])} taken as stored (their workflow file has changed or gone)"
                if done["taken_as_stored"] else "")
        click.echo(f"{project}: {verb} the fingerprint of {count} workflow{'s' if count != 1 else ''}{note}.")
