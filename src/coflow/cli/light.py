"""The light command table: the everyday commands, run without loading click.

`coflow status`, `check`, `advance` and `record` are most of what people (and scripts) run,
and click with what it imports costs more than the rest of a command. This table reads a
plain command line for those four itself. Anything it does not fully understand (--help,
--version, an unknown or misplaced option, a missing argument, a value starting with '-')
returns None, and the click group then runs the command line as it always has, with its
help and its error messages; so the light table never says anything click would not.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# root options that take a value -> parameter name
ROOT_VALUES = {"--home": "home", "--actor": "actor", "--plugins-dir": "plugins_dir", "--log-format": "log_format"}
LOG_FORMATS = ("console", "json")

# command -> (positional names, how many are required, flags {option: name}, values {option: name})
LIGHT: dict[str, tuple[tuple[str, ...], int, dict[str, str], dict[str, str]]] = {
    "status": (("project",), 0, {"--json": "as_json"}, {}),
    "check": (("project",), 1, {"--json": "as_json"}, {}),
    "advance": (("project",), 1, {"--dry-run": "dry_run", "--override": "override", "--json": "as_json"},
                {"--reason": "reason", "--to": "to_stage"}),
    "record": (("project", "key", "value"), 3, {}, {}),  # --unset and --reason: click
}


def parse(argv: list[str]) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
    """(root options, command, its parameters), or None to leave the command line to click."""
    root: dict[str, Any] = {"home": None, "actor": None, "plugins_dir": None, "verbose": 0, "log_format": None}
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg == "--verbose" or (len(arg) > 1 and arg[0] == "-" and arg[1:] == "v" * (len(arg) - 1)):
            root["verbose"] += 1 if arg == "--verbose" else len(arg) - 1
            i += 1
            continue
        name, eq, value = arg.partition("=")
        if name not in ROOT_VALUES:
            return None
        if not eq:
            if i + 1 >= len(argv):
                return None
            i += 1
            value = argv[i]
        if not value or value.startswith("-"):
            return None
        root[ROOT_VALUES[name]] = value
        i += 1
    if i >= len(argv) or argv[i] not in LIGHT:
        return None
    if root["log_format"] is not None and root["log_format"] not in LOG_FORMATS:
        return None
    if root["home"] is not None and os.path.isfile(root["home"]):
        return None  # click says "is a file"
    command = argv[i]
    names, required, flags, values = LIGHT[command]
    params: dict[str, Any] = {**{n: None for n in names}, **{f: False for f in flags.values()},
                              **{v: None for v in values.values()}}
    positional: list[str] = []
    rest = argv[i + 1:]
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg.startswith("-") and arg != "-":
            name, eq, value = arg.partition("=")
            if name in flags and not eq:
                params[flags[name]] = True
            elif name in values:
                if not eq:
                    if j + 1 >= len(rest):
                        return None
                    j += 1
                    value = rest[j]
                if value.startswith("-"):
                    return None
                params[values[name]] = value
            else:
                return None  # --help, "--", a negative number, an unknown option: click decides
        else:
            positional.append(arg)
        j += 1
    if not required <= len(positional) <= len(names):
        return None
    params.update(zip(names, positional, strict=False))
    if command == "advance" and params["reason"] is not None and not params["override"]:
        return None  # click's usage error: --reason goes with --override
    return root, command, params


def run_light(argv: list[str]) -> int | None:
    """Run an everyday command: its exit code, or None when click must run the command line."""
    parsed = parse(argv)
    if parsed is None:
        return None
    root, command, params = parsed
    from coflow.cli import everyday
    from coflow.cli.app import App, echo, report_error
    from coflow.errors import CoflowError

    if root["verbose"] or root["log_format"]:
        from coflow import log

        level = {0: None, 1: "info"}.get(root["verbose"], "debug")
        log.configure(level or ("info" if root["log_format"] else None), root["log_format"])
    home = root["home"] or os.environ.get("COFLOW_HOME") or None
    app = App(home, root["actor"], root["plugins_dir"])
    try:
        return getattr(everyday, command)(app, **params)
    except CoflowError as exc:
        report_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        echo("Stopped.", err=True)
        return 130
    except BrokenPipeError:  # `coflow status | head`: the reader has gone; stop quietly
        return 141
    except Exception as exc:  # one line and a log file, never a bare traceback
        from coflow.log import write_traceback

        path = write_traceback(app.state_dir(), exc, command=f"coflow {command}")
        echo(f"coflow hit an unexpected problem ({type(exc).__name__}: {exc}). "
             f"The details are in {path}", err=True)
        return 70
