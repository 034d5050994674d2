"""The portfolio overview as text, written a project at a time (`coflow report --all`).

The overview opens with totals and stage groups that depend on every project, then lists
each project. `stream()` renders each project's part as its row arrives, keeps it in a
temporary file (in memory while small) and counts it; once every project is in, it writes
the opening, then the parts. Memory holds a few projects at a time (and the ids of the
stage groups), not the whole overview. Every format gives exactly the text the whole dict
gives (`render()`), which is how one dict is rendered too.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator

from coflow.report.basics import OVERDUE_DAYS
from coflow.report.portfolio import Tally

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

SPOOL_IN_MEMORY = 4 << 20  # characters kept in memory before the parts go to a temporary file
BATCH = 200  # HTML rows rendered together (one template call for many rows)


def render(report: dict, fmt: str) -> str:
    """A whole portfolio dict (coflow.report.portfolio.build_portfolio) as md or html."""
    head = {k: v for k, v in report.items() if k != "projects"}
    form = FORMATS[fmt]()
    parts = [form.part(p) for p in report["projects"]]
    return "".join(_assemble(form, head, [*parts, form.flush()]))


def stream(rows: Iterable[dict], fmt: str, now: dt.datetime | None = None,
           overdue_days: int = OVERDUE_DAYS) -> Iterator[str]:
    """The overview of `rows` (in project id order) in `fmt` (md, html, json), in pieces."""
    form = FORMATS[fmt]()
    tally = Tally()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8") as spool:
        for row in rows:
            tally.add(row)
            spool.write(form.part(row))
        spool.write(form.flush())
        spool.seek(0)
        yield from _assemble(form, tally.head(now, overdue_days), iter(lambda: spool.read(1 << 16), ""))


def _assemble(form: Any, head: dict, parts: Iterable[str]) -> Iterator[str]:
    opening, closing = form.frame(head)
    yield opening
    if not form.trim_end:
        yield from parts
    else:  # the text ends trimmed, with one newline: trailing whitespace is held back
        tail = ""
        for part in parts:
            body = part.rstrip()
            if body:
                yield tail + body
                tail = part[len(body):]
            else:
                tail += part
        if tail:
            yield "\n"
    yield closing


class Markdown:
    trim_end = True

    def part(self, p: dict) -> str:
        from coflow.report.portfolio_md import project_lines

        return "\n" + "\n".join(project_lines(p))

    def flush(self) -> str:
        return ""

    def frame(self, head: dict) -> tuple[str, str]:
        from coflow.report.portfolio_md import head_lines

        return "\n".join(head_lines(head)), ""


class Html:
    trim_end = False

    def __init__(self) -> None:
        self.rtl = False  # a row holds right-to-left text (see frame)
        self.held: list[dict] = []
        self.rows_template: Any = None

    def part(self, p: dict) -> str:
        self.held.append(p)
        return self.flush() if len(self.held) >= BATCH else ""

    def flush(self) -> str:
        """The rows held so far, rendered together."""
        from coflow.report.words import _bidi_pattern

        if not self.held:
            return ""
        if self.rows_template is None:
            self.rows_template = self._rows_template()
        text = self.rows_template.render(rows=self.held)
        self.held = []
        self.rtl = self.rtl or bool(_bidi_pattern().search(text))
        return text

    def _rows_template(self) -> Any:
        """The rows' template with each tag's extra attributes written into it: the roles and
        data-labels stack_wide_tables gives a table this wide (the same text, with no pass
        over the rows afterwards), or nothing for a narrow one."""
        from coflow.report.html import STACK_FROM, column_labels, environment

        env = environment()
        page = env.loader.get_source(env, "portfolio.html.j2")[0]  # the projects table's columns
        labels = column_labels(page[page.rindex("<thead>"):page.rindex("</thead>")])
        rows = env.loader.get_source(env, "portfolio_rows.html.j2")[0]
        if len(labels) < STACK_FROM:
            labels = []
        elif any(mark in label for label in labels for mark in "{}#%"):
            raise ValueError("a column label of the portfolio table cannot be written into a template")
        cells = [f' role="cell" data-label="{label}"' for label in labels[1:]] + [""] * 4
        attributes = {"{{ a.tr }}": ' role="row"' if labels else "",
                      "{{ a.th }}": f' role="rowheader" data-label="{labels[0]}"' if labels else "",
                      **{f"{{{{ a.td[{i}] }}}}": cells[i] for i in range(4)}}
        for placeholder, text in attributes.items():
            rows = rows.replace(placeholder, text)
        return env.from_string(rows)

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


class Json:
    trim_end = False

    def __init__(self) -> None:
        self.first = True

    def part(self, p: dict) -> str:
        from coflow.jsondoc import json_array_chunks

        item = next(json_array_chunks([p], level=1))  # "[\n    {...}"
        if self.first:
            self.first = False
            return item
        return ",\n" + item[2:]

    def flush(self) -> str:
        return ""

    def frame(self, head: dict) -> tuple[str, str]:
        from coflow.jsondoc import json_object_chunks

        opening, empty, closing = json_object_chunks(head, "projects", [])
        return opening, ("\n  ]" if head["totals"]["projects"] else empty) + closing


FORMATS: dict[str, Any] = {"md": Markdown, "html": Html, "json": Json}
