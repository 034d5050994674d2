"""Workflow files parsed and validated once per process while their bytes stay the same.

Creating projects, `migrate` and `status` over many projects load the same few workflow
files again and again, and parsing and validating one is most of what creating a project
costs. A file is known by the SHA-256 of its bytes: it is read and hashed again whenever
its size, modification time, change time or inode differ from when it was last hashed
(the change time moves with every write, whatever the modification time is set back to),
and always while it changed less than two seconds ago (a second write within the clock's
granularity could leave all of them as they were). A workflow built with `extends` is
given again only while each file of its chain is still the one found (by path or id) and
still holds the same bytes. Only valid workflows are kept; a file with problems is read
and reported every time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from coflow.workflow.model import Workflow

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# A link of an `extends` chain: (file, its `extends` value, the parent file found, the
# SHA-256 of the parent's bytes).
Link = tuple[str, str, str, str]

_MOST = 256  # kept files per cache; a process that loads more starts afresh (never unbounded)

# (where the file is, the check type names, the workflow folders) ->
# (SHA-256 of the file's bytes, the check types' validators, its extends chain, the Workflow)
_LOADED: dict[tuple, tuple[str, tuple, tuple[Link, ...], Workflow]] = {}
# where a file is -> (SHA-256 of its bytes, the workflow id in it, None when it has none)
_IDS: dict[tuple[str, str], tuple[str, str | None]] = {}
# where a file is -> (its size, times and inode when hashed, the SHA-256 of its bytes)
_DIGESTS: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {}
_SETTLED_NS = 2_000_000_000  # a file written more recently than this is always read again


def read_with_digest(path: Path) -> tuple[bytes | None, str]:
    """(the file's bytes, or None when they need not be read; the SHA-256 of its bytes). A
    file that cannot be read raises NotFound (coflow.workflow.loader.read_file)."""
    from coflow.workflow.loader import content_hash, read_file

    where = _where(path)
    try:
        seen = os.stat(path)  # before reading: a write after this moves what is stored
    except OSError:
        seen = None
    if seen is not None:
        held = _DIGESTS.get(where)
        if held is not None and held[0] == _signature(seen):
            return None, held[1]
    raw = read_file(path)
    digest = content_hash(raw)
    if seen is not None and time.time_ns() - max(seen.st_mtime_ns, seen.st_ctime_ns) > _SETTLED_NS:
        if len(_DIGESTS) >= _MOST:
            _DIGESTS.clear()
        _DIGESTS[where] = (_signature(seen), digest)
    return raw, digest


def _signature(seen: os.stat_result) -> tuple[int, ...]:
    return seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns, seen.st_ino, seen.st_dev


def _where(path: Path) -> tuple[str, str]:
    """The path as given and, for a relative path, the folder it is relative to."""
    text = str(path)
    return text, "" if os.path.isabs(text) else os.getcwd()


def key(path: Path, check_types: Mapping[str, Any], dirs: Sequence[Path]) -> tuple:
    """What a loaded workflow depends on besides file contents."""
    return _where(path), tuple(check_types), tuple(str(d) for d in dirs)


def loaded(cache_key: tuple, digest: str, check_types: Mapping[str, Any], dirs: list[Path]) -> Workflow | None:
    """The workflow kept for this file when its bytes (`digest`), the check types'
    validators and every file it extends are unchanged; otherwise None."""
    held = _LOADED.get(cache_key)
    if held is None or held[0] != digest or held[1] != tuple(check_types.values()):
        return None
    return held[3] if all(_link_holds(link, dirs) for link in held[2]) else None


def keep(cache_key: tuple, digest: str, check_types: Mapping[str, Any], chain: list[Link],
         workflow: Workflow) -> None:
    if len(_LOADED) >= _MOST:
        _LOADED.clear()
    _LOADED[cache_key] = (digest, tuple(check_types.values()), tuple(chain), workflow)


def _link_holds(link: Link, dirs: list[Path]) -> bool:
    """The child's `extends` still finds the same parent file, holding the same bytes."""
    from coflow.errors import NotFound
    from coflow.workflow.extends import find_parent

    child, ref, parent, parent_digest = link
    found = find_parent(ref, Path(child), dirs)
    if found is None or str(found) != parent:
        return False
    try:
        return read_with_digest(found)[1] == parent_digest
    except NotFound:
        return False


def peeked(path: Path, digest: str) -> tuple[bool, str | None]:
    """(True, the id) when this file was read with these bytes before; (False, None) if not."""
    held = _IDS.get(_where(path))
    if held is None or held[0] != digest:
        return False, None
    return True, held[1]


def peek_kept(path: Path, digest: str, workflow_id: str | None) -> None:
    if len(_IDS) >= _MOST:
        _IDS.clear()
    _IDS[_where(path)] = (digest, workflow_id)


def clear() -> None:
    """Forget every kept workflow (tests, and long-running hosts that want to)."""
    _LOADED.clear()
    _IDS.clear()
    _DIGESTS.clear()
