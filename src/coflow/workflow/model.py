"""The typed model of a workflow, built only from definitions that passed validation."""

from __future__ import annotations

from coflow.plain import Frozen, _set

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

STAGE_KEYS = ("title", "guidance", "checks", "next", "final", "allow_override",
              "due_days", "remind_days", "escalate_days", "override_needs_second")
CHOICE_KEYS = ("stage", "when")
DEADLINE_KEYS = ("due_days", "remind_days", "escalate_days")
CHECK_KEYS = ("id", "type", "title", "hint", "source", "severity")


class CheckSpec(Frozen):
    __slots__ = ("id", "type", "title", "hint", "source", "severity", "params")
    _fields = __slots__
    id: str
    type: str
    title: str
    hint: str | None
    source: str | None
    severity: str  # "required" or "advisory"
    params: dict[str, Any]

    def __init__(self, id: str, type: str, title: str, hint: str | None, source: str | None, severity: str,
                 params: dict[str, Any]):
        _set(self, "id", id)
        _set(self, "type", type)
        _set(self, "title", title)
        _set(self, "hint", hint)
        _set(self, "source", source)
        _set(self, "severity", severity)
        _set(self, "params", params)

    @property
    def required(self) -> bool:
        return self.severity == "required"


class Choice(Frozen):
    """One way on from a stage: to `stage` when `when` holds (always, when it is None).

    `when` is the id of a check in the same stage (it holds when that check passes) or a
    fact condition: a table with the parameters of a `fact` check (key, op, value).
    """

    __slots__ = ("stage", "when")
    _fields = __slots__
    stage: str
    when: str | dict[str, Any] | None

    def __init__(self, stage: str, when: str | dict[str, Any] | None = None):
        _set(self, "stage", stage)
        _set(self, "when", when)

    def describe(self) -> str:
        if self.when is None:
            return "otherwise"
        if isinstance(self.when, str):
            return f"when {self.when!r} passes"
        op = self.when.get("op", "exists")
        value = f" {self.when['value']!r}" if "value" in self.when else ""
        return f"when the fact {self.when.get('key')!r} {op}{value}"


class Stage(Frozen):
    __slots__ = ("id", "title", "guidance", "checks", "next", "final", "allow_override", "choices", "due_days",
                 "remind_days", "escalate_days", "override_needs_second")
    _fields = __slots__
    id: str
    title: str
    guidance: str
    checks: tuple[CheckSpec, ...]
    next: str | None  # the first choice's stage (the only one, in a straight line)
    final: bool
    allow_override: bool
    choices: tuple[Choice, ...]  # every way on, tried in order
    due_days: int | None  # days from entering the stage to its due date
    remind_days: int | None  # a reminder this many days before the due date
    escalate_days: int | None  # an escalation this many days after it
    override_needs_second: bool  # an override is a request until a second account approves it

    def __init__(self, id: str, title: str, guidance: str, checks: tuple[CheckSpec, ...], next: str | None,
                 final: bool, allow_override: bool, choices: tuple[Choice, ...] = (),
                 due_days: int | None = None, remind_days: int | None = None, escalate_days: int | None = None,
                 override_needs_second: bool = False):
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "guidance", guidance)
        _set(self, "checks", checks)
        _set(self, "next", next)
        _set(self, "final", final)
        _set(self, "allow_override", allow_override)
        _set(self, "choices", choices)
        _set(self, "due_days", due_days)
        _set(self, "remind_days", remind_days)
        _set(self, "escalate_days", escalate_days)
        _set(self, "override_needs_second", override_needs_second)
        self.__post_init__()

    def __post_init__(self) -> None:
        if not self.choices and self.next and not self.final:  # built by hand, with one `next`
            object.__setattr__(self, "choices", (Choice(self.next),))

    @property
    def branches(self) -> bool:
        """More than one way on, or a way on that holds only sometimes."""
        return len(self.choices) > 1 or any(c.when is not None for c in self.choices)


