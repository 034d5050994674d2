"""COFLOW_TRACE_PLUGINS=1: one line on stderr per hook call and one per answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from pluggy import HookImpl, Result


def short(value: Any, limit: int = 80) -> str:
    """A hook argument or result, short enough for one trace line."""
    if hasattr(value, "id") and hasattr(value, "stage") and hasattr(value, "facts"):
        return f"<project {value.id} at {value.stage}>"
    if callable(value) and hasattr(value, "__name__"):
        return f"<function {value.__name__}>"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Tracer:
    """COFLOW_TRACE_PLUGINS=1: one line per hook call and one per result, on stderr."""

    def __init__(self, write: Callable[[str], Any]):
        self.write = write
        self.started: list[float] = []

    def before(self, hook_name: str, impls: Sequence[HookImpl], kwargs: Mapping[str, Any]) -> None:
        who = ", ".join(impl.plugin_name for impl in impls) or "no plugin"
        args = ", ".join(f"{key}={short(value)}" for key, value in kwargs.items())
        self.write(f"coflow trace: {hook_name}({args}) -> {who}\n")
        self.started.append(time.perf_counter())

    def after(self, outcome: Result[Any], hook_name: str, impls: Sequence[HookImpl], kwargs: Mapping[str, Any]) -> None:
        took = (time.perf_counter() - self.started.pop()) * 1000 if self.started else 0.0
        if outcome.exception is not None:
            exc = outcome.exception
            self.write(f"coflow trace: {hook_name} raised {type(exc).__name__}: {exc} ({took:.1f} ms)\n")
        else:
            self.write(f"coflow trace: {hook_name} returned {short(outcome.get_result())} ({took:.1f} ms)\n")
