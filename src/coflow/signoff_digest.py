"""What a sign-off signs: a digest of the records its gate judges, taken when it is given.

A sign-off says "I have seen this and agree". It is only worth that if it is tied to what
was seen: when the records the gate's checks read change afterwards (a budget recorded
after the sponsor signed the plan, a session added after the design was signed), the
sign-off is out of date and the gate needs it again. A sign-off given before the things it
approves were recorded is therefore out of date as soon as they are.

The records are split into named parts ("fact:budget_payments", "evidence:decision-space",
"participants", "sessions", ...) chosen from the types of the stage's checks, so the
message can say what changed. Each part is hashed from the read-only project view, with
the bookkeeping times (when a record was written or updated) left out, so rewriting the
same thing changes nothing; personal details are never in the view, so changing a phone
number never asks for a new signature. Plain data work only: no import of the check modules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from coflow.sha import sha256_hex  # not hashlib: loading OpenSSL costs a check ~2 ms

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# The records each built-in check type reads. A type not listed (a plugin's) may read
# anything, so it is given every part.
COLLECTIONS = ("participants", "sessions", "payments", "evidence", "feedback", "assessment", "groups")
READS = {
    "participants": ("participants", "sessions"),
    "training": ("participants", "sessions"),
    "access_needs": ("participants",),
    "sessions": ("sessions", "participants"),
    "attendance": ("sessions", "participants"),
    "payments": ("payments", "sessions", "participants"),
    "feedback": ("feedback",),
    "involvement_level": ("assessment",),
    "groups": ("groups", "participants"),
    "shared_work": ("participants", "sessions"),
    "signoff": (),
    "elapsed": (),
}
# bookkeeping, not content: when a record was written, updated or erased
SKIPPED = ("recorded", "updated", "added", "forgotten", "erased", "ts", "seq", "actor")


def parts_for(checks: Iterable[tuple[str, Mapping[str, Any]]]) -> list[str]:
    """The part names a gate's checks read, from (check type, params) pairs, sorted."""
    names: set[str] = set()
    for kind, params in checks:
        for key, value in params.items():
            if isinstance(value, str) and (key == "key" or key.endswith("_fact")):
                names.add(f"fact:{value}")
        if kind == "evidence" and isinstance(params.get("kind"), str):
            names.add(f"evidence:{params['kind']}")
        elif kind == "fact":
            pass
        elif kind in READS:
            names.update(READS[kind])
        else:
            names.update(("facts", *COLLECTIONS))
    return sorted(names)


def _plain(value: Any) -> Any:
    """Read-only records and tuples as plain JSON data, bookkeeping left out."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if k not in SKIPPED}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _records(view: Any, name: str) -> Any:
    if name == "facts":
        return dict(view.facts)
    if name.startswith("fact:"):
        return view.facts.get(name[len("fact:"):])
    if name.startswith("evidence:"):
        kind = name[len("evidence:"):]
        return [e for e in view.evidence if e.get("kind") == kind]
    if name == "groups":
        return _plain(dict(view.records.get("groups", {}) or {}))
    found = getattr(view, name, None)
    if isinstance(found, (list, tuple)):
        return sorted((_plain(r) for r in found), key=lambda r: str(r.get("id", "")) if isinstance(r, dict) else "")
    return found


def part_hash(view: Any, name: str) -> str:
    """A short fingerprint of one part of the records, as the view shows them now."""
    text = json.dumps(_plain(_records(view, name)), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, default=str)
    return sha256_hex(f"{name}\n{text}".encode())[:16]


def take(view: Any, names: Iterable[str]) -> dict[str, Any]:
    """The digest a sign-off records: one fingerprint per part, and one over them all."""
    parts = {name: part_hash(view, name) for name in names}
    whole = sha256_hex(json.dumps(parts, sort_keys=True).encode())
    return {"digest": whole, "parts": parts}


def changed_since(view: Any, signoff: Mapping[str, Any]) -> list[str] | None:
    """The parts that changed since `signoff` was given (empty: still up to date), or None
    for a sign-off recorded without a digest (before coflow kept them)."""
    parts = signoff.get("parts")
    if not isinstance(parts, Mapping):
        return None
    return [name for name, value in sorted(parts.items()) if part_hash(view, name) != value]


def described(names: Iterable[str]) -> str:
    """Part names in plain words: "the fact budget_payments, the decision-space evidence and sessions"."""
    words = []
    for name in names:
        if name.startswith("fact:"):
            words.append(f"the fact {name[len('fact:'):]}")
        elif name.startswith("evidence:"):
            words.append(f"the {name[len('evidence:'):]} evidence")
        elif name == "facts":
            words.append("the facts")
        else:
            words.append(f"the {name} records" if name != "assessment" else "the suitability assessment")
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
