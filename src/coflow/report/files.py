"""Writing a report file so that it is either wholly there or not there at all."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coflow.errors import NotFound, UsageError
from coflow.files import atomic_write


def check_target(path: str | Path) -> Path:
    """Refuse, before any work is done, a path whose folder is missing or that is a folder."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise UsageError(f"{target} is a folder, not a file name",
                         hint=f"give a file name inside it, such as {target / 'report.html'}")
    if not target.parent.is_dir():
        raise NotFound(f"the folder {target.parent} does not exist, so the report cannot be written to {target}",
                       hint=f"create the folder first (mkdir -p {target.parent}) or choose another path")
    return target


def write_report(path: str | Path, text: str | Iterable[str], private: bool = False) -> Path:
    """Write a report (its text, or its text in pieces) whole or not at all; a report with
    names in it is readable by its owner only."""
    target = check_target(path)
    data = text if isinstance(text, str) else (piece.encode("utf-8") for piece in text)
    try:
        return atomic_write(target, data, private=private)
    except OSError as exc:
        raise UsageError(f"could not write the report to {target}: {exc.strerror or exc}",
                         hint="check the folder is writable and the disk has space") from None
