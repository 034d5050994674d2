"""The typed model of a workflow, built only from definitions that passed validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STAGE_KEYS = ("title", "guidance", "checks", "next", "final", "allow_override")
CHECK_KEYS = ("id", "type", "title", "hint", "source", "severity")


@dataclass(frozen=True)
class CheckSpec:
    id: str
    type: str
    title: str
    hint: str | None
    source: str | None
    severity: str  # "required" or "advisory"
    params: dict[str, Any]

    @property
    def required(self) -> bool:
        return self.severity == "required"


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    guidance: str
    checks: tuple[CheckSpec, ...]
    next: str | None
    final: bool
    allow_override: bool


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    lived_experience: bool


@dataclass(frozen=True)
class Workflow:
    id: str
    version: str
    title: str
    description: str
    stages: dict[str, Stage]
    roles: dict[str, Role]
    content_hash: str
    definition: dict[str, Any] = field(repr=False)
    path: str | None = None

    @property
    def first_stage(self) -> str:
        return next(iter(self.stages))

    @property
    def stage_order(self) -> list[str]:
        """Stages in the order a project meets them, following `next` from the first."""
        order, current, seen = [], self.first_stage, set()
        while current and current not in seen:
            seen.add(current)
            order.append(current)
            current = self.stages[current].next
        return order

    def info(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "title": self.title, "hash": self.content_hash}

    @classmethod
    def from_definition(cls, definition: dict[str, Any], content_hash: str, path: str | None = None) -> Workflow:
        """Build the model from a validated definition (TOML tables as plain JSON data)."""
        meta = definition["workflow"]
        raw_stages = definition["stages"]
        names = list(raw_stages)
        stages: dict[str, Stage] = {}
        for index, name in enumerate(names):
            raw = raw_stages[name]
            final = bool(raw.get("final", False))
            following = raw.get("next")
            if following is None and not final and index + 1 < len(names):
                following = names[index + 1]
            checks = tuple(
                CheckSpec(
                    id=c["id"],
                    type=c["type"],
                    title=c.get("title") or c["id"],
                    hint=c.get("hint"),
                    source=c.get("source"),
                    severity=c.get("severity", "required"),
                    params={k: v for k, v in c.items() if k not in CHECK_KEYS},
                )
                for c in raw.get("checks", [])
            )
            stages[name] = Stage(
                id=name,
                title=raw.get("title") or name,
                guidance=raw.get("guidance", ""),
                checks=checks,
                next=None if final else following,
                final=final,
                allow_override=bool(raw.get("allow_override", True)),
            )
        roles = {
            name: Role(name, spec.get("title") or name, bool(spec.get("lived_experience", False)))
            for name, spec in definition.get("roles", {}).items()
        }
        return cls(
            id=meta["id"],
            version=str(meta["version"]),
            title=meta.get("title") or meta["id"],
            description=meta.get("description", ""),
            stages=stages,
            roles=roles,
            content_hash=content_hash,
            definition=definition,
            path=path,
        )
