"""coflow: co-production guidance turned into gates a project must pass.

The public API for plugin authors is `hookimpl` and `CheckResult`. They are loaded on first
use so that `import coflow` (and every command) stays fast.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


__version__ = "0.1.0"
__all__ = ["CheckResult", "CoflowError", "__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    if name == "hookimpl":
        from coflow.hookspecs import hookimpl

        return hookimpl
    if name == "CheckResult":
        from coflow.checks.base import CheckResult

        return CheckResult
    if name == "CoflowError":
        from coflow.errors import CoflowError

        return CoflowError
    raise AttributeError(f"module 'coflow' has no attribute {name!r}")
