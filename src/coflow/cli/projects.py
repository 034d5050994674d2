"""Project commands: new, status, check, advance, record, reopen, migrate.

The work of status, check, advance and record is in coflow.cli.everyday (free of click).
"""

from __future__ import annotations

import click

from coflow.cli import everyday
from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option
from coflow.lazy import lazy_pattern


@click.command()
@click.argument("project")
@click.option("--workflow", "workflow_ref", required=True,
              help="A workflow id (see `coflow workflow list`) or the path of a .toml file.")
@click.pass_obj
def new(app, project: str, workflow_ref: str) -> None:
    """Start PROJECT at the first stage of a workflow."""
    state = app.engine.create(project, workflow_ref, app.actor)
    click.echo(f"Started {project} with the {state.workflow_id} workflow (version {state.workflow_version}).")
    click.echo(f"It is at stage {state.stage!r}. See what it needs with `coflow status {project}`.")


@click.command()
@click.argument("project", required=False)
@json_option
@click.pass_obj
def status(app, project: str | None, as_json: bool) -> None:
    """Where PROJECT is and what its gate needs; every project when none is given."""
    everyday.status(app, project, as_json)


@click.command()
@click.argument("project")
@json_option
@click.pass_context
def check(ctx, project: str, as_json: bool) -> None:
    """Evaluate PROJECT's gate without changing anything (exit 0 open, 1 closed).

    A finished project (at its final stage) has no gate left: that is exit 0, said plainly.
    """
    ctx.exit(everyday.check(ctx.obj, project, as_json))


@click.command()
@click.argument("project")
@click.option("--dry-run", is_flag=True, help="Say what would happen; change nothing.")
@click.option("--override", is_flag=True, help="Move on although required checks fail (needs the override permission).")
@click.option("--reason", help="Why the gate is overridden; recorded in the history.")
@click.option("--to", "to_stage", metavar="STAGE",
              help="Where the stage branches: go to STAGE, one of the ways on that holds.")
@json_option
@click.pass_context
@forceable(own_reason=True)
def advance(ctx, project: str, dry_run: bool, override: bool, reason: str | None, to_stage: str | None,
            as_json: bool) -> None:
    """Move PROJECT to its next stage if every required check passes.

    Where a stage has several ways on, the first that holds is taken; --to chooses another
    of those that hold.
    """
    if reason is not None and not override and not ctx.meta.get("coflow.force"):
        raise click.UsageError("--reason goes with --override or --force")
    ctx.exit(everyday.advance(ctx.obj, project, dry_run, override, reason, to_stage, as_json))


