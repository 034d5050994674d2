"""`coflow init`: set up a folder with coflow.toml and the embedded store."""

from __future__ import annotations

from pathlib import Path

import click

from coflow.errors import UsageError


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
        SqliteStore(cfg.store, base=cfg.home, busy_timeout=cfg.busy_timeout, create=True).close()
        click.echo(f"{home.resolve()} was already set up; created its empty store.")
        return
    home.mkdir(parents=True, exist_ok=True)
    (home / "workflows").mkdir(exist_ok=True)
    target.write_text(config.TEMPLATE, encoding="utf-8")
    cfg = config.load(home)
    if cfg.store.startswith("sqlite:"):
        SqliteStore(cfg.store, base=cfg.home, busy_timeout=cfg.busy_timeout, create=True).close()
    click.echo(f"Set up coflow in {home.resolve()}")
    click.echo("Next: `coflow workflow list` to see the workflows, then "
               "`coflow new PROJECT --workflow coproduction` to start a project.")
