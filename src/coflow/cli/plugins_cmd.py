"""`coflow plugins` (what is loaded) and `coflow plugin new NAME` (start a plugin package)."""

from __future__ import annotations

import click

from coflow.cli.output import emit_json, json_option


@click.command()
@json_option
@click.pass_obj
def plugins(app, as_json: bool) -> None:
    """The loaded plugins: name, version, where each came from, and its hooks."""
    rows = app.plugins.describe()
    if as_json:
        emit_json(rows)
        return
    click.echo(f"{len(rows)} plugin{'s' if len(rows) != 1 else ''} loaded:")
    for row in rows:
        version = f" {row['version']}" if row["version"] else ""
        origin = row["origin"] + (f", package {row['package']}" if row["package"] and row["origin"] == "entry point" else "")
        click.echo(f"\n{row['name']}{version} ({origin})")
        if row["location"]:
            click.echo(f"  at: {row['location']}")
        click.echo(f"  hooks: {', '.join(row['hooks']) or 'none'}")
        for key, label in (("check_types", "check types"), ("storage", "stores"), ("notifiers", "notifiers")):
            if row[key]:
                click.echo(f"  {label}: {', '.join(row[key])}")


@click.group()
def plugin() -> None:
    """Write your own plugin: `coflow plugin new NAME`."""


@plugin.command("new")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".",
              help="Where to create the package folder (default: here).")
def new(name: str, directory: str) -> None:
    """Start a plugin package NAME with a check type, a test and a README."""
    from pathlib import Path

    from coflow.scaffold import write_plugin

    target = write_plugin(name, Path(directory))
    click.echo(f"Created the plugin package in {target}")
    click.echo(f"Next: cd {target} && pip install pytest && python -m pytest   (its tests pass straight away)")
    click.echo("Then: pip install -e .   in the environment where coflow is installed (coflow is not on the "
               "package index yet), and it loads in every coflow command (see `coflow plugins`).")
    click.echo("If the same plugin is also a file in your plugins folder, delete that file: "
               "coflow refuses two plugins with one name.")
