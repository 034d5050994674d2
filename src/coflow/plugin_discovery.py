"""Finding installed plugins: entry points read straight from the installed packages'
entry_points.txt files (importlib.metadata costs more than a whole command), and which
plugins COFLOW_LOAD_PLUGINS asks for.
"""

from __future__ import annotations

import os
import sys

GROUP = "coflow"


def load_list() -> set[str] | None:
    """COFLOW_LOAD_PLUGINS as a set of names: None when unset (load all), empty for ""."""
    wanted = os.environ.get("COFLOW_LOAD_PLUGINS")
    if wanted is None:
        return None
    return {part.strip().removesuffix(".py") for part in wanted.split(",") if part.strip()}


def iter_entry_points(group: str = GROUP) -> list[tuple[str, str, str, str | None]]:
    """(name, "module:attr", distribution, version) for every entry point in `group`.

    Reads *.dist-info/entry_points.txt on sys.path directly; the first copy of a
    distribution on sys.path wins, as for imports.
    """
    found, seen = [], set()
    header = f"[{group}]"
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for dist in names:
            if not (dist.endswith(".dist-info") or dist.endswith(".egg-info")):
                continue
            try:
                with open(os.path.join(folder, dist, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if header not in text:
                continue
            stem = dist.rsplit(".", 1)[0]
            dist_name, _, version = stem.partition("-")
            if dist_name in seen:
                continue
            seen.add(dist_name)
            section = None
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("["):
                    section = line[1:-1].strip()
                elif section == group and "=" in line and not line.startswith(("#", ";")):
                    name, _, target = line.partition("=")
                    found.append((name.strip(), target.strip(), dist_name, version or None))
    return found
