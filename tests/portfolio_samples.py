"""Portfolio rows of every kind, for checking that the overview renders exactly as it did.

tests/golden/portfolio{,-ltr,-empty}.{md,html,json} hold what coflow rendered for `samples()`
before the overview was written a project at a time; the renderers must still give the
same text. Regenerate them only for a deliberate change of the overview's wording:

    python tests/portfolio_samples.py
"""

from __future__ import annotations

from pathlib import Path

import report_samples as rs

from coflow.report.portfolio import build_portfolio, error_row, project_row

GOLDEN = Path(__file__).with_name("golden")


class Gate:
    """Just what project_row reads from a gate evaluation."""

    def __init__(self, failing: list, next_stage: str | None = "closed", deadline: dict | None = None):
        self.failing = failing
        self.next_stage = next_stage
        self.deadline = deadline


class Check:
    def __init__(self, cid: str, title: str):
        self.id, self.title, self.status, self.message = cid, title, "fail", "not met"


def varied_rows() -> list[dict]:
    wf = rs.mini_workflow()
    finished = rs.sample_state("carers-hub")
    early = rs.sample_events()[:4]
    rows = [
        project_row(rs.sample_state("young-voices", rows=early), wf,
                    Gate([Check("budget", "Budget for <payments> & more"), Check("dpia", "DPIA *ref*")], "delivery",
                         {"standing": "overdue", "due": "2026-05-01", "source": "set"}),
                    rs.NOW, workflow_changed=True),
        project_row(finished, wf, Gate([]), rs.NOW),
        error_row("lost-one", "the store has lost the workflow pinned by project lost-one"),
        project_row(rs.sample_state("a_b*c|d", rows=early), wf, Gate([], "delivery", {"standing": "due",
                                                                                      "due": "2026-07-09"}), rs.NOW),
        project_row(rs.sample_state("escalated-1", rows=early), wf,
                    Gate([Check("x", rs.XSS)], None, {"standing": "escalated", "due": "2026-02-01"}), rs.NOW,
                    overdue_days=10),
        project_row(rs.sample_state("B-upper", rows=rs.sample_events()[:2]), wf, Gate([Check("s", "Sponsor")]),
                    rs.NOW),
    ]
    finished_late = project_row(rs.sample_state("finished-late"), wf, Gate([]), rs.NOW)
    finished_late.update(added_after_finish=2, intact=False, workflow_title="\u05e9\u05dc\u05d5\u05dd mini")
    rows.append(finished_late)
    return rows


def varied_portfolio() -> dict:
    return build_portfolio(varied_rows(), rs.NOW, overdue_days=45)


def samples() -> dict[str, dict]:
    """name -> portfolio: every kind of row; the same without right-to-left text; none."""
    return {"portfolio": varied_portfolio(),
            "portfolio-ltr": build_portfolio(varied_rows()[:-1], rs.NOW, overdue_days=45),
            "portfolio-empty": build_portfolio([], rs.NOW)}


if __name__ == "__main__":
    from coflow.report import render

    for name, data in samples().items():
        for fmt in ("md", "html", "json"):
            (GOLDEN / f"{name}.{fmt}").write_text(render(data, fmt), encoding="utf-8")
