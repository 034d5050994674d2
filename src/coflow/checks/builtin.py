"""The built-in check types, registered through the same hook as any plugin's."""

from __future__ import annotations

from coflow.checks import fact
from coflow.hookspecs import hookimpl


@hookimpl
def coflow_register_checks(register):
    register("fact", fact.check, fact.validate)
