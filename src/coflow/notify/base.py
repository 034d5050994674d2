"""What every notifier shares: which events an entry wants, settings checks, secrets from env.

A notifier is `func(event, project, config)`: `event` is the event dict, `project` the
read-only view as it stood at that event, `config` the [[notify]] entry's own keys plus
`coflow_home` (the folder of coflow.toml, for relative paths). It raises to fail; the
outbox then keeps the notification to retry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# Names that are not event types: "overridden" is an advance past a failing gate; "reminder",
# "overdue" and "escalation" are notices `coflow tick` sends (none is an event in the log).
DERIVED = ("overridden", "overdue", "reminder", "escalation")
ALL = "*"
COMMON_KEYS = ("notifier", "events")
OVERDUE_KEYS = ("payment_days", "stage_days")  # limits for "overdue", any notifier
ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class NotifyError(Exception):
    """A notification could not be delivered; the message says why in plain words."""


def label(index: int, entry: dict[str, Any]) -> str:
    """How messages name an entry: notify[0] (webhook)."""
    return f"notify[{index}] ({entry.get('notifier', '?')})"


def known_event_names(event_types: Iterable[str] | None = None) -> set[str]:
    """The names a [[notify]] entry may list: every registered event type (coflow's own
    record kinds' when none are given) and the derived names."""
    if event_types is None:
        from coflow.kinds import builtin

        event_types = builtin().event_types
    return {*event_types, *DERIVED}


def wants(entry: dict[str, Any], event_type: str, data: dict[str, Any]) -> bool:
    """Does this entry want this logged event? "*" is every logged event."""
    wanted = entry.get("events") or []
    if ALL in wanted or event_type in wanted:
        return True
    return event_type == "advanced" and bool(data.get("override")) and "overridden" in wanted


def entry_problems(entry: Any, notifiers: dict[str, Any], event_types: Iterable[str] | None = None) -> list[str]:
    """Problems of one [[notify]] entry (key: what is wrong), without looking at the environment.

    `event_types` are the registered record kinds' (coflow.kinds); coflow's own by default.
    """
    if not isinstance(entry, dict):
        return ["expected a [[notify]] table"]
    problems: list[str] = []
    name = entry.get("notifier")
    if not isinstance(name, str) or not name.strip():
        problems.append("notifier: missing; expected the name of a notifier, such as \"webhook\"")
    elif name not in notifiers:
        known = ", ".join(sorted(notifiers)) or "none"
        problems.append(f"notifier: no plugin provides a notifier called {name!r} (known: {known}); "
                        "install the plugin that provides it, or check COFLOW_LOAD_PLUGINS")
    events = entry.get("events")
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        problems.append("events: expected a list of event names, such as [\"advanced\", \"blocked\"] "
                        "(\"*\" for every event)")
    else:
        known_events = known_event_names(event_types)
        for event in events:
            if event != ALL and event not in known_events:
                problems.append(f"events: {event!r} is not an event coflow records; known: "
                                f"{', '.join(sorted(known_events))}")
    for key, value in entry.items():
        if key.endswith("_env") and (not isinstance(value, str) or not ENV_KEY_RE.match(value)):
            problems.append(f"{key}: expected the NAME of an environment variable, such as \"COFLOW_WEBHOOK_URL\", "
                            f"found {value!r}")
    for key in OVERDUE_KEYS:
        problems += positive_number(entry, key, integer=True)
        if key in entry and "overdue" not in (events if isinstance(events, list) else []):
            problems.append(f"{key}: only used for \"overdue\" reminders; add \"overdue\" to events or remove it")
    if isinstance(name, str) and name in notifiers:
        validate = notifiers[name][2] if len(notifiers[name]) > 2 else None
        if validate is not None:
            problems.extend(validate(notifier_config(entry)) or [])
    return problems


def notifier_config(entry: dict[str, Any]) -> dict[str, Any]:
    """The keys a notifier sees: the entry without the ones coflow itself reads."""
    return {k: v for k, v in entry.items() if k not in COMMON_KEYS and k not in OVERDUE_KEYS}


def environment_problems(entry: dict[str, Any]) -> list[str]:
    """Every `*_env` key must name a variable that is set in this environment."""
    problems = []
    for key, value in entry.items():
        if key.endswith("_env") and isinstance(value, str) and not os.environ.get(value):
            problems.append(f"{key}: the environment variable {value} is not set; set it where coflow runs "
                            "(secrets are never written in coflow.toml)")
        elif key == "url_env" and isinstance(value, str) and _has_credentials(os.environ[value]):
            problems.append(f"{key}: the URL in {value} holds a user name or password (the part before '@'); "
                            "coflow never sends credentials written into a URL: use the webhook URL the service "
                            "gave, and bearer_env for a token")
    return problems


def _has_credentials(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return "@" in urlsplit(url).netloc
    except ValueError:
        return False


def secret(config: dict[str, Any], key: str) -> str:
    """The value of the environment variable a `*_env` setting names; raises if unset."""
    name = config.get(key)
    if not name:
        raise NotifyError(f"the setting {key} is missing")
    value = os.environ.get(str(name))
    if not value:
        raise NotifyError(f"the environment variable {name} (named by {key}) is not set")
    return value


def unknown_keys(config: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed = tuple(allowed)
    shown = ", ".join((*COMMON_KEYS, *allowed, *OVERDUE_KEYS))
    return [f"{key}: unknown setting; allowed: {shown}"
            for key in config if key not in allowed and key not in COMMON_KEYS and key != "coflow_home"]


def positive_number(config: dict[str, Any], key: str, integer: bool = False) -> list[str]:
    if key not in config:
        return []
    value = config[key]
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value <= 0:
        what = "a whole number above 0" if integer else "a number above 0"
        return [f"{key}: expected {what}, found {value!r}"]
    return []
