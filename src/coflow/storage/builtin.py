"""The built-in store, registered through the same hook as any plugin's."""

from __future__ import annotations

from collections.abc import Callable

from coflow.hookmark import hookimpl

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.storage.postgres import PostgresStore
    from coflow.storage.sqlite import SqliteStore


def _sqlite(url: str, **options: Any) -> SqliteStore:
    from coflow.storage.sqlite import SqliteStore

    options.setdefault("create", False)  # only `coflow init` creates a store
    return SqliteStore(url, **options)


def _postgres(url: str, **options: Any) -> PostgresStore:
    from coflow.storage.postgres import PostgresStore

    return PostgresStore(url, **options)


@hookimpl
def coflow_register_storage(register: Callable[..., None]) -> None:
    register("sqlite", _sqlite)
    register("postgresql", _postgres)
    register("postgres", _postgres)
