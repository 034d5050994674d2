"""What plugins register (check types, stores, notifiers, record kinds), collected once.

Each registration hook is called one plugin at a time; a name two plugins claim, or one
that is not usable, is a PluginError naming the plugin(s).
"""

from __future__ import annotations

from collections.abc import Callable

from coflow.errors import CoflowError, PluginError, StoreError
from coflow.lazy import lazy_pattern
from coflow.plain import Plain
from coflow.plugin_trace import short as _short

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.kinds import RecordKinds
    from coflow.plugins import PluginManager

NAME_RE = lazy_pattern(r"^[A-Za-z][A-Za-z0-9_.-]*$")
SCHEME_RE = lazy_pattern(r"^[a-z][a-z0-9+.-]*$")


class Registry(Plain):
    """What plugins registered, built once per manager.

    check_types: name -> CheckType; storage: scheme -> (factory, plugin);
    notifiers: name -> (func, plugin, validate); record_kinds: the record kinds and so
    every event type, with its reducer.
    """

    _fields = ("check_types", "storage", "notifiers", "record_kinds", "owners")

    def __init__(self, check_types: dict[str, Any] | None = None, storage: dict[str, Any] | None = None,
                 notifiers: dict[str, Any] | None = None, record_kinds: RecordKinds | None = None,
                 owners: dict[str, dict[str, str]] | None = None):
        self.check_types: dict[str, Any] = {} if check_types is None else check_types
        self.storage: dict[str, Any] = {} if storage is None else storage
        self.notifiers: dict[str, Any] = {} if notifiers is None else notifiers
        self.record_kinds: RecordKinds = _record_kinds() if record_kinds is None else record_kinds
        self.owners: dict[str, dict[str, str]] = {} if owners is None else owners  # kind -> name -> plugin


def _record_kinds() -> RecordKinds:
    from coflow.kinds import RecordKinds

    return RecordKinds()


def collect(manager: PluginManager) -> Registry:
    """Call every registration hook of `manager`'s plugins and check what they register."""
    from coflow.checks.base import CheckType

    reg = Registry()

    def claim(kind: str, name: Any, plugin: str, pattern: Any = NAME_RE) -> str:
        if not isinstance(name, str) or not pattern.match(name):
            raise PluginError(f"plugin {plugin!r} registers a {kind} called {name!r}, which is not a usable name",
                              hint="use letters, digits, '_', '-' or '.', starting with a letter")
        owners = reg.owners.setdefault(kind, {})
        if name in owners:
            first = owners[name]
            if first == plugin:
                raise PluginError(f"plugin {plugin!r} registers the {kind} {name!r} twice")
            raise PluginError(f"two plugins register the {kind} {name!r}: {first!r} and {plugin!r}",
                              hint="uninstall one, or leave one out with COFLOW_LOAD_PLUGINS")
        owners[name] = plugin
        return name

    def need_callable(kind: str, name: str, plugin: str, what: str, value: Any, optional: bool) -> None:
        if (value is None and optional) or callable(value):
            return
        raise PluginError(f"plugin {plugin!r} registers the {kind} {name!r} with a {what} that is "
                          f"{type(value).__name__}, not a function")

    for plugin, call in manager.each("coflow_register_checks"):
        builtin = manager.is_builtin(plugin)

        def register_check(name: str, func: Any, validate: Any = None, schema: Any = None,
                           _p: str = plugin, _b: bool = builtin) -> None:
            claim("check type", name, _p)
            need_callable("check type", name, _p, "check", func, False)
            need_callable("check type", name, _p, "validate", validate, True)
            if not isinstance(schema, dict):
                need_callable("check type", name, _p, "schema", schema, True)
            reg.check_types[name] = CheckType(name, func, validate, _p, _b, schema)

        manager._call(plugin, call, "registering its check types", register=register_check)

    for plugin, call in manager.each("coflow_register_storage"):
        builtin = manager.is_builtin(plugin)

        def register_store(scheme: str, factory: Any, _p: str = plugin, _b: bool = builtin) -> None:
            claim("storage scheme", scheme, _p, SCHEME_RE)
            need_callable("storage scheme", scheme, _p, "factory", factory, False)
            reg.storage[scheme] = (factory if _b else _plugin_store(factory, scheme, _p), _p)

        manager._call(plugin, call, "registering its stores", register=register_store)

    for plugin, call in manager.each("coflow_register_notifiers"):

        def register_notifier(name: str, func: Any, validate: Any = None, _p: str = plugin) -> None:
            claim("notifier", name, _p)
            need_callable("notifier", name, _p, "notify function", func, False)
            need_callable("notifier", name, _p, "validate", validate, True)
            reg.notifiers[name] = (func, _p, validate)

        manager._call(plugin, call, "registering its notifiers", register=register_notifier)

    for plugin, call in manager.each("coflow_register_records"):

        def register_records(kind: str, events: Any, validate: Any = None, _p: str = plugin) -> None:
            from coflow.kinds import RecordKind

            claim("record kind", kind, _p)
            need_callable("record kind", kind, _p, "validate", validate, True)
            if not isinstance(events, dict) or not events:
                raise PluginError(f"plugin {_p!r} registers the record kind {kind!r} with {_short(events)} "
                                  "as its events, not a table of event types and reducers",
                                  hint="pass a dict such as {\"consent_recorded\": reducer}")
            for event_type, func in events.items():
                if not isinstance(event_type, str) or not NAME_RE.match(event_type):
                    raise PluginError(f"plugin {_p!r} registers an event type {event_type!r} "
                                      f"(record kind {kind!r}), which is not a usable name",
                                      hint="use letters, digits, '_', '-' or '.', starting with a letter")
                need_callable("event type", event_type, _p, "reducer", func, True)
                claim("event type", event_type, _p)
            reg.record_kinds.add(RecordKind(kind, events, validate, _p))

        manager._call(plugin, call, "registering its record kinds", register=register_records)
    return reg


def _plugin_store(factory: Callable[..., Any], scheme: str, plugin: str) -> Callable[..., Any]:
    """Wrap a plugin's store factory: pass only the options it accepts, name it on failure."""

    def open_store(url: str, **options: Any) -> Any:
        import inspect

        try:
            params = list(inspect.signature(factory).parameters.values())
        except (TypeError, ValueError):
            params = []
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            names = {p.name for p in params}
            options = {k: v for k, v in options.items() if k in names}
        try:
            return factory(url, **options)
        except CoflowError:
            raise
        except Exception as exc:
            raise StoreError(f"the store of plugin {plugin!r} could not open the {scheme}:// store: "
                             f"{type(exc).__name__}: {exc}",
                             hint="check the store URL in coflow.toml (or COFLOW_STORE)") from None

    return open_store
