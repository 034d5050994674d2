"""The `signoff` check type: every listed role signed this visit to the stage, by distinct people.

A sign-off counts only for the current visit to its stage: reopening a stage asks for the
signatures again. One person cannot fill two roles of the same gate, so the roles are
matched to different signers (a person who signed for two roles fills only one of them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

if TYPE_CHECKING:
    from coflow.project import ProjectView

PARAMS = ("roles",)


def validate(params: dict[str, Any]) -> list[str]:
    problems = unknown_params(params, PARAMS)
    roles = params.get("roles")
    if "roles" not in params:
        return [*problems, 'roles: missing; expected a list of role names such as ["sponsor", "co-chair"]']
    if (not isinstance(roles, list) or not roles
            or not all(isinstance(r, str) and r.strip() for r in roles)):
        return [*problems, f'roles: expected a list of role names such as ["sponsor", "co-chair"], found {roles!r}']
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


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    roles = list(params["roles"])
    signers: dict[str, list[str]] = {}
    for s in current_signoffs(project):
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
    if unsigned:
        parts.append(f"no sign-off yet from the {common.listing([_title(project, r) for r in unsigned])}")
    for role in clashing:
        people = common.listing(signers[role])
        parts.append(f"{people} signed as {_title(project, role)} but also for another role of this gate; "
                     f"one person cannot sign for two roles, so someone else must sign as {role}")
    missing = (unsigned or clashing)[0]
    return CheckResult(False, "; ".join(parts), hint=f"coflow signoff PROJECT --role {missing}")
