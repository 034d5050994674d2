"""What a check type is and what it returns (the contract of coflow_register_checks)."""

from __future__ import annotations

from collections.abc import Callable

from coflow.plain import Frozen, _set

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView


class CheckResult(Frozen):
    """The answer of one check: did it pass, what to tell people, and how to fix it."""

    __slots__ = ("ok", "message", "hint")
    _fields = __slots__
    ok: bool
    message: str
    hint: str | None

    def __init__(self, ok: bool, message: str = "", hint: str | None = None):
        _set(self, "ok", ok)
        _set(self, "message", message)
        _set(self, "hint", hint)


CheckFunc = Callable[["ProjectView", "dict[str, Any]"], CheckResult]
ValidateFunc = Callable[["dict[str, Any]"], list[str]]


class CheckType(Frozen):
    """A registered check type; `plugin` names who registered it, for error messages."""

    __slots__ = ("name", "func", "validate", "plugin", "builtin", "schema")
    _fields = __slots__
    name: str
    func: CheckFunc
    validate: ValidateFunc | None
    plugin: str
    builtin: bool
    # A JSON Schema fragment for the check's own keys (or a function returning one), for editors
    schema: dict[str, Any] | Callable[[], dict[str, Any]] | None

    def __init__(self, name: str, func: CheckFunc, validate: ValidateFunc | None, plugin: str,
                 builtin: bool = False, schema: dict[str, Any] | Callable[[], dict[str, Any]] | None = None):
        _set(self, "name", name)
        _set(self, "func", func)
        _set(self, "validate", validate)
        _set(self, "plugin", plugin)
        _set(self, "builtin", builtin)
        _set(self, "schema", schema)


def unknown_params(params: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Problems for parameters a check type does not take (for validators)."""
    return [f"{key}: unknown parameter; this check type takes: {', '.join(allowed) or 'none'}"
            for key in params if key not in allowed]
