"""Indented JSON text, exactly as `json.dumps(data, indent=2, ensure_ascii=False,
allow_nan=False)` writes it, about three times faster.

The standard library encodes indented JSON in pure Python, a generator step per value;
`status --json` and `report --all --json` over 100,000 projects spent a third of their
time there. This builds the same text with joins and the standard library's own C string
encoder. Anything it does not handle itself (a key that is not a string, a value of
another type, a float that is infinite or not a number, a cycle) is handed to json.dumps,
which then says what it always said.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


class _Unusual(Exception):
    """Something json.dumps must judge itself."""


_INF = float("inf")


def dumps(data: Any) -> str:
    try:
        return _encode(data, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


_PLAIN = {type(None): lambda v: "null", bool: lambda v: "true" if v else "false", int: int.__repr__,
          str: encode_basestring}  # exact types only: a subclass goes the long way, as json.dumps does


def _encode(value: Any, newline: str) -> str:
    plain = _PLAIN.get(type(value))
    if plain is not None:
        return plain(value)
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):  # bool is caught above: it cannot be subclassed
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value == _INF or value == -_INF:
            raise _Unusual
        return float.__repr__(value)
    inner = newline + "  "
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([_encode(v, inner) for v in value]) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            plain = _PLAIN.get(type(item))
            parts.append(encode_basestring(key) + ": " + (plain(item) if plain is not None else _encode(item, inner)))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    raise _Unusual
