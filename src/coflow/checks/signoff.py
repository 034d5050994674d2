"""The `signoff` check type: every listed role signed this visit to the stage, by distinct people.

A sign-off counts only for the current visit to its stage: reopening a stage asks for the
signatures again. One person cannot fill two roles of the same gate, so the roles are
matched to different signers (a person who signed for two roles fills only one of them).

With `digest = true`, a sign-off counts only while the records the gate judges are as they
were when it was given (each sign-off records a digest of them): a budget recorded after
the sponsor signed the plan makes that sign-off out of date, and the message says what
changed. Added as its own setting so that projects pinned to an older workflow keep the
rule they started with; the shipped workflows switch it on.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("roles", "digest")


def validate(params: dict[str, Any]) -> list[str]:
    problems = unknown_params(params, PARAMS)
    roles = params.get("roles")
    if "roles" not in params:
        return [*problems, 'roles: missing; expected a list of role names such as ["sponsor", "co-chair"]']
    if (not isinstance(roles, list) or not roles
            or not all(isinstance(r, str) and r.strip() for r in roles)):
        return [*problems, f'roles: expected a list of role names such as ["sponsor", "co-chair"], found {roles!r}']
    problems += common.flag(params, "digest")
    repeated = sorted({r for r in roles if roles.count(r) > 1})
    if repeated:
        problems.append(f"roles: {common.listing(repeated)} listed more than once; each role signs once")
    return problems


def _title(project: ProjectView, role: str) -> str:
    spec = getattr(project, "roles", {}).get(role)
    title = getattr(spec, "title", None) or role
    return role if title == role else f"{title} ({role})"


def current_signoffs(project: ProjectView) -> list[Any]:
    """Sign-offs of the project's current stage made since it last entered that stage.

    Judged by event order (seq), never by clock time, which can step back or differ between
    the machines sharing a store. A view not folded from events (entered at seq 0) counts all.
    """
    entered = getattr(project, "stage_entered_seq", 0) or 0
    return [s for s in project.signoffs
            if common.field(s, "stage") == project.stage
            and (entered == 0 or _seq(common.field(s, "seq")) > entered)]


def _seq(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _match(roles: list[str], signers: dict[str, list[str]]) -> dict[str, str]:
    """Give as many roles as possible a signer, each signer at most one role (augmenting paths)."""
    holder: dict[str, str] = {}  # actor -> role

    def place(role: str, tried: set[str]) -> bool:
        for actor in signers.get(role, []):
            if actor in tried:
                continue
            tried.add(actor)
            if actor not in holder or place(holder[actor], tried):
                holder[actor] = role
                return True
        return False

    for role in roles:
        place(role, set())
    return {role: actor for actor, role in holder.items()}


def _stale(project: ProjectView, roles: list[str]) -> tuple[list[Any], dict[tuple[str, str], list[str]]]:
    """(sign-offs that still count, {(role, actor): what changed} for those out of date):
    each person's latest sign-off for a role is compared with the records as they are now."""
    from coflow.signoff_digest import changed_since

    latest: dict[tuple[str, str], Any] = {}
    for s in current_signoffs(project):
        latest[(str(common.field(s, "role")), str(common.field(s, "actor")))] = s
    counting: list[Any] = []
    stale: dict[tuple[str, str], list[str]] = {}
    for key, s in latest.items():
        changed = changed_since(project, s) if key[0] in roles else []
        if changed is None:
            stale[key] = []  # given before coflow kept digests: what it signed is unknown
        elif changed:
            stale[key] = changed
        else:
            counting.append(s)
    return counting, stale


def _stale_words(project: ProjectView, stale: dict[tuple[str, str], list[str]]) -> list[str]:
    from coflow.signoff_digest import described

    words = []
    for (role, actor), changed in stale.items():
        what = (f"{described(changed)} changed since it was given" if changed
                else "it was given before coflow recorded what a sign-off signs")
        words.append(f"the sign-off by {actor} as {_title(project, role)} is out of date: {what}; "
                     f"{actor} reads the records again and signs again if they still agree")
    return words


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    roles = list(params["roles"])
    signers: dict[str, list[str]] = {}
    counting, stale = _stale(project, roles) if params.get("digest") else (current_signoffs(project), {})
    for s in counting:
        role, actor = common.field(s, "role"), common.field(s, "actor")
        if role in roles and actor and actor not in signers.setdefault(role, []):
            signers[role].append(actor)
    filled = _match(roles, signers)
    if len(filled) == len(roles):
        return CheckResult(True, "signed off by " + common.listing(
            [f"{filled[r]} as {_title(project, r)}" for r in roles]))
    unsigned = [r for r in roles if r not in signers]
    clashing = [r for r in roles if r in signers and r not in filled]
    parts = []
    stale_roles = {role for role, _ in stale}
    never = [r for r in unsigned if r not in stale_roles]
    if never:
        parts.append(f"no sign-off yet from the {common.listing([_title(project, r) for r in never])}")
    parts += _stale_words(project, {k: v for k, v in stale.items() if k[0] in unsigned})
    for role in clashing:
        people = common.listing(signers[role])
        parts.append(f"{people} signed as {_title(project, role)} but also for another role of this gate; "
                     f"one person cannot sign for two roles, so someone else must sign as {role}")
    missing = (unsigned or clashing)[0]
    return CheckResult(False, "; ".join(parts), hint=f"coflow signoff PROJECT --role {missing}")
