"""The `evidence` check type: enough documents of one kind have been added.

With `by_first_session`, what the evidence records (ground rules agreed, for example) must
be dated on or before the first session held: evidence dated after it does not count,
because the guidance asks for it before people start working together.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("kind", "min", "by_first_session")


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.text(params, "kind", required=True, example='"ground-rules"'),
            *common.whole(params, "min", minimum=1),
            *common.flag(params, "by_first_session")]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    kind = params["kind"]
    wanted = params.get("min", 1)
    found = [e for e in project.evidence if common.field(e, "kind") == kind]
    late: list[str] = []
    first = common.held(project.sessions)[:1]
    start = common.as_date(common.field(first[0], "date")) if first else None
    if params.get("by_first_session") and start is not None:
        on_time = [e for e in found if (common.as_date(common.field(e, "date")) or start) <= start]
        late = [f"{common.field(e, 'id', '?')} ({common.field(e, 'date')})" for e in found if e not in on_time]
        found = on_time
    ids = [common.field(e, "id", "?") for e in found]
    hint = f"coflow evidence add PROJECT --kind {kind} --file PATH-TO-YOUR-FILE"
    if len(found) >= wanted:
        return CheckResult(True, f"{common.plural(len(found), 'piece')} of {kind!r} evidence: {common.listing(ids)}")
    after = ""
    if late:
        sid, date = common.field(first[0], "id", "?"), common.field(first[0], "date")
        after = (f"; {common.listing(late)} {common.verb(late, 'is', 'are')} dated after the first session, "
                 f"{sid} on {date}, and this has to come first. If the date is wrong, correct it to the day "
                 "it was really agreed (coflow evidence update, with --date and --reason); if it really came later, this gate can only "
                 "be passed by an override with the reason recorded")
        hint += " --date DATE"
    if not found:
        return CheckResult(False, f"no {kind!r} evidence" + (" dated on or before the first session" if late else "")
                                  + " has been added yet" + (f" (this workflow asks for {wanted})" if wanted > 1 else "") + after,
                           hint=hint)
    return CheckResult(False, f"{common.plural(len(found), 'piece')} of {kind!r} evidence ({common.listing(ids)}); "
                              f"this workflow asks for {wanted}{after}", hint=hint)
