"""Record ids: P-001, S-001, PAY-001, E-001, F-001 (next free number), or ids people give."""

from __future__ import annotations

import re
from collections.abc import Iterable

from coflow.records.values import FieldProblem, blank, record_id


class Ids:
    """Hands out ids for one kind of record, knowing which are taken (including new ones)."""

    def __init__(self, prefix: str, taken: Iterable[str]):
        self.prefix = prefix
        self.taken = set(taken)
        pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
        numbers = [int(m.group(1)) for m in map(pattern.match, self.taken) if m]
        self._pattern = pattern
        self._highest = max(numbers, default=0)

    def new(self) -> str:
        self._highest += 1
        while f"{self.prefix}-{self._highest:03d}" in self.taken:
            self._highest += 1
        return self.claim(f"{self.prefix}-{self._highest:03d}", "id")

    def claim(self, value: str, field: str = "id") -> str:
        if value in self.taken:
            raise FieldProblem(field, f"{value} is already used in this project",
                               hint="leave the id out and coflow gives the next free one")
        self.taken.add(value)
        match = self._pattern.match(value)
        if match:
            self._highest = max(self._highest, int(match.group(1)))
        return value

    def given_or_new(self, value: object, field: str = "id") -> str:
        return self.new() if blank(value) else self.claim(record_id(value, field), field)


def known(ids: Iterable[str], limit: int = 8) -> str:
    """The ids a project has, for "no such record" hints: all of them when few, otherwise
    the first and last ("P-001 to P-012, 12 in all"), so none seems to be missing."""
    ids = list(ids)
    if not ids:
        return "none yet"
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{ids[0]} to {ids[-1]}, {len(ids)} in all"
