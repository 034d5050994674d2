"""The suitability assessment: is co-production the right approach here, or something lighter?

Six "right circumstances" criteria (004 Examining co-production part 1), each scored 0-2,
give a recommended level on the involvement continuum (003) and the criteria that held it
back. The rules are deliberately simple so a person can check them by hand:

- each level needs the level below it, plus:
  consult: authority >= 1 (something can change because of what people say);
  engage: shared_aims >= 1 and a total of at least 5;
  co-design: authority 2 and shared_aims 2 and a total of at least 8;
  co-production: delivery_role 2 and a total of at least 10;
- no resources (resources 0) caps the level at engage ("co-production cannot be rushed");
- a large scale (scale 0) caps it at co-design ("start small").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from coflow.errors import UsageError
from coflow.records.reducers import ASSESSED
from coflow.records.values import FieldProblem, about, blank, choice, score, text

if TYPE_CHECKING:
    from coflow.writer import ProjectWriter

LEVELS = ("inform", "consult", "engage", "co-design", "co-production")
CRITERIA = ("authority", "shared_aims", "scale", "outcomes", "resources", "delivery_role")

# What each criterion asks, and what 0, 1 and 2 mean: shown when assessing and in the docs.
QUESTIONS: dict[str, tuple[str, tuple[str, str, str]]] = {
    "authority": ("Can the people involved change how things are done? Is a senior leader actively involved?",
                  ("nothing can change: the decision is already made",
                   "some things can change, or leaders approve but are not involved",
                   "a senior leader is actively involved and real change is possible")),
    "shared_aims": ("Are the aims shared with people with lived experience?",
                    ("the organisation set the aims alone",
                     "the aims are partly shared, or not yet agreed",
                     "the aims were agreed together with people with lived experience")),
    "scale": ("How big is the area or service?",
              ("a whole region or system", "a borough, or several services", "one service or neighbourhood")),
    "outcomes": ("Are the intended outcomes clear, and can they be measured?",
                 ("not yet clear", "clear but hard to measure", "clear and measurable")),
    "resources": ("Is there enough money, time and support (payments budgeted, enough sessions, not rushed)?",
                  ("no budget for payments, or it must be done in a rush",
                   "some resources, but tight", "payments budgeted, enough sessions, time to do it well")),
    "delivery_role": ("Will people with lived experience help deliver and evaluate the result?",
                      ("no role in delivery or evaluation", "some role, such as in evaluation only",
                       "yes: they help deliver it and evaluate it")),
}
LEVEL_WORDS = {
    "inform": "share information so people understand what changes mean",
    "consult": "ask people's views on one or more options",
    "engage": "work with people to understand issues and shape ideas",
    "co-design": "design the change together with people with lived experience",
    "co-production": "design, deliver and evaluate it together as equal partners",
}


def _requirements(level: str, scores: Mapping[str, int]) -> list[str]:
    """The criteria that stop `level` being reached on its own rules (not the level below)."""
    total = sum(scores.values())

    def short_of_total(needed: int) -> list[str]:
        return [c for c in CRITERIA if scores[c] < 2] if total < needed else []

    if level == "consult":
        return ["authority"] if scores["authority"] < 1 else []
    if level == "engage":
        held = ["shared_aims"] if scores["shared_aims"] < 1 else []
        return held or short_of_total(5)
    if level == "co-design":
        held = [c for c in ("authority", "shared_aims") if scores[c] < 2]
        return held or short_of_total(8)
    if level == "co-production":
        held = ["delivery_role"] if scores["delivery_role"] < 2 else []
        return held or short_of_total(10)
    return []


def recommend(scores: Mapping[str, int]) -> tuple[str, list[str]]:
    """(recommended level, the criteria that held it back); held back is empty at the top."""
    level_index = 0
    held_back: list[str] = []
    for index, level in enumerate(LEVELS[1:], start=1):
        missing = _requirements(level, scores)
        if missing:
            held_back = missing
            break
        level_index = index
    caps = [("resources", LEVELS.index("engage")), ("scale", LEVELS.index("co-design"))]
    for criterion, cap in caps:
        if scores[criterion] == 0 and level_index > cap:
            level_index = cap
            held_back = [criterion]
        elif scores[criterion] == 0 and level_index == cap and criterion not in held_back:
            held_back = [*held_back, criterion]
    return LEVELS[level_index], held_back


def level(value: Any, field: str = "claimed") -> str | None:
    if blank(value):
        return None
    word = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    word = {"codesign": "co-design", "coproduction": "co-production"}.get(word, word)
    return choice(word, field, LEVELS)


def make_assessment(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The assessed data from raw answers: scores, notes, recommendation, claim."""
    scores = {c: score(answers.get(c), c) for c in CRITERIA}
    notes_given = answers.get("notes") or {}
    for key in notes_given:
        if key not in CRITERIA:
            raise FieldProblem("notes", f"{key!r} is not one of the criteria",
                               hint=f"criteria: {', '.join(CRITERIA)}")
    notes = {c: n for c in CRITERIA if (n := text(notes_given.get(c), f"notes.{c}", max_len=1000))}
    recommended, held_back = recommend(scores)
    claimed = level(answers.get("claimed"))
    justification = text(answers.get("justification"), "justification", max_len=2000)
    if claimed and LEVELS.index(claimed) > LEVELS.index(recommended) and not justification:
        raise FieldProblem("justification", f"is missing: claiming {claimed} when the assessment "
                                            f"recommends {recommended} needs a recorded justification",
                           hint='add --justification "why this project can still work as ' + claimed + '"')
    return {"scores": scores, "notes": notes, "recommended": recommended, "held_back_by": held_back,
            "claimed": claimed, "justification": justification}


