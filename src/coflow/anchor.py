"""Proving the log: every chain checked, and anchors that are kept away from the store.

The hash chain catches edits, deletions, insertions and reordering, but someone with write
access who recomputes every later hash leaves a chain that still verifies. An anchor (each
project's latest sequence number and hash, written down somewhere else: board papers, an
email) catches that: the event at that number must still carry that hash. docs/security.md
describes the file format and what is and is not proven.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from coflow.dates import TIMESTAMP_EXAMPLE, TIMESTAMP_RE
from coflow.errors import UsageError
from coflow.events import Event, first_break
from coflow.names import PROJECT_ID_RE

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

FORMAT = "coflow-anchor"
VERSION = 1
DIGEST_PREFIX = "sha256:"

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_PROJECT_LINE = re.compile(r"^project (\S+) seq (\d+) head (\S+)$")


# -- checking chains ------------------------------------------------------------------------


def check_chain(events: list[Event], row: Any = None) -> tuple[int, str] | None:
    """(first bad seq, why) for one project's events, or None when intact.

    `row` is the store's cached head for the project (seq and head_hash, kept in the same
    transaction as every append); comparing with it catches the latest events being
    deleted or added behind coflow's back, which the chain alone cannot see.
    """
    if not events:
        if row is not None:
            return 1, "the project is listed but all its events are gone"
        return None
    broken = first_break(events)
    if broken is not None:
        return broken
    if row is None:
        return len(events), (f"the project has {len(events)} events but the store's list of projects does not "
                             "have it (its entry was deleted, perhaps with its latest events)")
    count, head = len(events), events[-1].hash
    if row.seq > count:
        return count + 1, (f"the store recorded {row.seq} events for this project but only {count} remain "
                           "(the latest were deleted)")
    if row.seq < count:
        return row.seq + 1, (f"the store recorded {row.seq} events for this project but there are {count} "
                             "(events were added without coflow)")
    if row.head_hash != head:
        return count, "the latest event is not the one the store recorded (it was replaced)"
    return None


def group_by_project(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Events (ordered by project, then seq) split into one list per project."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(event.project, []).append(event)
    return grouped


def verify_store(store: Any, project: str | None = None,
                 evidence: dict[str, list[dict]] | None = None) -> dict[str, tuple[int, str] | None]:
    """{project: None if intact, else (first bad seq, why)} for one project or every one.

    Given an `evidence` dict, each project's evidence_added records are gathered into it from
    the same read of the log, so checking the evidence files costs no second pass.
    """
    rows = {row.id: row for row in store.projects()}
    grouped = {project: store.events(project)} if project is not None else group_by_project(store.iter_all_events())
    if evidence is not None:
        for pid, events in grouped.items():
            evidence[pid] = [e.data for e in events if e.type == "evidence_added" and isinstance(e.data, dict)]
    wanted = [project] if project is not None else sorted({*grouped, *rows})
    return {pid: check_chain(grouped.get(pid, []), rows.get(pid)) or _pinned(store, grouped.get(pid, []))
            for pid in wanted}


def _pinned(store: Any, events: list[Event]) -> tuple[int, str] | None:
    """An intact chain's pinned workflows must still be the ones it pinned."""
    from coflow.pinning import first_problem

    return first_problem(store, events)


# -- anchors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """One project's latest event when the anchor was taken."""

    project: str
    seq: int
    hash: str

    def line(self) -> str:
        return f"project {self.project} seq {self.seq} head {self.hash}"


@dataclass
class Anchor:
    created: str
    heads: list[Head] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """sha256 over the project lines, each ending in a newline: the one value to quote.

        Anyone can recompute it without coflow: `grep '^project ' ANCHOR | sha256sum`.
        """
        body = "".join(head.line() + "\n" for head in self.heads)
        return DIGEST_PREFIX + hashlib.sha256(body.encode("utf-8")).hexdigest()

    def to_text(self) -> str:
        lines = [
            f"# coflow anchor: the latest event of each project and its hash, taken {self.created[:16].replace('T', ' ')} UTC.",
            "# Keep a copy away from the coflow store (board papers, an email to the governance team).",
            "# Check the store against it later with: coflow verify --against THIS_FILE",
            f"{FORMAT} {VERSION}",
            f"created {self.created}",
            *(head.line() for head in self.heads),
            f"digest {self.digest}",
        ]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "created": self.created,
                "projects": [{"project": h.project, "seq": h.seq, "head": h.hash} for h in self.heads],
                "digest": self.digest}


