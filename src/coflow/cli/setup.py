"""`coflow init`: set up a folder with coflow.toml and an empty store.

The store is built by the factory registered for the store URL's scheme (SQLite by default;
PostgreSQL or a plugin's store when COFLOW_STORE names one), as every other command opens it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from coflow.errors import UsageError

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.config import Config


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.pass_obj
def init(app, directory: str) -> None:
    """Set up DIRECTORY (default: here) with coflow.toml and an empty store."""
    from coflow import config
    from coflow.storage.sqlite import SqliteStore

    home = Path(directory)
    if home.exists() and not home.is_dir():
        raise UsageError(f"{home} is a file, not a folder")
    target = home / config.CONFIG_NAME
    if target.exists():
        cfg = config.load(home)
        if not cfg.store.startswith("sqlite:") or SqliteStore.exists(cfg.store, cfg.home):
            raise UsageError(f"{target} already exists", hint="this folder is already set up; see `coflow status`")
        _create_store(cfg, app)
        click.echo(f"{home.resolve()} was already set up; created its empty store.")
        return
    made = [folder for folder in (home, home / "workflows") if not folder.exists()]
    home.mkdir(parents=True, exist_ok=True)
    (home / "workflows").mkdir(exist_ok=True)
    target.write_text(config.TEMPLATE, encoding="utf-8")
    try:
        _create_store(config.load(home), app)
    except BaseException:  # no store: leave nothing half set up, so init can simply be run again
        target.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):  # something else was put there meanwhile
                folder.rmdir()
        raise
    click.echo(f"Set up coflow in {home.resolve()}")
    click.echo("Next: `coflow workflow list` to see the workflows, then "
               "`coflow new PROJECT --workflow coproduction` to start a project.")


def _create_store(cfg: Config, app: Any) -> None:
    """Create the empty store through its registered factory (plugins of this folder load)."""
    from coflow.plugins import PluginManager
    from coflow.writer import open_store

    plugins = PluginManager([cfg.plugins_dir, getattr(app, "plugins_dir", None)])
    open_store(cfg, plugins, create=True).close()
