"""coflow.toml: finding it, reading it, and saying exactly what is wrong with it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from coflow.errors import ConfigError, UsageError
from coflow.lazy import lazy_pattern
from coflow.plain import Plain

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

CONFIG_NAME = "coflow.toml"
DEFAULT_STORE = "sqlite:///.coflow/coflow.db"
TOP_KEYS = ("store", "workflow_dirs", "plugins_dir", "check_timeout", "busy_timeout", "actors", "notify",
            "currency", "report_min_count", "evidence_max_mb", "group", "assessment")
CURRENCY_RE = lazy_pattern(r"^[A-Z]{3}$")  # an ISO 4217 code, such as GBP or EUR
ACTOR_KEYS = ("roles", "permissions", "name")
PERMISSIONS = ("override", "relabel", "record_for_others")
SECRET_RE = lazy_pattern(r"(?i)(token|password|secret)$")

TEMPLATE = """\
# coflow settings for this folder. Every key below, [actors.NAME] and [[notify]] is
# described in docs/config.md, in the folder coflow was installed from.
store = "sqlite:///.coflow/coflow.db"     # relative to this file; COFLOW_STORE overrides
workflow_dirs = ["workflows"]             # your own workflow files; coflow's shipped ones are always found
# plugins_dir = "plugins"                 # a folder of *.py plugins to load (docs/plugins.md)
check_timeout = 10                        # seconds a plugin check may take
busy_timeout = 30                         # seconds to wait for a busy store
currency = "GBP"                          # of payment amounts in reports, such as GBP or EUR
report_min_count = 3                      # reports show groups and routes of fewer people as "fewer than 3"; 0 turns it off
evidence_max_mb = 100                     # the largest evidence file coflow copies in

# Who may sign off as what, and who may override a gate. Names are coflow actor names
# (--actor, COFLOW_ACTOR, or your login name).
# [actors.amensah]
# roles = ["sponsor"]
# permissions = ["override"]

# Who hears about what: one [[notify]] entry per destination (docs/notifications.md).
# [[notify]]
# notifier = "file"
# events = ["advanced", "blocked", "overdue"]
# path = "notifications/events.jsonl"
"""


class Actor(Plain):
    _fields = ("name", "roles", "permissions")

    def __init__(self, name: str, roles: list[str] | None = None, permissions: list[str] | None = None):
        self.name = name
        self.roles: list[str] = [] if roles is None else roles
        self.permissions: list[str] = [] if permissions is None else permissions


class Config(Plain):
    _fields = ("home", "path", "store", "workflow_dirs", "plugins_dir", "check_timeout", "busy_timeout",
               "actors", "notify", "currency", "report_min_count", "evidence_max_mb", "group", "assessment")

    def __init__(self, home: Path, path: Path | None, store: str = DEFAULT_STORE,
                 workflow_dirs: list[Path] | None = None, plugins_dir: Path | None = None,
                 check_timeout: float = 10.0, busy_timeout: float = 30.0,
                 actors: dict[str, Actor] | None = None, notify: list[dict[str, Any]] | None = None,
                 currency: str = "GBP", report_min_count: int = 3, evidence_max_mb: float = 100.0,
                 group: str | None = None, assessment: dict[str, Any] | None = None):
        self.home = home
        self.path = path
        self.store = store
        self.workflow_dirs: list[Path] = [] if workflow_dirs is None else workflow_dirs
        self.plugins_dir = plugins_dir
        self.check_timeout = check_timeout
        self.busy_timeout = busy_timeout
        self.actors: dict[str, Actor] = {} if actors is None else actors
        self.notify: list[dict[str, Any]] = [] if notify is None else notify
        self.currency = currency  # of payment amounts, shown in reports
        self.report_min_count = report_min_count  # smaller groups and routes are not shown as exact numbers in reports
        self.evidence_max_mb = evidence_max_mb  # the largest evidence file copied in
        self.group = group  # an OS group that may read evidence copies (owner only when None)
        self.assessment = assessment  # [assessment]: the recommendation rules (None: coflow's defaults)

    @property
    def state_dir(self) -> Path:
        """home/.coflow (worked out once per home: `status` asks for it once per project)."""
        held = self.__dict__.get("_state_dir")
        if held is None or held[0] is not self.home:
            held = (self.home, self.home / ".coflow")
            self.__dict__["_state_dir"] = held
        return held[1]

    def actor(self, name: str) -> Actor:
        return self.actors.get(name, Actor(name))


def find_home(start: Path | None = None) -> Path | None:
    """The nearest folder at or above `start` holding coflow.toml (COFLOW_HOME wins)."""
    env = os.environ.get("COFLOW_HOME")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load(home: Path | None = None, require: bool = True) -> Config:
    """Read coflow.toml from `home` (or find it); without one, defaults for the current folder."""
    home = home or find_home()
    if home is None:
        if require:
            raise UsageError("this folder is not set up for coflow (no coflow.toml here or above)",
                             hint="run `coflow init` here, or change to your coflow folder")
        home = Path.cwd()
    path = home / CONFIG_NAME
    if not path.is_file():
        if require:
            raise UsageError(f"no {CONFIG_NAME} in {home}", hint="run `coflow init` there")
        return _finish(Config(home=home, path=None), {})
    return _finish(Config(home=home, path=path), _parse(path))


def _parse(path: Path) -> dict[str, Any]:
    """coflow.toml's settings: from the parsed copy kept for exactly this text, or parsed now."""
    from coflow import config_cache

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text", hint="save the file as UTF-8") from None
    data = config_cache.read(path, text)
    if data is not None:
        return data
    from coflow import toml

    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}", hint="fix the syntax at that line and column") from None
    config_cache.write(path, text, data)
    return data


