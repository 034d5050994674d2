"""What every command shares, free of click: the App (options, engine built when asked
for), printing, and turning a CoflowError into plain words.

The light command table (coflow.cli.light) runs the everyday commands with these alone;
click is loaded only for the rest.
"""

from __future__ import annotations

import os
import sys

from coflow.errors import CoflowError

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.config import Config
    from coflow.engine import Engine
    from coflow.plugins import PluginManager


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Print a line as click.echo does (through click itself when click is loaded)."""
    click = sys.modules.get("click")
    if click is not None:
        click.echo(message, err=err, nl=nl)
        return
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n" if nl else message)
    stream.flush()


def report_error(exc: CoflowError) -> None:
    echo(f"Error: {exc.message}", err=True)
    for line in exc.details:
        echo(f"  - {line}", err=True)
    if exc.hint:
        echo(f"Hint: {exc.hint}", err=True)


class App:
    """What every command shares: options, and the engine built only when asked for."""

    def __init__(self, home: str | None, actor: str | None, plugins_dir: str | None):
        self.home = home
        self._actor = actor
        self.plugins_dir = plugins_dir
        self._engine: Engine | None = None
        self._config: Config | None = None
        self._plugins: PluginManager | None = None
        self.plugin_commands_loaded = False

    def config(self, require: bool = True) -> Config:
        if self._config is None or (require and self._config.path is None):
            from pathlib import Path

            from coflow import config

            home = Path(self.home) if self.home else None
            self._config = config.load(home, require=require)
        return self._config

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from coflow.engine import Engine

            self._engine = Engine(self.config(), plugins_dir=self.plugins_dir, plugin_manager=self._plugins)
        return self._engine

    @property
    def plugins(self) -> PluginManager:
        """The plugin manager, built once per run (the engine shares it)."""
        if self._plugins is None:
            if self._engine is not None:
                self._plugins = self._engine.plugins
            else:
                from coflow.plugins import PluginManager

                try:
                    configured = self.config(require=False).plugins_dir
                except CoflowError:
                    configured = None
                self._plugins = PluginManager([configured, self.plugins_dir])
        return self._plugins

    def state_dir(self) -> Any:
        try:
            return self.config(require=False).state_dir
        except CoflowError:
            return None

    @property
    def actor(self) -> str:
        from coflow.names import ACTOR_RE

        name = self._actor or os.environ.get("COFLOW_ACTOR")
        if name and not ACTOR_RE.match(name):
            from coflow.errors import UsageError

            raise UsageError(f"{name!r} is not a usable actor name",
                             hint="use letters, digits, '.', '-', '_' or '@', such as amensah")
        # The account comes from the platform; a name given here is only who it is recorded for.
        return self.engine.acting_as(name)
