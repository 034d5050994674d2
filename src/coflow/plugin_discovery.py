"""Finding installed plugins: entry points read straight from the installed packages'
entry_points.txt files (importlib.metadata costs more than a whole command), and which
plugins COFLOW_LOAD_PLUGINS asks for.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

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


def folders(plugins_dir: Any) -> list[Path]:
    """One folder or several, each once (coflow.toml and --plugins-dir may name the same)."""
    if plugins_dir is None:
        return []
    items = [plugins_dir] if isinstance(plugins_dir, (str, os.PathLike)) else list(plugins_dir)
    folders, seen = [], set()
    for item in items:
        if item is None:
            continue
        path = Path(item)
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            folders.append(path)
    return folders


def where(plugin: object) -> str | None:
    """The file a plugin object lives in, for `coflow plugins`."""
    module = plugin if hasattr(plugin, "__file__") else sys.modules.get(getattr(plugin, "__module__", ""), None)
    return getattr(module, "__file__", None)
