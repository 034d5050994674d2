"""`coflow store grant ROLE`: give a person's own PostgreSQL role what it needs, and no more."""

from __future__ import annotations

import click


@click.group()
def store() -> None:
    """The store itself: who may use a shared PostgreSQL store."""


@store.command()
@click.argument("role")
@click.option("--print", "print_only", is_flag=True, help="Print the SQL for a database administrator; change nothing.")
@click.pass_obj
def grant(app, role: str, print_only: bool) -> None:
    """Let ROLE (a PostgreSQL login role) read the store and add events, but never change or
    delete history or stored workflows. Run as the owner of coflow's tables."""
    from coflow.errors import StoreError, UsageError
    from coflow.storage.grants import ROLE_RE, statements_for

    if not ROLE_RE.match(role):
        raise UsageError(f"{role!r} is not a PostgreSQL role name coflow will write into SQL",
                         hint="use lower-case letters, digits and '_', such as amensah")
    engine = app.engine
    url = engine.config.store
    if not url.startswith(("postgresql", "postgres")):
        raise UsageError("`coflow store grant` is for a PostgreSQL store; this folder's store is "
                         f"{url.split('://', 1)[0]}://",
                         hint="with SQLite, control who may write the store file with the operating system's "
                              "permissions (docs/security.md)")
    statements = statements_for(role, engine.store.schema)
    if print_only:
        click.echo(";\n".join(statements) + ";")
        return
    try:
        with engine.store._transaction_block():
            for statement in statements:
                engine.store._run(statement)
    except StoreError as exc:
        raise StoreError(f"could not grant {role} the use of the store: {exc.message}",
                         hint="run this as the owner of coflow's tables, and create the role first "
                              f"(CREATE ROLE {role} LOGIN); `coflow store grant {role} --print` prints the SQL "
                              "for a database administrator") from None
    click.echo(f"{role} may now read this store and add to it; it cannot change or delete events or stored "
               "workflows, and every event it adds records its name.")
