"""`--force` for the commands that write to a project (click commands only).

A project whose history does not verify refuses every change (exit 5). `--force` with a
reason lets one command write all the same; the write path then records who went on past
which break, and why, before the change itself (a `history_break_noted` event).
"""

from __future__ import annotations

import functools

import click

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def forceable(own_reason: bool | str = False, private_with: str | None = None) -> Any:
    """Add --force to a command. The reason is the command's own --reason when it has one
    (`own_reason`: True, or the name its value is passed as), else a --reason this adds
    (allowed only with --force). `private_with`: an option that makes the command's --reason
    personal data (kept apart from the history), so it cannot also be the reason for --force."""
    reason_name = own_reason if isinstance(own_reason, str) else "reason"

    def decorate(func: Any) -> Any:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            force = kwargs.pop("force", False)
            reason = kwargs.get(reason_name) if own_reason else kwargs.pop("force_reason", None)
            if force and private_with and kwargs.get(private_with):
                raise click.UsageError(f"with --{private_with.replace('_', '-')}, --reason is personal and never goes "
                                       "in the history, so it cannot be the reason for --force too; make that "
                                       "change once the history verifies again")
            if force:
                ctx = click.get_current_context()
                ctx.meta["coflow.force"] = True  # the command's own --reason is then allowed alone
                ctx.find_root().obj.engine.write_past_broken_history(reason or "")
                if private_with:  # without that option the command's --reason means only this
                    kwargs[reason_name] = None
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
