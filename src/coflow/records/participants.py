"""Participants: who takes part, kept pseudonymous in the log.

The event log holds an id, a role, whether the person has lived experience, a coarse
category and the like. Names, contact details and the words of someone's access needs go
to the personal-data table (tx.put_personal), never into an event, so forgetting a person
removes them without breaking the hash chain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from coflow.errors import NotFound, UsageError
from coflow.names import ACTOR_RE, CREDIT
from coflow.records.ids import Ids, known
from coflow.records.reducers import PARTICIPANT_ADDED, PARTICIPANT_FORGOTTEN, PARTICIPANT_UPDATED
from coflow.records.values import FieldProblem, about, blank, choice, day, flag, listing, name, text
from coflow.records.withdrawal import withdrawal_changes

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

PERSONAL = ("name", "email", "phone", "address", "access_needs")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+() -]{6,24}$")
# date fields, and the name people give them (the option --induction fills `inducted`):
# problems are reported under that name, so the message names what was typed
DATES = {"inducted": "induction", "trained": "training", "payment_info": "payment_info"}


def _optional_choice(value: Any, field: str, choices: tuple[str, ...]) -> str | None:
    return None if blank(value) else choice(value, field, choices)


def _actor(value: Any) -> str | None:
    if blank(value):
        return None
    result = str(value).strip()
    if not ACTOR_RE.match(result):
        raise FieldProblem("signs_as", f"{result!r} is not a usable actor name",
                           hint="the coflow actor name this person signs off with, such as p003")
    return result


def personal_data(fields: Mapping[str, Any]) -> dict[str, str]:
    """The personal details given (only those given), checked; never written to the log."""
    found: dict[str, str] = {}
    person = text(fields.get("name"), "name", max_len=100)
    if person:
        found["name"] = person
    email = text(fields.get("email"), "email", max_len=200)
    if email:
        if not EMAIL_RE.match(email):
            raise FieldProblem("email", "is not an email address", hint="such as sam@example.org")
        found["email"] = email
    phone = text(fields.get("phone"), "phone", max_len=24)
    if phone:
        if not PHONE_RE.match(phone):
            raise FieldProblem("phone", "is not a phone number", hint="digits, spaces, '+', '-' and brackets only")
        found["phone"] = phone
    address = text(fields.get("address"), "address", max_len=300)
    if address:
        found["address"] = address
    needs = text(fields.get("access_needs"), "access_needs", max_len=1000)
    if needs:
        found["access_needs"] = needs
    return found


def _spelled(value: Any, field: str) -> str | None:
    """A route, group or category in its one spelling ("Open Call" -> "open-call"), so two
    ways of typing one name never count as two (see coflow.spelling)."""
    from coflow.spelling import one_spelling

    typed = text(value, field, max_len=60)
    if typed is None:
        return None
    result = one_spelling(typed)
    if not result:
        raise FieldProblem(field, f"{typed!r} has no letters or digits",
                           hint="give a name such as open-call or community-partner")
    return result


def _groups(value: Any) -> list[str]:
    found: list[str] = []
    for g in listing(value, ";"):
        name = _spelled(g, "groups") or ""
        if name not in found:
            found.append(name)
    return found


def make_added(fields: Mapping[str, Any], ids: Ids) -> tuple[dict[str, Any], dict[str, str]]:
    """The participant_added data and the personal details, from raw fields."""
    personal = personal_data(fields)
    data = {
        "id": ids.given_or_new(fields.get("id")),
        "role": name(fields.get("role"), "role", example="partner") or "partner",
        "lived_experience": bool(flag(fields.get("lived_experience"), "lived_experience", default=False)),
        "category": _spelled(fields.get("category"), "category"),
        "groups": _groups(fields.get("groups")),
        "route": _spelled(fields.get("route"), "route"),
        "access_needs": "access_needs" in personal,
        "access_needs_met": bool(flag(fields.get("access_needs_met"), "access_needs_met", default=False)),
        "credit": _optional_choice(fields.get("credit"), "credit", CREDIT),
        "future_contact": flag(fields.get("future_contact"), "future_contact"),
        "inducted": day(fields.get("inducted"), DATES["inducted"]),
        "trained": day(fields.get("trained"), DATES["trained"]),
        "payment_info": day(fields.get("payment_info"), DATES["payment_info"]),
        "access_asked": day(fields.get("access_asked"), "access_asked"),
        "actor": _actor(fields.get("signs_as")),
    }
    return data, personal


def add(engine: ProjectWriter, project: str, actor: str, **fields: Any) -> dict[str, Any]:
    """Add a participant; personal details go to the personal table in the same transaction."""

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        with about("new participant"):
            data, personal = make_added(fields, Ids("P", state.participants))
        if personal:
            tx.put_personal(project, data["id"], personal)
        return data

    event, state = engine.change(project, actor, PARTICIPANT_ADDED, build)
    return dict(state.participants[event.data["id"]])


def find(state: Any, participant: str) -> dict[str, Any]:
    record = state.participants.get(participant)
    if record is None:
        raise NotFound(f"project {state.id} has no participant {participant!r}",
                       hint=f"known ids: {known(state.participants)}; "
                            f"see `coflow participant list {state.id}`")
    return record


def _live(state: Any, participant: str) -> dict[str, Any]:
    record = find(state, participant)
    if record.get("erased"):
        raise UsageError(f"participant {participant} was forgotten at their request, so their record cannot change",
                         hint="add them again as a new participant if they come back")
    return record


def make_changes(record: Mapping[str, Any], fields: Mapping[str, Any],
                 sessions: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(log changes, personal changes) from the fields given; None means "not given".
    `sessions` (the project's) lets a withdrawal date be checked against attendance."""
    given = {k: v for k, v in fields.items() if v is not None and v != ()}
    changes: dict[str, Any] = {}
    if "role" in given:
        changes["role"] = name(given["role"], "role", required=True, example="partner")
    for key in ("lived_experience", "access_needs_met", "future_contact"):
        if key in given:
            changes[key] = flag(given[key], key)
    for key in ("category", "route"):
        if key in given:
            changes[key] = _spelled(given[key], key)
    if "groups" in given:
        changes["groups"] = _groups(given["groups"])
    if "credit" in given:
        changes["credit"] = _optional_choice(given["credit"], "credit", CREDIT)
    for key, label in DATES.items():
        if key in given:
            changes[key] = day(given[key], label, required=True)
    if "signs_as" in given:
        changes["actor"] = _actor(given["signs_as"])
    left, left_personal = withdrawal_changes(record, sessions or {}, given)
    changes.update(left)
    personal: dict[str, str | None] = {**personal_data(given), **left_personal}
    if given.get("clear_access_needs"):
        if "access_needs" in personal:
            raise FieldProblem("access_needs", "cannot be given and cleared at once")
        personal["access_needs"] = None
        changes["access_needs"] = False
    elif "access_needs" in personal:
        changes["access_needs"] = True
        # a new or changed need is not met until someone says so
        changes.setdefault("access_needs_met", False)
    changes = {k: v for k, v in changes.items() if record.get(k) != v}
    return changes, personal


