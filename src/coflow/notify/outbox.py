"""The outbox: deliver what the store holds, mark it, keep failures with their reason.

Rows are written by the engine in the same transaction as their event, so an event never
goes unannounced and a failed delivery never undoes an event. After a command, only the
rows that command wrote are sent (a slow webhook slows that command, not every command);
`coflow notify retry` sends every pending or failed row. Delivery is at least once: a
notification may arrive twice if two retries race, never zero times while it is kept.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from coflow import log
from coflow.errors import CoflowError, ConfigError
from coflow.notify.base import (
    NotifyError,
    entry_problems,
    environment_problems,
    label,
    notifier_config,
)

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter

MIN_LIMIT = 60.0  # seconds a notifier may take before coflow stops waiting for it
REDACTED = "[personal details removed]"
# Every queued payload must carry these, equal to the stored event's
PAYLOAD_KEYS = ("project", "seq", "ts", "actor", "type", "data", "prev_hash", "hash")


@dataclass
class Delivery:
    """The outcome of one attempt to send one outbox row."""

    id: int
    project: str
    seq: int
    event_type: str
    entry: str
    delivered: bool
    error: str | None = None
    config_problem: bool = False
    held: bool = False  # not sent and still pending: it could not be made safe to send
    refused: bool = False  # not sent: the payload is not the event the history holds

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- settings ---------------------------------------------------------------------------------


def config_problems(engine: ProjectWriter, environment: bool = False) -> list[str]:
    """Every problem of the [[notify]] entries, as "notify[0].key: what is wrong"."""
    notifiers = engine.plugins.registry().notifiers
    problems = []
    for index, entry in enumerate(engine.config.notify):
        found = entry_problems(entry, notifiers, engine.record_kinds.event_types)
        if environment and isinstance(entry, dict):
            found += environment_problems(entry)
        problems += [f"notify[{index}].{p}" for p in found]
    return problems


def require_valid(engine: ProjectWriter, environment: bool = False) -> None:
    """Raise ConfigError (exit 3) naming each bad entry; nothing has been written yet."""
    problems = config_problems(engine, environment)
    if problems:
        where = engine.config.path or "coflow.toml"
        count = len(problems)
        raise ConfigError(f"{where}: {count} problem{'s' if count != 1 else ''} with [[notify]] entries",
                          details=problems,
                          hint="fix them in coflow.toml, or set the environment variables named there "
                               "(see docs/notifications.md); `coflow notify check` checks them again")


# -- personal data never leaves ---------------------------------------------------------------


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


class HeldBack(Exception):
    """The store could not give the personal details to take out of a notification, so it
    is not sent: better late than sent with someone's name or contact details in it."""


