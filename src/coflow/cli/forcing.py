"""`--force` for the commands that write to a project (click commands only).

A project whose history does not verify refuses every change (exit 5). `--force` with a
reason lets one command write all the same; the write path then records who went on past
which break, and why, before the change itself (a `history_break_noted` event).
"""

from __future__ import annotations

import functools
from typing import Any

import click


def forceable(own_reason: bool = False) -> Any:
    """Add --force to a command. The reason is the command's own --reason when it has one
    (`own_reason`), else a --reason this adds (allowed only with --force)."""

    def decorate(func: Any) -> Any:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            force = kwargs.pop("force", False)
            reason = kwargs.get("reason") if own_reason else kwargs.pop("force_reason", None)
            if force:
                ctx = click.get_current_context()
                ctx.meta["coflow.force"] = True  # the command's own --reason is then allowed alone
                ctx.find_root().obj.engine.write_past_broken_history(reason or "")
            elif reason is not None and not own_reason:
                raise click.UsageError("--reason goes with --force here")
            return func(*args, **kwargs)

        run = click.option("--force", is_flag=True,
                           help="Write although the project's history does not verify (with --reason; "
                                "both are kept in the history).")(run)
        if not own_reason:
            run = click.option("--reason", "force_reason",
                               help="With --force: why this is recorded although the history does not verify.")(run)
        return run

    return decorate