class NegativeNumbersAreValues(click.Command):
    """A command whose arguments may be negative numbers (`-500`), which click would read as
    options; anything else starting with '-' that is not one of its options is still refused."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for param in self.get_params(ctx) for name in (*param.opts, *param.secondary_opts)}
        for arg in args:
            if arg == "--":
                break
            if arg.startswith("-") and not _NEGATIVE.match(arg) and arg.split("=", 1)[0] not in known:
                raise click.NoSuchOption(arg.split("=", 1)[0], ctx=ctx)
        ctx.ignore_unknown_options = True  # what is left starting with '-' is a negative number
        return super().parse_args(ctx, args)


_NEGATIVE = lazy_pattern(r"^-\.?[0-9]")


@click.command(cls=NegativeNumbersAreValues)
@click.argument("project")
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--unset", "unset_key", metavar="KEY",
              help="Withdraw the fact KEY (a mistyped key, say); needs --reason. The history keeps both.")
@click.option("--reason", help="Why the fact is withdrawn (with --unset); kept in the history.")
@click.pass_obj
@forceable(own_reason=True)
def record(app, project: str, key: str | None, value: str | None, unset_key: str | None,
           reason: str | None) -> None:
    """Record a fact: KEY VALUE (VALUE is read as a number, yes/no or date when it looks like one).

    yes, no, true and false (in any case) are recorded as yes or no, as in a spreadsheet
    import; to record the word itself, put it in quotes: '"yes"'.
    A negative number is a value too: coflow record PROJECT budget_change -500.
    Withdraw a fact with: coflow record PROJECT --unset KEY --reason "mistyped key".
    """
    if unset_key is not None:
        if key is not None:
            raise click.UsageError("give either KEY VALUE to record a fact, or --unset KEY to withdraw one")
        from coflow.records.facts import unset

        event = unset(app.engine, project, app.actor, unset_key, reason)
        click.echo(f"Withdrew the fact {unset_key} from {project} (event {event.seq}). "
                   "The history keeps the fact and this withdrawal, with your reason.")
        return
    if reason is not None and not click.get_current_context().meta.get("coflow.force"):
        raise click.UsageError("--reason goes with --unset or --force (a recorded fact needs no reason)")
    if key is None or value is None:
        raise click.UsageError("give KEY and VALUE, such as: coflow record PROJECT sponsor \"Dr A. Mensah\"")
    everyday.record(app, project, key, value)


@click.command()
@click.argument("project")
@click.option("--to", "to_stage", required=True, help="An earlier stage the project has passed through.")
@click.option("--reason", required=True, help="What needs doing again; recorded in the history.")
@click.pass_obj
@forceable(own_reason=True)
def reopen(app, project: str, to_stage: str, reason: str) -> None:
    """Return PROJECT to an earlier stage; its gates are checked again from there."""
    event = app.engine.reopen(project, to_stage, reason, app.actor)
    click.echo(f"Reopened {project} at {event.data['to']!r} (from {event.data['from']!r}). "
               "Its gates are checked again from there; the history keeps everything.")


@click.command()
@click.argument("project", required=False)
@click.option("--all", "all_projects", is_flag=True, help="Every project (with --workflow: on that workflow).")
@click.option("--workflow", "workflow_id", metavar="ID",
              help="With --all: only projects on this workflow, or on one built on it with extends.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@json_option
@click.pass_obj
@forceable()
def migrate(app, project: str | None, all_projects: bool, workflow_id: str | None, dry_run: bool,
            as_json: bool) -> None:
    """Move PROJECT (or --all projects) to the current version of its workflow file.

    Shows what changed in the file (stages, checks, parameters, roles) and which checks of
    the current stage would then fail. With --all, a table of every project: where it is,
    whether it moves, and which checks of its stage would then fail.
    """
    if all_projects or workflow_id:
        from coflow.cli.migrate_all import migrate_all

        migrate_all(app, project, all_projects, workflow_id, dry_run, as_json)
        return
    if project is None:
        raise click.UsageError("name the project to migrate, or give --all for every project")
    from coflow.workflow.diff import describe, workflow_changes

    engine = app.engine
    pinned = engine.pinned_workflow(engine.get(project))
    if dry_run:
        state, current, report = engine.migrate_plan(project)
        event = None
    else:
        event, current, report = engine.migrate(project, app.actor)
        state = None
    changes = workflow_changes(pinned, current)
    failing = [c.id for c in report.failing]
    if as_json:
        emit_json({"project": project, "workflow": current.id, "version": current.version,
                   "migrated": event is not None, "dry_run": dry_run, "now_failing": failing,
                   "changes": changes})
        return
    if dry_run:
        same = state.workflow_hash == current.content_hash
        click.echo(f"{project} already runs the current {current.id} workflow." if same else
                   f"{project} would move to {_where_to(current, state.workflow_version)}. Nothing was changed.")
    elif event is None:
        click.echo(f"{project} already runs the current {current.id} workflow; nothing to do.")
    else:
        click.echo(f"Moved {project} to {_where_to(current, event.data['from']['version'])}; this is recorded in its history.")
    if changes:
        click.echo("What changed in the workflow file:")
        for change in changes:
            click.echo(f"  - {describe(change)}")
    elif current.content_hash != pinned.content_hash:
        click.echo("The file changed, but not its stages, checks, parameters or roles "
                   "(only comments, layout or the description).")
    if failing:
        click.echo("Checks of the current stage that would fail:" if dry_run else "Checks of the current stage that now fail:")
        for c in report.failing:
            click.echo(f"  - {c.title}: {c.message}")


def _where_to(current, old_version: str | None) -> str:
    """Where migrate moves a project; a file changed without a new version number says so."""
    if current.version == old_version:
        return (f"the current file of the {current.id} workflow "
                f"(version {current.version}, content changed)")
    return f"{current.id} version {current.version}"
