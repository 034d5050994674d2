"""TOML reading in one place: tomllib on 3.11+, tomli before."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as _toml

TOMLDecodeError = _toml.TOMLDecodeError


MAX_CHARS = 16 * 1024 * 1024  # far beyond any real workflow or coflow.toml
MAX_DEPTH = 48  # tables and lists inside each other; real files use fewer than ten


def loads(text: str) -> dict[str, Any]:
    """Parse TOML; a file too large or nested too deeply is a TOMLDecodeError like any
    other syntax problem (never a RecursionError or a long wait)."""
    if len(text) > MAX_CHARS:
        raise TOMLDecodeError(f"the file is {len(text) / 1048576:.0f} MB, more than the {MAX_CHARS // 1048576} MB "
                              "a coflow file may be")
    try:
        data = _toml.loads(text)
    except RecursionError:
        raise TOMLDecodeError(f"tables or lists are nested too deeply (more than {MAX_DEPTH} levels)") from None
    if _depth(data) > MAX_DEPTH:
        raise TOMLDecodeError(f"tables or lists are nested too deeply (more than {MAX_DEPTH} levels)")
    return data


def _depth(value: Any) -> int:
    """How deeply tables and lists sit inside each other, without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest
