"""Accountability reports: one plain dict per report (data.py, portfolio.py), rendered as
Markdown, HTML or JSON. Renderers read only that dict, so the formats always agree."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


FORMATS = ("md", "html", "json")


def render(report: dict, fmt: str) -> str:
    """The report dict in one format; the dict's "kind" says project or portfolio."""
    portfolio = report.get("kind") == "coflow-portfolio"
    if fmt == "json":
        from coflow.jsondoc import json_document

        return json_document(report)
    if fmt == "md":
        from coflow.report import markdown as module
    elif fmt == "html":
        from coflow.report import html as module  # type: ignore[no-redef]
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    renderer: Any = module.render_portfolio if portfolio else module.render_project
    return renderer(report)
