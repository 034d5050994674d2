"""Importing the spreadsheets organisations keep today (CSV), all or nothing.

The header is checked first (every needed column there, no unknown ones), then every row
is checked with the same rules as the commands, and only when every row is good are the
records written, in one transaction. Errors name the row (as a spreadsheet numbers it:
the header is row 1) and the column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from coflow.errors import NotFound, UsageError
from coflow.records import participants, payments, sessions
from coflow.records.ids import Ids
from coflow.records.reducers import (
    ATTENDANCE_RECORDED,
    PARTICIPANT_ADDED,
    PAYMENT_RECORDED,
    SESSION_RECORDED,
)
from coflow.records.values import FieldProblem, blank, known_ids

if TYPE_CHECKING:
    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class Kind:
    """One kind of spreadsheet: which columns it needs, which it may have, other names for them."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


KINDS = {
    "participants": Kind("participants", ("lived_experience",),
                         ("id", "role", "category", "groups", "route", "access_needs_met", "credit",
                          "future_contact", "inducted", "trained", "payment_info", "access_asked", "signs_as",
                          "name", "email", "phone", "address", "access_needs"),
                         {"group": "groups", "induction": "inducted", "training": "trained",
                          "participant": "id", "participant_id": "id"}),
    "sessions": Kind("sessions", ("date", "format", "hours"),
                     ("id", "title", "kind", "attendance", "agenda_coauthors", "decisions", "paid"),
                     {"attendees": "attendance", "attendee": "attendance", "agenda_by": "agenda_coauthors",
                      "session": "id", "session_id": "id"}),
    "attendance": Kind("attendance", ("session", "participant"), (),
                       {"session_id": "session", "participant_id": "participant", "participants": "participant"}),
    "payments": Kind("payments", ("participant", "amount", "status"),
                     ("id", "session", "finance_ref", "date", "expenses", "expenses_status", "expenses_reason",
                      "declined_on"),
                     {"participant_id": "participant", "session_id": "session", "payment": "id",
                      "payment_id": "id"}),
}


class Progress(Protocol):
    """What the importer reports as it goes (the command line draws a bar on a terminal)."""

    def start(self, label: str, total: int) -> None: ...

    def step(self, count: int = 1) -> None: ...

    def finish(self) -> None: ...


