"""HTML rendering: one self-contained, accessible file from the report dicts.

Jinja2 renders the templates in report/templates with autoescaping always on, so anything
recorded (a session title such as `<script>alert(1)</script>`) appears as text. Jinja2 is
imported only here, when HTML is asked for, to keep every other command quick to start.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from html import escape, unescape
from pathlib import Path

from coflow.dates import parse_timestamp as parse_when
from coflow.report import words as w
from coflow.report.basics import ERASED_LABEL

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

TEMPLATES = Path(__file__).with_name("templates")
# Bar colours by how a stage was entered; each has 3:1 contrast or more on white.
COLOURS = {"created": "#1d4e89", "advanced": "#1d4e89", "override": "#a33b00", "reopened": "#6a3d9a",
           "relabelled": "#6a3d9a"}
LEGEND = (("#1d4e89", "entered with every required check met (or at the start)"),
          ("#a33b00", "entered by override"), ("#6a3d9a", "entered by reopening or relabelling"))


@lru_cache(maxsize=1)
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             finalize=w.isolate)  # every value printed: bidirectional text isolated
    env.filters.update({
        "day": w.day, "day_short": w.day_short, "duration": w.duration, "number": w.number, "percent": w.percent,
        # the currency of the report being rendered (coflow.toml's `currency`, GBP by default)
        "money": jinja2.pass_context(lambda ctx, amount: w.money(amount, ctx["r"].get("currency"))),
        "yes_no": w.yes_no, "waited": w.waited, "check_status": w.check_status, "criterion": w.criterion,
        "plural": lambda n, one, many=None: w.plural(int(n or 0), one, many),
        "how": lambda v: w.word(w.HOW, v), "format_word": lambda v: w.word(w.FORMATS, v),
        "payment_word": lambda v: w.word(w.PAYMENT_STATUS, v),
        "expenses_word": lambda v: w.word(w.EXPENSES_STATUS, v),
        "feedback_word": lambda v: w.word(w.FEEDBACK_STATUS, v),
        "comparison_word": lambda v: w.COMPARISON.get(v, ""), "people_line": w.people_line,
        "feedback_status": w.feedback_status, "who": w.who, "signer": w.signer,
    })
    env.tests["web_link"] = lambda v: isinstance(v, str) and v.lower().startswith(("https://", "http://"))
    return env


def timeline_chart(report: dict, name: str, width: int, font: int) -> dict | None:
    """Geometry of the timeline chart (one bar per visit to a stage, placed in time), and
    the sentence that describes it to someone who cannot see it.

    Drawn twice, wide and narrow, and CSS shows the one that fits: an SVG scales its text
    with its width, so one drawing cannot be readable on both a desktop and a phone.
    """
    visits = [v for v in report["timeline"] if parse_when(v["entered"])]
    if not visits:
        return None
    margin, bar, top = 8, round(font * 1.2), 6
    row_height = font + bar + 18
    start = parse_when(visits[0]["entered"])
    generated = parse_when(report["generated"])
    ends = [e for e in (parse_when(v["left"]) for v in visits if v["left"]) if e]
    end = max([generated, *ends]) if generated else max(ends)
    assert start is not None  # the log's timestamps always parse
    span = max((end - start).total_seconds(), 1.0)
    usable = width - 2 * margin
    rows, sentences = [], []
    for index, v in enumerate(visits):
        entered = parse_when(v["entered"])
        assert entered is not None
        left = parse_when(v["left"]) if v["left"] else end
        x = margin + usable * (entered - start).total_seconds() / span
        bar_width = max(usable * ((left or end) - entered).total_seconds() / span, 6.0)
        x = min(x, width - margin - bar_width)
        label = f"{v['title']}: {w.duration(v['seconds'])}{' so far' if v['current'] else ''}"
        if v["how"] in ("override", "reopened"):
            label += f" ({w.HOW[v['how']]})"
        y = top + index * row_height
        rows.append({"x": round(x, 1), "w": round(bar_width, 1), "text_y": y + font, "bar_y": y + font + 7,
                     "label": label, "colour": COLOURS.get(v["how"], "#1d4e89")})
        until = "until now" if v["current"] else f"to {w.day(v['left'])}"
        sentences.append(f"{v['title']} from {w.day(v['entered'])} {until} ({w.duration(v['seconds'])}"
                         + (f", {w.HOW[v['how']]}" if v["how"] in ("override", "reopened") else "") + ")")
    height = top + len(rows) * row_height + font + 8
    ticks = [{"x": margin, "label": w.day(start.isoformat()), "anchor": "start"},
             {"x": width - margin, "label": w.day(end.isoformat()), "anchor": "end"}]
    used = {v["how"] if v["how"] in ("override", "reopened") else "advanced" for v in visits}
    legend = [{"colour": colour, "label": label} for colour, label in LEGEND
              if (colour == COLOURS["advanced"] and "advanced" in used) or
              (colour == COLOURS["override"] and "override" in used) or
              (colour == COLOURS["reopened"] and ("reopened" in used or "relabelled" in used))]
    return {"name": name, "width": width, "height": height, "margin": margin, "bar": bar, "top": top,
            "font": font, "rows": rows,
            "ticks": ticks, "legend": legend,
            "desc": f"{len(rows)} stage visits, oldest first: " + "; ".join(sentences) + "."}


_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD_CELL = re.compile(r"<th scope=\"col\"[^>]*>(.*?)</th>", re.S)
_BODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th scope=\"row\")([^>]*)>")
_TAGS = re.compile(r"<[^>]+>")
STACK_FROM = 4  # tables with this many columns or more become stacked cards on a phone


def stack_wide_tables(page: str) -> str:
    """Let wide tables turn into one card per row on a narrow screen.

    Each body cell gets its column's header as data-label (shown above the value by the
    phone CSS), and explicit table roles so screen readers still meet a table when the
    CSS changes how it is displayed. Works on this module's own output only: recorded text
    inside cells is escaped, so every '<td' here is a real tag.
    """
    def one(match: re.Match) -> str:
        inner = match.group(1)
        labels = column_labels(inner)
        if len(labels) < STACK_FROM:
            return match.group(0)

        body = _BODY.sub(lambda bm: '<tbody role="rowgroup">' + stacked_rows(labels, bm.group(1)) + "</tbody>", inner)
        body = body.replace("<thead>", '<thead role="rowgroup">', 1).replace("<tr><th", '<tr role="row"><th', 1)
        body = body.replace('<th scope="col"', '<th scope="col" role="columnheader"')
        return f'<table class="stack" role="table">{body}</table>'

    return _TABLE.sub(one, page)


def column_labels(table: str) -> list[str]:
    """The column headers of a table's HTML, as plain text for data-label attributes."""
    return [escape(unescape(_TAGS.sub("", h).strip()), quote=True) for h in _HEAD_CELL.findall(table)]


def stacked_rows(labels: list[str], rows: str) -> str:
    """Body rows (`<tr>...</tr>`) of a stacked table with their roles and data-labels."""

    def row(rm: re.Match) -> str:
        column = iter(labels)

        def cell(cm: re.Match) -> str:
            role = "cell" if cm.group(1) == "td" else "rowheader"
            label = next(column, "")
            return f'<{cm.group(1)}{cm.group(2)} role="{role}" data-label="{label}">'

        return '<tr role="row">' + _CELL.sub(cell, rm.group(1)) + "</tr>"

    return _ROW.sub(row, rows)


def _ids() -> Any:
    """A fresh id maker per page, for captions that name their table's scrolling wrapper."""
    counter = itertools.count(1)
    return lambda: f"table-{next(counter)}"


def render_project(report: dict) -> str:
    charts = [c for c in (timeline_chart(report, "wide", 720, 16), timeline_chart(report, "narrow", 340, 14)) if c]
    template = environment().get_template("project.html.j2")
    return stack_wide_tables(template.render(r=report, charts=charts, erased_label=ERASED_LABEL,
                                             stage_since=w.stage_since(report), next_id=_ids()))


def render_portfolio(report: dict) -> str:
    from coflow.report.portfolio_text import render

    return render(report, "html")
