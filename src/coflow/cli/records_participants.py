"""`coflow participant add|list|update|forget|export`: the people taking part."""

from __future__ import annotations

import click

from coflow import names
from coflow.cli.forcing import forceable
from coflow.cli.output import emit_json, json_option
from coflow.cli.records import show_list, show_record

CREDIT = click.Choice(names.CREDIT, case_sensitive=False)
COLUMNS = [("id", "id"), ("role", "role"), ("lived exp.", "lived_experience"), ("category", "category"),
           ("groups", "groups"), ("route", "route"), ("induction", "inducted"), ("training", "trained"),
           ("access needs", "needs"), ("status", "state")]
SHOWN = [("Role", "role"), ("Lived experience", "lived_experience"), ("Category", "category"),
         ("Groups", "groups"), ("Recruited through", "route"), ("Induction", "inducted"),
         ("Training", "trained"), ("Access needs recorded", "access_needs"),
         ("Access needs met", "access_needs_met"), ("Signs off as", "actor"),
         ("Asked about access needs", "access_asked"), ("Withdrew", "withdrawn")]


def personal_options(func):
    """Personal details: kept in the personal-data table, never in the project's history."""
    for option in reversed([
        click.option("--name", help="The person's name (personal data: never in the history)."),
        click.option("--email", help="Email address (personal data)."),
        click.option("--phone", help="Phone number (personal data)."),
        click.option("--address", help="Postal address (personal data)."),
        click.option("--access-needs", "access_needs",
                     help="What the person needs to take part, in words (personal data); "
                          "the history records only that needs exist."),
    ]):
        func = option(func)
    return func


@click.group()
def participant() -> None:
    """The people taking part: pseudonymous ids in the history, personal details kept apart."""


@participant.command("add")
@click.argument("project")
@click.option("--id", "pid", help="Give the id yourself (default: the next free P-001, P-002, ...).")
@click.option("--role", default="partner", show_default=True,
              help="Their role in the project, such as partner, co-chair or staff.")
@click.option("--lived-experience/--no-lived-experience", default=False,
              help="Whether they take part because of their lived experience.")
@click.option("--category", help="A coarse category such as carer or stroke survivor (never a diagnosis).")
@click.option("--group", "groups", multiple=True,
              help="A diversity-monitoring group they chose to share (repeat for several).")
@click.option("--route", help="How they were recruited, such as open-call or community-partner.")
@click.option("--access-needs-met", is_flag=True, default=False,
              help="Their access needs are met (leave out while they are not).")
@click.option("--credit", type=CREDIT, help="How they want to be credited: name, initials or anonymous.")
@click.option("--future-contact/--no-future-contact", default=None, help="Whether they agree to be contacted later.")
@click.option("--induction", "inducted", help="Date of their induction, such as 2026-02-12.")
@click.option("--training", "trained", help="Date of their training, such as 2026-03-02.")
@click.option("--payment-info", "payment_info",
              help="Date they were given information about payment, such as 2026-02-12.")
@click.option("--signs-as", "signs_as", help="The coflow actor name they sign off with, if any.")
@click.option("--access-asked", "access_asked",
              help="Date they were asked what they need in order to take part, such as 2026-02-12.")
@personal_options
@json_option
@click.pass_obj
@forceable()
def add(app, project: str, pid: str | None, as_json: bool, **fields) -> None:
    """Add a participant to PROJECT."""
    from coflow.records import participants

    record = participants.add(app.engine, project, app.actor, id=pid, **fields)
    show_record(record, as_json, f"Added participant {record['id']} to {project}.", SHOWN)


@participant.command("update")
@click.argument("project")
@click.argument("participant_id", metavar="ID")
@click.option("--role", help="Their new role, such as co-chair or co-facilitator.")
@click.option("--lived-experience/--no-lived-experience", default=None,
              help="Whether they take part because of their lived experience.")
@click.option("--category", help="A coarse category (never a diagnosis).")
@click.option("--group", "groups", multiple=True, help="Replaces their groups (repeat for several).")
@click.option("--route", help="How they were recruited.")
@click.option("--access-needs-met/--access-needs-not-met", default=None, help="Whether their access needs are met.")
@click.option("--no-access-needs", "clear_access_needs", is_flag=True, default=False,
              help="They no longer have access needs (their description is removed).")
@click.option("--credit", type=CREDIT, help="How they want to be credited.")
@click.option("--future-contact/--no-future-contact", default=None,
              help="Whether they agree to be contacted later.")
