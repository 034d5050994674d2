"""One JSON document for scripts and files: indented, non-ASCII kept, strict.

Every --json answer, JSON report and JSON anchor is written here. Strict means a value JSON
cannot carry is an error rather than quietly turned into text: an infinity or NaN becomes
a plain StoreError, and anything else (a date, a Path, an object) is a bug for the caller
to convert explicitly.

A long list (`status --json` over every project, the portfolio's projects) can be written
an item at a time: `json_array_chunks` and `json_object_chunks` give exactly the text
`json_document` gives for the whole, in pieces, so the list is never held at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def json_document(data: Any) -> str:
    """`data` as indented JSON text, ending in a newline."""
    return _dumps(data) + "\n"


def json_array_chunks(items: Iterable[Any], level: int = 0) -> Iterator[str]:
    """The text of `json_document(list(items))`, one item at a time (without the final
    newline); `level`: how deep the array sits in an enclosing document."""
    pad = "  " * (level + 1)
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + pad + _dumps(item).replace("\n", "\n" + pad)
        first = False
    yield "[]" if first else "\n" + "  " * level + "]"


def json_object_chunks(head: dict[str, Any], key: str, items: Iterable[Any]) -> Iterator[str]:
    """The text of `json_document({**head, key: list(items)})`, the list an item at a time
    (JSON strings hold no raw newline, so indenting each line of an item is exact)."""
    text = _dumps(head)
    yield (text[:-2] + ",\n" if head else "{\n") + f"  {_dumps(key)}: "
    yield from json_array_chunks(items, level=1)
    yield "\n}\n"


def _dumps(data: Any) -> str:
    # json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False), faster
    from coflow.jsonfast import dumps

    try:
        return dumps(data)
    except ValueError as exc:
        from coflow.events import is_non_finite_error

        if not is_non_finite_error(exc):
            raise
        from coflow.errors import StoreError

        raise StoreError("the answer holds a number that is infinity or not-a-number, which JSON cannot carry",
                         hint="it was recorded by an older coflow; `coflow verify` names the event") from None
