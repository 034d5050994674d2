"""A PostgreSQL write transaction in psycopg's pipeline mode: few round trips.

Each statement sent one at a time waits for the server's answer before the next is sent. In
pipeline mode coflow waits only where it reads an answer: BEGIN goes with the first read,
and the writes nobody reads back (the event, the project row, its snapshot) go with
COMMIT, so an advance waits six times (five reads, the commit), not fourteen. The server
runs the statements in order, so a read still sees what the lock waited for and what was
written before it. An error the server reports for a statement sent earlier (the event
meeting another writer's) is raised at the next wait and turned into the error that
statement stands for by the store; whatever the pipeline left open is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


@contextmanager
def pipelined(store: Any) -> Iterator[None]:
    """BEGIN ... COMMIT on `store`'s connection (a PostgresStore), pipelined."""
    conn = store.conn
    try:
        with conn.pipeline():
            conn.execute("BEGIN")
            yield
            conn.execute("COMMIT")
    except store._pg.Error as exc:
        _roll_back(store)
        raise store._failed(exc) from None
    except BaseException:
        _roll_back(store)
        raise


def _roll_back(store: Any) -> None:
    """End a transaction the pipeline left open (after an error); a connection that is gone
    has nothing left to end."""
    conn = store.conn
    if conn.closed or conn.info.transaction_status == store._pg.pq.TransactionStatus.IDLE:
        return
    with suppress(store._pg.Error):
        conn.execute("ROLLBACK")