@click.option("--induction", "inducted", help="Date of their induction, such as 2026-02-12.")
@click.option("--training", "trained", help="Date of their training, such as 2026-03-02.")
@click.option("--payment-info", "payment_info",
              help="Date they were given information about payment, such as 2026-02-12.")
@click.option("--signs-as", "signs_as", help="The coflow actor name they sign off with.")
@click.option("--access-asked", "access_asked",
              help="Date they were asked what they need in order to take part, such as 2026-02-12.")
@click.option("--withdrawn", "withdrawn",
              help="Date they stopped taking part, such as 2026-04-30: from then on they are not "
                   "expected at sessions; nothing is erased.")
@click.option("--reason", "withdrawn_reason",
              help="Why they withdrew, with --withdrawn (kept with personal details, never in the history).")
@personal_options
@json_option
@click.pass_obj
@forceable(own_reason="withdrawn_reason", private_with="withdrawn")
def update(app, project: str, participant_id: str, as_json: bool, groups: tuple[str, ...], **fields) -> None:
    """Change what is recorded about participant ID.

    Only the options you give change; everything else stays as recorded.
    """
    from coflow.records import participants

    record, changed = participants.update(app.engine, project, app.actor, participant_id,
                                          groups=list(groups) or None, **fields)
    sentence = (f"Updated participant {participant_id}." if changed
                else f"Nothing to change: participant {participant_id} already has these details.")
    show_record(record, as_json, sentence, SHOWN)


def _row(record: dict) -> dict:
    row = dict(record)
    if not record.get("access_needs"):
        row["needs"] = "none"
    else:
        row["needs"] = "met" if record.get("access_needs_met") else "NOT met"
    row["state"] = ("forgotten" if record.get("erased")
                    else f"withdrew {record['withdrawn']}" if record.get("withdrawn") else "active")
    for key in ("name", "email", "phone"):
        row[key] = (record.get("personal") or {}).get(key)
    return row


@participant.command("list")
@click.argument("project")
@click.option("--personal", is_flag=True,
              help="Also show names and contact details (take care where you share the output).")
@json_option
@click.pass_obj
def list_(app, project: str, personal: bool, as_json: bool) -> None:
    """List PROJECT's participants (pseudonymous unless --personal)."""
    from coflow.records import participants

    records = participants.listing_for(app.engine, project, personal=personal)
    columns = COLUMNS + ([("name", "name"), ("email", "email"), ("phone", "phone")] if personal else [])
    show_list(records if as_json else [_row(r) for r in records], columns, as_json,
              f"No participants yet. Add one with `coflow participant add {project} --lived-experience`.")


def stdin_is_terminal() -> bool:
    """Whether a person is typing (a script's piped input gets no question)."""
    import sys

    return sys.stdin.isatty()


@participant.command("forget")
@click.argument("project")
@click.argument("participant_id", metavar="ID")
@click.option("--reason", required=True,
              help="Why (kept in the history, so write no names), such as \"asked to be removed\".")
@click.option("--yes", "confirmed", is_flag=True, default=False,
              help="Erase without asking (asked only when typing at a terminal).")
@json_option
@click.pass_obj
@forceable(own_reason=True)
def forget(app, project: str, participant_id: str, reason: str, confirmed: bool, as_json: bool) -> None:
    """Erase participant ID's personal details; the history keeps only their pseudonymous id.

    At a terminal coflow asks first, since this cannot be undone; scripts are not asked.
    Saying no is a choice, not an error: nothing is erased and the exit code is 0.
    """
    from coflow.records import participants

    if not confirmed and stdin_is_terminal() and not click.confirm(
            f"Erase the personal details of {participant_id}? This cannot be undone.", default=False,
            err=True):  # the question goes to stderr, so --json output stays one document
        click.echo(f"Nothing erased: {participant_id}'s details are kept.", err=True)
        return
    record = participants.forget(app.engine, project, app.actor, participant_id, reason)
    show_record(record, as_json,
                f"Forgot participant {participant_id}: their personal details are erased. "
                "Their pseudonymous id stays in the history, which still verifies.")


@participant.command("export")
@click.argument("project")
@click.argument("participant_id", metavar="ID")
@json_option
@click.pass_obj
def export(app, project: str, participant_id: str, as_json: bool) -> None:
    """Everything held about participant ID, as JSON (for a subject access request).

    The output is one JSON document with or without --json (the option is there so that
    every reporting command takes it).
    """
    from coflow.records import participants

    emit_json(participants.export(app.engine, project, participant_id))
