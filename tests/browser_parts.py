"""What the browser tests need, found once: chromium (apt), node, and axe-core and
playwright-core (npm). When anything is missing, the skip message names all of it and the
one command that installs it all, so installing one part never leads to a second surprise."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INSTALL = ".ci/install-browser-deps"
NPM_PACKAGES = ("axe-core", "playwright-core")


def module_folders() -> list[Path]:
    """Where .ci/install-browser-deps puts the npm packages (COFLOW_BROWSER_DEPS first)."""
    folders = [Path(p) / "node_modules" for p in filter(None, [os.environ.get("COFLOW_BROWSER_DEPS")])]
    return folders + [Path.home() / ".cache" / "coflow-browser-deps" / "node_modules", REPO / ".ci" / "node_modules"]


def find_chromium(which: Callable[[str], str | None] = shutil.which) -> str | None:
    return os.environ.get("CHROMIUM") or which("chromium") or which("chromium-browser")


def find_node_modules(folders: list[Path] | None = None) -> Path | None:
    for folder in module_folders() if folders is None else folders:
        if (folder / "axe-core" / "axe.min.js").is_file() and (folder / "playwright-core" / "package.json").is_file():
            return folder
    return None


def missing(which: Callable[[str], str | None] = shutil.which, folders: list[Path] | None = None) -> list[str]:
    """Every part that is not there, in the words of the skip message."""
    gone = []
    if not find_chromium(which):
        gone.append("chromium (apt)")
    if not which("node"):
        gone.append("node (apt: nodejs)")
    if find_node_modules(folders) is None:
        searched = ", ".join(str(f) for f in (module_folders() if folders is None else folders))
        gone.append(f"the npm packages {' and '.join(NPM_PACKAGES)} (looked in {searched})")
    return gone


def skip_message(gone: list[str]) -> str:
    return (f"the browser tests need {'; '.join(gone)}. "
            f"One command installs everything they need: {INSTALL} "
            "(safe to run again; set COFLOW_BROWSER_DEPS to choose where the npm packages go)")