def make_anchor(store: Any, created: str, project: str | None = None) -> Anchor:
    """The heads of every project (or one), read from the events themselves."""
    if project is not None:
        events = store.events(project)
        heads = [Head(project, events[-1].seq, events[-1].hash)] if events else []
    else:
        heads = [Head(pid, evs[-1].seq, evs[-1].hash)
                 for pid, evs in sorted(group_by_project(store.iter_all_events()).items())]
    return Anchor(created, heads)


class _Bad(Exception):
    """A problem in the anchor file, with the line it is on (0 for the whole file)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def parse_anchor(text: str, source: str = "the anchor file") -> Anchor:
    """Read an anchor (text or JSON form); a malformed, cut-short or altered file is a UsageError."""
    try:
        anchor, claimed = _parse_json(text) if text.lstrip().startswith("{") else _parse_text(text)
    except _Bad as bad:
        where = f"{source}, line {bad.line}" if bad.line else source
        raise UsageError(f"{where}: {bad}",
                         hint="use the file exactly as `coflow verify --anchor` wrote it; "
                              "nothing was checked against the store") from None
    if claimed != anchor.digest:
        raise UsageError(f"{source} does not match its own digest: the file was altered or damaged after it was written",
                         hint="find an unaltered copy (the one in the board papers or the email); "
                              "nothing was checked against the store")
    return anchor


def _check_version(value: Any, line: int) -> None:
    if value != VERSION and value != str(VERSION):
        if str(value).isdigit() and int(value) > VERSION:
            raise _Bad(line, f"it is anchor format version {value}, written by a newer coflow (this one reads {VERSION})")
        raise _Bad(line, f"unknown anchor format version {value!r} (expected {VERSION})")


def _head(project: Any, seq: Any, head: Any, line: int, seen: set[str]) -> Head:
    if not isinstance(project, str) or not PROJECT_ID_RE.match(project):
        raise _Bad(line, f"{project!r} is not a project id")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise _Bad(line, f"the sequence number of {project} should be a whole number from 1, found {seq!r}")
    if not isinstance(head, str) or not _HEX64.match(head):
        raise _Bad(line, f"the head of {project} should be 64 hexadecimal characters, found {head!r} "
                         "(the file may have been cut short)")
    if project in seen:
        raise _Bad(line, f"project {project} appears twice")
    seen.add(project)
    return Head(project, seq, head)


def _parse_text(text: str) -> tuple[Anchor, str]:
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, s) for n, s in lines if s and not s.startswith("#")]
    if not lines:
        raise _Bad(0, "it is empty: there is no anchor in it")
    n, first = lines[0]
    parts = first.split()
    if len(parts) != 2 or parts[0] != FORMAT:
        raise _Bad(n, f"it does not start with '{FORMAT} {VERSION}', so it is not a coflow anchor")
    _check_version(parts[1], n)
    created: str | None = None
    heads: list[Head] = []
    seen: set[str] = set()
    claimed: str | None = None
    for n, line in lines[1:]:
        if claimed is not None:
            raise _Bad(n, "there is more after the digest line, which must be last")
        if line.startswith("created "):
            if created is not None:
                raise _Bad(n, "'created' appears twice")
            created = line[len("created "):].strip()
            if not TIMESTAMP_RE.match(created):
                raise _Bad(n, f"'created' should be a UTC time such as {TIMESTAMP_EXAMPLE}, "
                              f"found {created!r} (the file may have been cut short)")
        elif line.startswith("project "):
            match = _PROJECT_LINE.match(line)
            if not match:
                raise _Bad(n, "a project line should read 'project ID seq NUMBER head HASH' "
                              "(the file may have been cut short)")
            heads.append(_head(match[1], int(match[2]), match[3], n, seen))
        elif line.startswith("digest "):
            claimed = line[len("digest "):].strip()
        else:
            raise _Bad(n, f"unexpected line {line[:60]!r}; expected created, project or digest lines")
    if created is None:
        raise _Bad(0, "it has no 'created' line")
    if claimed is None:
        raise _Bad(0, "it has no digest line at the end: it may have been cut short")
    return Anchor(created, heads), claimed


def _parse_json(text: str) -> tuple[Anchor, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(exc.lineno, f"it is not valid JSON ({exc.msg}, column {exc.colno}); it may have been cut short") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Bad(0, f"it is JSON but not a coflow anchor (expected \"format\": \"{FORMAT}\")")
    _check_version(data.get("version"), 0)
    unknown = sorted(set(data) - {"format", "version", "created", "projects", "digest"})
    if unknown:
        raise _Bad(0, f"unknown keys: {', '.join(unknown)}")
    created = data.get("created")
    if not isinstance(created, str) or not TIMESTAMP_RE.match(created):
        raise _Bad(0, f"\"created\" should be a UTC time such as {TIMESTAMP_EXAMPLE}, found {created!r}")
    projects = data.get("projects")
    if not isinstance(projects, list):
        raise _Bad(0, "\"projects\" should be a list of {\"project\", \"seq\", \"head\"}")
    heads: list[Head] = []
    seen: set[str] = set()
    for index, item in enumerate(projects):
        if not isinstance(item, dict) or set(item) != {"project", "seq", "head"}:
            raise _Bad(0, f"projects[{index}] should have exactly the keys project, seq and head")
        heads.append(_head(item["project"], item["seq"], item["head"], 0, seen))
    claimed = data.get("digest")
    if not isinstance(claimed, str):
        raise _Bad(0, "it has no \"digest\"")
    return Anchor(created, heads), claimed


@dataclass
class Finding:
    """How one anchored project compares with the store now."""

    project: str
    anchored_seq: int
    ok: bool
    message: str
    bad_seq: int | None = None
    later: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"project": self.project, "anchored_seq": self.anchored_seq, "matches": self.ok,
                "first_bad_seq": self.bad_seq, "later_events": self.later, "why": None if self.ok else self.message}


def compare(anchor: Anchor, store: Any, project: str | None = None,
            evidence: dict[str, list[dict]] | None = None) -> list[Finding]:
    """Each anchored head against the store: still there, same hash, chain intact up to it.

    Given an `evidence` dict, each anchored project's evidence_added records are gathered
    into it from the same read (their fingerprints are inside the chain the anchor proves).
    """
    heads = anchor.heads
    if project is not None:
        heads = [h for h in heads if h.project == project]
        if not heads:
            raise UsageError(f"the anchor has no project called {project!r}",
                             hint="leave out the project to check every project the anchor holds")
    rows = {row.id: row for row in store.projects()}
    findings = []
    for head in heads:
        events = store.events(head.project)
        if evidence is not None:
            evidence[head.project] = [e.data for e in events
                                      if e.type == "evidence_added" and isinstance(e.data, dict)]
        findings.append(_compare_one(head, events, rows.get(head.project)))
    return findings


def _compare_one(head: Head, events: list[Event], row: Any) -> Finding:
    def bad(seq: int, message: str) -> Finding:
        return Finding(head.project, head.seq, False, message, seq)

    if not events:
        gone = "all its events are gone" if row is not None else "it is missing from the store"
        return bad(1, f"the anchor saw {head.seq} events, but {gone}")
    broken = check_chain(events, row)
    if broken is not None and broken[0] <= head.seq:
        return bad(broken[0], f"event {broken[0]}: {broken[1]}")
    if len(events) < head.seq:
        return bad(len(events) + 1, f"the anchor saw {head.seq} events but only {len(events)} remain "
                                    f"(events after {len(events)} were removed)")
    if events[head.seq - 1].hash != head.hash:
        return bad(head.seq, f"event {head.seq} is not the event the anchor saw: the history up to it was "
                             "rewritten and its hashes recomputed")
    if broken is not None:
        return bad(broken[0], f"matches the anchor up to event {head.seq}, but later event {broken[0]}: {broken[1]}")
    later = len(events) - head.seq
    return Finding(head.project, head.seq, True, f"matches the anchor at event {head.seq}"
                   + (f" ({later} later event{'s' if later != 1 else ''}, intact)" if later else ""), None, later)


# -- files ----------------------------------------------------------------------------------


def read_file(path: str) -> str:
    """An anchor file's text; a missing, unreadable or binary file is a UsageError (exit 2)."""
    from pathlib import Path

    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"there is no anchor file at {path}",
                         hint="give the path of a file written by `coflow verify --anchor -o FILE`") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not an anchor file") from None
    except UnicodeDecodeError:
        raise UsageError(f"the anchor file {path} is not text, so it is not a coflow anchor",
                         hint="use the file exactly as `coflow verify --anchor` wrote it") from None
    except OSError as exc:
        raise UsageError(f"cannot read the anchor file {path}: {exc.strerror}") from None


def write_file(path: str, content: str) -> None:
    """Write all of `content` or nothing (readable by its owner only, as anchors always were)."""
    from pathlib import Path

    from coflow.files import atomic_write

    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write the anchor to {path}: there is no folder {folder}",
                         hint="create the folder first, or choose another place; nothing was written")
    if target.is_dir():
        raise UsageError(f"{path} is a folder; give a file name such as {target / 'anchor.txt'}")
    try:
        atomic_write(target, content, private=True)
    except OSError as exc:
        raise UsageError(f"cannot write the anchor to {path}: {exc.strerror}",
                         hint="choose a folder you can write to; nothing was written") from None
