"""The portfolio overview as text, written a project at a time (`coflow report --all`).

The overview opens with totals and stage groups that depend on every project, then lists
each project. `stream()` renders each project's part as its row arrives, keeps it in a
temporary file (in memory while small) and counts it; once every project is in, it writes
the opening, then the parts. Memory holds one project at a time (and the ids of the stage
groups), not the whole overview. Every format gives exactly the text the whole dict gives
(`render()`), which is how one dict is rendered too.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from coflow.report.basics import OVERDUE_DAYS
from coflow.report.portfolio import Tally

SPOOL_IN_MEMORY = 4 << 20  # characters kept in memory before the parts go to a temporary file


def render(report: dict, fmt: str) -> str:
    """A whole portfolio dict (coflow.report.portfolio.build_portfolio) as md or html."""
    head = {k: v for k, v in report.items() if k != "projects"}
    form = FORMATS[fmt]()
    parts = [form.part(p, index == 0) for index, p in enumerate(report["projects"])]
    return "".join(_assemble(form, head, parts))


def stream(rows: Iterable[dict], fmt: str, now: dt.datetime | None = None,
           overdue_days: int = OVERDUE_DAYS) -> Iterator[str]:
    """The overview of `rows` (in project id order) in `fmt` (md, html, json), in pieces."""
    form = FORMATS[fmt]()
    tally = Tally()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8") as spool:
        for index, row in enumerate(rows):
            tally.add(row)
            spool.write(form.part(row, index == 0))
        spool.seek(0)
        yield from _assemble(form, tally.head(now, overdue_days), iter(lambda: spool.read(1 << 16), ""))


def _assemble(form: Any, head: dict, parts: Iterable[str]) -> Iterator[str]:
    opening, closing = form.frame(head)
    yield opening
    last = None
    for part in parts:  # the last piece is held back: markdown trims the end of the text
        if last is not None:
            yield last
        last = part
    if last is not None:
        yield form.end(last)
    yield closing


class Markdown:
    def part(self, p: dict, first: bool) -> str:
        from coflow.report.portfolio_md import project_lines

        return "\n" + "\n".join(project_lines(p))

    def frame(self, head: dict) -> tuple[str, str]:
        from coflow.report.portfolio_md import head_lines

        return "\n".join(head_lines(head)), ""

    def end(self, last: str) -> str:
        return last.rstrip() + "\n"


class Html:
    def __init__(self) -> None:
        self.rtl = False  # a row holds right-to-left text (see frame)
        self.labels: list[str] | None = None

    def part(self, p: dict, first: bool) -> str:
        from coflow.report.html import STACK_FROM, column_labels, environment, stacked_rows
        from coflow.report.words import _bidi_pattern

        env = environment()
        if self.labels is None:  # the projects table's columns, as stack_wide_tables reads them
            source = env.loader.get_source(env, "portfolio.html.j2")[0]
            self.labels = column_labels(source[source.rindex("<thead>"):source.rindex("</thead>")])
        text = env.get_template("portfolio_row.html.j2").render(p=p) + "\n"
        self.rtl = self.rtl or bool(_bidi_pattern().search(text))
        return stacked_rows(self.labels, text) if len(self.labels) >= STACK_FROM else text

    def frame(self, head: dict) -> tuple[str, str]:
        from markupsafe import Markup

        from coflow.report.html import _ids, environment, stack_wide_tables

        # The table's body is isolated as a whole when any row holds right-to-left text, as
        # the template always did when it rendered the rows itself: a marker that is such
        # text makes it do the same.
        marker = Markup("<!-- project rows \u2067 -->" if self.rtl else "<!-- project rows -->")
        page = stack_wide_tables(environment().get_template("portfolio.html.j2").render(
            r=head, next_id=_ids(), project_rows=marker))
        found = page.find(marker)
        if found < 0:  # no projects: no table
            return page, ""
        start, end = found, found + len(marker) + 1
        if page[start - 1] == "\u2068":  # the marker isolated on its own
            start, end = start - 1, end + 1
        return page[:start], page[end:]

    def end(self, last: str) -> str:
        return last


class Json:
    def part(self, p: dict, first: bool) -> str:
        from coflow.jsondoc import json_array_chunks

        item = next(json_array_chunks([p], level=1))  # "[\n    {...}"
        return item if first else ",\n" + item[2:]

    def frame(self, head: dict) -> tuple[str, str]:
        from coflow.jsondoc import json_object_chunks

        opening, empty, closing = json_object_chunks(head, "projects", [])
        return opening, ("\n  ]" if head["totals"]["projects"] else empty) + closing

    def end(self, last: str) -> str:
        return last


FORMATS: dict[str, Any] = {"md": Markdown, "html": Html, "json": Json}
