"""Markdown, HTML and JSON rendering: recorded text stays text, HTML is self-contained and
structured for screen readers, and every format tells the same story."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import report_samples as rs
from report_samples import mini_workflow

from coflow.report import render
from coflow.report.data import build_report
from coflow.report.html import stack_wide_tables
from coflow.report.markdown import md
from coflow.report.portfolio import build_portfolio, error_row, project_row

PERSONAL = {pid: {"name": name} for pid, name in rs.NAMES.items() if pid != "P-005"}


@pytest.fixture(scope="module")
def data() -> dict:
    return build_report(rs.sample_state(), mini_workflow(), now=rs.NOW)


@pytest.fixture(scope="module")
def page(data) -> str:
    return render(data, "html")


class Outline(HTMLParser):
    """What a screen reader would use: tags with attributes, headings, tables and captions."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        if tag in ("style", "title", "desc"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title", "desc"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


# -- recorded text stays text --------------------------------------------------------------

def test_html_shows_recorded_markup_as_text_and_contains_no_script_at_all(page):
    assert rs.XSS not in page
    assert "Kick-off &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    parsed = outline(page)
    assert "Kick-off <script>alert(1)</script>" in "".join(parsed.text)
    assert not any(tag == "script" for tag, _ in parsed.tags)


def test_html_links_only_web_addresses_never_javascript(page):
    hrefs = [a.get("href") for tag, a in outline(page).tags if tag == "a" and not a["href"].startswith("#")]
    assert hrefs == ["https://example.org/board/2026-02"]
    assert "javascript:alert(1)" in page  # shown as plain text


def test_markdown_escapes_markup_and_table_breaking_characters(data):
    text = render(data, "md")
    assert rs.XSS not in text
    assert "Kick-off \\<script\\>alert(1)\\</script\\>" in text
    row = next(line for line in text.splitlines() if "Ideas" in line)
    assert "Ideas \\| priorities" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # 7 columns: the | in the title did not add one
    assert md("two\nlines | *bold* [link](x) a_b _c_") == "two lines \\| \\*bold\\* \\[link\\](x) a_b \\_c\\_"


# -- self-contained, accessible HTML --------------------------------------------------------

def test_html_is_one_file_that_loads_nothing_from_anywhere(page):
    tags = outline(page).tags
    assert not [t for t, a in tags if t in ("link", "script", "img", "iframe", "object", "embed")]
    assert not [a for t, a in tags if "src" in a]
    assert "@import" not in page and "url(" not in page
    policy = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_html_has_language_viewport_and_a_title(page):
    tags = outline(page).tags
    assert tags[0] == ("html", {"lang": "en-GB"})
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in tags
    assert "<title>Accountability report: carers-hub</title>" in page


def test_html_headings_start_at_one_and_never_skip_a_level(page):
    levels = outline(page).headings
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_every_table_has_a_caption_and_every_header_cell_a_scope(page):
    parsed = outline(page)
    assert parsed.tables >= 10 and parsed.captions == parsed.tables
    header_cells = [a for t, a in parsed.tags if t == "th"]
    assert header_cells and all(a.get("scope") in ("col", "row") for a in header_cells)


def test_timeline_chart_is_an_image_with_a_title_and_a_text_description(page):
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert len(svgs) == 2  # wide and narrow drawings; CSS shows one
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
        assert desc.startswith("5 stage visits, oldest first: Planning from 5 January 2026 to 15 January 2026 (10 days)")
        assert "Closed from 1 March 2026 to 10 March 2026 (9 days, moved on by override)" in desc


def test_wide_tables_carry_column_labels_for_the_phone_layout_and_keep_table_roles(page):
    timeline = re.search(r'<table class="stack" role="table">.*?</table>', page, re.S).group(0)
    assert '<th scope="col" role="columnheader">Entered</th>' in timeline
    assert '<td role="cell" data-label="Entered">5 Jan 2026</td>' in timeline
    narrow = stack_wide_tables("<table><thead><tr><th scope=\"col\">A</th><th scope=\"col\">B</th></tr></thead>"
                               "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>")
    assert "data-label" not in narrow  # two columns read fine as a table


