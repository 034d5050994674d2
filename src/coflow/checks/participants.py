"""The `participants` check type: enough of the right people are taking part.

Everyone recorded counts, including people whose details were later erased at their
request: they did take part.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params
from coflow.spelling import spelled

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("min", "lived_experience", "min_groups", "min_routes", "role", "open_routes")


def validate(params: dict[str, Any]) -> list[str]:
    problems = [*unknown_params(params, PARAMS),
                *common.whole(params, "min", 0), *common.flag(params, "lived_experience"),
                *common.whole(params, "min_groups", 0), *common.whole(params, "min_routes", 0),
                *common.text(params, "role", example='"co-facilitator"')]
    routes = params.get("open_routes")
    if "open_routes" in params and (not isinstance(routes, list) or not routes
                                    or not all(isinstance(r, str) and spelled([r]) for r in routes)):
        problems.append('open_routes: expected a list of route names such as ["open-call", "community-partner"], '
                        f"found {routes!r}")
    return problems


def _open_route(params: dict[str, Any], counted: list[Any]) -> tuple[str | None, str | None, str]:
    """(problem, hint, found) for "at least one person came through one of `open_routes`"
    (routes open to anyone, such as an open call or a community partner)."""
    wanted = spelled(params["open_routes"])
    used = sorted({r for p in counted for r in spelled([common.field(p, "route")])})
    through = [r for r in used if r in wanted]
    if through:
        return None, None, f"reached through {common.listing(through)}"
    names = " or ".join(wanted)
    problem = (f"nobody {_who(params)[len('people'):]} was recruited through {names}"
               + (f" (routes recorded: {common.listing(used)})" if used else "")
               + f"; this workflow asks that at least one was: reach people through {names}, "
               "then record each person who comes that way")
    return problem, _add(params, f" --route {wanted[0]}", when=f"when someone joins through {names}"), ""


# Examples for a hint that adds someone through a route, or from a group, not yet recorded.
ROUTES = ("open-call", "community-partner", "gp-practice", "voluntary-group", "social-media", "word-of-mouth")
GROUPS = ("young-carers", "older-people", "rural", "minority-ethnic", "disabled-people", "lgbtq", "refugees")


def _who(params: dict[str, Any], count: int = 2) -> str:
    lived = params.get("lived_experience")
    who = (("person" if count == 1 else "people") + (" with lived experience" if lived else ""))
    if params.get("role"):
        who += f" with the role {params['role']!r}"
    return who


def _add(params: dict[str, Any], extra: str = "", when: str = "when another person joins") -> str:
    """What to do, then the command that records one more person of the kind counted. The
    person's own details are theirs to give (CATEGORY, ROUTE, GROUP are refused as typed), so
    following the hint literally never invents someone."""
    lived = " --lived-experience --category CATEGORY" if params.get("lived_experience") else ""
    role = f" --role {params['role']}" if params.get("role") else ""
    return f"{when}, record them with what is true of them: coflow participant add PROJECT{lived}{role}{extra}"


def _short(project: ProjectView, params: dict[str, Any], counted: list[Any]) -> tuple[str, str]:
    """(problem, hint) when fewer people are counted than `min`: the hint moves the count on."""
    wanted = params.get("min", 1)
    who = _who(params)
    have = (f"{common.plural(len(counted), 'person', 'people')}{who[len('people'):]} taking part" if counted
            else f"no {who} taking part yet")
    problem = f"{have}; this workflow asks for at least {wanted} ({wanted - len(counted)} more)"
    everyone = [p for p in project.participants if not common.gone(p) and not common.is_staff(p)]
    if params.get("role"):
        # Someone already taking part can take on the role, if they fit the rest of the check.
        fits = [p for p in everyone if common.field(p, "role") != params["role"]
                and (not params.get("lived_experience") or common.field(p, "lived_experience", False))]
        free = [p for p in fits if common.field(p, "role", "partner") == "partner"]
        if free:
            pid = common.field(free[0], "id")
            return problem, (f"ask a partner (such as {pid}) whether they will take on the role; once someone "
                             f"has agreed: coflow participant update PROJECT ID --role {params['role']}")
        if params.get("lived_experience"):
            problem += ("; the role needs someone with lived experience, and "
                        + ("every partner with lived experience already has another role" if fits
                           else "nobody with lived experience is recorded yet"))
        return problem, _add(params)
    if params.get("lived_experience"):
        unmarked = [str(common.field(p, "id")) for p in everyone if not common.field(p, "lived_experience", False)]
        if unmarked:
            problem += (f". If {common.listing(unmarked)} {common.verb(unmarked, 'has', 'have')} lived experience, "
                        f"mark them with `coflow participant update {project.id} ID --lived-experience`; "
                        "otherwise add people")
    return problem, _add(params)


def _distinct(params: dict[str, Any], counted: list[Any], key: str, needed: int) -> tuple[str | None, str | None, str]:
    """(problem, hint, found) for at least `needed` different routes or groups."""
    field, label, option, examples = (("groups", "group", "--group", GROUPS) if key == "min_groups"
                                      else ("route", "recruitment route", "--route", ROUTES))
    values: set[str] = set()
    unknown = []
    for p in counted:
        value = common.field(p, field)
        # one spelling: "Open Call" and "open-call" are one route, however they were recorded
        found = spelled(value if isinstance(value, (list, tuple)) else [value])
        values.update(found)
        if not found and not common.erased(p):
            unknown.append(str(common.field(p, "id")))
    shown = f" ({common.listing(sorted(values))})" if values else ""
    if len(values) >= needed:
        return None, None, f"{common.plural(len(values), label)}{shown}"
    problem = (f"{common.plural(len(values), label)} recorded among the {_who(params)}{shown}; "
               f"this workflow asks for at least {needed} different ones ({needed - len(values)} more)")
    if unknown:
        missing = "no route" if key == "min_routes" else "no group"
        problem += f"; {common.listing(unknown)} {common.verb(unknown, 'has', 'have')} {missing} recorded"
    new = next((e for e in examples if e not in values), f"{field}-{len(values) + 1}")
    if unknown:
        # Record what is true of someone already taking part; adding a person would invent one.
        what = (f"record how {unknown[0]} was recruited" if key == "min_routes"
                else f"record a group {unknown[0]} belongs to")
        placeholder = "ROUTE" if key == "min_routes" else "GROUP"
        problem += f" ({what}, using the real {label})"
        return problem, (f"{what} (such as {new}, if that is true): "
                         f"coflow participant update PROJECT {unknown[0]} {option} {placeholder}"), ""
    problem += (f"; everyone counted already has a {label} recorded, so the next "
                f"{'partner should come through a different route' if key == 'min_routes' else 'partners should widen the mix'}")
    placeholder = "ROUTE" if key == "min_routes" else "GROUP"
    reach = ("reach people through another route (such as " if key == "min_routes"
             else "reach people from another group (such as ") + f"{new})"
    return problem, _add(params, f" {option} {placeholder}", when=f"{reach}; when someone joins"), ""


def _took_part(project: ProjectView) -> list[Any]:
    """Everyone recorded, except people who withdrew without attending a session."""
    held = common.held(project.sessions)
    return [p for p in project.participants
            if not common.withdrawn(p) or common.attended(common.field(p, "id"), held)]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    people = _took_part(project)
    if params.get("lived_experience"):
        people = [p for p in people if common.field(p, "lived_experience", False)]
    if params.get("role"):
        people = [p for p in people if common.field(p, "role") == params["role"]]
    wanted = params.get("min", 1)
    problems: list[str] = []
    hints: list[str | None] = []
    found = [f"{common.plural(len(people), 'person', 'people')} taking part"]
    if len(people) < wanted:
        problem, hint = _short(project, params, people)
        problems.append(problem)
        hints.append(hint)
    for key in ("min_groups", "min_routes"):
        needed = params.get(key, 0)
        if not needed:
            continue
        distinct_problem, distinct_hint, good = _distinct(params, people, key, needed)
        if distinct_problem:
            problems.append(distinct_problem)
            hints.append(distinct_hint)
        else:
            found.append(good)
    if params.get("open_routes"):
        open_problem, open_hint, good = _open_route(params, people)
        if open_problem:
            problems.append(open_problem)
            hints.append(open_hint)
        else:
            found.append(good)
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0])
    return CheckResult(True, f"{_who(params)}: " + ", ".join(found))