def reusing(answers: Mapping[str, Any]) -> bool:
    """Only a new claim or justification, no scores: the latest assessment's scores stand."""
    return not any(not blank(answers.get(c)) for c in CRITERIA) and not (
        blank(answers.get("claimed")) and blank(answers.get("justification")))


def _with_previous(answers: Mapping[str, Any], previous: Mapping[str, Any] | None, project: str) -> dict[str, Any]:
    if previous is None:
        raise UsageError(f"{project} has no earlier assessment whose scores could be kept",
                         hint=f"give the six scores, or run `coflow assess {project} --interactive`")
    notes = {**previous.get("notes", {}), **(answers.get("notes") or {})}
    kept = {k: v for k, v in answers.items() if k not in CRITERIA and k != "notes"}
    return {**previous["scores"], **kept, "notes": notes}


def assess(engine: ProjectWriter, project: str, actor: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Record a suitability assessment (the latest one counts).

    Given only --claimed and/or --justification, the latest assessment's scores and notes
    are kept and recorded again with the new claim (what the involvement check's hint asks).
    """
    reuse = reusing(answers)
    if not reuse:
        with about("suitability assessment"):
            make_assessment(answers)  # report bad answers before touching the store
    engine.get(project)

    def build(state: Any, view: Any, tx: Any) -> dict:
        given = _with_previous(answers, state.assessment, project) if reuse else answers
        with about("suitability assessment"):
            return make_assessment(given)

    _, state = engine.change(project, actor, ASSESSED, build)
    return dict(state.assessment or {})


def missing(answers: Mapping[str, Any]) -> list[str]:
    return [c for c in CRITERIA if blank(answers.get(c))]


# Scores for the example command in the "missing scores" hint: an example, not advice.
EXAMPLE_SCORES = {"authority": 2, "shared_aims": 1, "scale": 2, "outcomes": 2, "resources": 1, "delivery_role": 2}


def require_all(answers: Mapping[str, Any], project: str = "PROJECT", why: str = "") -> None:
    """Every score must be given when nobody can be asked; say exactly which options, with an example."""
    gaps = missing(answers)
    if not gaps:
        return
    options = [f"--{c.replace('_', '-')}" for c in gaps]
    example = " ".join(f"--{c.replace('_', '-')} {answers[c] if c not in gaps else EXAMPLE_SCORES[c]}"
                       for c in CRITERIA)
    what = "all six scores" if len(gaps) == len(CRITERIA) else f"the missing score{'s' if len(gaps) > 1 else ''}"
    raise UsageError(f"{why}coflow cannot ask the questions: give {what} as options, "
                     f"each 0, 1 or 2: {', '.join(options)}",
                     hint=f"for example, with your own scores: coflow assess {project} {example} "
                          "(`coflow assess --help` says what each score means)")