class _Silent:
    def start(self, label: str, total: int) -> None:
        pass

    def step(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class Sheet:
    """A read CSV: its rows as {field: cell} with their spreadsheet row numbers."""

    path: Path
    kind: Kind
    rows: list[tuple[int, dict[str, str]]]
    columns: dict[str, str]  # field -> the header cell as written

    def column(self, field: str) -> str:
        """The header cell for a field; a problem may name the field by its other name
        ("induction" for the column `inducted`)."""
        name = field.split(".")[0]
        name = name if name in self.columns else self.kind.aliases.get(name, name)
        return self.columns.get(name, field)


def _normal(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def read(path: str | Path, kind_name: str) -> Sheet:
    """Read and header-check a CSV file; rows are not checked here."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise UsageError(f"{kind_name!r} is not something coflow imports", hint=f"use --kind {' or '.join(KINDS)}")
    file = Path(path)
    if not file.exists():
        raise NotFound(f"there is no file {str(path)!r}", hint="check the path and spelling")
    if file.is_dir():
        raise UsageError(f"{str(path)!r} is a folder, not a CSV file", hint="give the .csv file itself")
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)  # an unterminated quote is an error, not a merged row
            number = 1
            header = next(reader, None)
            if header is None:
                raise UsageError(f"{file.name} is empty", hint=f"the first row names the columns: {', '.join(kind.columns)}")
            columns = _check_header(file, kind, header)
            fields = list(columns)
            rows: list[tuple[int, dict[str, str]]] = []
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue  # blank lines are common at the end of spreadsheets
                _check_width(file, number, cells, header)
                row = {fields[i]: (cells[i] if i < len(cells) else "") for i in range(len(fields)) if fields[i]}
                rows.append((number, row))
    except UnicodeDecodeError:
        raise UsageError(f"{file.name} is not UTF-8 text",
                         hint="in your spreadsheet, save as \"CSV UTF-8 (comma delimited)\"") from None
    except csv.Error as exc:
        bad_row = number + 1 if header is not None else 1
        raise UsageError(f"{file.name}: row {bad_row} (from line {reader.line_num}) cannot be read as CSV: {exc}; "
                         "nothing was imported",
                         hint="a double quote opened in that row is not closed, or stray text follows one; "
                              "put text with commas or quotes in double quotes, and write a quote inside it "
                              "as two (\"\")") from None
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror}") from None
    if not rows:
        raise UsageError(f"{file.name} has a header but no rows", hint="add one row per record under the header")
    return Sheet(file, kind, rows, {f: h for f, h in zip(columns, header, strict=False) if f})


def _check_width(file: Path, number: int, cells: list[str], header: list[str]) -> None:
    """A row must have the header's number of cells (empty cells at the end may be left out
    only by leaving the whole rest of the row out, as spreadsheets write it)."""
    extra = [c for c in cells[len(header):] if c.strip()]
    if extra:
        raise UsageError(f"{file.name}: row {number} has {len(cells)} cells but the header names "
                         f"{len(header)} columns; nothing was imported",
                         hint="check for a stray comma in that row, or put text with commas in double quotes")
    if len(cells) < len(header):
        raise UsageError(f"{file.name}: row {number} has {len(cells)} cells but the header names "
                         f"{len(header)} columns; nothing was imported",
                         hint="each row needs a cell for every column (leave a cell empty between two commas); "
                              "a missing comma or a line break inside a cell can cause this")


def _check_header(file: Path, kind: Kind, header: list[str]) -> list[str]:
    """The field each column fills ("" for a blank header cell); every problem at once."""
    fields: list[str] = []
    problems: list[str] = []
    for index, cell in enumerate(header, start=1):
        key = _normal(cell)
        field = kind.aliases.get(key, key)
        if not key:
            fields.append("")
            continue
        if field not in kind.columns:
            problems.append(f"column {index} {cell.strip()!r} is not a column coflow knows for {kind.name}")
        elif field in fields:
            problems.append(f"column {index} {cell.strip()!r} repeats an earlier column")
        fields.append(field)
    missing = [c for c in kind.required if c not in fields]
    for column in missing:
        problems.append(f"the column {column!r} is missing")
    if problems:
        if len(header) == 1 and ";" in header[0]:
            hint = "the file seems to use ';' between columns; save it with commas (CSV UTF-8)"
        else:
            hint = (f"the first row must name the columns. Needed: {', '.join(kind.required)}. "
                    f"Optional: {', '.join(kind.optional) or 'none'}")
        raise UsageError(f"{file.name}: the header row does not fit a {kind.name} import; nothing was imported",
                         details=problems, hint=hint)
    return fields


class _RowErrors:
    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.lines: list[str] = []
        self.first_hint: str | None = None

    def add(self, number: int, problem: FieldProblem) -> None:
        column = self.sheet.column(problem.field)
        self.lines.append(f"row {number}, column {column!r}: {problem.problem}")
        self.first_hint = self.first_hint or problem.hint

    def raise_if_any(self) -> None:
        if not self.lines:
            return
        count = len(self.lines)
        shown = self.lines[:MAX_ERRORS_SHOWN]
        if count > MAX_ERRORS_SHOWN:
            shown.append(f"... and {count - MAX_ERRORS_SHOWN} more")
        raise UsageError(f"{self.sheet.path.name}: {count} problem{'s' if count > 1 else ''} found; "
                         "nothing was imported", details=shown,
                         hint=(self.first_hint + " (row numbers are as your spreadsheet shows them)")
                         if self.first_hint else "fix those rows and import the file again")


def _plan(state: Any, sheet: Sheet, progress: Progress) -> list[tuple[str, dict, dict | None]]:
    """Check every row; return (event type, data, personal data) for each record to write."""
    errors = _RowErrors(sheet)
    planned: list[tuple[str, dict, dict | None]] = []
    kind = sheet.kind.name
    ids = {"participants": Ids("P", state.participants), "sessions": Ids("S", state.sessions),
           "payments": Ids("PAY", state.payments)}.get(kind) or Ids("", {})  # attendance makes no ids
    attendance: dict[str, list[str]] = {}
    progress.start(f"Checking {len(sheet.rows)} rows", len(sheet.rows))
    for number, row in sheet.rows:
        try:
            if kind == "participants":
                data, personal = participants.make_added(row, ids)
                planned.append((PARTICIPANT_ADDED, data, personal or None))
            elif kind == "sessions":
                planned.append((SESSION_RECORDED, sessions.make_session(state, row, ids), None))
            elif kind == "payments":
                planned.append((PAYMENT_RECORDED, payments.make_payment(state, row, ids), None))
            else:
                _attendance_row(state, row, attendance)
        except FieldProblem as problem:
            errors.add(number, problem)
        progress.step()
    progress.finish()
    errors.raise_if_any()
    for session, people in attendance.items():
        if people:
            planned.append((ATTENDANCE_RECORDED, {"session": session, "participants": people}, None))
    return planned


def _attendance_row(state: Any, row: dict[str, str], found: dict[str, list[str]]) -> None:
    if blank(row.get("session")):
        raise FieldProblem("session", "is missing", hint="give the session id, such as S-001")
    session = known_ids([row["session"]], "session", state.sessions, "session",
                        f"record it first with `coflow session add {state.id}`")[0]
    people = known_ids(row.get("participant"), "participant", state.participants, "participant",
                       f"add them first with `coflow participant add {state.id}`")
    if not people:
        raise FieldProblem("participant", "is missing", hint="give the participant id, such as P-001")
    already = found.setdefault(session, [])
    for pid in people:
        if pid not in state.sessions[session].get("attendance", []) and pid not in already:
            already.append(pid)


def import_csv(engine: ProjectWriter, project: str, actor: str, path: str | Path, kind: str,
               progress: Progress | None = None) -> dict[str, Any]:
    """Import a CSV file into a project: every row or none. Returns a summary."""
    progress = progress or _Silent()
    sheet = read(path, kind)
    engine.get(project)  # an unknown project is reported before the rows are checked

    def build(state: Any, view: Any, tx: Transaction) -> Iterator[tuple[str, dict]]:
        planned = _plan(state, sheet, progress)
        progress.start(f"Writing {len(planned)} records", len(planned))
        for event_type, data, personal in planned:
            if personal:
                tx.put_personal(project, data["id"], personal)
            yield event_type, data
            progress.step()
        progress.finish()

    events, _ = engine.change_many(project, actor, build)
    ids = [e.data["id"] for e in events if "id" in e.data]
    attended = sum(len(e.data.get("participants", [])) for e in events if e.type == ATTENDANCE_RECORDED)
    return {"project": project, "kind": kind, "file": str(path), "rows": len(sheet.rows),
            "events": len(events), "ids": ids, "attendance_added": attended}


def describe_columns(kind_name: str) -> str:
    kind = KINDS[kind_name]
    return f"needed: {', '.join(kind.required)}; optional: {', '.join(kind.optional) or 'none'}"

