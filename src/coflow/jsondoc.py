"""One JSON document for scripts and files: indented, non-ASCII kept, strict.

Every --json answer, JSON report and JSON anchor is written here. Strict means a value JSON
cannot carry is an error rather than quietly turned into text: an infinity or NaN becomes
a plain StoreError, and anything else (a date, a Path, an object) is a bug for the caller
to convert explicitly.
"""

from __future__ import annotations

import json
from typing import Any


def json_document(data: Any) -> str:
    """`data` as indented JSON text, ending in a newline."""
    try:
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError as exc:
        from coflow.events import is_non_finite_error

        if not is_non_finite_error(exc):
            raise
        from coflow.errors import StoreError

        raise StoreError("the answer holds a number that is infinity or not-a-number, which JSON cannot carry",
                         hint="it was recorded by an older coflow; `coflow verify` names the event") from None
