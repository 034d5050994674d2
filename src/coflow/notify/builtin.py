"""The built-in notifiers, registered through the same hook as any plugin's.

Each notifier module is imported only when a notification is really sent.
"""

from __future__ import annotations

import importlib
from typing import Any

from coflow.hookspecs import hookimpl

BUILTIN = {"log": "logline", "file": "jsonfile", "webhook": "webhook", "email": "mail"}


def _lazy(module: str, attr: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(f"coflow.notify.{module}"), attr)(*args, **kwargs)

    call.__name__ = f"{module}.{attr}"
    return call


@hookimpl
def coflow_register_notifiers(register):
    for name, module in BUILTIN.items():
        register(name, _lazy(module, "notify"), validate=_lazy(module, "validate"))
