"""`coflow workflow list/show/validate/graph`."""

from __future__ import annotations

from pathlib import Path

import click

from coflow.cli.output import emit_json, json_option
from coflow.errors import InvalidWorkflow

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def _engine(app):
    from coflow.engine import Engine

    return Engine(app.config(require=False), plugins_dir=app.plugins_dir)


@click.group()
def workflow() -> None:
    """Workflow files: list, show, validate, graph, schema."""


@workflow.command("list")
@json_option
@click.pass_obj
def list_(app, as_json: bool) -> None:
    """Every workflow coflow can find: your folders, plugins', and the shipped ones."""
    from coflow.workflow.loader import candidate_files, load_file

    engine = _engine(app)
    validators = engine.plugins.check_validators()
    dirs = engine.workflow_dirs()
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in candidate_files(dirs):
        try:
            wf = load_file(path, validators, dirs)
        except InvalidWorkflow as exc:
            rows.append({"id": None, "path": str(path), "valid": False, "problems": len(exc.details)})
            continue
        shadowed = wf.id in seen
        seen.add(wf.id)
        rows.append({"id": wf.id, "version": wf.version, "title": wf.title, "path": str(path), "valid": True,
                     "stages": len(wf.stages), "checks": sum(len(s.checks) for s in wf.stages.values()),
                     "shadowed": shadowed, "extends": [p["id"] for p in wf.parents]})
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No workflows found.")
    for r in rows:
        if not r["valid"]:
            click.echo(f"(invalid)  {r['path']}: {r['problems']} problem(s); see `coflow workflow validate {r['path']}`")
        else:
            note = "  (hidden by an earlier one with the same id)" if r["shadowed"] else ""
            if r["extends"]:
                note += f"; built on {' < '.join(r['extends'])}"
            click.echo(f"{r['id']:<16} {r['version']:<10} {r['title']} - {r['stages']} stages, "
                       f"{r['checks']} checks{note}\n{'':<16} {r['path']}")


@workflow.command()
@click.argument("ref")
@click.option("--resolved", is_flag=True,
              help="Print the whole workflow as coflow runs it (with `extends` merged) as TOML.")
@json_option
@click.pass_obj
def show(app, ref: str, resolved: bool, as_json: bool) -> None:
    """The stages and checks of a workflow (an id or a path)."""
    from coflow.checks.asks import asks

    wf = _engine(app).load_workflow(ref)
    if resolved:
        _show_resolved(wf, as_json)
        return
    if as_json:
        emit_json({"id": wf.id, "version": wf.version, "title": wf.title, "hash": wf.content_hash,
                   "path": wf.path, "parents": [dict(p) for p in wf.parents], "roles": {r.id: {"title": r.title, "lived_experience": r.lived_experience}
                                               for r in wf.roles.values()},
                   "stages": [{"id": s.id, "title": s.title, "guidance": s.guidance, "next": s.next,
                               "ways": [{"stage": c.stage, "when": c.when} for c in s.choices],
                               "due_days": s.due_days, "remind_days": s.remind_days,
                               "escalate_days": s.escalate_days,
                               "final": s.final, "allow_override": s.allow_override,
                               "checks": [{"id": c.id, "type": c.type, "title": c.title, "severity": c.severity,
                                           "hint": c.hint, "source": c.source, "params": c.params,
                                           "asks": asks(c.type, c.params)}
                                          for c in s.checks]} for s in wf.stages.values()]})
        return
    click.echo(f"{wf.title} ({wf.id}, version {wf.version})")
    for parent in wf.parents[:1]:
        click.echo(f"Built on {parent['id']} version {parent['version']} "
                   f"(`coflow workflow show --resolved {wf.id}` prints the merged file)")
    if wf.description:
        click.echo(wf.description)
    for s in wf.stages.values():
        click.echo(f"\n{s.title}{' (final)' if s.final else ''}")
        if s.guidance:
            click.echo(f"  {s.guidance}")
        for c in s.checks:
            click.echo(f"  - {c.title}{' (advisory)' if c.severity == 'advisory' else ''}")
            numbers = asks(c.type, c.params)
            if numbers:
                click.echo(f"      this workflow asks for {'; '.join(numbers)} (a local choice)")
        if s.branches:
            for choice in s.choices:
                click.echo(f"  then to {wf.stages[choice.stage].title} ({choice.stage}), {choice.describe()}")


