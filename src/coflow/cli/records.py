"""What the record commands share: plain tables, yes/no words, and the import progress bar.

Each command group lives in its own module (records_participants, records_sessions, ...);
they all speak through these helpers so the records look alike wherever they are listed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

import click

from coflow.cli.output import emit_json

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def word(value: Any) -> str:
    """A value as a person would write it in a table."""
    if value is None or value == [] or value == "":
        return "-"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def echo_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> None:
    """A plain text table: columns are (heading, key), cells shortened to stay readable."""
    cells = [[word(row.get(key))[:40] for _, key in columns] for row in rows]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, (h, _) in enumerate(columns)]
    click.echo("  ".join(h.ljust(w) for (h, _), w in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def show_list(rows: list[dict[str, Any]], columns: Sequence[tuple[str, str]], as_json: bool,
              nothing: str) -> None:
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo(nothing)
    else:
        echo_table(rows, columns)


def show_record(record: dict[str, Any], as_json: bool, sentence: str,
                fields: Iterable[tuple[str, str]] = ()) -> None:
    """After adding or changing a record: the record for scripts, a sentence for people."""
    if as_json:
        emit_json(record)
        return
    click.echo(sentence)
    for label, key in fields:
        if record.get(key) not in (None, [], ""):
            click.echo(f"  {label}: {word(record.get(key))}")


class StderrProgress:
    """The importer's progress as a click bar on stderr, drawn only for large files."""

    def __init__(self, threshold: int = 200) -> None:
        self.threshold = threshold
        self._bar: Any = None

    def start(self, label: str, total: int) -> None:
        if total >= self.threshold:
            self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar.__enter__()

    def step(self, count: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def progress_for_terminal() -> StderrProgress | None:
    """A progress bar when a person is watching stderr; none for scripts and pipes."""
    try:
        return StderrProgress() if sys.stderr.isatty() else None
    except (AttributeError, ValueError):
        return None
