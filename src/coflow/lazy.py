"""Functions whose module is imported on first call, so registering many costs nothing.

The built-in check types and notifiers register through the same hooks as any plugin,
but most commands use few of them (or none): each module loads only when needed.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def lazy_function(module: str, attr: str) -> Callable[..., Any]:
    """A stand-in for `module.attr` that imports the module when first called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        loaded = sys.modules.get(module) or importlib.import_module(module)  # looked up each call,
        return getattr(loaded, attr)(*args, **kwargs)  # so a replaced function is the one called

    call.__name__ = f"{module.rsplit('.', 1)[-1]}.{attr}"
    call.__qualname__ = call.__name__
    return call


class LazyPattern:
    """A regular expression compiled on first use, so defining one costs nothing at import."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags
        self._compiled: Any = None

    def compiled(self) -> Any:
        if self._compiled is None:
            import re

            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, fullmatch, search, sub, findall, ...
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def lazy_pattern(pattern: str, flags: int = 0) -> Any:
    """`re.compile(pattern, flags)`, compiled when first used."""
    return LazyPattern(pattern, flags)
