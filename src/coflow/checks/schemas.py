"""JSON Schema fragments for the parameters of the built-in check types.

Each fragment describes the keys a check of that type takes besides the common ones (id,
type, title, hint, source, severity): `properties`, and `required` where a key must be
given. They are read only by `coflow workflow schema` (and the schema shipped in the
package), so editors can complete and check workflow files. Workflow validation stays the
judge: it also checks what a schema cannot say (a sign-off role must be one in [roles]).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


_WHOLE = {"type": "integer", "minimum": 0}
_FLAG = {"type": "boolean"}
_TEXT = {"type": "string", "minLength": 1}
_LEVELS = ["inform", "consult", "engage", "co-design", "co-production"]


def _whole(description: str, minimum: int = 0) -> dict[str, Any]:
    return {**_WHOLE, "minimum": minimum, "description": description}


def _flag(description: str) -> dict[str, Any]:
    return {**_FLAG, "description": description}


def _text(description: str) -> dict[str, Any]:
    return {**_TEXT, "description": description}


FRAGMENTS: dict[str, dict[str, Any]] = {
    "fact": {
        "properties": {
            "key": _text("the name of the fact, as recorded with `coflow record PROJECT KEY VALUE`"),
            "op": {"enum": ["exists", "==", "!=", ">", ">=", "<", "<=", "in", "date", "past_date"],
                   "default": "exists", "description": "how the fact is compared with `value`"},
            "value": {"description": "what the fact is compared with (a list for op = \"in\")"},
        },
        "required": ["key"],
    },
    "evidence": {
        "properties": {
            "kind": _text("the kind of evidence, as in `coflow evidence add PROJECT --kind KIND`"),
            "min": _whole("how many pieces of that kind are needed", 1),
            "by_first_session": _flag("the evidence must be dated on or before the first session"),
        },
        "required": ["kind"],
    },
    "signoff": {
        "properties": {
            "roles": {"type": "array", "items": _TEXT, "minItems": 1, "uniqueItems": True,
                      "description": "the roles (from [roles]) that must each sign off"},
            "digest": _flag("a sign-off counts only while the records this gate judges are unchanged since it was given"),
        },
        "required": ["roles"],
    },
    "participants": {
        "properties": {
            "min": _whole("at least this many people"),
            "lived_experience": _flag("count only people with lived experience"),
            "min_groups": _whole("at least this many different diversity-monitoring groups reached (0: not checked)"),
            "min_routes": _whole("at least this many different recruitment routes (0: not checked)"),
            "role": _text("count only people with this role"),
            "open_routes": {"type": "array", "items": _TEXT, "minItems": 1,
                            "description": "routes open to anyone; at least one person must come through one"},
        },
    },
    "training": {
        "properties": {
            "who": {"enum": ["staff", "partners", "all"], "description": "whose records are checked"},
            "what": {"enum": ["training", "induction", "payment_info"], "description": "what they must have had"},
            "role": _text("check only people with this role"),
            "before_first_session": _flag("it must be dated on or before the first session they attended"),
        },
        "required": ["who", "what"],
    },
    "sessions": {
        "properties": {
            "min": _whole("at least this many sessions"),
            "min_span_weeks": {"type": "number", "minimum": 0,
                               "description": "how many weeks the sessions must span"},
            "min_formats": _whole("how many different formats (in person, online, ...) are needed"),
            "coauthored": _flag("every session's agenda must have a lived-experience co-author"),
            "decisions_after_involvement": _flag("no decision session before people with lived experience took part"),
            "decisions_with_lived_experience": _flag("someone with lived experience at or before every decision session"),
            "decision_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                               "description": "at every decision session, at least this share of those present "
                                              "have lived experience (and at least one does)"},
            "min_with_lived_experience": _whole("at least this many sessions held with someone with lived "
                                                "experience there"),
        },
    },
    "attendance": {
        "properties": {
            "min": _whole("every partner attended at least this many sessions (0: not checked)"),
            "lived_experience_share": {"type": "number", "minimum": 0, "maximum": 1,
                                       "description": "the smallest share of people with lived experience "
                                                      "at decision sessions"},
        },
    },
    "payments": {
        "properties": {
            "max_pending_days": _whole("a pending payment counts as on its way for up to this many days"),
            "expenses": _flag("every expense claim must be settled, or refused with a reason"),
            "require_paid_sessions": _flag("fail until a paid session with attendees is recorded"),
            "late_from_session": _flag("max_pending_days is counted from the session a payment is for"),
            "declined_needs_choice": _flag("a declined payment counts only with the day the person chose it recorded"),
            "hourly_rate": {"type": "number", "minimum": 0, "description": "the rate people are paid per hour"},
        },
    },
    "feedback": {
        "properties": {"min": _whole("at least this many \"you said, we did\" items, every one answered")},
    },
    "access_needs": {
        "properties": {"asked": _flag("every partner was also asked what they need in order to take part")},
    },
    "involvement_level": {
        "properties": {
            "level": {"enum": _LEVELS, "description": "the level of involvement the workflow stands for"},
            "approval_role": _text("the role whose sign-off a claim above the recommendation needs"),
        },
    },
    "elapsed": {
        "properties": {
            "min_days": _whole("at least this many days"),
            "max_days": _whole("at most this many days"),
            "from_fact": _text("the fact holding the day it began (default: entering the stage)"),
            "until_fact": _text("the fact holding the day it ended (goes with from_fact)"),
        },
        "anyOf": [{"required": ["min_days"]}, {"required": ["max_days"]}],
    },
    "groups": {
        "properties": {"min_named": _whole("at least this many under-represented groups named (default 1)")},
    },
    "shared_work": {
        "properties": {
            "work": {"type": "array", "items": _TEXT, "minItems": 1,
                     "description": "kinds of work people with lived experience took part in (default delivery "
                                    "and evaluation)"},
            "roles": {"type": "object", "additionalProperties": {"type": "array", "items": _TEXT, "minItems": 1},
                      "description": "for each kind of work, the participant roles that stand for it"},
        },
    },
}


def fragment(name: str) -> dict[str, Any]:
    """The fragment of one built-in check type (a copy, so callers may change it)."""
    import copy

    return copy.deepcopy(FRAGMENTS[name])