def _finish(cfg: Config, data: dict[str, Any]) -> Config:
    where = str(cfg.path or cfg.home / CONFIG_NAME)
    problems: list[str] = []

    def bad(key: str, message: str) -> None:
        problems.append(f"{where}: {key}: {message}")

    for key in data:
        if key not in TOP_KEYS:
            bad(key, f"unknown key; allowed: {', '.join(TOP_KEYS)}")
    store = data.get("store", DEFAULT_STORE)
    if not isinstance(store, str) or "://" not in store:
        bad("store", f"expected a store URL such as {DEFAULT_STORE!r}, found {store!r}")
    elif "@" in store and re.match(r"^[a-z0-9+]+://[^/@]*:[^/@]*@", store):  # no password, no regex to compile
        bad("store", "the store URL holds a password; secrets are never written in coflow.toml "
                     "(for PostgreSQL use PGPASSWORD or ~/.pgpass)")
    else:
        cfg.store = store
    dirs = data.get("workflow_dirs", ["workflows"])
    if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
        bad("workflow_dirs", "expected a list of folder names, such as [\"workflows\"]")
    else:
        cfg.workflow_dirs = [cfg.home / d for d in dirs]
    plugins_dir = data.get("plugins_dir")
    if plugins_dir is not None:
        if not isinstance(plugins_dir, str):
            bad("plugins_dir", "expected a folder name, such as \"plugins\"")
        else:
            cfg.plugins_dir = cfg.home / plugins_dir
    for key in ("check_timeout", "busy_timeout"):
        value = data.get(key, getattr(cfg, key))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            bad(key, f"expected a number of seconds above 0, found {value!r}")
        else:
            setattr(cfg, key, float(value))
    currency = data.get("currency", cfg.currency)
    if not isinstance(currency, str) or not CURRENCY_RE.match(currency):
        bad("currency", f"expected a three-letter currency code such as \"GBP\" or \"EUR\", found {currency!r}")
    else:
        cfg.currency = currency
    min_count = data.get("report_min_count", cfg.report_min_count)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 0:
        bad("report_min_count", f"expected a whole number of people, 0 or more (0 or 1 turns it off), found {min_count!r}")
    else:
        cfg.report_min_count = min_count
    max_mb = data.get("evidence_max_mb", cfg.evidence_max_mb)
    if isinstance(max_mb, bool) or not isinstance(max_mb, (int, float)) or not 0 < max_mb <= 1048576:
        bad("evidence_max_mb", f"expected a number of megabytes above 0, such as 100, found {max_mb!r}")
    else:
        cfg.evidence_max_mb = float(max_mb)
    group = data.get("group")
    if group is not None and (not isinstance(group, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$", group)):
        bad("group", f"expected the name of an operating-system group, such as \"coflow-team\", found {group!r}")
    elif group is not None:
        cfg.group = group
    if "assessment" in data:
        from coflow.records.assessment_rules import validate as assessment_rules

        cfg.assessment, rule_problems = assessment_rules(data["assessment"])
        problems.extend(f"{where}: {problem}" for problem in rule_problems)
    actors = data.get("actors", {})
    if not isinstance(actors, dict):
        bad("actors", "expected [actors.NAME] tables")
        actors = {}
    for name, spec in actors.items():
        if not isinstance(spec, dict):
            bad(f"actors.{name}", "expected a table with roles and permissions")
            continue
        for key in spec:
            if key not in ACTOR_KEYS:
                bad(f"actors.{name}.{key}", f"unknown key; allowed: {', '.join(ACTOR_KEYS)}")
        roles = spec.get("roles", [])
        perms = spec.get("permissions", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            bad(f"actors.{name}.roles", "expected a list of role names, such as [\"sponsor\"]")
            roles = []
        if not isinstance(perms, list) or not all(isinstance(p, str) for p in perms):
            bad(f"actors.{name}.permissions", "expected a list, such as [\"override\"]")
            perms = []
        for perm in perms:
            if perm not in PERMISSIONS:
                bad(f"actors.{name}.permissions", f"unknown permission {perm!r}; known: {', '.join(PERMISSIONS)}")
        cfg.actors[name] = Actor(name, list(roles), list(perms))
    notify = data.get("notify", [])
    if not isinstance(notify, list) or not all(isinstance(n, dict) for n in notify):
        bad("notify", "expected [[notify]] tables")
        notify = []
    for index, entry in enumerate(notify):
        for key in entry:
            if SECRET_RE.search(key):
                bad(f"notify[{index}].{key}",
                    "secrets are never written in coflow.toml; name an environment variable instead "
                    f"({key}_env = \"MY_VARIABLE\")")
    cfg.notify = list(notify)
    env_store = os.environ.get("COFLOW_STORE")
    if env_store:
        cfg.store = env_store
    if problems:
        count = len(problems)
        raise ConfigError(f"{where}: {count} problem{'s' if count != 1 else ''} found", details=problems,
                          hint="fix these in coflow.toml")
    return cfg
