"""Running someone else's code (a plugin check, a notifier) with a time limit.

The call runs in a daemon thread: if it is still going when the limit is up, coflow
stops waiting and carries on (the thread is abandoned, and dies with the process), so
one plugin that hangs cannot hang a gate or a command.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


class TimeLimitExceeded(TimeoutError):
    """The call was still running when its time was up (not a TimeoutError it raised itself)."""


def call_with_limit(func: Callable[..., Any], args: tuple, seconds: float, name: str) -> Any:
    """func(*args)'s result, or its exception re-raised; TimeLimitExceeded after `seconds`."""
    box: dict[str, Any] = {}

    def target() -> None:
        from coflow.plugin_stdout import plugin_code

        try:
            with plugin_code():  # what it prints goes to stderr, never into a --json document
                box["result"] = func(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    import threading  # here: built-in checks never need a thread

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeLimitExceeded(f"took longer than {seconds:g} seconds")
    if "error" in box:
        raise box["error"]
    return box.get("result")
