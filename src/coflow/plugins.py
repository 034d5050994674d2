"""The plugin manager: built-ins as default plugins, entry points, a plugins folder.

Discovery stays off the hot path: entry points are read straight from the installed
packages' entry_points.txt files (importlib.metadata costs more than a whole command), and
the manager is built only when a command first needs it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from coflow import hookspecs
from coflow.errors import PluginError

GROUP = "coflow"
BUILTIN_MODULES = (
    "coflow.checks.builtin",
    "coflow.storage.builtin",
)


@dataclass
class PluginInfo:
    name: str
    origin: str  # "built-in", "entry point", "plugins folder"
    version: str | None = None
    location: str | None = None


@dataclass
class Registry:
    """What plugins registered, built once per manager."""

    check_types: dict[str, Any] = field(default_factory=dict)
    storage: dict[str, Any] = field(default_factory=dict)
    notifiers: dict[str, Any] = field(default_factory=dict)


def _allowed(name: str) -> bool:
    """Apply COFLOW_LOAD_PLUGINS: unset loads all, "" loads none, a comma list only those."""
    wanted = os.environ.get("COFLOW_LOAD_PLUGINS")
    if wanted is None:
        return True
    return name in {part.strip() for part in wanted.split(",") if part.strip()}


def iter_entry_points(group: str = GROUP) -> list[tuple[str, str, str, str | None]]:
    """(name, "module:attr", distribution, version) for every entry point in `group`."""
    found, seen = [], set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for dist in names:
            if not (dist.endswith(".dist-info") or dist.endswith(".egg-info")):
                continue
            try:
                with open(os.path.join(entry or ".", dist, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if f"[{group}]" not in text:
                continue
            stem = dist.rsplit(".", 1)[0]
            dist_name, _, version = stem.partition("-")
            if dist_name in seen:
                continue
            seen.add(dist_name)
            section = None
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("["):
                    section = line[1:-1].strip()
                elif section == group and "=" in line and not line.startswith("#"):
                    name, _, target = line.partition("=")
                    found.append((name.strip(), target.strip(), dist_name, version or None))
    return found


class PluginManager:
    """coflow's pluggy manager plus where each plugin came from."""

    def __init__(self, plugins_dir: str | os.PathLike | None = None, load_third_party: bool = True):
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self._registry: Registry | None = None
        for module_name in BUILTIN_MODULES:
            module = importlib.import_module(module_name)
            self.register(module, PluginInfo(module_name, "built-in"))
        if load_third_party:
            self._load_entry_points()
            if plugins_dir is not None:
                self._load_folder(Path(plugins_dir))
        self.check_pending()
        if os.environ.get("COFLOW_TRACE_PLUGINS") == "1":
            self.pm.trace.root.setwriter(lambda message: sys.stderr.write(message))
            self.pm.enable_tracing()

    def register(self, plugin: object, info: PluginInfo) -> None:
        try:
            self.pm.register(plugin, name=info.name)
        except ValueError as exc:
            raise PluginError(f"plugin {info.name!r} could not be registered: {exc}") from None
        self.info[info.name] = info
        self._registry = None

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.info.pop(name, None)
        self._registry = None

    def check_pending(self) -> None:
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {exc.plugin_name!r}: {exc}",
                              hint="hook names start with coflow_; see docs/hooks.md") from None

    def _load_entry_points(self) -> None:
        for name, target, dist, version in iter_entry_points():
            if not _allowed(name):
                continue
            module_name, _, attr = target.partition(":")
            try:
                obj = importlib.import_module(module_name)
                for part in filter(None, attr.split(".")):
                    obj = getattr(obj, part)
            except Exception as exc:
                raise PluginError(f"plugin {name!r} (from {dist}) failed to load: {type(exc).__name__}: {exc}",
                                  hint="reinstall it, or leave it out with COFLOW_LOAD_PLUGINS") from None
            self.register(obj, PluginInfo(name, "entry point", version, dist))

    def _load_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            raise PluginError(f"the plugins folder {folder} does not exist",
                              hint="create it, or remove plugins_dir from coflow.toml / --plugins-dir")
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or not _allowed(name):
                continue
            module_name = f"coflow_plugin_{name}"
            try:
                spec = importlib.util.spec_from_file_location(module_name, path)
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
            except SyntaxError as exc:
                sys.modules.pop(module_name, None)
                raise PluginError(f"plugin file {path} has a syntax error at line {exc.lineno}: {exc.msg}") from None
            except Exception as exc:
                sys.modules.pop(module_name, None)
                raise PluginError(f"plugin file {path} failed to load: {type(exc).__name__}: {exc}") from None
            self.register(module, PluginInfo(name, "plugins folder", None, str(path)))

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def registry(self) -> Registry:
        """Collect what every plugin registers; two plugins claiming one name is an error."""
        if self._registry is not None:
            return self._registry
        from coflow.checks.base import CheckType

        reg = Registry()

        def owner() -> str:
            return current[0]

        current = [""]

        def add(table: dict, kind: str, name: str, value: Any) -> None:
            if name in table:
                first = table[name].plugin if hasattr(table[name], "plugin") else table[name][1]
                raise PluginError(f"two plugins register the {kind} {name!r}: {first!r} and {owner()!r}",
                                  hint="uninstall one, or leave one out with COFLOW_LOAD_PLUGINS")
            table[name] = value

        builtin_names = {n for n, i in self.info.items() if i.origin == "built-in"}
        for impl in reversed(self.pm.hook.coflow_register_checks.get_hookimpls()):
            current[0] = impl.plugin_name
            builtin = impl.plugin_name in builtin_names

            def register_check(name: str, func: Any, validate: Any = None, _b: bool = builtin) -> None:
                add(reg.check_types, "check type", name, CheckType(name, func, validate, owner(), _b))

            impl.function(register=register_check)
        for impl in reversed(self.pm.hook.coflow_register_storage.get_hookimpls()):
            current[0] = impl.plugin_name
            impl.function(register=lambda scheme, factory: add(reg.storage, "storage scheme", scheme, (factory, owner())))
        for impl in reversed(self.pm.hook.coflow_register_notifiers.get_hookimpls()):
            current[0] = impl.plugin_name
            impl.function(register=lambda name, func, validate=None: add(reg.notifiers, "notifier", name, (func, owner(), validate)))
        self._registry = reg
        return reg

    def check_validators(self) -> dict[str, Any]:
        return {name: ct.validate for name, ct in self.registry().check_types.items()}

    def workflow_dirs(self) -> list[Path]:
        dirs: list[Path] = []
        for result in self.pm.hook.coflow_workflow_dirs():
            dirs.extend(Path(d) for d in (result or []))
        return dirs
