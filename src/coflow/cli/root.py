"""The `coflow` click group: global options, lazy subcommands, errors to exit codes.

Loaded only for commands the light table (coflow.cli.light) does not run itself, for
--help and for errors, so the everyday commands never import click.
"""

from __future__ import annotations

import importlib

import click

from coflow import __version__
from coflow.cli.app import App, report_error
from coflow.cli.main import COMMANDS
from coflow.errors import CoflowError

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


class CoflowGroup(click.Group):
    """Loads subcommands on demand and turns CoflowError into plain words and exit codes."""

    _plugin_commands: tuple[str, ...] = ()  # what plugins added in the last load

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands(ctx)
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            self._load_plugin_commands(ctx, strict=True)
            return self.commands.get(name)
        if name in self.commands:
            return self.commands[name]
        module_name, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module_name), attr)
        self.add_command(command, name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        """As click's, but a misspelt command name gets the closest names as a suggestion."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            if close:
                ctx.fail(f"No such command {name!r}. Did you mean "
                         + " or ".join(f"`coflow {c}`" for c in close) + "?")
        return super().resolve_command(ctx, args)

    def _load_plugin_commands(self, ctx: click.Context, strict: bool = False) -> None:
        """Plugin commands, once per run; those of an earlier run in this process are dropped."""
        app = ctx.find_object(App)
        if app is None:
            # Commands are resolved before the root callback runs, so build App from the
            # options; the callback keeps it, so the plugins load once.
            app = ctx.obj = App(ctx.params.get("home"), ctx.params.get("actor"), ctx.params.get("plugins_dir"))
        if app.plugin_commands_loaded:
            return
        app.plugin_commands_loaded = True
        for name in self._plugin_commands:
            self.commands.pop(name, None)
        before = set(self.commands)
        try:
            app.plugins.add_commands(self, reserved=COMMANDS)
        except CoflowError as exc:
            if strict:
                raise
            report_error(exc)
        finally:
            self._plugin_commands = tuple(set(self.commands) - before)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoflowError as exc:
            report_error(exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `coflow history P | head`: the reader has gone; stop quietly
            ctx.exit(141)
        except Exception as exc:  # one line and a log file, never a bare traceback
            from coflow.log import write_traceback

            app = ctx.find_object(App)
            folder = app.state_dir() if app is not None else None
            path = write_traceback(folder, exc, command=failed_command(ctx, exc))
            click.echo(f"coflow hit an unexpected problem ({type(exc).__name__}: {exc}). "
                       f"The details are in {path}", err=True)
            ctx.exit(70)


def failed_command(ctx: click.Context, exc: BaseException) -> str:
    """The path of the innermost command that was running (`coflow participant add`),
    found in the traceback; names only, never the values typed after them."""
    path = ctx.command_path
    tb = exc.__traceback__
    while tb is not None:
        found = tb.tb_frame.f_locals.get("ctx")
        if isinstance(found, click.Context):
            path = found.command_path
        tb = tb.tb_next
    return path


@click.group(cls=CoflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coflow")
# --home and --plugins-dir are eager so that `--help` (also eager) can list plugin commands.
@click.option("--home", type=click.Path(file_okay=False), envvar="COFLOW_HOME", is_eager=True,
              help="The coflow folder (with coflow.toml). Default: this folder or the nearest above.")
@click.option("--actor", help="Who is acting, recorded on every event. Default: COFLOW_ACTOR or your login name.")
@click.option("--plugins-dir", type=click.Path(), is_eager=True, help="Also load every *.py plugin in this folder.")
@click.option("-v", "--verbose", count=True, help="Log what happens to stderr (-v info, -vv debug).")
@click.option("--log-format", type=click.Choice(["console", "json"]), help="How log lines look on stderr.")
@click.pass_context
def cli(ctx: click.Context, home: str | None, actor: str | None, plugins_dir: str | None,
        verbose: int, log_format: str | None) -> None:
    """coflow: co-production projects that move on only when the work is really done.

    Start with `coflow demo` to see it work, or `coflow init` to set up a folder.
    """
    if verbose or log_format:
        from coflow import log

        level = {0: None, 1: "info"}.get(verbose, "debug")
        log.configure(level or ("info" if log_format else None), log_format)
    if not isinstance(ctx.obj, App):  # a plugin command's lookup may have built it already
        ctx.obj = App(home, actor, plugins_dir)
