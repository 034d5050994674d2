"""The `shared_work` check type: people with lived experience took part in the work itself,
shown by the records, not by a typed yes.

What makes co-production different from co-design is that people with lived experience
help deliver the result and evaluate it. For each kind of work listed (by default delivery
and evaluation), at least one person with lived experience either holds one of the roles
that stand for it (`participant update --role delivery-partner`) or attended a session of
that kind (`session add|update --kind delivery`). People whose details were erased still
count: they did take part. The message names who showed it, or which work has nobody.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params
from coflow.spelling import spelled

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("work", "roles")
WORK = ["delivery", "evaluation"]
ROLES = {"delivery": ["delivery-partner"], "evaluation": ["evaluation-reviewer"]}


def validate(params: dict[str, Any]) -> list[str]:
    problems = unknown_params(params, PARAMS)
    work = params.get("work", WORK)
    if not isinstance(work, list) or not work or not all(isinstance(w, str) and spelled([w]) for w in work):
        problems.append(f'work: expected a list of kinds of work such as ["delivery", "evaluation"], found {work!r}')
    roles = params.get("roles", {})
    if not isinstance(roles, dict) or not all(
            isinstance(v, list) and v and all(isinstance(r, str) and r.strip() for r in v) for v in roles.values()):
        problems.append('roles: expected a table of kinds of work, each with a list of roles, such as '
                        f'{{ delivery = ["delivery-partner"] }}, found {roles!r}')
    return problems


def _shown_by(project: ProjectView, work: str, roles: list[str]) -> list[str]:
    """Who with lived experience shows this work: by role, or at a session of this kind."""
    sessions = [s for s in common.held(project.sessions) if spelled([common.field(s, "kind", "")]) == [work]]
    found = []
    for p in project.participants:
        if not common.field(p, "lived_experience", False):
            continue
        pid = str(common.field(p, "id", "?"))
        role = common.field(p, "role")
        if role in roles:
            found.append(f"{pid} ({role})")
        else:
            came = common.attended(pid, sessions)
            if came:
                found.append(f"{pid} (at {common.field(came[0], 'id', '?')})")
    return found


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    work_kinds = spelled(params.get("work", WORK))
    table = {**ROLES, **dict(params.get("roles", {}))}
    shown, missing = [], []
    for work in work_kinds:
        roles = list(table.get(work, [f"{work}-partner"]))
        who = _shown_by(project, work, roles)
        if who:
            shown.append(f"{work}: {common.listing(who)}")
        else:
            missing.append((work, roles))
    if not missing:
        return CheckResult(True, "people with lived experience took part in " + "; ".join(shown))
    words = [f"{work} (nobody with lived experience holds the role {' or '.join(roles)} or attended a "
             f"session recorded as {work})" for work, roles in missing]
    work, roles = missing[0]
    message = (f"no record shows people with lived experience in {common.listing(words)}"
               + (f"; shown so far: {'; '.join(shown)}" if shown else "")
               + f". If a partner with lived experience really took part in {work}, record it: give them "
               f"the role {roles[0]}, or record the {work} sessions they came to with --kind {work}")
    return CheckResult(False, message, hint=f"coflow participant update PROJECT ID --role {roles[0]}")
