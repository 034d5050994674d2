"""Logging to stderr with structlog, imported only when a line will really be written.

The event log, not stderr, is the audit record: by default only warnings are logged, and
the usual command path never imports structlog (it costs more than a whole command).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}
_state: dict[str, Any] = {"level": None, "format": None, "logger": None}


def configure(level: str | None = None, fmt: str | None = None) -> None:
    """Set level and format; COFLOW_LOG_LEVEL applies when no level is given."""
    name = (level or os.environ.get("COFLOW_LOG_LEVEL") or "warning").lower()
    _state["level"] = LEVELS.get(name, 30)
    _state["format"] = fmt or os.environ.get("COFLOW_LOG_FORMAT")
    _state["logger"] = None


def _level() -> int:
    if _state["level"] is None:
        configure()
    return _state["level"]


def enabled(level: str) -> bool:
    return LEVELS[level] >= _level()


def _logger() -> Any:
    if _state["logger"] is None:
        import logging

        import structlog

        fmt = _state["format"] or ("console" if sys.stderr.isatty() else "json")
        renderer = (structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()) if fmt == "console"
                    else structlog.processors.JSONRenderer())
        structlog.configure(
            processors=[structlog.processors.add_log_level,
                        structlog.processors.TimeStamper(fmt="iso", utc=True), renderer],
            wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
            logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
            cache_logger_on_first_use=False,
        )
        _state["logger"] = structlog.get_logger("coflow")
    return _state["logger"]


def _emit(level: str, event: str, **fields: Any) -> None:
    if enabled(level):
        getattr(_logger(), level)(event, **fields)


def debug(event: str, **fields: Any) -> None:
    _emit("debug", event, **fields)


def info(event: str, **fields: Any) -> None:
    _emit("info", event, **fields)


def warning(event: str, **fields: Any) -> None:
    _emit("warning", event, **fields)


def error(event: str, **fields: Any) -> None:
    _emit("error", event, **fields)


def write_traceback(folder: Path | None, exc: BaseException, command: str | None = None) -> Path:
    """Keep a traceback in a file (never on the terminal) and return its path.

    Each failure gets a new file only its owner can read (0600), and the file names the
    subcommand (`coflow participant add`) but never the values typed after it, which may
    be someone's name, email or access needs.
    """
    fd, name = _new_log_file(folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"command: {command or _current_command()}\n")
        fh.write(f"time: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n\n")
        import traceback

        fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return Path(name)


def _new_log_file(folder: Path | None) -> tuple[int, str]:
    """A fresh 0600 file in .coflow/logs, else a private per-user folder, else the temp folder."""
    import tempfile

    candidates = []
    if folder is not None and folder.is_dir():
        candidates.append(folder / "logs" if folder.name == ".coflow" else folder)
    state_home = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    candidates.append(Path(state_home) / "coflow" / "logs")
    for logs in candidates:
        try:
            logs.mkdir(mode=0o700, parents=True, exist_ok=True)
            return tempfile.mkstemp(dir=logs, prefix="coflow-error-", suffix=".log", text=True)
        except OSError:
            continue
    # mkstemp makes the file 0600, so even here only its owner can read it
    return tempfile.mkstemp(prefix="coflow-error-", suffix=".log", text=True)


def _current_command() -> str:
    """The running subcommand's path from click (names only, no argument values)."""
    click = sys.modules.get("click")
    ctx = click.get_current_context(silent=True) if click is not None else None
    return ctx.command_path if ctx is not None else "coflow"
