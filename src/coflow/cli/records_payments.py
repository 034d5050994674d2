"""`coflow payment add|update|list`: paying people for their time, and their expenses."""

from __future__ import annotations

import click

from coflow.cli.forcing import forceable
from coflow.cli.output import json_option
from coflow.cli.records import show_list, show_record

STATUS_HELP = "paid, voucher, pending or declined (they chose not to be paid)."
EXPENSES_HELP = "none, claimed, settled or refused (refused needs --expenses-reason)."
COLUMNS = [("id", "id"), ("participant", "participant"), ("session", "session"), ("amount", "amount"),
           ("status", "status"), ("date", "date"), ("finance ref", "finance_ref"), ("expenses", "expenses"),
           ("expenses status", "expenses_status"), ("declined on", "declined_on")]
SHOWN = [("Participant", "participant"), ("Session", "session"), ("Amount", "amount"), ("Status", "status"),
         ("Date", "date"), ("Finance reference", "finance_ref"), ("Expenses", "expenses"),
         ("Expenses status", "expenses_status"), ("Chose not to be paid on", "declined_on")]


def payment_options(updating: bool):
    """The payment options: for `add` with what is needed and the defaults; for `update`,
    where only the options given change anything, without defaults."""
    if updating:
        helps = {
            "session": "The session it pays for, such as S-001.",
            "amount": "The new amount, such as 25 or 12.50 (0 or more).",
            "status": "The new status: " + STATUS_HELP,
            "finance_ref": "Your finance system's reference, such as PO-2026-0142 (never bank details).",
            "date": "The new date it was paid or became due, such as 2026-03-04 (not in the future).",
            "expenses": "The new expenses amount, such as 12.40 (more than 0 marks them claimed).",
            "expenses_status": EXPENSES_HELP,
            "expenses_reason": "Why expenses were refused.",
            "declined_on": "The day the person told you they choose not to be paid (with --status declined).",
        }
    else:
        helps = {
            "session": "The session paid for, such as S-001.",
            "amount": "Needed: the amount, such as 25 or 12.50 (0 or more).",
            "status": "Needed: " + STATUS_HELP,
            "finance_ref": "Your finance system's reference, such as PO-2026-0142 (never bank details).",
            "date": "When it was paid or became due, such as 2026-03-04 (default today; not in the future).",
            "expenses": "Expenses claimed, such as 12.40 (default 0).",
            "expenses_status": EXPENSES_HELP.removesuffix(".") + "; default claimed when there are expenses, "
                               "none when not.",
            "expenses_reason": "Why expenses were refused.",
            "declined_on": "With --status declined: the day the person told you they choose not to be paid.",
        }

    def decorate(func):
        for option in reversed([
            click.option("--session", help=helps["session"]),
            click.option("--amount", help=helps["amount"]),
            click.option("--status", help=helps["status"]),
            click.option("--finance-ref", "finance_ref", help=helps["finance_ref"]),
            click.option("--date", help=helps["date"]),
            click.option("--expenses", help=helps["expenses"]),
            click.option("--expenses-status", "expenses_status", help=helps["expenses_status"]),
            click.option("--expenses-reason", "expenses_reason", help=helps["expenses_reason"]),
            click.option("--declined-on", "declined_on", help=helps["declined_on"]),
        ]):
            func = option(func)
        return func

    return decorate


@click.group()
def payment() -> None:
    """Payments and recognition for participants' time (no bank details, ever)."""


@payment.command("add")
@click.argument("project")
@click.option("--id", "pay_id", help="Give the id yourself (default: the next free PAY-001, ...).")
@click.option("--participant", required=True, help="Who is paid, such as P-001.")
@payment_options(updating=False)
@json_option
@click.pass_obj
@forceable()
def add(app, project: str, pay_id: str | None, as_json: bool, **fields) -> None:
    """Record a payment to a participant of PROJECT."""
    from coflow.records import payments

    record = payments.add(app.engine, project, app.actor, id=pay_id, **fields)
    show_record(record, as_json, f"Recorded payment {record['id']} for {record['participant']}.", SHOWN)


@payment.command("update")
@click.argument("project")
@click.argument("payment_id", metavar="PAYMENT")
@payment_options(updating=True)
@json_option
@click.pass_obj
@forceable()
def update(app, project: str, payment_id: str, as_json: bool, **fields) -> None:
    """Change payment PAYMENT, such as from pending to paid.

    Only the options you give change; everything else stays as recorded.
    """
    from coflow.records import payments

    record, changed = payments.update(app.engine, project, app.actor, payment_id, **fields)
    sentence = (f"Updated payment {payment_id}." if changed
                else f"Nothing to change: payment {payment_id} already has these details.")
    show_record(record, as_json, sentence, SHOWN)


@payment.command("list")
@click.argument("project")
@click.option("--participant", help="Only this participant's payments.")
@click.option("--status", help="Only payments with this status, such as pending.")
@json_option
@click.pass_obj
def list_(app, project: str, participant: str | None, status: str | None, as_json: bool) -> None:
    """List PROJECT's payments."""
    from coflow.records import payments

    show_list(payments.listing_for(app.engine, project, participant, status), COLUMNS, as_json,
              "No payments recorded.")
