"""What a check type is and what it returns (the contract of coflow_register_checks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coflow.project import ProjectView


@dataclass(frozen=True)
class CheckResult:
    """The answer of one check: did it pass, what to tell people, and how to fix it."""

    ok: bool
    message: str = ""
    hint: str | None = None


CheckFunc = Callable[["ProjectView", dict[str, Any]], CheckResult]
ValidateFunc = Callable[[dict[str, Any]], list[str]]


@dataclass(frozen=True)
class CheckType:
    """A registered check type; `plugin` names who registered it, for error messages."""

    name: str
    func: CheckFunc
    validate: ValidateFunc | None
    plugin: str
    builtin: bool = False


def unknown_params(params: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Problems for parameters a check type does not take (for validators)."""
    return [f"{key}: unknown parameter; this check type takes: {', '.join(allowed) or 'none'}"
            for key in params if key not in allowed]
