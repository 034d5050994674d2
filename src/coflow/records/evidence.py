"""Evidence: documents that show the work was done (ground rules, minutes, board reports).

A file is copied into the store's evidence folder under its sha256, so the record keeps
pointing at exactly the document that was added; a reference or URL can stand instead.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from coflow.errors import NotFound, UsageError
from coflow.records.ids import Ids
from coflow.records.reducers import EVIDENCE_ADDED, EVIDENCE_UPDATED, EVIDENCE_WITHDRAWN
from coflow.records.values import about, blank, day, name, text

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

CHUNK = 1 << 20


def evidence_dir(engine: ProjectWriter) -> Path:
    return Path(engine.config.state_dir) / "evidence"


def stored_path(engine: ProjectWriter, sha256: str) -> Path:
    """Where the copy of a piece of evidence lives."""
    return evidence_dir(engine) / sha256


def max_bytes(engine: ProjectWriter) -> int:
    """The largest evidence file coflow copies in (coflow.toml's evidence_max_mb)."""
    from coflow.records.evidence_files import DEFAULT_MAX_MB

    return int(float(getattr(engine.config, "evidence_max_mb", DEFAULT_MAX_MB)) * 1048576)


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_in(engine: ProjectWriter, file: str | os.PathLike) -> str:
    """Copy an ordinary file into the evidence folder under its sha256 (once); return the sha256.

    Symbolic links, FIFOs, devices and folders are refused unread; so is a file over the
    size limit, which is also enforced while copying (a file that grows is stopped).
    """
    from coflow.records import evidence_files

    limit = max_bytes(engine)
    fd, _size = evidence_files.open_regular(file, limit)
    folder = evidence_dir(engine)
    try:
        return evidence_files.copy_in(fd, str(file), folder, limit, getattr(engine.config, "group", None))
    except OSError as exc:
        raise UsageError(f"could not copy {file} into the evidence folder: {exc.strerror}",
                         hint=f"check there is space and that {folder} can be written") from None
    finally:
        os.close(fd)


def make_evidence(fields: Mapping[str, Any], ids: Ids, sha256: str | None) -> dict[str, Any]:
    return {
        "id": ids.given_or_new(fields.get("id")),
        "kind": name(fields.get("kind"), "kind", required=True, example="ground-rules"),
        "title": text(fields.get("title"), "title", max_len=200),
        "file": Path(str(fields["file"])).name if not blank(fields.get("file")) else None,
        "sha256": sha256,
        "stored": f".coflow/evidence/{sha256}" if sha256 else None,
        "ref": text(fields.get("ref"), "ref", max_len=500),
        "date": day(fields.get("date"), "date", default_today=True),
    }


def add(engine: ProjectWriter, project: str, actor: str, **fields: Any) -> dict[str, Any]:
    """Add a piece of evidence: exactly one of a file (copied in) or a reference."""
    has_file, has_ref = not blank(fields.get("file")), not blank(fields.get("ref"))
    if has_file == has_ref:
        raise UsageError("evidence needs either a file or a reference" if not has_file
                         else "give either a file or a reference, not both",
                         hint="--file minutes.pdf copies the document in; --ref \"https://...\" points at it")
    with about("new evidence"):
        make_evidence(fields, Ids("E", []), None)  # check the fields before copying anything
    engine.get(project)  # an unknown project is reported before a file is copied
    sha256 = copy_in(engine, fields["file"]) if has_file else None

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        with about("new evidence"):
            return make_evidence(fields, Ids("E", state.evidence), sha256)

    event, state = engine.change(project, actor, EVIDENCE_ADDED, build)
    return dict(state.evidence[event.data["id"]])


# What a check of a stored evidence file can find; the words are the ones reports and verify show.
FILE_MATCHES, FILE_MISSING, FILE_CHANGED, FILE_UNREADABLE = "matches", "missing", "changed", "unreadable"
FILE_PROBLEMS = {
    FILE_MISSING: "the stored copy of the file is missing from the evidence folder",
    FILE_CHANGED: "the stored copy of the file has changed since it was recorded (its SHA-256 fingerprint no longer matches)",
    FILE_UNREADABLE: "the stored copy of the file cannot be read",
}


def stored_file_status(folder: Path, sha256: str) -> str:
    """Whether the copy kept under `sha256` is still there with exactly the bytes recorded."""
    try:
        return FILE_MATCHES if _sha256(folder / sha256) == sha256 else FILE_CHANGED
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return FILE_MISSING
    except OSError:
        return FILE_UNREADABLE


def check_files(engine: ProjectWriter, records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One result per piece of evidence kept as a file (references have nothing to check).

    Each file is read once however many records point at it, so verify stays quick.
    """
    folder = evidence_dir(engine)
    seen: dict[str, str] = {}
    results = []
    for record in records:
        sha256 = record.get("sha256")
        if not isinstance(sha256, str) or not sha256:
            continue
        if sha256 not in seen:
            seen[sha256] = stored_file_status(folder, sha256)
        status = seen[sha256]
        results.append({"id": record.get("id"), "file": record.get("file"), "sha256": sha256, "status": status,
                        "why": FILE_PROBLEMS.get(status)})
    return results


CORRECTABLE = ("kind", "title", "ref", "date")


def _reason(reason: Any) -> str:
    given = text(reason, "reason", max_len=500)
    if not given:
        raise UsageError("a correction or withdrawal of evidence needs a reason, and it is kept in the history",
                         hint="add --reason \"what was wrong\" (no names or personal details)")
    return given


def correct(engine: ProjectWriter, project: str, actor: str, item: str, reason: Any,
            **fields: Any) -> tuple[dict[str, Any], bool]:
    """Correct what was recorded about a piece of evidence (kind, title, reference, date);
    the record keeps each correction with the values it replaced. A stored file is never
    swapped: withdraw the item and add the right file instead. Returns (record, changed)."""
    given = {k: v for k, v in fields.items() if k in CORRECTABLE and v is not None}
    if not given:
        raise UsageError(f"nothing to correct for evidence {item}",
                         hint="give what was wrong, such as --title \"Minutes of 4 March\" or --kind minutes")
    why = _reason(reason)

    def build(state: Any, view: Any, tx: Transaction) -> dict | None:
        record = find(state, item)
        if record.get("withdrawn"):
            raise UsageError(f"evidence {item} was withdrawn, so it cannot be corrected",
                             hint=f"add the right evidence with `coflow evidence add {project}`")
        with about(f"evidence {item}"):
            if "ref" in given and record.get("sha256"):
                raise UsageError(f"evidence {item} is a stored file, so it has no reference to correct",
                                 hint="withdraw it and add the right file or reference instead")
            checked = {"kind": lambda v: name(v, "kind", required=True, example="ground-rules"),
                       "title": lambda v: text(v, "title", max_len=200),
                       "ref": lambda v: text(v, "ref", max_len=500),
                       "date": lambda v: day(v, "date")}
            changes = {k: checked[k](v) for k, v in given.items()}
        changes = {k: v for k, v in changes.items() if record.get(k) != v}
        return {"id": item, "changes": changes, "reason": why} if changes else None

    event, state = engine.change(project, actor, EVIDENCE_UPDATED, build)
    return dict(state.evidence[item]), event is not None


def withdraw(engine: ProjectWriter, project: str, actor: str, item: str, reason: Any) -> dict[str, Any]:
    """Withdraw a piece of evidence added by mistake: it stays in the history and the
    report (marked withdrawn, with the reason), and no check counts it any more."""
    why = _reason(reason)

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        record = find(state, item)
        if record.get("withdrawn"):
            raise UsageError(f"evidence {item} is already withdrawn", hint=f"see `coflow evidence list {project}`")
        return {"id": item, "reason": why}

    _event, state = engine.change(project, actor, EVIDENCE_WITHDRAWN, build)
    return dict(state.evidence[item])


def listing_for(engine: ProjectWriter, project: str, kind: str | None = None) -> list[dict[str, Any]]:
    state = engine.get(project)
    return [dict(e) for e in state.evidence.values() if kind is None or e["kind"] == kind]


def find(state: Any, evidence: str) -> dict[str, Any]:
    record = state.evidence.get(evidence)
    if record is None:
        raise NotFound(f"project {state.id} has no evidence {evidence!r}", hint=f"see `coflow evidence list {state.id}`")
    return record
