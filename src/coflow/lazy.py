"""Functions whose module is imported on first call, so registering many costs nothing.

The built-in check types and notifiers register through the same hooks as any plugin,
but most commands use few of them (or none): each module loads only when needed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_function(module: str, attr: str) -> Callable[..., Any]:
    """A stand-in for `module.attr` that imports the module when first called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)

    call.__name__ = f"{module.rsplit('.', 1)[-1]}.{attr}"
    call.__qualname__ = call.__name__
    return call
