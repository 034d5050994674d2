"""The `file` notifier: each event appended as one JSON line to a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from coflow.notify.base import NotifyError, unknown_keys

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView


def validate(config: dict[str, Any]) -> list[str]:
    problems = unknown_keys(config, ("path",))
    path = config.get("path")
    if not isinstance(path, str) or not path.strip():
        problems.append("path: missing; expected a file name, such as \"notifications.jsonl\" "
                        "(relative to the folder of coflow.toml)")
    return problems


def target(config: dict[str, Any]) -> Path:
    path = Path(config["path"]).expanduser()
    if not path.is_absolute() and config.get("coflow_home"):
        path = Path(config["coflow_home"]) / path
    return path


def notify(event: dict[str, Any], project: ProjectView, config: dict[str, Any]) -> None:
    """One write of one whole line, synced, so readers never see half a notification."""
    path = target(config)
    line = json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise NotifyError(f"cannot write to {path}: {exc.strerror or exc}") from None
