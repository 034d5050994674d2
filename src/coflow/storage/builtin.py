"""The built-in store, registered through the same hook as any plugin's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coflow.hookmark import hookimpl

if TYPE_CHECKING:
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
