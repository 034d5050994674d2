"""Finding and loading workflow files: by path, by id in the configured folders, or shipped."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from coflow.errors import InvalidWorkflow, NotFound
from coflow.sha import sha256_hex
from coflow.workflow.model import Workflow
from coflow.workflow.validate import ParamValidator, Problem, validate_definition

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


@functools.lru_cache(maxsize=1)
def shipped_dir() -> Path:
    """The workflows shipped with coflow: inside the wheel, or the repo's folder in a checkout
    (worked out once per process: where coflow is installed does not move)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "shipped_workflows"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "workflows"


def content_hash(data: bytes) -> str:
    return sha256_hex(data)


def read_file(path: Path) -> bytes:
    """A workflow file's bytes; a missing or unreadable file is NotFound."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no workflow file at {path}", hint="check the path, or give a workflow id") from None
    except IsADirectoryError:
        raise NotFound(f"{path} is a folder, not a workflow file") from None
    except OSError as exc:
        raise NotFound(f"cannot read {path}: {exc.strerror}") from None


def parse_bytes(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse a workflow file's bytes; a syntax error stops here with its line and column."""
    from coflow import toml
    from coflow.events import normalise

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidWorkflow(f"{path}: not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8") from None
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise InvalidWorkflow(f"{path}: invalid TOML: {exc}",
                              hint="fix the syntax at that line and column; strings need quotes") from None
    return normalise(data)


def parse_file(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse one file: (its data, the SHA-256 of its bytes)."""
    raw = read_file(path)
    return parse_bytes(path, raw), content_hash(raw)


def load_file(path: str | os.PathLike, check_types: Mapping[str, ParamValidator | None],
              dirs: list[Path] | None = None) -> Workflow:
    """Load and validate one workflow file; every problem is raised at once as InvalidWorkflow.

    A file with `extends` is merged onto its parent, found by path or by id in `dirs`
    (default: the shipped workflows). A valid workflow is kept for the process and given
    again while its file (and every file it extends) holds the same bytes (coflow.workflow.cache).
    """
    from coflow.workflow import cache

    path = Path(path)
    raw, digest = cache.read_with_digest(path)
    dirs = dirs if dirs is not None else [shipped_dir()]
    key = cache.key(path, check_types, dirs)
    held = cache.loaded(key, digest, check_types, dirs)
    if held is not None:
        return held
    if raw is None:  # known, but not this workflow: the bytes parsed are the bytes hashed
        raw = read_file(path)
        digest = content_hash(raw)
    data = parse_bytes(path, raw)
    meta = data.get("workflow")
    chain: list[tuple[str, str, str, str]] = []
    if isinstance(meta, dict) and "extends" in meta:
        from coflow.workflow.extends import load_extending

        workflow = load_extending(path, data, check_types, dirs, file_hash=digest, chain=chain)
    else:
        problems = validate_definition(data, check_types)
        if problems:
            raise invalid(path, problems)
        workflow = Workflow.from_definition(data, digest, str(path))
    cache.keep(key, digest, check_types, chain, workflow)
    return workflow


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
    """The workflow id of a file, without full validation (for lookup by id); parsed once
    per process while the file holds the same bytes."""
    from coflow.workflow import cache

    try:
        raw, digest = cache.read_with_digest(path)
        known, workflow_id = cache.peeked(path, digest)
        if known:
            return workflow_id
        if raw is None:
            raw = read_file(path)
            digest = content_hash(raw)
    except NotFound:
        return None
    try:
        data = parse_bytes(path, raw)
    except InvalidWorkflow:
        data = {}
    meta = data.get("workflow")
    workflow_id = meta.get("id") if isinstance(meta, dict) else None
    workflow_id = workflow_id if isinstance(workflow_id, str) or workflow_id is None else None
    cache.peek_kept(path, digest, workflow_id)
    return workflow_id


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
