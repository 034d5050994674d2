"""coflow-teams: post coflow events to a Microsoft Teams channel as a card.

Registers the notifier `teams`. By default it posts an Adaptive Card attachment, which both
Teams "Workflows" webhooks (Power Automate, the current way) and the older Office 365
connector webhooks accept; `format = "messagecard"` posts the older MessageCard format for
connector webhooks that still need it. The webhook URL is a secret: it comes only from the
environment variable `url_env` names.
"""

from __future__ import annotations

from typing import Any

import coflow

__version__ = "0.1.0"

FORMATS = ("adaptive", "messagecard")
KEYS = ("url_env", "format", "timeout", "attempts", "backoff")
ADAPTIVE_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ADAPTIVE_TYPE = "application/vnd.microsoft.card.adaptive"
# (Adaptive Card colour, MessageCard theme colour) by kind of event
COLOURS = {"advanced": ("Good", "2E7D32"), "overridden": ("Warning", "F9A825"),
           "blocked": ("Attention", "C62828"), "overdue": ("Warning", "F9A825")}
DEFAULT_COLOUR = ("Default", "0078D7")


def validate(config: dict[str, Any]) -> list[str]:
    from coflow.notify.base import unknown_keys
    from coflow.notify.webhook import timing_problems

    problems = unknown_keys(config, KEYS)
    if not config.get("url_env"):
        problems.append("url_env: missing; name the environment variable that holds the Teams webhook URL, "
                        "such as url_env = \"COFLOW_TEAMS_URL\"")
    if config.get("format", "adaptive") not in FORMATS:
        problems.append(f"format: expected one of {', '.join(FORMATS)}, found {config.get('format')!r}")
    return problems + timing_problems(config)


def _kind(event: dict[str, Any]) -> str:
    if event.get("type") == "advanced" and (event.get("data") or {}).get("override"):
        return "overridden"
    return str(event.get("type", ""))


def adaptive_card(event: dict[str, Any]) -> dict[str, Any]:
    """A Teams message holding one Adaptive Card: headline, facts, what to do next."""
    from coflow.notify.text import details, headline

    colour = COLOURS.get(_kind(event), DEFAULT_COLOUR)[0]
    card = {
        "$schema": ADAPTIVE_SCHEMA,
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": headline(event), "weight": "Bolder", "size": "Medium",
             "color": colour, "wrap": True},
            {"type": "FactSet", "facts": [{"title": name, "value": value} for name, value in details(event)]},
            {"type": "TextBlock", "text": f"See where it stands with: coflow status {event.get('project', '')}",
             "isSubtle": True, "wrap": True},
        ],
    }
    return {"type": "message",
            "attachments": [{"contentType": ADAPTIVE_TYPE, "contentUrl": None, "content": card}]}


def message_card(event: dict[str, Any]) -> dict[str, Any]:
    """The older Office 365 connector MessageCard, for webhooks that still need it."""
    from coflow.notify.text import details, headline

    title = headline(event)
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": title,
        "themeColor": COLOURS.get(_kind(event), DEFAULT_COLOUR)[1],
        "title": title,
        "sections": [{"facts": [{"name": name, "value": value} for name, value in details(event)],
                      "text": f"See where it stands with: coflow status {event.get('project', '')}"}],
    }


def notify(event: dict[str, Any], project: Any, config: dict[str, Any]) -> None:
    from coflow.notify.base import secret
    from coflow.notify.webhook import post_json, settings

    url = secret(config, "url_env")
    payload = message_card(event) if config.get("format") == "messagecard" else adaptive_card(event)
    post_json(url, payload, **settings(config))


@coflow.hookimpl
def coflow_register_notifiers(register):
    register("teams", notify, validate=validate)
