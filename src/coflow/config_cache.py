"""A parsed copy of coflow.toml, so an everyday command need not load the TOML parser.

Loading the parser costs a command about 4 ms of its start-up. The copy is JSON, in the
state folder, with the exact text it was parsed from. It is a cache, never the settings:
it is used only when that text is exactly coflow.toml's text now, and only when the copy
is owned by whoever owns coflow.toml and no one else may write it (so an account that may
write the state folder but not coflow.toml cannot slip settings in). In every other case
(no copy, a changed file, a value JSON cannot carry such as a date, a read-only folder)
coflow parses coflow.toml as always.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

CACHE_NAME = "coflow.toml.json"


def _cache_path(config_path: Path) -> Path:
    return config_path.parent / ".coflow" / CACHE_NAME


def read(config_path: Path, text: str) -> dict[str, Any] | None:
    """The parsed settings kept for exactly this text, or None."""
    if os.name != "posix":
        return None
    cache = _cache_path(config_path)
    try:
        with open(cache, "rb") as fh:
            held = os.fstat(fh.fileno())
            raw = fh.read()
        owner = os.stat(config_path).st_uid
    except OSError:
        return None
    if held.st_uid != owner or held.st_mode & 0o022:
        return None
    try:
        cached = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(cached, dict) or cached.get("text") != text or not isinstance(cached.get("data"), dict):
        return None
    return cached["data"]


def write(config_path: Path, text: str, data: dict[str, Any]) -> None:
    """Keep the parsed settings beside the store; quietly nothing when that cannot be done."""
    if os.name != "posix":
        return
    cache = _cache_path(config_path)
    if not cache.parent.is_dir():
        return  # never create the state folder just for this
    try:
        body = json.dumps({"text": text, "data": data}, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date or time, or a value JSON cannot carry
        return
    tmp = cache.with_name(f"{CACHE_NAME}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, cache)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
