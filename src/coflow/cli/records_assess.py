"""`coflow assess PROJECT`: is co-production right here, or something lighter?

Asks each question on a terminal (or with --interactive); scripts give every score as an
option. The recommendation and what held it back are shown and recorded.
"""

from __future__ import annotations

import sys

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option

CRITERIA_OPTIONS = ("authority", "shared-aims", "scale", "outcomes", "resources", "delivery-role")


def score_options(func):
    for name in reversed(CRITERIA_OPTIONS):
        func = click.option(f"--{name}", name.replace("-", "_"), metavar="0-2",
                            help=f"Score for {name.replace('-', ' ')} (0, 1 or 2).")(func)
    return func


PIPED_ANSWERS = ("each score on its own line, then a line for its note (an empty line for no note), "
                 "then yes or no: can people only choose between fixed options (an empty line for no), "
                 "then the level claimed (an empty line takes the recommendation)")


def _score() -> int:
    """One score, asked until it is 0, 1 or 2."""
    while True:
        answer = click.prompt("  Score (0, 1 or 2)", default="", show_default=False).strip()
        if answer in ("0", "1", "2"):
            return int(answer)
        click.echo("  Please answer 0, 1 or 2.")


def _ask(answers: dict, notes: dict, claimed: str | None, justification: str | None,
         rules: dict | None = None) -> tuple[str | None, str | None]:
    """Ask for every answer not given as an option; returns (claimed, justification)."""
    try:
        return _questions(answers, notes, claimed, justification, rules)
    except click.Abort:
        if sys.stdin.isatty():
            raise
        from coflow.errors import UsageError

        raise UsageError("the answers ended before every question was answered; nothing was recorded",
                         hint=f"piped answers give {PIPED_ANSWERS}") from None


def _questions(answers: dict, notes: dict, claimed: str | None,
               justification: str | None, rules: dict | None = None) -> tuple[str | None, str | None]:
    from coflow.records.assessment import (
        CRITERIA,
        FIXED_OPTIONS_QUESTION,
        LEVEL_WORDS,
        LEVELS,
        QUESTIONS,
        recommend,
    )

    click.echo("Suitability assessment: six questions, each scored 0, 1 or 2.\n")
    for criterion in CRITERIA:
        question, meanings = QUESTIONS[criterion]
        if answers.get(criterion) is None:
            click.echo(f"{criterion.replace('_', ' ').capitalize()}: {question}")
            for value, meaning in enumerate(meanings):
                click.echo(f"  {value} = {meaning}")
            answers[criterion] = _score()
            note = click.prompt("  A note, or an empty line for none", default="", show_default=False)
            if note.strip():
                notes[criterion] = note
            click.echo()
    if answers.get("fixed_options") is None:
        answers["fixed_options"] = click.confirm(FIXED_OPTIONS_QUESTION, default=False)
        click.echo()
    level, held = recommend({c: int(answers[c]) for c in CRITERIA}, bool(answers["fixed_options"]), rules)
    click.echo(f"Recommended level: {level} ({LEVEL_WORDS[level]}).")
    if held:
        click.echo(f"Held back by: {', '.join(c.replace('_', ' ') for c in held)}.")
    if claimed is None:
        claimed = click.prompt("The level the project will claim", type=click.Choice(LEVELS), default=level)
    if LEVELS.index(claimed) > LEVELS.index(level) and not justification:
        justification = click.prompt(f"Why claim {claimed} when {level} is recommended")
    return claimed, justification


def _echo(project: str, record: dict) -> None:
    from coflow.records.assessment import CRITERIA, LEVEL_WORDS

    click.echo(f"Suitability assessment for {project} (by {record.get('actor')}, {str(record.get('ts', ''))[:10]}):")
    for criterion in CRITERIA:
        note = record.get("notes", {}).get(criterion)
        click.echo(f"  {criterion.replace('_', ' '):<14} {record['scores'][criterion]}" + (f"  ({note})" if note else ""))
    if record.get("fixed_options"):
        click.echo("  People can only choose between options already fixed.")
    level = record["recommended"]
    click.echo(f"Recommended level: {level} ({LEVEL_WORDS[level]}).")
    if record.get("held_back_by"):
        click.echo(f"Held back by: {', '.join(c.replace('_', ' ') for c in record['held_back_by'])}.")
    if record.get("claimed"):
        click.echo(f"Level claimed: {record['claimed']}" + (f" - justification: {record['justification']}"
                                                           if record.get("justification") else ""))


@click.command()
@click.argument("project")
@score_options
@click.option("--note", "notes", multiple=True, metavar="CRITERION=TEXT",
              help="A note on one criterion, such as authority=\"the director chairs the group\" (repeat).")
@click.option("--fixed-options/--open-options", "fixed_options", default=None,
              help="Whether people can only choose between options already fixed (then consult at most); "
                   "default: asked at a terminal, otherwise no.")
@click.option("--rules", "show_rules", is_flag=True,
              help="Show the rules that turn the scores into a recommendation (coflow.toml [assessment]); record nothing.")
@click.option("--claimed", help="The level the project claims: inform, consult, engage, co-design or co-production.")
@click.option("--justification", help="Why, when the level claimed is above the recommendation.")
@click.option("--interactive/--no-interactive", default=None,
              help="Ask for missing answers (default: only when typing at a terminal).")
@click.option("--show", is_flag=True, help="Show the latest assessment; record nothing.")
@json_option
@click.pass_obj
@forceable()
def assess(app, project: str, notes: tuple[str, ...], claimed: str | None, justification: str | None,
           interactive: bool | None, show: bool, as_json: bool, fixed_options: bool | None, show_rules: bool,
           **scores) -> None:
    """Score the six "right circumstances" for PROJECT and get a recommended level of involvement."""
    from coflow.errors import UsageError
    from coflow.records import assessment
    from coflow.records.values import about, score

    rules = app.engine.config.assessment or assessment.DEFAULT_RULES
    if show_rules:
        from coflow.records.assessment_rules import describe

        emit_json(rules) if as_json else click.echo("\n".join(describe(rules)))
        return

    if show:
        record = app.engine.get(project).assessment
        if record is None:
            raise UsageError(f"{project} has no suitability assessment yet", hint=f"run `coflow assess {project}`")
        emit_json(record) if as_json else _echo(project, record)
        return
    note_map: dict[str, str] = {}
    for item in notes:
        key, sep, text = item.partition("=")
        if not sep:
            raise UsageError(f"--note {item!r} is not CRITERION=TEXT", hint='such as --note scale="one neighbourhood"')
        note_map[key.strip().replace("-", "_")] = text
    answers = dict(scores)
    with about("suitability assessment"):
        for key, value in answers.items():
            if value is not None:
                answers[key] = score(value, key)
        claimed = assessment.level(claimed)
    piped = interactive is None and not sys.stdin.isatty()
    if interactive is None:
        interactive = sys.stdin.isatty() and not as_json
    given = {**answers, "claimed": claimed, "justification": justification, "fixed_options": fixed_options}
    if assessment.reusing(given):
        pass  # a new claim on the latest scores: nothing to ask
    elif assessment.missing(answers) and interactive:
        app.engine.get(project)  # no questions about a project that does not exist
        answers["fixed_options"] = fixed_options
        claimed, justification = _ask(answers, note_map, claimed, justification, rules)
        fixed_options = answers.pop("fixed_options")
    else:
        why = "input is not coming from a terminal, so " if piped else ""
        assessment.require_all(answers, project, why)
    record = assessment.assess(app.engine, project, app.actor,
                               {**answers, "notes": note_map, "claimed": claimed, "justification": justification,
                                "fixed_options": fixed_options})
    if as_json:
        emit_json(record)
    else:
        _echo(project, record)
        click.echo("Recorded.")
