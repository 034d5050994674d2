"""The shapes of the names people give coflow (and how a person asked to be named), defined
once for every place that checks them.

Kept free of other coflow imports but coflow.lazy (patterns compile on first use), so the
command line, the engine and the anchor reader can all use it without loading one another.
"""

from __future__ import annotations

from coflow.lazy import lazy_pattern

# A project id: letters, digits, '.', '-' and '_', no spaces or slashes (carers-hub-2026).
PROJECT_ID_RE = lazy_pattern(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
# An actor name as given by --actor, COFLOW_ACTOR or a participant's signs_as (j.smith@trust).
ACTOR_RE = lazy_pattern(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")
# Words hints use where only the person knows the real value ("...", "VALUE", "DATE"): typed
# as they stand, the commands refuse them, so following a hint literally never passes a check.
PLACEHOLDERS = ("...", "VALUE", "DATE", "AMOUNT", "HOURS", "ID", "REASON", "CATEGORY", "ROUTE", "GROUP")
# How a participant asked to be credited: by name, by initials, or not named at all.
CREDIT = ("name", "initials", "anonymous")
