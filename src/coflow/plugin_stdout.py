"""What plugin code prints goes to stderr, so stdout carries only coflow's own output.

`coflow status --json` promises one JSON document on stdout; a plugin check that calls
print() must not put text before it. While plugin code runs (in this thread, or in the
thread a time-limited check runs in), sys.stdout sends what it is given to sys.stderr.
Commands a plugin adds are not plugin code in this sense: they print their own output.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

_local = threading.local()


class _Router:
    """Stands in for sys.stdout: plugin code's writes go to stderr, coflow's to stdout."""

    def __init__(self, stdout: Any):
        self._stdout = stdout

    def _target(self) -> Any:
        return sys.stderr if getattr(_local, "plugin", False) else self._stdout

    def write(self, text: str) -> int:
        return self._target().write(text)

    def writelines(self, lines: Any) -> None:
        self._target().writelines(lines)

    def flush(self) -> None:
        self._stdout.flush()
        sys.stderr.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stdout, name)


def _install() -> None:
    if not isinstance(sys.stdout, _Router):
        sys.stdout = _Router(sys.stdout)


@contextmanager
def plugin_code() -> Iterator[None]:
    """Run the block as plugin code: print() and sys.stdout writes go to stderr."""
    _install()
    before = getattr(_local, "plugin", False)
    _local.plugin = True
    try:
        yield
    finally:
        _local.plugin = before


def as_plugin_code(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` wrapped so that whatever it prints goes to stderr."""

    def call(*args: Any, **kwargs: Any) -> Any:
        with plugin_code():
            return func(*args, **kwargs)

    return call
