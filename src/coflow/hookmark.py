"""The @hookimpl mark for coflow's built-in plugins, without importing pluggy.

It sets exactly what `pluggy.HookimplMarker("coflow")` sets, so pluggy finds these hooks
when a plugin manager is built; a command with no third-party plugin never imports pluggy.
Plugin authors use `coflow.hookimpl` (pluggy's own marker).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any



def hookimpl(func: Any) -> Any:
    func.coflow_impl = {"wrapper": False, "hookwrapper": False, "optionalhook": False,
                        "tryfirst": False, "trylast": False, "specname": None}
    return func
