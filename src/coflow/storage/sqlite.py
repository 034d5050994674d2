"""The embedded default store: one SQLite file, WAL, synchronous=FULL.

An audit log must survive power loss, so every commit is fully synced. Writers take
BEGIN IMMEDIATE, so racing commands queue for up to busy_timeout instead of both landing.
A file that is not a coflow store is reported and never modified.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coflow.errors import ConcurrentChange, StoreBusy, StoreError
from coflow.events import Event
from coflow.storage import common
from coflow.storage.base import OutboxItem, ProjectRow, Snapshot
from coflow.storage.common import APP_ID, EVENT_COLUMNS, PROJECT_COLUMNS, SCHEMA_VERSION, row_event

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    project TEXT NOT NULL, seq INTEGER NOT NULL, ts TEXT NOT NULL, actor TEXT NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, account TEXT,
    PRIMARY KEY (project, seq)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'coflow events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'coflow events are append-only'); END;
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, workflow_hash TEXT NOT NULL,
    stage TEXT NOT NULL, seq INTEGER NOT NULL, head_hash TEXT NOT NULL, updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workflows (
    hash TEXT PRIMARY KEY, id TEXT NOT NULL, version TEXT NOT NULL, definition TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS personal (
    project TEXT NOT NULL, participant TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (project, participant)
);
CREATE TABLE IF NOT EXISTS snapshots (
    project TEXT PRIMARY KEY, seq INTEGER NOT NULL, head_hash TEXT NOT NULL, fold TEXT NOT NULL, state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, seq INTEGER NOT NULL,
    notifier TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, created TEXT NOT NULL, delivered TEXT
);
"""


def path_from_url(url: str, base: Path | None = None) -> Path:
    """sqlite:///relative/path is relative to `base` (coflow.toml's folder); sqlite:////abs is absolute."""
    rest = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    if rest.startswith("/"):
        rest = rest[1:]
    path = Path(rest)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


class _SqliteTransaction:
    def __init__(self, conn: sqlite3.Connection, account: str | None = None):
        self.conn = conn
        self.erased = False
        self.account = account

    def events(self, project: str) -> list[Event]:
        rows = self.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE project = ? ORDER BY seq", (project,))
        return [row_event(r) for r in rows]

    def append(self, event: Event) -> None:
        try:
            self.conn.execute(common.APPEND_EVENT, common.event_params(event))
        except sqlite3.IntegrityError:
            raise ConcurrentChange(f"project {event.project} changed while this command ran",
                                   hint="run the command again") from None

    def save_project(self, row: ProjectRow) -> None:
        self.conn.execute(common.SAVE_PROJECT, common.project_params(row))

    def save_workflow(self, content_hash: str, workflow_id: str, version: str, definition: dict) -> None:
        self.conn.execute(common.SAVE_WORKFLOW, common.workflow_params(content_hash, workflow_id, version, definition))

    def put_personal(self, project: str, participant: str, data: dict) -> None:
        self.conn.execute(common.PUT_PERSONAL, common.personal_params(project, participant, data))

    def delete_personal(self, project: str, participant: str) -> bool:
        cur = self.conn.execute("DELETE FROM personal WHERE project = ? AND participant = ?", (project, participant))
        self.erased = self.erased or cur.rowcount > 0
        return cur.rowcount > 0

    def add_outbox(self, project: str, seq: int, notifier: str, payload: dict) -> int:
        cur = self.conn.execute(common.ADD_OUTBOX, common.outbox_params(project, seq, notifier, payload))
        assert cur.lastrowid is not None  # an INSERT always sets it
        return cur.lastrowid

    def events_from(self, project: str, seq: int) -> list[Event]:
        return [row_event(r) for r in self.conn.execute(common.EVENTS_FROM, (project, seq))]

    def snapshot(self, project: str) -> Snapshot | None:
        row = self.conn.execute(common.READ_SNAPSHOT, (project,)).fetchone()
        return common.row_snapshot(row) if row else None

    def save_snapshot(self, snapshot: Snapshot) -> None:
        self.conn.execute(common.SAVE_SNAPSHOT, common.snapshot_params(snapshot))


