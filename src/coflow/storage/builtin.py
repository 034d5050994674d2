"""The built-in store, registered through the same hook as any plugin's."""

from __future__ import annotations

from coflow.hookspecs import hookimpl


def _sqlite(url, **options):
    from coflow.storage.sqlite import SqliteStore

    options.setdefault("create", False)  # only `coflow init` creates a store
    return SqliteStore(url, **options)


def _postgres(url, **options):
    from coflow.storage.postgres import PostgresStore

    return PostgresStore(url, **options)


@hookimpl
def coflow_register_storage(register):
    register("sqlite", _sqlite)
    register("postgresql", _postgres)
    register("postgres", _postgres)
