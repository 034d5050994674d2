"""The plugin manager: built-ins as default plugins, entry points, a plugins folder.

Discovery stays off the hot path: entry points are read straight from the installed
packages' entry_points.txt files (importlib.metadata costs more than a whole command), the
manager is built only when a command first needs it, once per process, and what plugins
register is collected once per manager.

Every hook is called one plugin at a time (through pluggy's subset hook callers), so an
error can name the plugin and COFLOW_TRACE_PLUGINS=1 shows every call.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from coflow.errors import CoflowError, PluginError
from coflow.plain import Plain
from coflow.plugin_discovery import GROUP, iter_entry_points, load_list
from coflow.plugin_discovery import folders as _folders
from coflow.plugin_discovery import where as _where
from coflow.plugin_registry import NAME_RE, SCHEME_RE, Registry
from coflow.plugin_trace import Tracer
from coflow.plugin_trace import short as _short

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    import click

__all__ = ["BUILTIN_MODULES", "GROUP", "NAME_RE", "ORIGINS", "SCHEME_RE", "PluginInfo",
           "PluginManager", "Registry", "add_plugin", "iter_entry_points", "load_list", "remove_plugin"]

BUILTIN_MODULES = (
    "coflow.checks.builtin",
    "coflow.storage.builtin",
    "coflow.notify.builtin",
    "coflow.records.builtin",
)
ORIGINS = ("built-in", "entry point", "plugins folder", "registered in code")


def hook_names() -> tuple[str, ...]:
    """Every coflow hook's name (read from coflow.hookspecs, which imports pluggy)."""
    from coflow import hookspecs

    return tuple(name for name in dir(hookspecs) if name.startswith("coflow_"))


def __getattr__(name: str) -> Any:
    if name == "HOOK_NAMES":  # built on first use: it needs coflow.hookspecs, so pluggy
        return hook_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Plugin objects registered in code for this process (coflow.testing uses this): every
# manager built afterwards registers them, whatever COFLOW_LOAD_PLUGINS says.
_IN_CODE: dict[str, object] = {}


def add_plugin(plugin: object, name: str) -> None:
    """Register `plugin` with every plugin manager built from now on in this process."""
    if name in _IN_CODE and _IN_CODE[name] is not plugin:
        raise PluginError(f"a plugin called {name!r} is already registered in code",
                          hint="give the plugin another name")
    _IN_CODE[name] = plugin


def remove_plugin(name: str) -> None:
    """Undo add_plugin (managers already built keep what they had)."""
    _IN_CODE.pop(name, None)


class PluginInfo(Plain):
    _fields = ("name", "origin", "version", "location", "package")

    def __init__(self, name: str, origin: str, version: str | None = None, location: str | None = None,
                 package: str | None = None):
        self.name = name
        self.origin = origin  # one of ORIGINS
        self.version = version
        self.location = location
        self.package = package  # the installed distribution, for entry points


