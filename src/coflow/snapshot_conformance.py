"""The conformance tests for a store that keeps snapshots (coflow.snapshot).

Snapshots are optional for a store: one without them works, and folds each project from its
first event. A store that offers them adds this class beside StoreConformance:

    class TestVaultStore(StoreConformance, SnapshotConformance):
        ...
"""

from __future__ import annotations

import pytest

from coflow.storage.base import ProjectRow, Snapshot
from coflow.store_conformance import account_of, append_all, chain

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SnapshotConformance"]


def _row(event: Any) -> ProjectRow:
    return ProjectRow(event.project, "mini", "h", "planning", event.seq, event.hash, event.ts)


class SnapshotConformance:
    """Snapshot tests; the class they are mixed into gives the `store` fixture."""

    def test_a_snapshot_is_saved_with_its_events_and_read_back_exactly(self, store: Any) -> None:
        events = chain("p1", [{"key": "a", "value": 1}, {"key": "b", "value": "Zoë"}], account=account_of(store))
        with store.transaction() as tx:
            tx.events("p1")
            for event in events:
                tx.append(event)
            tx.save_project(_row(events[-1]))
            tx.save_snapshot(Snapshot("p1", 2, events[-1].hash, "fold-1", '{"facts":{"b":"Zoë"}}'))
            assert tx.snapshot("p1") == Snapshot("p1", 2, events[-1].hash, "fold-1", '{"facts":{"b":"Zoë"}}')
        assert store.snapshot("p1") == Snapshot("p1", 2, events[-1].hash, "fold-1", '{"facts":{"b":"Zoë"}}')
        assert store.snapshot("p2") is None
        assert [e.seq for e in store.events_from("p1", 2)] == [2]
        assert store.events_from("p1", 1) == store.events("p1")
        assert store.events_from("p1", 3) == []

    def test_a_snapshot_in_a_transaction_that_fails_is_not_kept(self, store: Any) -> None:
        [event] = chain("p1", [{"key": "a", "value": 1}], account=account_of(store))
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.events("p1")
            tx.append(event)
            tx.save_snapshot(Snapshot("p1", 1, event.hash, "fold-1", "{}"))
            raise RuntimeError("the command failed after writing")
        assert store.snapshot("p1") is None and store.events("p1") == []

    def test_a_snapshot_never_moves_back_to_an_older_seq(self, store: Any) -> None:
        events = chain("p1", [{"key": "a", "value": n} for n in range(3)], account=account_of(store))
        append_all(store, events)
        with store.transaction() as tx:
            tx.save_snapshot(Snapshot("p1", 3, events[2].hash, "fold-1", '{"n":3}'))
        with store.transaction() as tx:
            tx.save_snapshot(Snapshot("p1", 2, events[1].hash, "fold-1", '{"n":2}'))  # a slower writer
        assert store.snapshot("p1").seq == 3

    def test_a_snapshot_offered_outside_a_write_is_kept_only_at_the_head(self, store: Any) -> None:
        events = chain("p1", [{"key": "a", "value": n} for n in range(3)], account=account_of(store))
        append_all(store, events)
        store.offer_snapshot(Snapshot("p1", 2, events[1].hash, "fold-1", "{}"))
        assert store.snapshot("p1") is None  # seq 2 is not the head
        store.offer_snapshot(Snapshot("p1", 3, "0" * 64, "fold-1", "{}"))
        assert store.snapshot("p1") is None  # not the head's hash
        store.offer_snapshot(Snapshot("p1", 3, events[2].hash, "fold-1", '{"n":3}'))
        assert store.snapshot("p1") == Snapshot("p1", 3, events[2].hash, "fold-1", '{"n":3}')

    def test_a_new_store_is_sealed(self, store: Any) -> None:
        assert store.schema_sealed() is True
