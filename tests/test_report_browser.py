"""The HTML reports in a real headless browser (Debian's chromium): rendered, screenshotted
at desktop, phone and print sizes, and checked by axe-core for accessibility problems.

Screenshots and the browser's findings are kept under test-artifacts/report/ for people to
look at. `.ci/install-browser-deps` installs chromium (apt) and axe-core + playwright-core
(npm); without them these tests are skipped with a message naming every missing part and
that one command, never silently.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
from pathlib import Path

import browser_parts as parts
import pytest
import report_samples as rs
from report_samples import mini_workflow

from coflow.report import render
from coflow.report.data import build_report
from coflow.report.portfolio import build_portfolio, project_row

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "report"
SCRIPT = Path(__file__).with_name("report_browser.js")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERIOUS = ("serious", "critical")


def needed_parts() -> tuple[str, Path]:
    """chromium and the npm packages' folder, or one skip naming everything that is missing."""
    gone = parts.missing()
    if gone:
        pytest.skip(parts.skip_message(gone))
    return parts.find_chromium(), parts.find_node_modules()


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def sample_pages() -> dict[str, str]:
    state = rs.sample_state()
    project = build_report(state, mini_workflow(), now=rs.NOW)
    started = rs.sample_state("young-voices", rows=rs.sample_events()[:4])

    class Gate:
        next_stage = "delivery"
        failing = [type("Check", (), {"id": "budget", "title": "Budget for payments", "status": "fail",
                                      "message": "no budget recorded"})()]

    portfolio = build_portfolio([project_row(state, mini_workflow(), None, rs.NOW),
                                 project_row(started, mini_workflow(), Gate(), rs.NOW)], rs.NOW)
    return {"project": render(project, "html"), "portfolio": render(portfolio, "html")}


@pytest.fixture(scope="module")
def pages() -> dict[str, Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, html in sample_pages().items():
        paths[name] = ARTIFACTS / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def seen(pages) -> dict[str, dict]:
    """What the browser met on each page (one chromium run per page, via playwright-core)."""
    browser, modules = needed_parts()
    results = {}
    for name, path in pages.items():
        env = {**os.environ, "NODE_PATH": str(modules), "CHROMIUM": browser}
        proc = subprocess.run(["node", str(SCRIPT), json.dumps({"html": str(path), "out": str(ARTIFACTS), "name": name})],
                              capture_output=True, text=True, env=env, timeout=180)
        assert proc.returncode == 0, proc.stderr[-2000:]
        results[name] = json.loads(proc.stdout)
        (ARTIFACTS / f"{name}-browser.json").write_text(json.dumps(results[name], indent=2), encoding="utf-8")
    return results


PAGES = ["project", "portfolio"]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_outside_and_runs_no_script(seen, name):
    page = seen[name]
    assert page["requests"] == [], "the report asked for other files"
    assert page["dialogs"] == [] and page["pageErrors"] == []
    assert page["console"] == [], "the browser complained (a blocked script or style would show here)"
    assert page["desktop"]["scripts"] == 0


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_accessibility_problem_at_desktop_or_phone_width(seen, name):
    for width in ("desktop", "phone"):
        bad = [v for v in seen[name]["axe"][width] if v["impact"] in SERIOUS]
        assert bad == [], f"{name} at {width} width: {json.dumps(bad, indent=1)}"


def test_axe_finds_no_problem_of_any_impact_on_the_project_report(seen):
    assert seen["project"]["axe"]["desktop"] == [] and seen["project"]["axe"]["phone"] == []


@pytest.mark.parametrize("name", PAGES)
def test_screenshots_are_kept_at_desktop_phone_and_print_sizes(seen, name):
    shots = seen[name]["shots"]
    assert png_size(Path(shots["desktop"]))[0] == 1280
    assert png_size(Path(shots["phone"]))[0] == 360
    assert png_size(Path(shots["print"]))[0] == 794
    assert png_size(Path(shots["phone"]))[1] > 740  # the whole page, not just the first screen


@pytest.mark.parametrize("name", PAGES)
def test_phone_width_needs_no_sideways_scrolling_and_text_stays_readable(seen, name):
    phone = seen[name]["phone"]
    assert phone["scrollWidth"] <= phone["clientWidth"] == 360
    assert phone["smallestFont"] >= 12


def test_print_layout_drops_the_contents_list_but_keeps_everything_else(seen):
    assert seen["project"]["desktop"]["navShown"] is True
    assert seen["project"]["print"]["navShown"] is False
    assert seen["project"]["print"]["headings"] == seen["project"]["desktop"]["headings"]


def test_recorded_markup_is_shown_as_text_in_the_browser(seen):
    text = seen["project"]["desktop"]["text"]
    assert "Kick-off <script>alert(1)</script>" in text
    assert "Hold sessions at the library <script>alert(1)</script>" in text


def test_the_project_report_shows_its_path_through_the_workflow(seen):
    text = seen["project"]["desktop"]["text"]
    assert "The way through the workflow" in text
    assert "Planning: passed" in text and "Delivery: passed" in text and "Closed: here now" in text


def test_headings_in_the_rendered_page_never_skip_a_level(seen):
    levels = seen["project"]["desktop"]["headings"]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert seen["project"]["desktop"]["lang"] == "en-GB"


def test_chromium_alone_renders_the_report_and_takes_a_phone_screenshot(pages, tmp_path):
    """Needs only Debian's chromium (no npm packages): the DOM it builds and a screenshot."""
    browser = parts.find_chromium()
    if not browser:
        pytest.skip(parts.skip_message(parts.missing()))
    url = pages["project"].as_uri()
    common = [browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<h1>carers-hub</h1>" in dom.stdout
    assert "Kick-off &lt;script&gt;alert(1)&lt;/script&gt;" in dom.stdout and "<script" not in dom.stdout
    shot = ARTIFACTS / "project-chromium-phone.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run([*common, "--hide-scrollbars", "--window-size=360,740", f"--screenshot={shot}", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert png_size(shot) == (360, 740)
