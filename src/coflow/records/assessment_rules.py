"""The rules that turn six suitability scores into a recommended level: coflow's starting
points, which an organisation changes in coflow.toml's `[assessment]` table.

Each level needs the level below it, plus its own minimum scores (and a minimum total of
all six). A criterion that scores 0 can cap the level ("caps"), and so can the answer "people
can only choose between options already fixed" (`fixed_options`). The defaults are chosen to
agree with the shipped workflows' own words, not taken from the guidance, which sets no
numbers: without shared aims the work is engagement; a choice between fixed options is
consultation; co-design needs some authority and shared aims; co-production also needs full
authority, agreed aims, a role for people in delivery and evaluation, and a way to measure
the change.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

LEVELS = ("inform", "consult", "engage", "co-design", "co-production")
CRITERIA = ("authority", "shared_aims", "scale", "outcomes", "resources", "delivery_role")
FIXED_OPTIONS = "fixed_options"

DEFAULT_RULES: dict[str, Any] = {
    "consult": {"authority": 1},
    "engage": {"total": 5},
    "co-design": {"authority": 1, "shared_aims": 1, "total": 8},
    "co-production": {"authority": 2, "shared_aims": 2, "delivery_role": 2, "outcomes": 1, "total": 10},
    # a score of 0 (or, for fixed_options, the answer yes) caps the level at
    "caps": {"shared_aims": "engage", "resources": "engage", "scale": "co-design", FIXED_OPTIONS: "consult"},
}

EXAMPLE = """\
[assessment]                  # coflow's starting points; change them to your organisation's rules
consult = { authority = 1 }
engage = { total = 5 }
co-design = { authority = 1, shared_aims = 1, total = 8 }
co-production = { authority = 2, shared_aims = 2, delivery_role = 2, outcomes = 1, total = 10 }
caps = { shared_aims = "engage", resources = "engage", scale = "co-design", fixed_options = "consult" }"""


def validate(data: Any) -> tuple[dict[str, Any], list[str]]:
    """(the rules, with coflow's defaults for what is not given; each problem as "key: what")."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return dict(DEFAULT_RULES), [f"assessment: expected a table such as:\n{EXAMPLE}"]
    rules = {key: dict(value) for key, value in DEFAULT_RULES.items()}
    for key, value in data.items():
        where = f"assessment.{key}"
        if key not in (*LEVELS[1:], "caps"):
            problems.append(f"{where}: unknown key; allowed: {', '.join((*LEVELS[1:], 'caps'))}")
            continue
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a table, such as {key} = {{ total = 5 }}")
            continue
        if key == "caps":
            for criterion, cap in value.items():
                if criterion not in (*CRITERIA, FIXED_OPTIONS):
                    problems.append(f"{where}.{criterion}: unknown; allowed: {', '.join((*CRITERIA, FIXED_OPTIONS))}")
                elif cap not in LEVELS:
                    problems.append(f"{where}.{criterion}: expected one of {', '.join(LEVELS)}, found {cap!r}")
            rules["caps"] = dict(value)
            continue
        for criterion, minimum in value.items():
            most = 12 if criterion == "total" else 2
            if criterion not in (*CRITERIA, "total"):
                problems.append(f"{where}.{criterion}: unknown; allowed: {', '.join((*CRITERIA, 'total'))}")
            elif isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= most:
                problems.append(f"{where}.{criterion}: expected a whole number from 0 to {most}, found {minimum!r}")
        rules[key] = dict(value)
    return rules, problems


def _short(level: str, scores: Mapping[str, int], rules: Mapping[str, Any]) -> list[str]:
    """The criteria that stop `level` being reached on its own rules (not the level below)."""
    needs = rules.get(level, {})
    below = [c for c in CRITERIA if c in needs and scores[c] < needs[c]]
    if below:
        return below
    if sum(scores.values()) < needs.get("total", 0):
        return [c for c in CRITERIA if scores[c] < 2]
    return []


def recommend(scores: Mapping[str, int], fixed_options: bool = False,
              rules: Mapping[str, Any] | None = None) -> tuple[str, list[str]]:
    """(recommended level, the criteria that held it back); held back is empty at the top."""
    rules = rules or DEFAULT_RULES
    level_index = 0
    held_back: list[str] = []
    for index, level in enumerate(LEVELS[1:], start=1):
        missing = _short(level, scores, rules)
        if missing:
            held_back = missing
            break
        level_index = index
    for criterion, cap_level in (rules.get("caps") or {}).items():
        capped = fixed_options if criterion == FIXED_OPTIONS else scores.get(criterion) == 0
        cap = LEVELS.index(cap_level)
        if capped and level_index > cap:
            level_index, held_back = cap, [criterion]
        elif capped and level_index == cap and criterion not in held_back:
            held_back = [*held_back, criterion]
    return LEVELS[level_index], held_back


def describe(rules: Mapping[str, Any]) -> list[str]:
    """The rules in plain words, one line each (for `coflow assess --rules` and the docs)."""
    lines = []
    for level in LEVELS[1:]:
        needs = rules.get(level, {})
        parts = [f"{c.replace('_', ' ')} at least {needs[c]}" for c in CRITERIA if c in needs]
        if "total" in needs:
            parts.append(f"a total of at least {needs['total']}")
        lines.append(f"{level}: the level below, and " + (", ".join(parts) or "nothing more"))
    for criterion, cap in (rules.get("caps") or {}).items():
        what = ("people can only choose between fixed options" if criterion == FIXED_OPTIONS
                else f"{criterion.replace('_', ' ')} scores 0")
        lines.append(f"when {what}: at most {cap}")
    return lines
