"""TOML reading in one place: tomllib on 3.11+, tomli before."""

from __future__ import annotations

import math
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as _toml

TOMLDecodeError = _toml.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    return _toml.loads(text)


def parse_scalar(text: str) -> Any:
    """Read a command-line value as a TOML scalar (number, boolean, date), else keep the text.

    Infinity and not-a-number (`inf`, `nan`, or a number too large such as 1e400) are
    refused: no check can compare with them and JSON cannot carry them.
    """
    stripped = text.strip()
    if not stripped:
        return text
    try:
        value = _toml.loads(f"v = {stripped}")["v"]
    except _toml.TOMLDecodeError:
        return text
    if isinstance(value, (list, dict)):
        return text
    if isinstance(value, float) and not math.isfinite(value):
        from coflow.errors import UsageError

        raise UsageError(f"{stripped!r} is not a finite number (it reads as infinity or not-a-number)",
                         hint="give an ordinary number such as 750 or 12.5; to record the word itself, "
                              f"put it in quotes: '\"{stripped}\"'")
    return value
