"""The `log` notifier: one structured line on coflow's log (stderr) per event."""

from __future__ import annotations

from coflow.notify.base import unknown_keys

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

LEVELS = ("info", "warning")


def validate(config: dict[str, Any]) -> list[str]:
    problems = unknown_keys(config, ("level",))
    if config.get("level", "info") not in LEVELS:
        problems.append(f"level: expected one of {', '.join(LEVELS)}, found {config.get('level')!r}")
    return problems


def notify(event: dict[str, Any], project: ProjectView, config: dict[str, Any]) -> None:
    """Written whatever COFLOW_LOG_LEVEL says: the entry itself asks for these lines."""
    from coflow import log

    logger = log._logger()  # noqa: SLF001 - bypass the level filter on purpose
    getattr(logger, config.get("level", "info"))(
        "notification", project=event.get("project"), seq=event.get("seq"), type=event.get("type"),
        actor=event.get("actor"), stage=getattr(project, "stage", None),
        override=bool((event.get("data") or {}).get("override")),
    )
