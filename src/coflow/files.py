"""Writing a file so that it is either wholly there or not there at all.

Reports, anchors and evidence copies all go through `atomic_write`, so a crash, a full
disk or Ctrl-C never leaves half a file behind, and no temporary file is left over.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: str | os.PathLike, data: bytes | str | Iterable[bytes], private: bool = False) -> Path:
    """Write `data` to a temporary file beside `path`, sync it to disk, then rename it into place.

    `data` is text (written as UTF-8, newlines unchanged), bytes, or an iterable of byte
    chunks (for large files). A private file is readable by its owner only (0600); any
    other gets the usual permissions (0666 less the umask). On any failure the old file
    (or nothing) stays and the temporary file is removed; an OSError is left for the
    caller to explain in its own words.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, str):
                data = data.encode("utf-8")
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