def update(engine: ProjectWriter, project: str, actor: str, participant: str,
           **fields: Any) -> tuple[dict[str, Any], bool]:
    """Change a participant's record; personal details are updated beside the log.

    Returns (record, changed): asking for what is already so writes nothing.
    """
    given = [k for k, v in fields.items() if v is not None and v != () and k != "clear_access_needs"]
    if not given and not fields.get("clear_access_needs"):
        raise UsageError(f"nothing to change for participant {participant}",
                         hint="give what changes, such as --training 2026-02-10 or --access-needs-met")

    def build(state: Any, view: Any, tx: Transaction) -> dict | None:
        record = _live(state, participant)
        with about(f"participant {participant}"):
            changes, personal = make_changes(record, fields, state.sessions)
        existing = engine.personal_detail(project, participant) or {}
        personal = {k: v for k, v in personal.items() if existing.get(k) != v}
        if not changes and not personal:
            return None
        data: dict[str, Any] = {"id": participant, "changes": changes}
        if personal:
            merged = {k: v for k, v in {**existing, **personal}.items() if v is not None}
            if merged:
                tx.put_personal(project, participant, merged)
            else:
                tx.delete_personal(project, participant)
            data["personal_fields"] = sorted(personal)  # which details changed, never their values
        return data

    event, state = engine.change(project, actor, PARTICIPANT_UPDATED, build)
    return dict(state.participants[participant]), event is not None


def forget(engine: ProjectWriter, project: str, actor: str, participant: str, reason: str) -> dict[str, Any]:
    """Erase a person's details and leave a tombstone: the chain and past gates still stand."""
    if blank(reason):
        raise UsageError("forgetting a participant needs a reason",
                         hint='add --reason "asked to be removed on 2026-05-01" (no names, please)')
    reason = " ".join(reason.split())

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        _live(state, participant)
        tx.delete_personal(project, participant)
        return {"id": participant, "reason": reason}

    _, state = engine.change(project, actor, PARTICIPANT_FORGOTTEN, build)
    return dict(state.participants[participant])


def listing_for(engine: ProjectWriter, project: str, personal: bool = False) -> list[dict[str, Any]]:
    """Every participant record, with personal details only when asked for."""
    state = engine.get(project)
    details = engine.personal_details(project) if personal else {}
    records = []
    for pid, record in state.participants.items():
        row = dict(record)
        if personal:
            row["personal"] = details.get(pid)
        records.append(row)
    return records


def export(engine: ProjectWriter, project: str, participant: str) -> dict[str, Any]:
    """Everything held about one person (a subject access request), as one document."""
    from coflow.events import canonical_json, utc_now

    state = engine.get(project)
    record = find(state, participant)
    token = canonical_json(participant)
    sessions = []
    for session in state.sessions.values():
        attended = participant in session.get("attendance", [])
        coauthor = participant in session.get("agenda_coauthors", [])
        if attended or coauthor:
            sessions.append({**session, "attended": attended, "agenda_coauthor": coauthor})
    actor_names = {a for a in (record.get("actor"), participant) if a}
    plain = {re.sub(r"[^a-z0-9]", "", a.lower()) for a in actor_names}
    signoffs = [s for s in state.signoffs
                if s["actor"] in actor_names or re.sub(r"[^a-z0-9]", "", s["actor"].lower()) in plain]
    history = [{"seq": e.seq, "ts": e.ts, "actor": e.actor, "type": e.type, "data": e.data}
               for e in state.events if token in canonical_json(e.data)]
    return {
        "project": project,
        "participant": dict(record),
        "personal": engine.personal_detail(project, participant),
        "sessions": sessions,
        "payments": [dict(p) for p in state.payments.values() if p.get("participant") == participant],
        "signoffs": signoffs,
        "history": history,
        "exported": utc_now(),
    }
