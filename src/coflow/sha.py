"""SHA-256 without loading hashlib (and OpenSSL with it) on the command path.

hashlib's import links OpenSSL, which costs an everyday command about 3 ms. CPython also
ships a plain SHA-256 module (`_sha256` up to 3.11, `_sha2` from 3.12); the digest is the
same. hashlib is used wherever neither is there.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

_module: Any = None


def sha256(data: bytes = b"") -> Any:
    """A SHA-256 hash object (update/hexdigest), as hashlib.sha256 gives."""
    global _module
    if _module is None:
        for name in ("_sha2", "_sha256", "hashlib"):
            try:
                _module = importlib.import_module(name)
                break
            except ImportError:
                continue
    return _module.sha256(data)


def sha256_hex(data: bytes) -> str:
    return str(sha256(data).hexdigest())
