"""Plain words for report values, shared by the Markdown and HTML renderers.

The data keeps exact values (ISO times, seconds, status codes); people read these words.
"""

from __future__ import annotations

from coflow.dates import parse_timestamp as parse_when
from coflow.report.basics import ERASED_LABEL  # noqa: F401 (ERASED_LABEL is used by renderers)

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

CHECK_STATUS = {"pass": "met", "fail": "not met", "error": "could not be checked"}
HOW = {"created": "started here", "advanced": "all required checks met", "override": "moved on by override",
       "reopened": "reopened", "relabelled": "relabelled (moved to another workflow)"}
PAYMENT_STATUS = {"paid": "paid", "voucher": "voucher given", "pending": "waiting to be paid",
                  "declined": "declined payment", "unknown": "status not recorded"}
EXPENSES_STATUS = {"none": "no expenses", "claimed": "claimed, not yet settled", "settled": "settled",
                   "refused": "refused", "unknown": "status not recorded"}
FEEDBACK_STATUS = {"open": "waiting for a response", "adopted": "done as suggested",
                   "adapted": "done in a changed form", "not-adopted": "not done"}
FORMATS = {"in-person": "in person", "virtual": "online", "hybrid": "in person and online", "phone": "by phone",
           "home-visit": "home visit"}
COMPARISON = {
    "matches": "The level claimed is the level the assessment recommends.",
    "higher": "The level claimed is higher than the assessment recommends.",
    "lower": "The level claimed is lighter than the assessment recommends.",
    "not claimed": "No level has been claimed yet.",
    "different": "The level claimed differs from the one recommended.",
}
CRITERIA = {"authority": "authority to work differently", "shared_aims": "shared aims",
            "scale": "the right scale", "outcomes": "clear, measurable outcomes",
            "resources": "enough resources and time", "delivery_role": "a role in delivery and evaluation"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def day(value: Any) -> str:
    """'4 March 2026': a date nobody can misread, whatever their country."""
    when = parse_when(value)
    if when is None:
        return str(value) if value else "no date"
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def day_short(value: Any) -> str:
    """'4 Mar 2026', for table cells on narrow screens."""
    when = parse_when(value)
    if when is None:
        return str(value) if value else "no date"
    return f"{when.day} {MONTHS[when.month - 1][:3]} {when.year}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    if seconds < 3600:
        return "less than an hour"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = int(round(seconds / 86400))
    return f"{days} day{'s' if days != 1 else ''}"


CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
DEFAULT_CURRENCY = "GBP"


def money(amount: float | None, currency: str | None = None) -> str:
    """'£1,250.00'; a currency without a symbol here is shown by its code: 'CHF 1,250.00'."""
    code = currency or DEFAULT_CURRENCY
    figure = f"{amount or 0:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{figure}" if symbol else f"{code} {figure}"


def number(value: float | None) -> str:
    value = value or 0
    return f"{value:g}" if float(value) != int(value) else f"{int(value)}"


def percent(share: float | None) -> str:
    return "none recorded" if share is None else f"{round(share * 100)}%"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def yes_no(flag: Any) -> str:
    return "yes" if flag else "no"


def word(table: dict[str, str], key: Any) -> str:
    return table.get(key, str(key) if key not in (None, "") else "not recorded")


def check_status(check: dict) -> str:
    text = word(CHECK_STATUS, check.get("status"))
    return f"{text} (advisory)" if check.get("severity") == "advisory" else text


def criterion(name: str) -> str:
    return CRITERIA.get(name, name.replace("_", " "))


def people_line(part: dict) -> str:
    """'5 (80% with lived experience)', or 'none recorded yet'."""
    if not part["total"]:
        return "none recorded yet"
    return f"{part['total']} ({percent(part['lived_experience_share'])} with lived experience)"


def feedback_status(item: dict) -> str:
    text = word(FEEDBACK_STATUS, item.get("status"))
    if item.get("days_open") is not None:
        text += f" ({plural(item['days_open'], 'day')})"
    return text


def stage_since(r: dict) -> str:
    """', finished on 3 April 2026' or ', since 15 January 2026 (45 days)'."""
    stage, current = r["project"]["stage"], (r["timeline"][-1] if r["timeline"] else None)
    if current is None:
        return ""
    if stage["final"]:
        return f", finished on {day(stage['entered'])}"
    return f", since {day(stage['entered'])} ({duration(current['seconds'])})"


FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


def _bidi_pattern() -> Any:
    """Explicit direction controls and right-to-left letters (compiled on first use)."""
    global _BIDI
    if _BIDI is None:
        import re

        _BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe"
                           "\U00010800-\U00010fff\U0001e800-\U0001efff]")
    return _BIDI


_BIDI: Any = None


def isolate(text: Any) -> Any:
    """Recorded text that could change the direction of what follows it (a right-to-left
    override, Arabic or Hebrew) wrapped in Unicode isolates, so it cannot reorder the rest
    of the line; other text is returned as it is (Markup stays Markup)."""
    if isinstance(text, str) and _bidi_pattern().search(text):
        return text.__class__(FSI) + text + text.__class__(PDI)
    return text


def waited(item: dict) -> str:
    """After a payment's status: how long one still to be made has waited, or the day the
    person chose not to be paid ("" otherwise)."""
    if item.get("waiting_days") is not None:
        return f" for {plural(int(item['waiting_days']), 'day')}"
    if item.get("status") == "declined":
        return f" (their choice, told {day(item['declined_on'])})" if item.get("declined_on") else " (their choice not recorded)"
    return ""


def who(entry: Any) -> str:
    """Who acted, and who recorded it when that was someone else ("P-003 (recorded by amensah)")."""
    name = str(entry.get("actor") or "")
    return f"{name} (recorded by {entry['recorded_by']})" if entry.get("recorded_by") else name


def signer(entry: Any) -> str:
    """A sign-off as a report tells it: given in coflow from the person's own account, or
    given another way (a signed form, an email) and recorded for them, with its evidence."""
    if entry.get("on_behalf_of"):
        return (f"{entry['on_behalf_of']}, given outside coflow ({entry.get('how') or 'how not said'}, "
                f"evidence {entry.get('evidence')}), recorded by {entry.get('recorded_by')}")
    return f"{who(entry)}, signed in coflow from their own account" if entry.get("own_account") else who(entry)
