"""Writing a report file so that it is either wholly there or not there at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from coflow.errors import NotFound, UsageError


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


def write_atomic(path: str | Path, text: str, private: bool = False) -> Path:
    """Write to a temporary file beside the target, then rename it into place.

    A crash or a full disk leaves the old file (or nothing), never half a report. A report
    with names in it is readable by its owner only.
    """
    target = check_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise UsageError(f"could not write the report to {target}: {exc.strerror or exc}",
                             hint="check the folder is writable and the disk has space") from None
        raise
    return target
