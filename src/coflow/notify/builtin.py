"""The built-in notifiers, registered through the same hook as any plugin's.

Each notifier module is imported only when a notification is really sent.
"""

from __future__ import annotations

from collections.abc import Callable

from coflow.hookmark import hookimpl
from coflow.lazy import lazy_function

BUILTIN = {"log": "logline", "file": "jsonfile", "webhook": "webhook", "email": "mail"}


@hookimpl
def coflow_register_notifiers(register: Callable[..., None]) -> None:
    for name, module in BUILTIN.items():
        register(name, lazy_function(f"coflow.notify.{module}", "notify"),
                 validate=lazy_function(f"coflow.notify.{module}", "validate"))
