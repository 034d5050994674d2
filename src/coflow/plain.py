"""Small value classes without the dataclasses module.

Importing dataclasses (which imports inspect) and generating each class's methods cost
more at start-up than most commands spend working, so the classes every command loads are
plain classes: each writes its own __init__, and these bases give equality, a readable
repr and (for Frozen) no assignment after construction, from the `_fields` it names.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any



class Plain:
    """Equality and repr over `_fields`; mutable, so unhashable (as a dataclass would be)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields) + ")"

    def replace(self, **changes: object) -> Any:
        """A copy with some fields changed (as dataclasses.replace did)."""
        return type(self)(**{**{f: getattr(self, f) for f in self._fields}, **changes})


class Frozen(Plain):
    """A Plain value that cannot be changed after __init__ (which sets fields with `_set`)."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a {type(self).__name__} does not change")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a {type(self).__name__} does not change")

    def __hash__(self) -> int:  # type: ignore[override]  # Plain has none: it may change
        return hash(tuple(getattr(self, f) for f in self._fields))


_set = object.__setattr__  # how a Frozen class's __init__ sets its fields