class Role(Frozen):
    __slots__ = ("id", "title", "lived_experience")
    _fields = __slots__
    id: str
    title: str
    lived_experience: bool

    def __init__(self, id: str, title: str, lived_experience: bool):
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "lived_experience", lived_experience)


class Workflow(Frozen):
    __slots__ = ("id", "version", "title", "description", "stages", "roles", "content_hash", "definition",
                 "path", "file_hash", "parents")
    _fields = __slots__
    id: str
    version: str
    title: str
    description: str
    stages: dict[str, Stage]
    roles: dict[str, Role]
    content_hash: str
    definition: dict[str, Any]
    path: str | None
    # With `extends`: the hash of the file itself (content_hash is the merged definition's)
    # and the workflows it is built on, nearest first ({"id", "version", "hash", "path"}).
    file_hash: str | None
    parents: tuple[dict[str, str], ...]

    def __init__(self, id: str, version: str, title: str, description: str, stages: dict[str, Stage],
                 roles: dict[str, Role], content_hash: str, definition: dict[str, Any],
                 path: str | None = None, file_hash: str | None = None,
                 parents: tuple[dict[str, str], ...] = ()):
        _set(self, "id", id)
        _set(self, "version", version)
        _set(self, "title", title)
        _set(self, "description", description)
        _set(self, "stages", stages)
        _set(self, "roles", roles)
        _set(self, "content_hash", content_hash)
        _set(self, "definition", definition)
        _set(self, "path", path)
        _set(self, "file_hash", file_hash)
        _set(self, "parents", parents)

    def __repr__(self) -> str:  # the definition is long and says the same again
        return f"Workflow(id={self.id!r}, version={self.version!r}, content_hash={self.content_hash!r})"

    def __hash__(self) -> int:  # type: ignore[override]  # its dicts are not hashable; the content hash names it
        return hash(self.content_hash)

    @property
    def first_stage(self) -> str:
        return next(iter(self.stages))

    @property
    def stage_order(self) -> list[str]:
        """Stages in the order a project meets them: from the first, each stage's choices in
        order (depth first), every reachable stage once; a straight line is just its chain."""
        order: list[str] = []
        seen: set[str] = set()
        pending = [self.first_stage]
        while pending:
            current = pending.pop()
            if current in seen or current not in self.stages:
                continue
            seen.add(current)
            order.append(current)
            pending.extend(reversed([c.stage for c in self.stages[current].choices]))
        return order

    @property
    def renamed(self) -> dict[str, str]:
        """Old stage name -> new, for projects migrating from before a rename."""
        value = self.definition.get("workflow", {}).get("renamed", {})
        return dict(value) if isinstance(value, dict) else {}

    def lineage(self) -> dict[str, Any]:
        """What a project pins besides id, version and hash for a workflow built with
        `extends`: its own file's hash and its parents, so `status` can say when one changed."""
        if not self.parents:
            return {}
        return {"file_hash": self.file_hash, "parents": [dict(p) for p in self.parents]}

    def info(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "title": self.title, "hash": self.content_hash}

    @classmethod
    def from_definition(cls, definition: dict[str, Any], content_hash: str, path: str | None = None,
                        file_hash: str | None = None, parents: tuple[dict[str, str], ...] = ()) -> Workflow:
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
            choices = _choices(following) if not final else ()
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
                next=choices[0].stage if choices else None,
                final=final,
                allow_override=bool(raw.get("allow_override", True)),
                override_needs_second=bool(raw.get("override_needs_second", False)),
                choices=choices,
                **{key: int(raw[key]) for key in DEADLINE_KEYS if key in raw},
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
            file_hash=file_hash,
            parents=parents,
        )


def _choices(following: Any) -> tuple[Choice, ...]:
    """`next` as choices: a stage name is the one way on; a list gives them in order."""
    if following is None:
        return ()
    if isinstance(following, str):
        return (Choice(following),)
    return tuple(Choice(item["stage"], item.get("when")) for item in following)
