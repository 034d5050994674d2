"""Checking a store's integrity: every chain recomputed, anchors compared, evidence files
re-hashed. A Writer that can verify; the engine builds on it."""

from __future__ import annotations

from coflow import events as ev
from coflow.errors import NotFound
from coflow.writer import Writer, check_project_id

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

SNAPSHOT_CHANGED = ("the saved state of the project (a copy of what its history adds up to, kept so commands "
                    "start fast) does not match its history, so it was changed outside coflow; it has been "
                    "rebuilt from the history, which is intact")


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
        chains = verify_store(self.store, project_id, evidence)
        self._check_snapshots(chains, whole_store=project_id is None)
        return chains

    def _check_snapshots(self, chains: dict[str, tuple[int, str] | None], whole_store: bool) -> None:
        """Each intact project's snapshot against its history, folded again: one that does not
        match was changed outside coflow (reported, like a break); one made by other reducers is
        stale. Both, and missing ones, are rebuilt when the store can be written. When the whole
        store verified, its tables are sealed again (coflow.snapshot)."""
        from coflow.snapshot import same

        reader = getattr(self.store, "snapshot", None)
        offer = getattr(self.store, "offer_snapshot", None)
        if reader is None:
            return
        for pid, broken in chains.items():
            if broken is not None:
                continue
            events = self.store.events(pid)
            snap = reader(pid)
            if snap is not None and snap.fold == self.fold_id:
                upto = self.fold(pid, [e for e in events if e.seq <= snap.seq])
                # one whose head is no longer in the chain is only stale; the chain was checked above
                if upto.seq == snap.seq and upto.head_hash == snap.head_hash and not same(upto, snap.state):
                    chains[pid] = (snap.seq, SNAPSHOT_CHANGED)
            if offer is not None and events and (snap is None or snap.seq != events[-1].seq
                                                 or snap.fold != self.fold_id or chains[pid] is not None):
                rebuilt = self._snapshot_of(self.fold(pid, events))
                if rebuilt is not None:
                    offer(rebuilt)
        seal = getattr(self.store, "seal_schema", None)
        if whole_store and seal is not None and all(v is None for v in chains.values()):
            seal()

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