def personal_pattern(store: Any, project: str) -> re.Pattern | None:
    """A pattern matching any personal detail the store holds for the project's participants."""
    try:
        rows = store.personal_for_project(project)
    except Exception as exc:  # noqa: BLE001 - any failure holds the notification back
        reason = exc.message if isinstance(exc, CoflowError) else f"{type(exc).__name__}: {exc}"
        raise HeldBack(f"held back, not sent: the store could not give the personal details that must be "
                       f"taken out of it ({reason}); it stays waiting in the outbox") from None
    values = {s.strip() for s in _strings(list(rows.values())) if len(s.strip()) >= 4}
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact(value: Any, pattern: re.Pattern | None) -> Any:
    """The event with any personal detail replaced: the log should never hold one, and if a
    free-text field ever does, it still does not leave coflow in a notification."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: redact(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, pattern) for v in value]
    return value


# -- delivery ---------------------------------------------------------------------------------


def _run_limited(func: Any, args: tuple, limit: float) -> None:
    """Run a notifier with a time limit, so one that hangs cannot hang coflow."""
    from coflow.timelimit import TimeLimitExceeded, call_with_limit

    try:
        call_with_limit(func, args, limit, "coflow-notifier")
    except TimeLimitExceeded:
        raise NotifyError(f"the notifier was still working after {limit:g} seconds; coflow stopped waiting "
                          "(the message may still arrive)") from None


def _limit(entry: dict[str, Any]) -> float:
    from coflow.notify.webhook import time_needed

    try:
        return max(MIN_LIMIT, time_needed(entry) + 5)
    except (TypeError, ValueError):
        return MIN_LIMIT


class _Deliverer:
    """Sends outbox rows for one engine, caching what several rows share."""

    def __init__(self, engine: ProjectWriter):
        self.engine = engine
        self.notifiers = engine.plugins.registry().notifiers
        self.views: dict[tuple[str, int], Any] = {}
        self.states: dict[tuple[str, int], Any] = {}
        self.patterns: dict[str, re.Pattern | None] = {}

    def view_at(self, project: str, seq: int) -> Any:
        """The project as it stood at the notified event, however long ago that was."""
        key = (project, seq)
        if key not in self.views:
            self.views[key] = self.engine.view(self.state_at(project, seq))
        return self.views[key]

    def state_at(self, project: str, seq: int) -> Any:
        key = (project, seq)
        if key not in self.states:
            self.states[key] = self.engine.state_of(project, upto=seq)
        return self.states[key]

    def mismatch(self, item: Any, event: dict[str, Any]) -> str | None:
        """Why the queued payload is not the event the history holds (None when it is).

        Only what the log holds is ever announced: a payload edited in the outbox, or one
        whose event was changed or removed, is refused and kept with the reason.
        """
        events = self.state_at(item.project, item.seq).events
        stored = events[-1] if events and events[-1].seq == item.seq else None
        if stored is None:
            return f"the history of {item.project} has no event {item.seq}"
        if item.payload.get("overdue_key") is not None:
            return _overdue_mismatch(item, event)
        if stored.expected_hash() != stored.hash:
            return f"event {item.seq} of {item.project} does not match its own hash (run `coflow verify`)"
        kept = stored.as_dict()
        differ = [key for key, value in kept.items()
                  if (key in event or key in PAYLOAD_KEYS) and event.get(key) != value]
        differ += [key for key in event if key not in kept]
        if item.seq != event.get("seq") or item.project != event.get("project"):
            differ.append("seq")
        if differ:
            return (f"the queued notification does not match event {item.seq} of {item.project} in the history "
                    f"(it differs in: {', '.join(sorted(set(differ)))}); it was not sent")
        return None

    def pattern(self, project: str) -> re.Pattern | None:
        if project not in self.patterns:
            self.patterns[project] = personal_pattern(self.engine.store, project)
        return self.patterns[project]

    def send(self, item: Any) -> Delivery:
        event = item.payload.get("event") or {}
        index = item.payload.get("notify_index")
        entries = self.engine.config.notify
        entry = entries[index] if isinstance(index, int) and 0 <= index < len(entries) else None
        name = label(index if isinstance(index, int) else -1, {"notifier": item.notifier})
        result = Delivery(item.id, item.project, item.seq, str(event.get("type", "?")), name, False)
        if entry is None or entry.get("notifier") != item.notifier:
            result.error = (f"coflow.toml no longer has the [[notify]] entry this was queued for ({name}); "
                            "put it back to send it")
            result.config_problem = True
            return result
        problems = entry_problems(entry, self.notifiers, self.engine.record_kinds.event_types) + environment_problems(entry)
        if problems:
            result.error = "; ".join(problems)
            result.config_problem = True
            return result
        try:
            forged = self.mismatch(item, event)
        except CoflowError as exc:
            forged = f"the history could not be read to check it ({exc.message})"
        if forged:
            result.error = forged + ". Run `coflow verify`"
            result.refused = True
            return result
        func = self.notifiers[item.notifier][0]
        config = notifier_config(entry)
        config["coflow_home"] = str(self.engine.config.home)
        try:
            clean = redact(event, self.pattern(item.project))
        except HeldBack as exc:
            result.error = str(exc)
            result.held = True
            return result
        try:
            view = self.view_at(item.project, item.seq)
            _run_limited(func, (clean, view, config), _limit(entry))
        except NotifyError as exc:
            result.error = str(exc)
        except CoflowError as exc:
            result.error = exc.message
        except Exception as exc:  # a plugin's bug is a failed delivery, never a crash
            result.error = f"the {item.notifier} notifier failed: {type(exc).__name__}: {exc}"
        else:
            result.delivered = True
        return result


def _overdue_mismatch(item: Any, event: dict[str, Any]) -> str | None:
    """A deadline notice (reminder, overdue, escalation) is not an event of the log: it must
    still say only what `coflow tick` wrote (its type, the item its key names, the project and
    the event it stood at)."""
    from coflow.notify.overdue import _key

    data, key, kind = event.get("data"), str(item.payload.get("overdue_key")), event.get("type")
    try:
        same_key = isinstance(data, dict) and (_key(data) == key if data.get("kind") in ("payment", "stage")
                                               else key.startswith(f"{kind}:"))
    except (KeyError, TypeError):
        same_key = False
    shape_ok = (set(event) <= {"project", "seq", "ts", "actor", "type", "data"}
                and kind in ("reminder", "overdue", "escalation")
                and event.get("actor") == "coflow" and event.get("project") == item.project
                and event.get("seq") == item.seq)
    if same_key and shape_ok:
        return None
    return (f"the queued overdue reminder for {item.project} is not what coflow queued (it was changed in the "
            "outbox); it was not sent")


def deliver(engine: ProjectWriter, items: Iterable[Any]) -> list[Delivery]:
    """Send each row and record the outcome in the store."""
    deliverer = _Deliverer(engine)
    results = []
    for item in items:
        result = deliverer.send(item)
        if result.held:  # left pending, untried, for `coflow notify retry`
            log.warning("notification_held", id=item.id, project=item.project, seq=item.seq, entry=result.entry)
            results.append(result)
            continue
        engine.store.mark_outbox(item.id, result.delivered, None if result.delivered else result.error)
        if result.delivered:
            log.info("notification_sent", id=item.id, project=item.project, seq=item.seq, entry=result.entry)
        else:
            log.info("notification_failed", id=item.id, project=item.project, seq=item.seq, entry=result.entry,
                     error=result.error)
        results.append(result)
    return results


def deliver_pending(engine: ProjectWriter, ids: Iterable[int] | None = None) -> list[Delivery]:
    """Send pending rows: only `ids` when given (the rows a command just wrote), else all."""
    wanted = set(ids) if ids is not None else None
    items = [i for i in engine.store.outbox("pending") if wanted is None or i.id in wanted]
    return deliver(engine, items) if items else []


def retry(engine: ProjectWriter) -> list[Delivery]:
    """Send every row not yet delivered, oldest first (`coflow notify retry`)."""
    items = sorted([*engine.store.outbox("pending"), *engine.store.outbox("failed")], key=lambda i: i.id)
    return deliver(engine, items) if items else []


def deliver_after_change(engine: ProjectWriter, ids: list[int]) -> list[Delivery]:
    """After a committed change: send its notifications; whatever happens, only warn.

    The change is saved whatever a notifier does, so nothing here may raise or change the
    command's exit code; a failure is said in plain words and kept for `coflow notify retry`.
    """
    try:
        results = deliver_pending(engine, ids)
    except Exception as exc:  # noqa: BLE001 - the change is committed; only report
        reason = exc.message if isinstance(exc, CoflowError) else f"{type(exc).__name__}: {exc}"
        _warn(f"Warning: the change is saved, but its notifications could not be sent ({reason}). "
              "They are kept; `coflow notify retry` will try again.")
        return []
    for r in results:
        if not r.delivered:
            _warn(f"Warning: the change is saved, but the notification to {r.entry} could not be sent: "
                  f"{r.error}. It is kept; `coflow notify retry` will try again.")
    return results


def _warn(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed stderr must not turn into a failure
        pass