@workflow.command()
@click.pass_obj
def schema(app) -> None:
    """A JSON Schema for workflow files, with every registered check type's settings.

    Save it beside your workflows and name it in a `#:schema` comment at the top of a
    workflow file, so editors (Taplo, VS Code's Even Better TOML) complete and check it.
    """
    from coflow.jsondoc import json_document
    from coflow.workflow.schema import build, fragments_of

    document = build(fragments_of(_engine(app).check_types))
    click.echo(json_document(document), nl=False)


def _show_resolved(wf, as_json: bool) -> None:
    if as_json:
        emit_json(wf.definition)
        return
    from coflow.workflow.totoml import dumps

    lines = [f"The {wf.id} workflow (version {wf.version}) as coflow runs it, from {wf.path}."]
    for parent in wf.parents:
        lines.append(f"Built on {parent['id']} version {parent['version']}, {parent['path']}.")
    if wf.parents:
        lines.append("This is the merged result: edit the files above, not this text.")
    click.echo(dumps(wf.definition, "\n".join(lines)), nl=False)


@workflow.command()
@click.argument("files", nargs=-1, type=click.Path())
@json_option
@click.pass_context
def validate(ctx, files: tuple[str, ...], as_json: bool) -> None:
    """Check workflow FILES (default: every one coflow can find); exit 3 if any is invalid."""
    from coflow.workflow.loader import candidate_files, load_file

    engine = _engine(ctx.obj)
    validators = engine.plugins.check_validators()
    dirs = engine.workflow_dirs()
    paths = [Path(f) for f in files] or candidate_files(dirs)
    results: list[dict[str, Any]] = []
    for path in paths:
        try:
            wf = load_file(path, validators, dirs)
            results.append({"path": str(path), "valid": True, "id": wf.id, "problems": []})
        except InvalidWorkflow as exc:
            results.append({"path": str(path), "valid": False, "problems": exc.details or [exc.message]})
        except Exception as exc:  # a missing file, a folder: reported with the rest
            from coflow.errors import CoflowError

            if not isinstance(exc, CoflowError):
                raise
            results.append({"path": str(path), "valid": False, "problems": [exc.message]})
    bad = [r for r in results if not r["valid"]]
    if as_json:
        emit_json(results)
    else:
        for r in results:
            if r["valid"]:
                click.echo(f"{r['path']}: valid ({r['id']})")
            else:
                click.echo(f"{r['path']}: INVALID", err=True)
                for p in r["problems"]:
                    click.echo(f"  - {p}", err=True)
    if bad:
        ctx.exit(3)


@workflow.command()
@click.argument("ref")
@click.option("--project", metavar="PROJECT",
              help="Colour the chart with PROJECT's progress: stages passed, where it is, the ways it took.")
@click.pass_obj
def graph(app, ref: str, project: str | None) -> None:
    """A workflow as a Mermaid flowchart (paste into a Markdown document)."""
    from coflow.workflow.graph import to_mermaid

    if project is None:
        click.echo(to_mermaid(_engine(app).load_workflow(ref)), nl=False)
        return
    from coflow.errors import UsageError

    engine = app.engine
    state = engine.get(project)
    if ref not in (state.workflow_id, state.workflow_path) and Path(ref).resolve() != Path(
            state.workflow_path or "").resolve():
        raise UsageError(f"project {project} follows the {state.workflow_id} workflow, not {ref!r}",
                         hint=f"run `coflow workflow graph {state.workflow_id} --project {project}`")
    workflow, progress = engine.progress(state)
    click.echo(to_mermaid(workflow, progress), nl=False)