def test_html_and_markdown_leave_names_out_unless_given_the_personal_table(data):
    for fmt in ("html", "md"):
        text = render(data, fmt)
        assert not [n for n in rs.NAMES.values() if n in text]
        assert "P-005 (participant erased)" in text
    named = build_report(rs.sample_state(), mini_workflow(), now=rs.NOW, personal=PERSONAL)
    for fmt in ("html", "md"):
        text = render(named, fmt)
        assert "Amara Okafor" in text and "B. L." in text and "Bea Li" not in text
        assert "participant erased" in text


# -- one source, three formats ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_every_format_carries_the_same_key_facts(data, fmt):
    text = render(data, fmt)
    for fact in ("board meets before the report is due", "the board report was never written",
                 data["integrity"]["head_hash"], rs.SHA, "Sessions moved to 6pm on Tuesdays", "PAY-003"):
        assert fact in text, (fmt, fact)


def test_json_format_is_the_data_dict_itself(data):
    assert json.loads(render(data, "json")) == json.loads(json.dumps(data))


# -- the portfolio ---------------------------------------------------------------------------

class FakeGate:
    """Just what project_row reads from a gate evaluation."""

    def __init__(self, failing, next_stage="closed"):
        self.failing = failing
        self.next_stage = next_stage


class FakeCheck:
    def __init__(self, cid, title):
        self.id, self.title, self.status, self.message = cid, title, "fail", "not met"


@pytest.fixture(scope="module")
def portfolio() -> dict:
    wf = mini_workflow()
    finished = rs.sample_state("carers-hub")
    started = rs.sample_state("young-voices", rows=rs.sample_events()[:4])
    rows = [project_row(finished, wf, FakeGate([]), rs.NOW),
            project_row(started, wf, FakeGate([FakeCheck("budget", "Budget for <payments>")], "delivery"), rs.NOW),
            error_row("lost-one", "the store has lost the workflow pinned by project lost-one")]
    return build_portfolio(rows, rs.NOW)


def test_portfolio_groups_projects_by_stage_and_counts_what_needs_attention(portfolio):
    assert portfolio["totals"] == {"projects": 3, "finished": 1, "blocked": 1, "with_overdue": 1,
                                   "unreadable": 1, "broken_history": 0, "workflow_changed": 0}
    assert [(g["stage"], g["projects"]) for g in portfolio["by_stage"]] == [("planning", ["young-voices"]),
                                                                           ("closed", ["carers-hub"])]
    rows = {r["id"]: r for r in portfolio["projects"]}
    assert [c["id"] for c in rows["young-voices"]["failing"]] == ["budget"]
    assert rows["carers-hub"]["failing"] == []  # a finished project has no gate to block
    assert {(o["kind"], o["id"]) for o in rows["carers-hub"]["overdue"]} == {
        ("payment", "PAY-003"), ("expenses", "PAY-003"), ("feedback", "F-003")}
    assert (rows["carers-hub"]["open_feedback"], rows["carers-hub"]["pending_payments"]) == (2, 2)
    assert rows["young-voices"]["days_since_activity"] == 173


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_portfolio_renders_blocked_checks_overdue_items_and_unreadable_projects(portfolio, fmt):
    text = render(portfolio, fmt)
    assert "lost-one" in text and "the store has lost the workflow" in text
    assert "PAY-003" in text and "F-003" in text
    assert "<payments>" not in text  # recorded titles are escaped in both formats


def test_an_empty_portfolio_says_so_plainly():
    empty = build_portfolio([], rs.NOW)
    assert "There are no projects yet" in render(empty, "md")
    assert "There are no projects yet" in render(empty, "html")
