"""Events, canonical JSON and the hash chain (the rule is written out in docs/security.md).

Every store must produce the same hashes for the same events, so the canonical form lives
here, once, and stores only persist what this module computes.
"""

from __future__ import annotations

import datetime as _dt
import json
from time import gmtime as _gmtime
from time import time_ns as _time_ns

from coflow.plain import Frozen, _set

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

GENESIS_HASH = "0" * 64

# Event types of the core; every record kind registers its own (coflow.kinds).
CREATED = "created"
FACT_RECORDED = "fact_recorded"
FACT_UNSET = "fact_unset"
ADVANCED = "advanced"
BLOCKED = "blocked"
REOPENED = "reopened"
MIGRATED = "migrated"
RELABELLED = "relabelled"
DUE_SET = "due_set"


def utc_now() -> str:
    """Now as ISO 8601 UTC with microseconds and a Z, the only timestamp form in the log.
    Formatted by hand, the date and time to the second once a second (an advance made
    a datetime and formatted it all each time, a tenth of its hashing)."""
    global _second, _second_text
    sec, micro = divmod(_time_ns() // 1000, 1_000_000)
    if sec != _second:
        t = _gmtime(sec)
        _second_text = (f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T"
                        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.")
        _second = sec
    return f"{_second_text}{micro:06d}Z"


_second, _second_text = -1, ""


def _default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} in an event")


def canonical_json(obj: Any) -> str:
    """Sorted keys, no spaces, non-ASCII kept: the bytes the hash is taken over.

    Infinity and NaN raise ValueError: they are not JSON, so no other program could
    recompute the hash of an event holding one.
    """
    global _CANONICAL
    if _CANONICAL is None:  # one encoder for every event: building one per call cost a fifth of a hash
        _CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default,
                                      allow_nan=False)
    return str(_CANONICAL.encode(obj))


_CANONICAL: json.JSONEncoder | None = None


def normalise(data: Any) -> Any:
    """Round-trip data through JSON (dates become ISO strings) so what we hash is what we
    store; key order is kept, since the order of stages in a workflow means something.

    A number that is infinity or NaN is refused (UsageError) before anything is written.
    """
    global _PLAIN
    if _PLAIN is None:  # one encoder for every event (json.dumps with options builds one per call)
        _PLAIN = json.JSONEncoder(ensure_ascii=False, default=_default, allow_nan=False)
    try:
        text = _PLAIN.encode(data)
    except ValueError as exc:
        if not is_non_finite_error(exc):
            raise
        raise _non_finite() from None
    return json.loads(text)


def _non_finite() -> Exception:
    from coflow.errors import UsageError

    return UsageError("a number that is infinity or not-a-number cannot be recorded",
                      hint="give an ordinary number, such as 750 or 12.5")


_PLAIN: json.JSONEncoder | None = None


def is_non_finite_error(exc: ValueError) -> bool:
    """Whether json.dumps refused an infinity or NaN (and not, say, a circular reference)."""
    return "Out of range float values" in str(exc)


def compute_hash(prev_hash: str, project: str, seq: int, ts: str, actor: str, type: str, data: Any,
                 account: str | None = None, data_json: str | None = None) -> str:
    """The event's hash. Format 1 (no account, events written before accounts were
    recorded) hashes {project, seq, ts, actor, type, data}; format 2 adds the account that
    wrote the event and `"format": 2`, so an account cannot be removed or changed unseen.
    `data_json`, when given, is canonical_json(data), already made."""
    from coflow.sha import sha256_hex  # not hashlib: loading OpenSSL costs a command ~3 ms

    body = _body(project, seq, ts, actor, type, data, account, data_json)
    return sha256_hex((prev_hash + body).encode("utf-8"))


def _body(project: str, seq: int, ts: str, actor: str, type: str, data: Any, account: str | None,
          data_json: str | None) -> str:
    """canonical_json of the hashed fields; written out key by key (in sorted order) when
    they are the plain strings and number they should be, so the data's canonical text is
    made once for the hash and the store (the same bytes, tested against canonical_json)."""
    texts = (project, ts, actor, type) if account is None else (project, ts, actor, type, account)
    if data_json is None or seq.__class__ is not int or any(t.__class__ is not str for t in texts):
        fields = {"project": project, "seq": seq, "ts": ts, "actor": actor, "type": type, "data": data}
        if account is not None:
            fields.update({"account": account, "format": 2})
        return canonical_json(fields)
    rest = f',"project":{_quote(project)},"seq":{seq},"ts":{_quote(ts)},"type":{_quote(type)}}}'
    if account is None:
        return f'{{"actor":{_quote(actor)},"data":{data_json}{rest}'
    return f'{{"account":{_quote(account)},"actor":{_quote(actor)},"data":{data_json},"format":2{rest}'


