"""`extends`: a workflow built on another, so an organisation keeps the shipped improvements.

The child file says only what differs: changed stage fields, checks replaced by giving the
parent's check id, new checks, `drop_checks`, new stages (`after = "training"`, or reached by
`next`), and `drop_stages` in [workflow] with the chain of `next` mended. The merged result is
an ordinary workflow definition, validated in full; every problem names the file it comes
from (child or parent) and the key path in that file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from coflow.errors import InvalidWorkflow, NotFound
from coflow.workflow.merge import Provenance, Resolved, merge
from coflow.workflow.validate import ParamValidator, Problem, validate_definition

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def resolved_hash(definition: dict[str, Any], parents: list[dict[str, str]] | tuple = ()) -> str:
    """The pinned hash of a merged workflow: its definition with sorted keys, the order of
    its stages (the one order that means something), and each parent's id, version and file
    hash. Like a plain workflow's file hash, any change to a file it is built from gives a
    new hash, so `status` and `migrate` agree on whether there is something to take up."""
    stages = definition.get("stages")
    order = list(stages) if isinstance(stages, dict) else []
    lineage = [[p.get("id"), p.get("version"), p.get("hash")] for p in parents]
    text = json.dumps([definition, order, lineage], ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_path(ref: str) -> bool:
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def find_parent(ref: str, child: Path, dirs: list[Path]) -> Path | None:
    """A path (relative to the child's folder) or an id in `dirs`; the child itself is skipped,
    so a file may extend the shipped workflow whose id it takes over."""
    from coflow.workflow.loader import candidate_files, peek_id

    if _is_path(ref):
        found = (child.parent / ref) if not Path(ref).is_absolute() else Path(ref)
        return found if found.is_file() else None
    me = child.resolve()
    for folder in dirs:
        direct = folder / f"{ref}.toml"
        if direct.is_file() and direct.resolve() != me and peek_id(direct) == ref:
            return direct
    for path in candidate_files(dirs):
        if path.resolve() != me and peek_id(path) == ref:
            return path
    return None


def resolve(path: Path, data: dict[str, Any], check_types: Mapping[str, ParamValidator | None],
            dirs: list[Path], chain: tuple[Path, ...] = (),
            links: list[tuple[str, str, str, str]] | None = None) -> Resolved:
    """Merge `data` (parsed from `path`, which has `extends`) onto its parent chain and
    validate the result; raise InvalidWorkflow with every problem, each naming its file.

    `links` collects (file, its `extends`, the parent file found, the parent's SHA-256) for
    each step of the chain: what a kept copy of the merged workflow depends on."""
    from coflow.workflow.loader import invalid, parse_file

    file = str(path)
    chain = (*chain, path.resolve())
    ref = data["workflow"]["extends"]
    if not isinstance(ref, str) or not ref.strip():
        raise invalid(path, [Problem("workflow.extends", f"expected the id or path of a workflow, found {ref!r}",
                                     "such as extends = \"coproduction\" (see `coflow workflow list`)")])
    parent_path = find_parent(ref, path, dirs)
    if parent_path is None:
        what = f"no workflow file at {ref}" if _is_path(ref) else f"there is no workflow with id {ref!r}"
        hint = ("a path is read from the folder of this file" if _is_path(ref)
                else "see `coflow workflow list` for the ids coflow can find, or give the parent's path")
        raise invalid(path, [Problem("workflow.extends", what, hint)])
    if parent_path.resolve() in chain:
        loop = " extends ".join(str(p) for p in (*chain, parent_path.resolve()))
        raise invalid(path, [Problem("workflow.extends", f"the workflows extend each other in a loop: {loop}",
                                     "one of them must stop extending the other")])
    parent_data, parent_digest = parse_file(parent_path)
    if links is not None:
        links.append((str(path), ref, str(parent_path), parent_digest))
    parent_meta = parent_data.get("workflow")
    try:
        if isinstance(parent_meta, dict) and "extends" in parent_meta:
            parent = resolve(parent_path, parent_data, check_types, dirs, chain, links)
        else:
            problems = validate_definition(parent_data, check_types)
            if problems:
                raise invalid(parent_path, problems)
            parent = Resolved(parent_data, Provenance(str(parent_path)), [])
    except InvalidWorkflow as exc:
        raise InvalidWorkflow(f"{path}: the workflow it extends ({parent_path}) is not valid",
                              details=exc.details or [exc.message], hint=exc.hint) from None
    meta = parent.definition["workflow"]
    record = {"id": meta["id"], "version": str(meta["version"]), "hash": parent_digest,
              "path": str(parent_path.resolve())}
    merged, provenance, problems = merge(parent, data, file)
    if problems:
        raise _located(path, problems, "fix these first; the merged workflow is checked after")
    found = validate_definition(merged, check_types)
    if found:
        raise _located(path, [_relocate(p, provenance) for p in found], None)
    return Resolved(merged, provenance, [record, *parent.parents])


def _relocate(problem: Problem, provenance: Provenance) -> Problem:
    file, origin = provenance.locate(problem.path) if problem.path else (provenance.default_file, "")
    return Problem(origin, problem.message, problem.hint, file=file)


def _located(path: Path, problems: list[Problem], note: str | None) -> InvalidWorkflow:
    count = len(problems)
    return InvalidWorkflow(f"{path}: {count} problem{'s' if count != 1 else ''} found",
                           details=[p.render(str(path)) for p in problems],
                           hint=note or "fix these and run `coflow workflow validate` again")


def load_extending(path: Path, data: dict, check_types: Mapping[str, ParamValidator | None],
                   dirs: list[Path], file_hash: str | None = None,
                   chain: list[tuple[str, str, str, str]] | None = None) -> Any:
    """The Workflow model of a file with `extends`, its parents recorded (`file_hash`: the
    SHA-256 of the file's bytes when the caller has it; `chain` collects the links, see resolve)."""
    from coflow.workflow.loader import content_hash
    from coflow.workflow.model import Workflow

    try:
        resolved = resolve(path, data, check_types, dirs, links=chain)
    except NotFound as exc:  # a parent's file vanished between finding and reading it
        raise InvalidWorkflow(f"{path}: workflow.extends: {exc.message}", hint=exc.hint) from None
    digest = resolved_hash(resolved.definition, resolved.parents)
    return Workflow.from_definition(resolved.definition, digest, str(path),
                                    file_hash=file_hash or content_hash(path.read_bytes()),
                                    parents=tuple(resolved.parents))
