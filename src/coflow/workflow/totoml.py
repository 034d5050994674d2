"""A workflow definition written back as TOML (`coflow workflow show --resolved`).

Only what a workflow holds: text, numbers, true/false, lists and tables. Key order is kept,
because the order of stages means something, so reading the output back gives the same
definition.
"""

from __future__ import annotations

import json
import re

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name: str) -> str:
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(lines: list[str], header: str, table: dict[str, Any], array: bool = False) -> None:
    """One [header] (or [[header]]) with its plain keys, then its sub-tables."""
    lines.append("")
    lines.append(f"[[{header}]]" if array else f"[{header}]")
    nested = []
    for key, value in table.items():
        if key == "checks" and _is_table_list(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        for item in value:
            _table(lines, f"{header}.{_key(key)}", item, array=True)


def dumps(definition: dict[str, Any], comment: str = "") -> str:
    """The definition as a TOML document (top-level keys, [workflow], [roles], [stages.*])."""
    lines = [f"# {line}" if line else "#" for line in comment.splitlines()]
    for key, value in definition.items():
        if not isinstance(value, dict):
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in definition.items():
        if not isinstance(value, dict):
            continue
        if key == "stages":
            for name, stage in value.items():
                _table(lines, f"stages.{_key(name)}", stage)
        else:
            _table(lines, _key(key), value)
    return "\n".join(lines).lstrip("\n") + "\n"