_quote = json.encoder.encode_basestring  # how the canonical encoder (ensure_ascii=False) writes a string


class Event(Frozen):
    """One entry of a project's log (never changed once made)."""

    _fields = ("project", "seq", "ts", "actor", "type", "data", "prev_hash", "hash", "account")
    # _data_json: the data's canonical text, kept by `make` so the store writes the bytes hashed
    __slots__ = (*_fields, "_data_json")
    project: str
    seq: int
    ts: str
    actor: str
    type: str
    data: dict
    prev_hash: str
    hash: str
    account: str | None  # the platform account that wrote it; None in format-1 events
    _data_json: str  # set by `make` only

    def __init__(self, project: str, seq: int, ts: str, actor: str, type: str, data: dict | None = None,
                 prev_hash: str = GENESIS_HASH, hash: str = "", account: str | None = None):
        _set(self, "project", project)
        _set(self, "seq", seq)
        _set(self, "ts", ts)
        _set(self, "actor", actor)
        _set(self, "type", type)
        _set(self, "data", {} if data is None else data)
        _set(self, "prev_hash", prev_hash)
        _set(self, "hash", hash)
        _set(self, "account", account)

    @classmethod
    def make(cls, project: str, seq: int, actor: str, type: str, data: dict, prev_hash: str, ts: str | None = None,
             account: str | None = None) -> Event:
        """Build the next event of a chain, with its data normalised and its hash computed
        (the data's canonical text is made once, for the hash and for the store)."""
        ts = ts or utc_now()
        data = normalise(data)
        data_json = canonical_json(data)  # of the normalised data: its keys are all strings now
        digest = compute_hash(prev_hash, project, seq, ts, actor, type, data, account, data_json)
        event = cls(project, seq, ts, actor, type, data, prev_hash, digest, account)
        _set(event, "_data_json", data_json)
        return event

    def data_json(self) -> str:
        """The data's canonical JSON text: what a store keeps."""
        try:
            return self._data_json
        except AttributeError:
            return canonical_json(self.data)

    @property
    def format(self) -> int:
        return 1 if self.account is None else 2

    @property
    def recorded_for(self) -> bool:
        """True when an account recorded this for someone else (the actor)."""
        return self.account is not None and self.account != self.actor

    def expected_hash(self) -> str:
        return compute_hash(self.prev_hash, self.project, self.seq, self.ts, self.actor, self.type, self.data,
                            self.account)

    def as_dict(self) -> dict:
        """The shape given to hooks, notifiers and `history --json`."""
        return {
            "project": self.project,
            "seq": self.seq,
            "ts": self.ts,
            "actor": self.actor,
            "type": self.type,
            "data": self.data,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "account": self.account,
        }


def first_break(events: list[Event]) -> tuple[int, str] | None:
    """Walk one project's chain; return (seq, why) of the first bad event, or None if intact.

    Catches edits (hash mismatch), deletions and insertions (seq gaps or repeats) and
    reordering (prev_hash not the hash before).
    """
    return _walk(events, 1, GENESIS_HASH, False)


def first_break_from(events: list[Event]) -> tuple[int, str] | None:
    """As first_break, for the part of a chain from its first event given (a snapshot's head,
    already verified with all before it) to its end: each event intact and linked to the one
    before."""
    if not events:
        return None
    head = events[0]  # vouched for by the snapshot whose head it is (seq and hash compared there)
    return _walk(events[1:], head.seq + 1, head.hash, head.account is not None)


def _walk(events: list[Event], start: int, prev: str, accounts: bool) -> tuple[int, str] | None:
    for position, event in enumerate(events, start=start):
        if accounts and event.account is None:
            return event.seq, ("it has no account, but an earlier event of the project has one "
                               "(it was written or changed without coflow)")
        accounts = accounts or event.account is not None
        if event.seq != position:
            return position, f"expected event {position} but found event {event.seq} (an event was deleted, inserted or moved)"
        if event.prev_hash != prev:
            return event.seq, "its link to the event before does not match (events were reordered or replaced)"
        try:
            expected = event.expected_hash()
        except ValueError as exc:
            if not is_non_finite_error(exc):
                raise
            return event.seq, ("it holds a number that is infinity or not-a-number, which no event may hold "
                               "(the event was edited, or written by an older coflow)")
        if expected != event.hash:
            return event.seq, "its content does not match its hash (the event was edited)"
        prev = event.hash
    return None
