"""The suitability assessment: is co-production the right approach here, or something lighter?

Six "right circumstances" criteria (004 Examining co-production part 1), each scored 0-2,
give a recommended level on the involvement continuum (003) and the criteria that held it
back. The rules are simple enough for a person to check by hand, and they are the
organisation's: coflow's starting points are in coflow.records.assessment_rules, and
coflow.toml's `[assessment]` table changes them. One more question is asked besides the
scores: can people only choose between options already fixed? If so, the level is
consultation at most.
"""

from __future__ import annotations

from collections.abc import Mapping

from coflow.errors import UsageError
from coflow.records.assessment_rules import CRITERIA, DEFAULT_RULES, LEVELS
from coflow.records.reducers import ASSESSED
from coflow.records.values import FieldProblem, about, blank, choice, flag, score, text

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

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


FIXED_OPTIONS_QUESTION = ("Can people only choose between options that are already fixed (no say in what the "
                          "options are)?")


def recommend(scores: Mapping[str, int], fixed_options: bool = False,
              rules: Mapping[str, Any] | None = None) -> tuple[str, list[str]]:
    """(recommended level, the criteria that held it back), by the organisation's rules."""
    from coflow.records.assessment_rules import recommend as by_rules

    return by_rules(scores, fixed_options, rules or DEFAULT_RULES)


def level(value: Any, field: str = "claimed") -> str | None:
    if blank(value):
        return None
    word = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    word = {"codesign": "co-design", "coproduction": "co-production"}.get(word, word)
    return choice(word, field, LEVELS)


def make_assessment(answers: Mapping[str, Any], rules: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The assessed data from raw answers: scores, notes, recommendation, claim."""
    scores = {c: score(answers.get(c), c) for c in CRITERIA}
    fixed = bool(flag(answers.get("fixed_options"), "fixed_options", default=False))
    notes_given = answers.get("notes") or {}
    for key in notes_given:
        if key not in CRITERIA:
            raise FieldProblem("notes", f"{key!r} is not one of the criteria",
                               hint=f"criteria: {', '.join(CRITERIA)}")
    notes = {c: n for c in CRITERIA if (n := text(notes_given.get(c), f"notes.{c}", max_len=1000))}
    recommended, held_back = recommend(scores, fixed, rules)
    claimed = level(answers.get("claimed"))
    justification = text(answers.get("justification"), "justification", max_len=2000)
    if claimed and LEVELS.index(claimed) > LEVELS.index(recommended) and not justification:
        raise FieldProblem("justification", f"is missing: claiming {claimed} when the assessment "
                                            f"recommends {recommended} needs a recorded justification",
                           hint='add --justification "why this project can still work as ' + claimed + '"')
    return {"scores": scores, "fixed_options": fixed, "notes": notes, "recommended": recommended,
            "held_back_by": held_back, "claimed": claimed, "justification": justification}


def reusing(answers: Mapping[str, Any]) -> bool:
    """Only a new claim or justification, no scores: the latest assessment's scores stand."""
    return not any(not blank(answers.get(c)) for c in (*CRITERIA, "fixed_options")) and not (
        blank(answers.get("claimed")) and blank(answers.get("justification")))


def _with_previous(answers: Mapping[str, Any], previous: Mapping[str, Any] | None, project: str) -> dict[str, Any]:
    if previous is None:
        raise UsageError(f"{project} has no earlier assessment whose scores could be kept",
                         hint=f"give the six scores, or run `coflow assess {project} --interactive`")
    notes = {**previous.get("notes", {}), **(answers.get("notes") or {})}
    kept = {k: v for k, v in answers.items() if k not in CRITERIA and k != "notes" and v is not None}
    return {**previous["scores"], "fixed_options": previous.get("fixed_options", False), **kept, "notes": notes}


def assess(engine: ProjectWriter, project: str, actor: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Record a suitability assessment (the latest one counts).

    Given only --claimed and/or --justification, the latest assessment's scores and notes
    are kept and recorded again with the new claim (what the involvement check's hint asks).
    """
    reuse = reusing(answers)
    rules = getattr(engine.config, "assessment", None) or DEFAULT_RULES
    if not reuse:
        with about("suitability assessment"):
            make_assessment(answers, rules)  # report bad answers before touching the store
    engine.get(project)

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        given = _with_previous(answers, state.assessment, project) if reuse else answers
        with about("suitability assessment"):
            return make_assessment(given, rules)

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
