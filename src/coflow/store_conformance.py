"""The store conformance suite: what every coflow store must do, as pytest tests.

coflow's SQLite and PostgreSQL stores run it, and so can a store plugin, from its own tests::

    import pytest
    from coflow.testing import StoreConformance

    class TestVaultStore(StoreConformance):
        @pytest.fixture
        def store_url(self, tmp_path):
            return f"vault://{tmp_path}/team-a"   # a place where a fresh, empty store can be made

Each test opens the store the way coflow does: through the factory registered for the URL's
scheme (your plugin must be installed, or registered with the ``coflow_plugin`` fixture in an
autouse fixture), passing ``create=True`` for a new store and ``busy_timeout`` where the test
needs it (a factory is given only the options it accepts). Override ``open_store(url,
**options)`` to open it some other way. The events the tests write carry hashes coflow
computed; a store must give every one back exactly as written (docs/storage.md).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest

from coflow.errors import ConcurrentChange, StoreBusy
from coflow.events import GENESIS_HASH, Event, first_break
from coflow.storage.base import ProjectRow, Store

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TRICKY", "StoreConformance", "account_of", "append_all", "chain", "hold_transaction"]


def chain(project: str, datas: list[dict[str, Any]], start: int = 1, prev: str = GENESIS_HASH,
          account: str | None = None) -> list[Event]:
    """Events as coflow writes them; `account` is the store's (see `account_of`)."""
    events = []
    for seq, data in enumerate(datas, start=start):
        event = Event.make(project, seq, "tester", "fact_recorded", data, prev,
                           ts=f"2026-03-04T10:00:{seq:02d}.000001Z", account=account)
        events.append(event)
        prev = event.hash
    return events


def account_of(store: Store) -> str | None:
    """The account a store records as writing (its `account`; a database may fill it in
    itself, so events are made with it); None for a store that does not say."""
    return getattr(store, "account", None)


def append_all(store: Store, events: list[Event]) -> None:
    for event in events:
        with store.transaction() as tx:
            tx.events(event.project)
            tx.append(event)


TRICKY: list[dict[str, Any]] = [
    {"key": "name_free", "value": "Zoë Ñandú — 😀 \u2028 \"quoted\" back\\slash"},
    {"key": "budget", "value": 750.0},
    {"key": "tiny", "value": 1e-7, "big": 12345678901234567890, "neg": -0.5},
    {"key": "nested", "value": {"z": [1, 2.5, None, True, False], "a": {"é": "ü"}}},
    {"key": "date", "value": dt.date(2026, 3, 4)},
    {"key": "empty", "value": "", "list": []},
]


def hold_transaction(store: Store, project: str, locked: threading.Event, seconds: float,
                     append: Event | None = None) -> threading.Thread:
    """In a thread: lock `project` as an advance does, keep it `seconds`, then commit."""

    def work() -> None:
        with store.transaction() as tx:
            tx.events(project)
            if append is not None:
                tx.append(append)
            locked.set()
            time.sleep(seconds)

    thread = threading.Thread(target=work)
    thread.start()
    assert locked.wait(10)
    return thread






@pytest.mark.postgres


def open_registered(url: str, **options: Any) -> Store:
    """Open `url` with the store factory registered for its scheme, as coflow does."""
    from coflow.errors import StoreError
    from coflow.plugins import PluginManager

    scheme = url.split("://", 1)[0].split("+", 1)[0]
    storage = PluginManager().registry().storage
    if scheme not in storage:
        raise StoreError(f"no store is registered for {scheme}:// URLs",
                         hint="install the store plugin, or register it with the coflow_plugin fixture")
    factory, _owner = storage[scheme]
    return factory(url, **options)


