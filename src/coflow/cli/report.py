"""`coflow report`: the accountability report of one project, or the portfolio overview."""

from __future__ import annotations

from collections.abc import Iterator

import click

from coflow.errors import CoflowError, UsageError

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


@click.command()
@click.argument("project", required=False)
@click.option("--all", "all_projects", is_flag=True, help="A portfolio overview of every project instead of one report.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default=None,
              help="md (Markdown, the default), html (one file to share or print) or json (for scripts).")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of the screen (- means the screen).")
@click.option("--include-names", is_flag=True,
              help="Show participants' names from the personal records (honouring how each asked to be credited).")
@click.option("--overdue-days", type=click.IntRange(min=1), default=30, show_default=True,
              help="Payments and feedback waiting longer than this count as overdue.")
@click.option("--min-count", type=click.IntRange(min=0), default=None, metavar="N",
              help="Show groups and recruitment routes with fewer than N people as \"fewer than N\" "
                   "(default: report_min_count in coflow.toml, which is 3; 0 shows exact numbers).")
@click.pass_obj
def report(app: Any, project: str | None, all_projects: bool, fmt: str | None, as_json: bool,
           output: str | None, include_names: bool, overdue_days: int, min_count: int | None) -> None:
    """The accountability report of PROJECT: timeline, gates, people, payments, feedback, evidence.

    With --all, an overview of every project: where each is, what blocks it, what is overdue.
    """
    fmt = _format(fmt, as_json)
    if not all_projects and not project:
        raise UsageError("give a project, or --all for every project",
                         hint="coflow report carers-hub --format html -o report.html, or coflow report --all")
    if all_projects and project:
        raise UsageError(f"give a project or --all, not both (you gave {project!r} and --all)",
                         hint=f"coflow report {project} for its report, or coflow report --all for every project")
    if all_projects and include_names:
        raise UsageError("--include-names works only for one project's report",
                         hint="the portfolio overview never shows names")
    target = None
    if output and output != "-":
        from coflow.report.files import check_target

        target = check_target(output)  # before any work, so a bad path costs nothing
    if all_projects:
        chunks = _portfolio(app.engine, fmt, overdue_days)
        if target is None:
            from coflow.cli.output import emit_chunks

            emit_chunks(chunks)
            return
        from coflow.report.files import write_report

        write_report(target, chunks)
        click.echo(f"Wrote the portfolio overview to {target}", err=True)
        return
    from coflow.report import render

    assert project is not None  # checked above: a project or --all
    text = render(_project(app.engine, project, include_names, overdue_days, min_count), fmt)
    if target is None:
        click.echo(text, nl=False)
        return
    from coflow.report.files import write_report

    write_report(target, text, private=include_names)
    click.echo(f"Wrote the report to {target}", err=True)


def _format(fmt: str | None, as_json: bool) -> str:
    if as_json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} ask for two different formats", hint="use one of them")
    return "json" if as_json else (fmt or "md")


def _project(engine: Any, project_id: str, include_names: bool, overdue_days: int, min_count: int | None) -> dict:
    from coflow.records.evidence import check_files
    from coflow.report.data import build_report

    state = engine.get(project_id, whole_history=True)  # never the snapshot: a report is read as the record
    files = {found["id"]: found["status"] for found in check_files(engine, state.evidence.values())}
    workflow = engine.pinned_workflow(state)
    gate = engine.evaluate(state)
    personal = engine.personal_details(project_id) if include_names else None
    return build_report(state, workflow, gate=gate, personal=personal, overdue_days=overdue_days,
                        currency=engine.config.currency, evidence_files=files,
                        min_count=engine.config.report_min_count if min_count is None else min_count)


def _portfolio(engine: Any, fmt: str, overdue_days: int) -> Iterator[str]:
    """The overview's text in pieces: each project read, judged and rendered in turn, so
    memory does not grow with the number of projects."""
    from coflow.every_project import workflow_changes
    from coflow.report.data import utc
    from coflow.report.portfolio import error_row, project_row
    from coflow.report.portfolio_text import stream
    from coflow.storage.paging import project_histories

    now = utc(None)
    changed = workflow_changes(engine)

    def rows() -> Iterator[dict]:
        for project_id, _row, events in project_histories(engine.store):
            try:
                state = engine.fold(project_id, events)
                workflow = engine.pinned_workflow(state)
                yield project_row(state, workflow, engine.evaluate(state), now, overdue_days,
                                  workflow_changed=changed(state))
            except CoflowError as exc:  # one unreadable project must not hide the others
                yield error_row(project_id, exc.message)

    return stream(rows(), fmt, now, overdue_days)