class SqliteStore:
    """coflow's embedded store. `url` is sqlite:///path (relative to coflow.toml's folder)."""

    def __init__(self, url: str, base: Path | None = None, busy_timeout: float = 30.0, create: bool = True):
        self.url = url
        self.path = path_from_url(url, base)
        self.busy_timeout = busy_timeout
        self._wait_ms = int(busy_timeout * 1000)  # the busy timeout set on the connection, in ms (as opened)
        self._sealed_cookie: int | None = None  # the schema cookie at which the schema was last found sealed
        self.conn = self._open(create)

    @staticmethod
    def exists(url: str, base: Path | None = None) -> bool:
        return path_from_url(url, base).exists()

    # -- opening ---------------------------------------------------------------------------

    def _open(self, create: bool) -> sqlite3.Connection:
        exists = self.path.exists()
        if exists and self.path.is_dir():
            raise StoreError(f"the store path {self.path} is a folder, not a coflow store")
        if not exists and not create:
            raise StoreError(f"there is no coflow store at {self.path}",
                             hint="check `store` in coflow.toml (or COFLOW_STORE); "
                                  "`coflow init` creates the store if coflow.toml is already there")
        if not exists:
            try:  # a new store (and a new folder for it) is readable by its owner only
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(f"cannot create the store folder {self.path.parent}: {exc.strerror}") from None
        # A store this account may not change (the file, or its folder, where SQLite keeps its
        # journal) is opened read-only: reading commands work, changes are refused (exit 5).
        self.read_only = exists and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        mode = "ro" if self.read_only else "rw" if exists else "rwc"
        conn = self._connect(mode)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            conn.close()
            if self.read_only and "unable to open" in str(exc):
                raise StoreError(f"the store {self.path} is read-only for this account, and the journal beside "
                                 "it (coflow.db-wal, coflow.db-shm) cannot be read or created",
                                 hint="ask whoever looks after the store for read access to those files too, "
                                      "or for write access") from None
            raise StoreError(f"{self.path} is not a coflow store ({exc})",
                             hint="point `store` in coflow.toml at a coflow store; this file was not changed") from None
        fresh = not tables and (not exists or self.path.stat().st_size == 0)
        if tables and "meta" not in tables:
            conn.close()
            raise StoreError(f"{self.path} is an SQLite file of some other program, not a coflow store",
                             hint="point `store` in coflow.toml elsewhere; this file was not changed")
        if not tables and not fresh:
            conn.close()
            raise StoreError(f"{self.path} is not a coflow store", hint="this file was not changed")
        if "meta" in tables:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            if meta.get("app") != APP_ID:
                conn.close()
                raise StoreError(f"{self.path} is not a coflow store", hint="this file was not changed")
            if int(meta.get("schema_version", "0")) > SCHEMA_VERSION:
                conn.close()
                raise StoreError(f"{self.path} was written by a newer coflow", hint="upgrade coflow")
        self.columns = EVENT_COLUMNS
        self.has_snapshots = "snapshots" in tables
        if self.read_only:
            if "events" in tables and not self._has_account_column(conn):
                self.columns = EVENT_COLUMNS.replace("account", "NULL")  # an older store, read as it is
            return conn
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")  # erased personal data is overwritten
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                conn.close()
                raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        if "meta" in tables and not {"events", "projects", "workflows"} <= tables:
            conn.close()
            raise StoreError(f"{self.path} is a damaged coflow store: tables are missing",
                             hint="restore it from a backup; this file was not changed")
        if fresh or not {"personal", "outbox", "snapshots"} <= tables:
            self._create_schema(conn)
            self.has_snapshots = True
        if not self._has_account_column(conn):
            self._upgrade_to_accounts(conn)
        return conn

    @staticmethod
    def _has_account_column(conn: sqlite3.Connection) -> bool:
        return any(row[1] == "account" for row in conn.execute("PRAGMA table_info(events)"))

    def _upgrade_to_accounts(self, conn: sqlite3.Connection) -> None:
        """Stores written before events carried accounts gain the column (older events keep
        theirs empty and their hash rule); the upgrade is noted in meta, never in history."""
        from coflow.events import utc_now

        try:
            conn.execute("BEGIN IMMEDIATE")
            if not self._has_account_column(conn):
                conn.execute("ALTER TABLE events ADD COLUMN account TEXT")
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('upgraded_to_2', ?)",
                             (f"{utc_now()} by {self.account}",))
                _seal(conn)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.execute("ROLLBACK") if conn.in_transaction else None
            raise self._busy_or_error(exc) from None

    @property
    def account(self) -> str:
        """The operating-system account running coflow: who writes to an SQLite store."""
        return os_account()

    def _connect(self, mode: str) -> sqlite3.Connection:
        try:
            return sqlite3.connect(f"file:{self.path}?mode={mode}", uri=True, timeout=self.busy_timeout,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None

    def _read_only_error(self) -> StoreError:
        return StoreError(f"the store {self.path} is read-only for this account, so nothing was changed",
                          hint="reading commands (status, check, history, report, verify) still work; "
                               "to make changes, ask whoever looks after the store for write access to the "
                               "file and its folder")

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA.split(";\n"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('app', ?)", (APP_ID,))
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            _seal(conn)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.execute("ROLLBACK") if conn.in_transaction else None
            raise self._busy_or_error(exc) from None

    def _busy_or_error(self, exc: sqlite3.Error) -> Exception:
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            return self._read_only_error()
        if "locked" in text or "busy" in text:
            return StoreBusy(f"the store {self.path} stayed busy for {self.busy_timeout:g} seconds",
                             hint="another coflow command is writing; try again, or raise busy_timeout in coflow.toml")
        return StoreError(f"the store {self.path} failed: {text}")

    # -- writing ---------------------------------------------------------------------------

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, queueing behind another writer for up to busy_timeout seconds;
        after the first second of waiting, say so on stderr.

        The shorter wait stays set for the transaction (holding the write lock, it waits
        for nobody) and the next one: a run of writes sets it once, not twice a write.
        Reads outside a transaction put the full wait back first (`_full_wait`)."""
        from coflow.storage.waiting import NOTICE_AFTER, say_waiting

        first = min(NOTICE_AFTER, self.busy_timeout)
        self._wait_at_most(first)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if self.busy_timeout <= first or not ("locked" in text or "busy" in text):
                self._full_wait()
                raise self._busy_or_error(exc) from None
        say_waiting(str(self.path), self.busy_timeout)
        self._wait_at_most(self.busy_timeout - first)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._busy_or_error(exc) from None
        finally:
            self._full_wait()

    def _wait_at_most(self, seconds: float) -> None:
        ms = max(1, int(seconds * 1000))
        if ms != self._wait_ms:
            self.conn.execute(f"PRAGMA busy_timeout = {ms}")
            self._wait_ms = ms

    def _full_wait(self) -> None:
        """Outside a write transaction, wait the whole busy_timeout for a lock (a read that
        meets a checkpoint, say), as the connection was opened to."""
        if not self.conn.in_transaction:
            self._wait_at_most(self.busy_timeout)

    @contextmanager
    def transaction(self) -> Iterator[_SqliteTransaction]:
        if self.read_only:
            raise self._read_only_error()
        self._begin()
        tx = _SqliteTransaction(self.conn, self.account)
        try:
            yield tx
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._busy_or_error(exc) from None
        if tx.erased:
            self._purge_erased()

    def _purge_erased(self) -> None:
        """After erasing personal data, copy the WAL into the (secure_delete) main file and
        empty it, so the erased bytes do not linger on disk in the write-ahead log."""
        # With readers still open this can fail; the next checkpoint then does it.
        self._full_wait()
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- reading ---------------------------------------------------------------------------

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        self._full_wait()
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise self._busy_or_error(exc) from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the store {self.path} is unreadable: {exc}") from None

    def events(self, project: str) -> list[Event]:
        rows = self._query(f"SELECT {self.columns} FROM events WHERE project = ? ORDER BY seq", (project,))
        return [row_event(r) for r in rows]

    def iter_all_events(self) -> Iterator[Event]:
        for row in self._query(f"SELECT {self.columns} FROM events ORDER BY project, seq"):
            yield row_event(row)

    def event_projects(self) -> list[str]:
        """Every project id the log holds events for (whatever the projects table says)."""
        return [r[0] for r in self._query("SELECT DISTINCT project FROM events ORDER BY project")]

    def project_histories(self, page: int = 500) -> Iterator[tuple[str, ProjectRow | None, list[Event]]]:
        """Every project (row or events), in id order, with its row and events, a page at a time."""
        from coflow.storage.paging import pages

        def rows(after: str, limit: int) -> list[ProjectRow]:
            found = self._query(f"SELECT {PROJECT_COLUMNS} FROM projects WHERE id > ? ORDER BY id LIMIT ?",
                                (after, limit))
            return [ProjectRow(*r) for r in found]

        def events(after: str, upto: str | None) -> list[Event]:
            where, params = ("project > ?", (after,)) if upto is None else ("project > ? AND project <= ?", (after, upto))
            return [row_event(r) for r in
                    self._query(f"SELECT {self.columns} FROM events WHERE {where} ORDER BY project, seq", params)]

        return pages(rows, events, page)

    def workflow_hashes(self) -> list[str]:
        return [r[0] for r in self._query("SELECT hash FROM workflows ORDER BY hash")]

    def project(self, project: str) -> ProjectRow | None:
        rows = self._query(f"SELECT {PROJECT_COLUMNS} FROM projects WHERE id = ?", (project,))
        return ProjectRow(*rows[0]) if rows else None

    def projects(self) -> list[ProjectRow]:
        rows = self._query(f"SELECT {PROJECT_COLUMNS} FROM projects ORDER BY id")
        return [ProjectRow(*r) for r in rows]

    def workflow_definition(self, content_hash: str) -> dict | None:
        rows = self._query("SELECT definition FROM workflows WHERE hash = ?", (content_hash,))
        return json.loads(rows[0][0]) if rows else None

    def get_personal(self, project: str, participant: str) -> dict | None:
        rows = self._query("SELECT data FROM personal WHERE project = ? AND participant = ?", (project, participant))
        return json.loads(rows[0][0]) if rows else None

    def personal_for_project(self, project: str) -> dict[str, dict]:
        rows = self._query("SELECT participant, data FROM personal WHERE project = ?", (project,))
        return common.personal_rows(rows)

    def outbox(self, status: str | None = None) -> list[OutboxItem]:
        return [common.row_outbox(r) for r in self._query(*common.outbox_query(status))]

    def mark_outbox(self, item_id: int, delivered: bool, error: str | None = None) -> None:
        with self.transaction() as tx:
            tx.conn.execute(*common.mark_params(item_id, delivered, error))

    # -- snapshots (coflow.snapshot) ---------------------------------------------------------

    def events_from(self, project: str, seq: int) -> list[Event]:
        """The project's events from `seq` on: what came after a snapshot, and its own head."""
        sql = common.EVENTS_FROM.replace(EVENT_COLUMNS, self.columns)
        return [row_event(r) for r in self._query(sql, (project, seq))]

    def snapshot(self, project: str) -> Snapshot | None:
        if not self.has_snapshots:
            return None
        rows = self._query(common.READ_SNAPSHOT, (project,))
        return common.row_snapshot(rows[0]) if rows else None

    def offer_snapshot(self, snapshot: Snapshot) -> bool:
        """Save a snapshot a read rebuilt, if its seq is still the head; never waits for a lock."""
        if self.read_only or not self.has_snapshots:
            return False
        self._wait_at_most(0)
        try:
            return self.conn.execute(common.OFFER_SNAPSHOT, common.offer_params(snapshot)).rowcount > 0
        except sqlite3.Error:
            return False  # busy, or read-only after all: the snapshot is only a cache
        finally:
            self._wait_at_most(self.busy_timeout)

    def schema_sealed(self) -> bool:
        """The schema is as coflow last left it: no trigger dropped or table altered since
        (SQLite counts every schema change in the schema cookie, which coflow notes in meta).
        Once found sealed at a cookie, the same cookie needs no second look at meta."""
        try:
            [(cookie,)] = self._query("PRAGMA schema_version")
            if cookie == self._sealed_cookie:
                return True
            [(sealed,)] = self._query(SEALED)
        except StoreError:
            return False
        if sealed:
            self._sealed_cookie = cookie  # if the schema moved between the two reads, the next call looks again
        return bool(sealed)

    def seal_schema(self) -> None:
        """After `coflow verify` found every history intact: put back any append-only trigger
        that was dropped and note the schema as it now is. Never waits: when another command
        is writing, the store stays unsealed until the next verify."""
        if self.read_only or self.schema_sealed():
            return
        self._wait_at_most(0)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA.split(";\n"):
                if statement.strip().startswith("CREATE TRIGGER"):
                    self.conn.execute(statement)
            _seal(self.conn)
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        finally:
            self._wait_at_most(self.busy_timeout)

    def close(self) -> None:
        self.conn.close()


SEALED = ("SELECT coalesce((SELECT value FROM meta WHERE key = 'schema_seal') = "
          "(SELECT CAST(schema_version AS TEXT) FROM pragma_schema_version), 0)")


def _seal(conn: sqlite3.Connection) -> None:
    """Note the schema cookie in meta, inside the transaction that last changed the schema."""
    [(cookie,)] = conn.execute("PRAGMA schema_version").fetchall()
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_seal', ?)", (str(cookie),))


# effective user id -> its account name, looked up once per process (three times an advance otherwise)
_ACCOUNTS: dict[int, str] = {}


def os_account() -> str:
    """The name of the account this process runs as (its effective user id), from the
    system's account database, never from an environment variable."""
    uid = os.geteuid()
    name = _ACCOUNTS.get(uid)
    if name is None:
        import pwd

        try:
            name = pwd.getpwuid(uid).pw_name
        except KeyError:
            name = f"uid-{uid}"
        _ACCOUNTS[uid] = name
    return name


def open_sqlite(url: str, **options: Any) -> SqliteStore:
    return SqliteStore(url, **options)
