"""PostgreSQL as the lock: what a person's own database role may do in a shared store.

Each person logs in as their own role. The role may read everything coflow keeps and add
events, but never change or delete an event, nor change a stored workflow; the database
writes the role's name into every event it adds (a trigger), so the history says who
wrote each event. The tables' owner keeps the right to change them (upgrades), and runs
`coflow store grant ROLE` once per person.
"""

from __future__ import annotations

import re

ROLE_RE = re.compile(r"^[a-z_][a-z0-9_$-]{0,62}$")


def grant_statements(role: str) -> list[str]:
    """The SQL that lets `role` use a coflow store (tables in the current schema)."""
    quoted = '"' + role.replace('"', '""') + '"'
    return [
        f"GRANT USAGE ON SCHEMA {{schema}} TO {quoted}",
        # the history: read and add, never change or remove (no UPDATE, DELETE or TRUNCATE)
        f"GRANT SELECT, INSERT ON events TO {quoted}",
        # pinned workflows: read and add a new one, never change one
        f"GRANT SELECT, INSERT ON workflows TO {quoted}",
        f"GRANT SELECT ON meta TO {quoted}",
        # the cached heads, personal details (erasure deletes) and notifications waiting
        f"GRANT SELECT, INSERT, UPDATE ON projects, outbox TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON personal TO {quoted}",
        # each project's folded state at its head: a cache written with every event
        f"GRANT SELECT, INSERT, UPDATE ON snapshots TO {quoted}",
        f"GRANT USAGE ON SEQUENCE outbox_id_seq TO {quoted}",
    ]


def statements_for(role: str, schema: str) -> list[str]:
    quoted_schema = '"' + schema.replace('"', '""') + '"'
    return [s.replace("{schema}", quoted_schema) for s in grant_statements(role)]
