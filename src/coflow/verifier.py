"""Checking a store's integrity: every chain recomputed, anchors compared, evidence files
re-hashed. A Writer that can verify; the engine builds on it."""

from __future__ import annotations

from typing import Any

from coflow import events as ev
from coflow.errors import NotFound
from coflow.writer import Writer, check_project_id


class Verifier(Writer):
    """Verify the hash chains, anchors and evidence files of the projects in the store."""

    def verify(self, project_id: str | None = None,
               evidence: dict[str, list[dict]] | None = None) -> dict[str, tuple[int, str] | None]:
        """Recompute every chain: {project: None if intact, else (first bad seq, why)}.

        Pass a dict as `evidence` to have each project's evidence records gathered into it.
        """
        from coflow.anchor import verify_store

        if project_id is not None:
            check_project_id(project_id)
            if not self.store.events(project_id) and self.store.project(project_id) is None:
                raise NotFound(f"there is no project called {project_id!r}",
                               hint="leave out the project to verify every project in the store")
        return verify_store(self.store, project_id, evidence)

    def verify_with_evidence(self, project_id: str | None = None) -> tuple[dict, dict[str, list[dict]]]:
        """The chains (as verify) and, per project, whether each stored evidence file is still
        there with the SHA-256 recorded when it was added."""
        records: dict[str, list[dict]] = {}
        chains = self.verify(project_id, records)
        return chains, self.check_evidence_files({p: records.get(p, []) for p in chains})

    def check_evidence_files(self, records: dict[str, list[dict]]) -> dict[str, list[dict]]:
        """Per project, whether each stored evidence file still has its recorded SHA-256."""
        from coflow.records.evidence import check_files

        return {p: check_files(self, found) for p, found in records.items()}

    def anchor(self, project_id: str | None = None) -> Any:
        """Each project's head (seq and hash) now, to be kept away from the store."""
        from coflow.anchor import make_anchor

        if project_id is not None:
            check_project_id(project_id)
        return make_anchor(self.store, ev.utc_now(), project_id)

    def verify_against(self, anchor: Any, project_id: str | None = None,
                       evidence: dict[str, list[dict]] | None = None) -> list[Any]:
        """Whether each head in an anchor is still in the log, unchanged (later events allowed).

        Pass a dict as `evidence` to have each anchored project's evidence records gathered into it.
        """
        from coflow.anchor import compare

        return compare(anchor, self.store, project_id, evidence)
