"""Taking an evidence file in safely: ordinary files only, a size limit, owner-only copies.

A path given to `evidence add --file` may be a symbolic link to a secret file, a FIFO or a
device that never ends, or a huge file. Each of those is refused before a byte is read:
the path is examined without following links, opened with O_NOFOLLOW and O_NONBLOCK (so a
FIFO cannot make coflow wait), and the open file is checked to be the same ordinary file.
The copy is taken in one pass (fingerprint and copy together), stops as soon as it passes
the limit, and is readable only by its owner (or the group coflow.toml names).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from coflow.errors import NotFound, UsageError

CHUNK = 1 << 20
DEFAULT_MAX_MB = 100
REF_HINT = ("if you have no file to hand, give a link or document reference instead: --ref \"https://...\" "
            "or --ref \"Board minutes 2026-03-04, item 5\"")


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def open_regular(path: str | os.PathLike, max_bytes: int) -> tuple[int, int]:
    """(an open file descriptor, its size) for an ordinary file; anything else is refused
    (exit 2) without reading it. The caller closes the descriptor."""
    shown = str(path)
    file = Path(path).expanduser()
    try:
        info = os.lstat(file)
    except FileNotFoundError:
        raise NotFound(f"evidence file {shown!r} does not exist",
                       hint="check the path and spelling; " + REF_HINT) from None
    except OSError as exc:
        raise UsageError(f"evidence file {shown!r} cannot be read: {exc.strerror}", hint="check its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"evidence file {shown!r} is a folder, not a file",
                         hint="give one file; to keep several, add each, or zip them first")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"evidence file {shown!r} is {_kind(info.st_mode)}, not an ordinary file, so it was not read",
                         hint="give the document itself (for a link, the file it points to, if you mean to share it)")
    _check_size(shown, info.st_size, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file, flags)
    except OSError as exc:
        raise UsageError(f"evidence file {shown!r} cannot be read: {exc.strerror}", hint="check its permissions") from None
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        os.close(fd)
        raise UsageError(f"evidence file {shown!r} was replaced while coflow opened it, so it was not read",
                         hint="add it again once nothing is changing it")
    return fd, opened.st_size


def _check_size(shown: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UsageError(f"evidence file {shown!r} is {size / 1048576:.1f} MB, more than the limit of "
                         f"{max_bytes / 1048576:g} MB, so it was not copied",
                         hint="give a link or document reference with --ref instead, or raise evidence_max_mb "
                              "in coflow.toml")


def copy_in(fd: int, shown: str, folder: Path, max_bytes: int, group: str | None = None) -> str:
    """Copy the open file into `folder` under its sha256 (once), in one pass; return the sha256.

    Stops, keeping nothing, as soon as more than `max_bytes` have been read (a file that grows
    while it is copied). The copy is 0600, or 0640 owned by `group`.
    """
    gid = group_id(group)
    make_private_dir(folder, gid)
    digest = hashlib.sha256()
    size = 0
    handle, tmp = tempfile.mkstemp(prefix=".incoming.", suffix=".tmp", dir=folder)  # created 0600
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := os.read(fd, CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    _check_size(shown, size, max_bytes)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if gid is not None:
            os.chown(tmp, -1, gid)
            os.chmod(tmp, 0o640)
        sha256 = digest.hexdigest()
        final = folder / sha256
        if final.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return sha256


def group_id(group: str | None) -> int | None:
    """The id of the OS group coflow.toml names, or None for owner-only files."""
    if not group:
        return None
    import grp

    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        from coflow.errors import ConfigError

        raise ConfigError(f"coflow.toml: group: there is no group called {group!r} on this computer",
                          hint="name an existing group (see /etc/group), or leave group out for owner-only files") from None


def make_private_dir(folder: Path, gid: int | None = None) -> None:
    """Create `folder` readable by its owner only (0700), or by its group too (0750)."""
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if gid is not None:
            os.chown(folder, -1, gid)
            os.chmod(folder, 0o750)
