"""The SHA-256 of a file, read and hashed once per process while the file stays the same.

`status` over thousands of projects asks whether each project's workflow file changed; they
share a handful of files, so each is hashed once (again only if its size or modification
time moves) instead of once per project.
"""

from __future__ import annotations

import os
import time

from coflow.sha import sha256_hex

_DIGESTS: dict[str, tuple[int, int, str]] = {}  # path -> (size, mtime_ns, sha256)


def file_sha256(path: str) -> str:
    """The file's SHA-256 (hex); OSError when it cannot be read."""
    before = os.stat(path)
    held = _DIGESTS.get(path)
    if held is not None and held[0] == before.st_size and held[1] == before.st_mtime_ns:
        return held[2]
    with open(path, "rb") as fh:
        digest = sha256_hex(fh.read())
    # A file changed within the clock's granularity could change again with the same size
    # and time: only a file left alone for a while is remembered (as git does).
    if time.time_ns() - before.st_mtime_ns > 2_000_000_000:
        _DIGESTS[path] = (before.st_size, before.st_mtime_ns, digest)
    return digest
