"""The built-in check types, registered through the same hook as any plugin's.

Each check type's module is imported only when a check of that type is run or a workflow
using it is validated, so a command that judges one stage loads only what that stage uses.
"""

from __future__ import annotations

from collections.abc import Callable

from coflow.hookmark import hookimpl
from coflow.lazy import lazy_function

# check type -> its module in coflow.checks
MODULES = {
    "fact": "fact",
    "evidence": "evidence",
    "signoff": "signoff",
    "participants": "participants",
    "training": "training",
    "sessions": "sessions",
    "attendance": "attendance",
    "payments": "payments",
    "feedback": "feedback",
    "access_needs": "access_needs",
    "involvement_level": "involvement",
    "elapsed": "elapsed",
    "shared_work": "shared_work",
    "groups": "groups",
}


class LazyCheckType:
    """A built-in check type's `check` and `validate`, its module imported on first call."""

    def __init__(self, name: str, module: str):
        self.name = name
        self.module = f"coflow.checks.{module}"
        self.check = lazy_function(self.module, "check")
        self.validate = lazy_function(self.module, "validate")

    def schema(self) -> dict:
        """The JSON Schema fragment of its keys (coflow.checks.schemas), read only for the schema."""
        from coflow.checks.schemas import fragment

        return fragment(self.name)


BUILTIN_TYPES = {name: LazyCheckType(name, module) for name, module in MODULES.items()}


@hookimpl
def coflow_register_checks(register: Callable[..., None]) -> None:
    for name, check_type in BUILTIN_TYPES.items():
        register(name, check_type.check, check_type.validate, check_type.schema)