class PluginManager:
    """coflow's pluggy manager, where each plugin came from, and what plugins registered.

    `plugins_dir` is a folder, or a list of folders, of *.py plugin files (coflow.toml's
    plugins_dir and --plugins-dir); a folder that does not exist is an error.
    """

    def __init__(self, plugins_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str] | None] | None = None,
                 load_third_party: bool = True):
        # pluggy's manager is built only once a plugin other than the built-ins is found (or
        # tracing is on): with the built-ins alone, their hooks are called directly.
        self._pm: Any = None
        self._builtins: list[tuple[str, object]] = []
        self._direct_callers: dict[str, list[tuple[str, Any]]] = {}
        self._trace = os.environ.get("COFLOW_TRACE_PLUGINS") == "1"
        self.info: dict[str, PluginInfo] = {}
        self._registry: Registry | None = None
        self._workflow_dirs: list[Path] | None = None
        if self._trace:
            self.pm  # noqa: B018 - built now, so the tracer sees every call
        from coflow import __version__

        for module_name in BUILTIN_MODULES:
            module = importlib.import_module(module_name)
            self.info[module_name] = PluginInfo(module_name, "built-in", __version__,
                                                getattr(module, "__file__", None), "coflow")
            self._builtins.append((module_name, module))
            if self._pm is not None:
                self._pm.register(module, name=module_name)
        for name, plugin in list(_IN_CODE.items()):
            self.register(plugin, PluginInfo(name, "registered in code", None, _where(plugin)))
        if load_third_party:
            wanted = load_list()
            seen: set[str] = set(_IN_CODE)
            self._load_entry_points(wanted, seen)
            for folder in _folders(plugins_dir):
                self._load_folder(folder, wanted, seen)
            missing = sorted((wanted or set()) - seen)
            if missing:
                raise PluginError(f"COFLOW_LOAD_PLUGINS names {', '.join(map(repr, missing))}, "
                                  "but no installed plugin or plugins-folder file has that name",
                                  hint="see the names with `coflow plugins`; unset COFLOW_LOAD_PLUGINS to load all")
        if self._pm is not None:
            self.check_pending()

    @property
    def pm(self) -> Any:
        """pluggy's manager with every plugin so far registered, built on first use."""
        if self._pm is None:
            import pluggy

            from coflow import hookspecs

            pm = pluggy.PluginManager(GROUP)
            pm.add_hookspecs(hookspecs)
            if self._trace:
                tracer = Tracer(sys.stderr.write)
                pm.add_hookcall_monitoring(tracer.before, tracer.after)
            for name, module in self._builtins:
                pm.register(module, name=name)
            self._pm = pm
        return self._pm

    # -- registering ----------------------------------------------------------------------

    def register(self, plugin: object, info: PluginInfo) -> None:
        """Register one plugin object; a bad hook implementation is an error naming it."""
        import pluggy

        if info.name in self.info:
            first = self.info[info.name]
            raise PluginError(f"two plugins are called {info.name!r}: one from the {first.origin} "
                              f"({first.location or first.package}) and one from the {info.origin} "
                              f"({info.location or info.package})",
                              hint=_duplicate_hint(first, info))
        try:
            self.pm.register(plugin, name=info.name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {info.name!r} does not match coflow's hooks: "
                              f"{' '.join(str(exc).split())}",
                              hint="hook arguments must be named exactly as in docs/hooks.md") from None
        except ValueError as exc:
            raise PluginError(f"plugin {info.name!r} could not be registered: {exc}") from None
        self.info[info.name] = info
        self._registry = None
        self._workflow_dirs = None
        for hook_name in hook_names():
            func = getattr(plugin, hook_name, None)
            if callable(func) and self.pm.parse_hookimpl_opts(plugin, hook_name) is None:
                self.unregister(info.name)
                raise PluginError(f"plugin {info.name!r} defines {hook_name} without @coflow.hookimpl, "
                                  "so coflow would never call it",
                                  hint="put @coflow.hookimpl on the line above `def " + hook_name + "`")

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self._builtins = [(n, m) for n, m in self._builtins if n != name]
        self.info.pop(name, None)
        self._registry = None
        self._workflow_dirs = None

    def check_pending(self) -> None:
        """A hook implementation whose name is not a coflow hook (a typo) is an error."""
        for name, caller in vars(self.pm.hook).items():
            if name.startswith("_") or caller.has_spec():
                continue
            for impl in caller.get_hookimpls():
                if impl.optionalhook:
                    continue
                import difflib

                close = difflib.get_close_matches(name, hook_names(), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                raise PluginError(f"plugin {impl.plugin_name!r} implements {name!r}, which is not a coflow hook",
                                  hint=hint + "the hooks are listed in docs/hooks.md")

    def _load_entry_points(self, wanted: set[str] | None, seen: set[str]) -> None:
        for name, target, dist, version in iter_entry_points():
            if wanted is not None and name not in wanted:
                continue
            seen.add(name)
            from coflow.plugin_stdout import plugin_code
            module_name, _, attr = target.partition(":")
            try:
                with plugin_code():  # what a plugin prints while loading goes to stderr
                    plugin: Any = importlib.import_module(module_name.strip())
                for part in filter(None, attr.strip().split(".")):
                    plugin = getattr(plugin, part)
            except Exception as exc:
                raise PluginError(f"plugin {name!r} (from the {dist} package) failed to load: "
                                  f"{type(exc).__name__}: {exc}",
                                  hint=f"see the whole error with: python -c \"import {module_name.strip()}\"; "
                                       "reinstall the package, or leave it out with COFLOW_LOAD_PLUGINS") from None
            if self.pm.is_registered(plugin):
                continue  # already registered in code (a plugin's own tests while it is installed)
            self.register(plugin, PluginInfo(name, "entry point", version, _where(plugin), dist))

    def _load_folder(self, folder: Path, wanted: set[str] | None, seen: set[str]) -> None:
        if not folder.is_dir():
            raise PluginError(f"the plugins folder {folder} does not exist",
                              hint="create it, or correct plugins_dir in coflow.toml or --plugins-dir")
        import importlib.util

        from coflow.plugin_stdout import plugin_code

        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or (wanted is not None and name not in wanted):
                continue
            seen.add(name)
            module_name = "coflow_plugin_" + re.sub(r"\W", "_", name)
            try:
                spec = importlib.util.spec_from_file_location(module_name, path)
                if spec is None or spec.loader is None:
                    raise ImportError("Python cannot load it as a module")
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                with plugin_code():
                    spec.loader.exec_module(module)
            except SyntaxError as exc:
                sys.modules.pop(module_name, None)
                raise PluginError(f"plugin file {exc.filename or path} has a syntax error at line "
                                  f"{exc.lineno}: {exc.msg}",
                                  hint="fix that line, or move the file out of the plugins folder") from None
            except (Exception, SystemExit) as exc:
                sys.modules.pop(module_name, None)
                raise PluginError(f"plugin file {path} failed to load: {type(exc).__name__}: {exc}",
                                  hint=f"see the whole error with: python {path}; "
                                       "or move the file out of the plugins folder") from None
            self.register(module, PluginInfo(name, "plugins folder", getattr(module, "__version__", None),
                                             str(path)))

    # -- calling hooks --------------------------------------------------------------------

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def each(self, hook_name: str) -> list[tuple[str, Any]]:
        """(plugin name, a caller of that plugin's implementation alone), in registration order.

        Calling through these goes through pluggy, so tracing sees every call, and the
        caller knows which plugin answered or failed. Each call returns a list holding the
        plugin's result, or an empty list when it returned None. With the built-ins alone
        (coflow's own code, no pluggy manager built) their hooks are called directly.
        """
        if self._pm is None:  # the built-ins alone, which never change: the same callers each time
            found = self._direct_callers.get(hook_name)
            if found is None:
                found = [(name, _direct(getattr(module, hook_name))) for name, module in self._builtins
                         if getattr(getattr(module, hook_name, None), "coflow_impl", None) is not None]
                self._direct_callers[hook_name] = found
            return list(found)
        from coflow.plugin_stdout import as_plugin_code

        caller = getattr(self.pm.hook, hook_name)
        impls = caller.get_hookimpls()
        if len(impls) == 1:
            return [(impls[0].plugin_name, as_plugin_code(caller))]
        plugins = [impl.plugin for impl in impls]
        return [(impl.plugin_name,
                 as_plugin_code(self.pm.subset_hook_caller(hook_name, [p for p in plugins if p is not impl.plugin])))
                for impl in impls]

    def is_builtin(self, plugin_name: str) -> bool:
        info = self.info.get(plugin_name)
        return info is not None and info.origin == "built-in"

    def _call(self, plugin: str, call: Any, doing: str, **kwargs: Any) -> list[Any]:
        try:
            return call(**kwargs)
        except CoflowError:
            raise
        except Exception as exc:
            raise PluginError(f"plugin {plugin!r} failed while {doing}: {type(exc).__name__}: {exc}",
                              hint="tell whoever looks after the plugin, or leave it out with COFLOW_LOAD_PLUGINS") from None

    def registry(self) -> Registry:
        """Collect what every plugin registers; two plugins claiming one name is an error."""
        if self._registry is None:
            from coflow.plugin_registry import collect

            self._registry = collect(self)
        return self._registry

    def check_validators(self) -> dict[str, Any]:
        return {name: ct.validate for name, ct in self.registry().check_types.items()}

    def workflow_dirs(self) -> list[Path]:
        """Folders of workflow files that plugins ship, in plugin registration order."""
        if self._workflow_dirs is not None:
            return self._workflow_dirs
        dirs: list[Path] = []
        for plugin, call in self.each("coflow_workflow_dirs"):
            for result in self._call(plugin, call, "listing its workflow folders"):
                if isinstance(result, (str, bytes, os.PathLike)) or not isinstance(result, Iterable):
                    raise PluginError(f"plugin {plugin!r} gave {_short(result)} from coflow_workflow_dirs, "
                                      "not a list of folders",
                                      hint="return a list, such as [str(Path(__file__).parent / \"workflows\")]")
                for item in result:
                    path = Path(item)
                    if not path.is_dir():
                        raise PluginError(f"plugin {plugin!r} ships workflows in {path}, which is not a folder",
                                          hint="reinstall the plugin; its workflow folder is missing")
                    dirs.append(path)
        self._workflow_dirs = dirs
        return dirs

    def add_commands(self, cli: click.Group, reserved: Iterable[str] = ()) -> None:
        """Let each plugin add click commands; one that would replace a command is an error."""
        taken = set(reserved)
        for plugin, call in self.each("coflow_register_commands"):
            before = dict(cli.commands)
            self._call(plugin, call, "adding its commands", cli=cli)
            for name, command in list(cli.commands.items()):
                if before.get(name) is command:
                    continue
                if name in taken or name in before:
                    if name in before:
                        cli.commands[name] = before[name]
                    else:
                        del cli.commands[name]
                    raise PluginError(f"plugin {plugin!r} adds a command {name!r}, but coflow already has "
                                      "a command with that name",
                                      hint="the plugin must use another command name")

    def describe(self) -> list[dict[str, Any]]:
        """Each plugin: name, version, origin, location, hooks and what it registered."""
        reg = self.registry()
        provided: dict[str, dict[str, list[str]]] = {}
        for kind, owners in reg.owners.items():
            for name, plugin in owners.items():
                provided.setdefault(plugin, {}).setdefault(kind, []).append(name)
        rows = []
        for name, info in self.info.items():
            hooks = sorted(caller.name for caller in (self.pm.get_hookcallers(self.pm.get_plugin(name)) or []))
            kinds = provided.get(name, {})
            rows.append({"name": name, "version": info.version, "origin": info.origin,
                         "package": info.package, "location": info.location, "hooks": hooks,
                         "check_types": sorted(kinds.get("check type", [])),
                         "storage": sorted(kinds.get("storage scheme", [])),
                         "notifiers": sorted(kinds.get("notifier", []))})
        return rows


def _duplicate_hint(first: PluginInfo, second: PluginInfo) -> str:
    """Exactly what to remove when two plugins share a name (COFLOW_LOAD_PLUGINS picks by
    name, so it cannot keep one of them and leave out the other)."""
    infos = (first, second)
    package = next((i for i in infos if i.origin == "entry point"), None)
    file = next((i for i in infos if i.origin == "plugins folder"), None)
    if package is not None and file is not None:
        return (f"this is probably the same plugin twice, installed as a package and still in the plugins "
                f"folder: delete {file.location} (or stop loading that plugins folder) to use the "
                f"installed package, or `pip uninstall {package.package}` to keep the file; "
                "COFLOW_LOAD_PLUGINS chooses by name, so it cannot keep one and leave out the other")
    if first.origin == second.origin == "plugins folder":
        return (f"remove one of {first.location} and {second.location}, or rename one "
                "(a plugin file's name is the plugin's name)")
    if first.origin == second.origin == "entry point":
        return (f"uninstall one of the packages: `pip uninstall {first.package}` or "
                f"`pip uninstall {second.package}`")
    return "rename one of them, or remove one; COFLOW_LOAD_PLUGINS chooses by name, so it cannot separate them"


def _direct(func: Any) -> Any:
    """Call a built-in hook as pluggy would: only the arguments it names, its result in a
    list (empty for None)."""
    code = func.__code__
    names = code.co_varnames[:code.co_argcount]

    def call(**kwargs: Any) -> list[Any]:
        result = func(**{k: v for k, v in kwargs.items() if k in names})
        return [] if result is None else [result]

    return call
