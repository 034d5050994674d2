"""Finding and loading workflow files: by path, by id in the configured folders, or shipped."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from coflow.errors import InvalidWorkflow, NotFound
from coflow.workflow.model import Workflow
from coflow.workflow.validate import ParamValidator, Problem, validate_definition


def shipped_dir() -> Path:
    """The workflows shipped with coflow: inside the wheel, or the repo's folder in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "shipped_workflows"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "workflows"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_file(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse one file; a syntax error stops here with its line and column."""
    from coflow import toml
    from coflow.events import normalise

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no workflow file at {path}", hint="check the path, or give a workflow id") from None
    except IsADirectoryError:
        raise NotFound(f"{path} is a folder, not a workflow file") from None
    except OSError as exc:
        raise NotFound(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidWorkflow(f"{path}: not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8") from None
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise InvalidWorkflow(f"{path}: invalid TOML: {exc}",
                              hint="fix the syntax at that line and column; strings need quotes") from None
    return normalise(data), content_hash(raw)


def load_file(path: str | os.PathLike, check_types: Mapping[str, ParamValidator | None],
              dirs: list[Path] | None = None) -> Workflow:
    """Load and validate one workflow file; every problem is raised at once as InvalidWorkflow.

    A file with `extends` is merged onto its parent, found by path or by id in `dirs`
    (default: the shipped workflows).
    """
    path = Path(path)
    data, digest = parse_file(path)
    meta = data.get("workflow")
    if isinstance(meta, dict) and "extends" in meta:
        from coflow.workflow.extends import load_extending

        return load_extending(path, data, check_types, dirs if dirs is not None else [shipped_dir()])
    problems = validate_definition(data, check_types)
    if problems:
        raise invalid(path, problems)
    return Workflow.from_definition(data, digest, str(path))


def invalid(path: Path | str, problems: list[Problem]) -> InvalidWorkflow:
    count = len(problems)
    return InvalidWorkflow(
        f"{path}: {count} problem{'s' if count != 1 else ''} found",
        details=[p.render(str(path)) for p in problems],
        hint="fix these and run `coflow workflow validate` again",
    )


def candidate_files(dirs: Iterable[Path]) -> list[Path]:
    files = []
    for folder in dirs:
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.toml")))
    return files


def peek_id(path: Path) -> str | None:
    """The workflow id of a file, without full validation (for lookup by id)."""
    try:
        data, _ = parse_file(path)
    except (InvalidWorkflow, NotFound):
        return None
    meta = data.get("workflow")
    return meta.get("id") if isinstance(meta, dict) else None


def find(ref: str, dirs: list[Path]) -> Path:
    """Resolve a --workflow value: a path to a .toml file, or an id looked up in `dirs` in order."""
    as_path = Path(ref)
    if ref.endswith(".toml") or os.sep in ref or "/" in ref:
        if as_path.is_file():
            return as_path
        raise NotFound(f"no workflow file at {ref}", hint="check the path, or give a workflow id (see `coflow workflow list`)")
    for folder in dirs:
        direct = folder / f"{ref}.toml"
        if direct.is_file() and peek_id(direct) == ref:
            return direct
    for path in candidate_files(dirs):
        if peek_id(path) == ref:
            return path
    raise NotFound(f"no workflow with id {ref!r}", hint="see `coflow workflow list` for the workflows coflow can find")
