"""The `groups` check type: every under-represented group the project named has been
reached for: a recorded action, or a participant from it.

"Take positive steps to identify and include under-represented groups": naming a group
(`coflow group add PROJECT "young men"`) is the first step; the check then fails, naming
the group, until something was done to reach it (`coflow group action`) or someone from
it takes part (`participant add|update --group`, compared in one spelling). With
`min_named` (default 1) it also fails until that many groups are named.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params
from coflow.spelling import spelled

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, ("min_named",)), *common.whole(params, "min_named", 0)]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    named = dict(project.records.get("groups", {}) or {})
    wanted = params.get("min_named", 1)
    if len(named) < wanted:
        have = f"{common.plural(len(named), 'group')} named" if named else "no group named yet"
        return CheckResult(False, f"{have}; this workflow asks the project to name at least {wanted} group "
                                  "it usually leaves out and means to reach (for example young men, or people "
                                  "who do not speak English): name it, then record what you do to reach it",
                           hint="coflow group add PROJECT GROUP")
    members: dict[str, list[str]] = {}
    for p in project.participants:
        for g in spelled(common.field(p, "groups", ()) or ()):
            members.setdefault(g, []).append(str(common.field(p, "id", "?")))
    reached, missing = [], []
    for key, group in named.items():
        actions = common.field(group, "actions", ()) or ()
        people = members.get(key, [])
        if actions or people:
            how = [common.plural(len(actions), "action")] if actions else []
            how += [f"{common.listing(people)} taking part"] if people else []
            reached.append(f"{key} ({', '.join(how)})")
        else:
            missing.append(key)
    if missing:
        return CheckResult(False, f"nothing recorded yet to reach {common.listing(missing)}: neither an action "
                                  "nor a participant from "
                                  f"{'it' if len(missing) == 1 else 'them'}; take a step to reach "
                                  f"{'it' if len(missing) == 1 else 'each'} (for example through a group they "
                                  "trust), then record what you did and when",
                           hint=f'coflow group action PROJECT {missing[0]} --date DATE --what "..."')
    if not named:
        return CheckResult(True, "no groups named (this workflow does not ask for any)")
    return CheckResult(True, "every group named was reached for: " + "; ".join(reached))
