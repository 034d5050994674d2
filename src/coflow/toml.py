"""TOML reading in one place: tomllib on 3.11+, tomli before."""

from __future__ import annotations

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
    """Read a command-line value as a TOML scalar (number, boolean, date), else keep the text."""
    stripped = text.strip()
    if not stripped:
        return text
    try:
        value = _toml.loads(f"v = {stripped}")["v"]
    except _toml.TOMLDecodeError:
        return text
    if isinstance(value, (list, dict)):
        return text
    return value
