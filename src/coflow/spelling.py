"""One spelling for one thing: recruitment routes, groups and lived-experience categories.

People type "Open Call", "open call" and "open-call" for the same route. If each counted
as its own, a check asking for "more than one route" would pass with one, and a report would
list one route twice. Every place that reads or compares these names (the command line, the
spreadsheet import, the checks and the reports) goes through `one_spelling`, so they agree.
Plain string work only: this module is on the import path of the records.
"""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def one_spelling(value: Any) -> str:
    """The one spelling of a name: lower case, words joined by single hyphens.

    "Open Call", " open_call ", "OPEN--CALL" and "open-call" all give "open-call";
    "Young Men" gives "young-men". Letters of any alphabet and digits are kept; spaces,
    hyphens, underscores, full stops, slashes and other punctuation only separate words.
    """
    words, word = [], []
    for char in str(value).lower():
        if char.isalnum():
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return "-".join(words)


def spelled(values: Iterable[Any]) -> list[str]:
    """Names in their one spelling, each once, in the order first seen; blanks left out."""
    seen: dict[str, None] = {}
    for value in values:
        if value is None:
            continue
        name = one_spelling(value)
        if name:
            seen.setdefault(name, None)
    return list(seen)