class StoreConformance:
    """Subclass as ``Test...`` and give a ``store_url`` fixture; pytest runs every test below."""

    @pytest.fixture
    def store_url(self) -> str:
        raise NotImplementedError("give the conformance suite a store_url fixture: the URL of a fresh, empty store")

    def open_store(self, url: str, **options: Any) -> Store:
        """Open the store at `url` (created if missing unless create=False is given)."""
        options.setdefault("create", True)
        return open_registered(url, **options)

    @pytest.fixture
    def store(self, store_url: str) -> Iterator[Store]:
        opened = self.open_store(store_url, busy_timeout=5)
        yield opened
        opened.close()

    def test_events_read_back_exactly_as_written_and_their_chain_verifies(self, store: Store) -> None:
        events = chain("p1", TRICKY, account=account_of(store))
        append_all(store, events)
        read = store.events("p1")
        assert read == events
        assert first_break(read) is None
        assert [e.hash for e in store.iter_all_events()] == [e.hash for e in events]


    def test_append_with_a_taken_sequence_number_raises_concurrent_change_and_writes_nothing(self, store: Store) -> None:
        first = chain("p1", [{"key": "a", "value": 1}], account=account_of(store))
        append_all(store, first)
        rival = Event.make("p1", 1, "other", "fact_recorded", {"key": "b", "value": 2}, GENESIS_HASH,
                           account=account_of(store))
        with pytest.raises(ConcurrentChange) as caught, store.transaction() as tx:
            tx.put_personal("p1", "P-001", {"name": "Ada"})
            tx.append(rival)
        assert caught.value.exit_code == 4
        assert store.events("p1") == first
        assert store.get_personal("p1", "P-001") is None  # the whole transaction was rolled back


    def test_an_error_inside_a_transaction_writes_nothing(self, store: Store) -> None:
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.append(chain("p1", [{"key": "a", "value": 1}], account=account_of(store))[0])
            tx.save_project(ProjectRow("p1", "mini", "h", "planning", 1, "x", "2026-01-01T00:00:00.000000Z"))
            tx.put_personal("p1", "P-001", {"name": "Ada"})
            tx.add_outbox("p1", 1, "email", {"event": 1})
            raise RuntimeError("the check crashed")
        assert store.events("p1") == []
        assert store.project("p1") is None
        assert store.get_personal("p1", "P-001") is None
        assert store.outbox() == []


    def test_project_rows_are_upserted_and_listed_in_code_point_order(self, store: Store) -> None:
        with store.transaction() as tx:
            for pid in ("b-2", "B-1", "a"):
                tx.save_project(ProjectRow(pid, "mini", "h1", "planning", 1, "x", "2026-01-01T00:00:00.000000Z"))
            tx.save_project(ProjectRow("a", "mini", "h2", "delivery", 5, "y", "2026-01-02T00:00:00.000000Z"))
        assert [r.id for r in store.projects()] == ["B-1", "a", "b-2"]
        assert store.project("a") == ProjectRow("a", "mini", "h2", "delivery", 5, "y", "2026-01-02T00:00:00.000000Z")
        assert store.project("nope") is None


    def test_every_project_is_read_with_its_row_and_events_in_id_order_a_page_at_a_time(self, store: Store) -> None:
        """`status` and `report --all` read projects through coflow.storage.paging: the store's
        own project_histories(page) when it has one, else one project at a time."""
        from coflow.storage.paging import project_histories

        assert list(project_histories(store, 2)) == []
        account = account_of(store)
        with_rows = {"b-2": 2, "B-1": 1, "a": 3, "a-0": 1, "zé": 2, "z": 1}
        for pid, count in with_rows.items():
            events = chain(pid, [{"key": "k", "value": n} for n in range(count)], account=account)
            append_all(store, events)
            with store.transaction() as tx:
                tx.save_project(ProjectRow(pid, "mini", "h1", "planning", count, events[-1].hash,
                                           "2026-01-01T00:00:00.000000Z"))
        append_all(store, chain("c-events-only", [{"key": "k", "value": 1}], account=account))
        with store.transaction() as tx:
            tx.save_project(ProjectRow("d-row-only", "mini", "h1", "planning", 1, "x", "2026-01-01T00:00:00.000000Z"))
        ids = ["B-1", "a", "a-0", "b-2", "c-events-only", "d-row-only", "z", "zé"]  # code point order
        expected = [(pid, store.project(pid), store.events(pid)) for pid in ids]
        assert expected[4][1] is None and expected[5][2] == []
        for page in (1, 2, 3, 500):
            assert list(project_histories(store, page)) == expected, f"pages of {page}"

    def test_workflow_definitions_keep_their_key_order_and_the_first_copy(self, store: Store) -> None:
        definition = {"workflow": {"id": "w"}, "stages": {"zeta": {}, "alpha": {}, "mid": {"é": 1.5}}}
        with store.transaction() as tx:
            tx.save_workflow("h1", "w", "1", definition)
            tx.save_workflow("h1", "w", "1", {"replaced": True})  # same content hash: kept as first written
        read = store.workflow_definition("h1")
        assert read == definition and list(read["stages"]) == ["zeta", "alpha", "mid"]
        assert store.workflow_definition("missing") is None


    def test_personal_data_is_put_replaced_and_deleted(self, store: Store) -> None:
        with store.transaction() as tx:
            tx.put_personal("p1", "P-001", {"name": "Ada Ó", "email": "ada@example.org"})
            tx.put_personal("p1", "P-002", {"name": "Grace"})
            tx.put_personal("p2", "P-001", {"name": "Other project"})
        with store.transaction() as tx:
            tx.put_personal("p1", "P-001", {"name": "Ada Ó", "phone": "0100"})
        assert store.get_personal("p1", "P-001") == {"name": "Ada Ó", "phone": "0100"}
        assert store.personal_for_project("p1") == {"P-001": {"name": "Ada Ó", "phone": "0100"},
                                                    "P-002": {"name": "Grace"}}
        with store.transaction() as tx:
            assert tx.delete_personal("p1", "P-001") is True
            assert tx.delete_personal("p1", "P-001") is False
        assert store.get_personal("p1", "P-001") is None
        assert store.get_personal("p2", "P-001") == {"name": "Other project"}
        assert store.personal_for_project("p1") == {"P-002": {"name": "Grace"}}
        assert store.personal_for_project("p2") == {"P-001": {"name": "Other project"}}
        assert store.personal_for_project("nobody") == {}


    def test_every_store_has_every_method_the_store_protocol_names(self, store: Store) -> None:
        from coflow.storage.base import Store, Transaction

        def methods(protocol: type) -> set[str]:
            return {name for name, value in vars(protocol).items() if callable(value) and not name.startswith("_")}

        assert "personal_for_project" in methods(Store)
        assert [m for m in sorted(methods(Store)) if not callable(getattr(store, m, None))] == []
        with store.transaction() as tx:
            assert [m for m in sorted(methods(Transaction)) if not callable(getattr(tx, m, None))] == []


    def test_outbox_items_are_added_listed_and_marked(self, store: Store) -> None:
        with store.transaction() as tx:
            first = tx.add_outbox("p1", 3, "email", {"event": {"type": "advanced"}, "notify_index": 0})
            second = tx.add_outbox("p1", 4, "webhook", {"event": {"type": "blocked"}, "notify_index": 1})
        assert second > first
        pending = store.outbox("pending")
        assert [(i.id, i.seq, i.notifier, i.status, i.attempts) for i in pending] == [
            (first, 3, "email", "pending", 0), (second, 4, "webhook", "pending", 0)]
        assert pending[0].payload == {"event": {"type": "advanced"}, "notify_index": 0}
        store.mark_outbox(first, delivered=True)
        store.mark_outbox(second, delivered=False, error="server said 503")
        store.mark_outbox(second, delivered=False, error="timed out")
        assert [i.id for i in store.outbox("pending")] == []
        delivered, = store.outbox("delivered")
        failed, = store.outbox("failed")
        assert (delivered.id, delivered.attempts, delivered.last_error) == (first, 1, None)
        assert delivered.delivered is not None
        assert (failed.id, failed.attempts, failed.last_error, failed.delivered) == (second, 2, "timed out", None)
        assert len(store.outbox()) == 2


    def test_a_store_reopens_with_its_contents(self, store_url: str) -> None:
        first = self.open_store(store_url)
        append_all(first, chain("p1", [{"key": "a", "value": 1}], account=account_of(first)))
        first.close()
        again = self.open_store(store_url, create=False)
        assert [e.seq for e in again.events("p1")] == [1]
        again.close()


    def test_a_writer_waits_for_the_one_before_and_then_sees_its_event(self, store_url: str) -> None:
        holder, waiter = self.open_store(store_url), self.open_store(store_url, busy_timeout=20)
        first = chain("p1", [{"key": "a", "value": 1}], account=account_of(holder))[0]
        thread = hold_transaction(holder, "p1", threading.Event(), 0.5, append=first)
        started = time.monotonic()
        with waiter.transaction() as tx:
            seen = tx.events("p1")
        waited = time.monotonic() - started
        thread.join()
        assert seen == [first]
        assert waited >= 0.3
        holder.close()
        waiter.close()


    def test_a_store_busy_beyond_busy_timeout_raises_store_busy(self, store_url: str) -> None:
        holder, waiter = self.open_store(store_url), self.open_store(store_url, busy_timeout=0.4)
        thread = hold_transaction(holder, "p1", threading.Event(), 2.0)
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught, waiter.transaction() as tx:
            tx.events("p1")
        waited = time.monotonic() - started
        gave_up_while_still_locked = thread.is_alive()
        thread.join()
        assert caught.value.exit_code == 4
        assert waited >= 0.3 and gave_up_while_still_locked
        holder.close()
        waiter.close()
