"""The `coflow` entry point: the command table, and running one command.

The everyday commands (status, check, advance, record) are run by a light command table
(coflow.cli.light) without loading click; everything else, --help and every usage error go
to the click group (coflow.cli.root), which imports a subcommand's module only when it runs.
The process exits without module teardown, so a command costs little more than starting
Python.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# command name -> "module:attribute"; plugins add more through coflow_register_commands.
COMMANDS = {
    "init": "coflow.cli.setup:init",
    "demo": "coflow.cli.demo:demo",
    "new": "coflow.cli.projects:new",
    "status": "coflow.cli.projects:status",
    "check": "coflow.cli.projects:check",
    "advance": "coflow.cli.projects:advance",
    "record": "coflow.cli.projects:record",
    "reopen": "coflow.cli.projects:reopen",
    "migrate": "coflow.cli.projects:migrate",
    "relabel": "coflow.cli.relabel:relabel",
    "due": "coflow.cli.deadlines:due",
    "tick": "coflow.cli.deadlines:tick",
    "history": "coflow.cli.history:history",
    "verify": "coflow.cli.history:verify",
    "workflow": "coflow.cli.workflows:workflow",
    "plugins": "coflow.cli.plugins_cmd:plugins",
    "plugin": "coflow.cli.plugins_cmd:plugin",
    "participant": "coflow.cli.records_participants:participant",
    "session": "coflow.cli.records_sessions:session",
    "payment": "coflow.cli.records_payments:payment",
    "evidence": "coflow.cli.records_evidence:evidence",
    "feedback": "coflow.cli.records_feedback:feedback",
    "signoff": "coflow.cli.records_signoff:signoff",
    "group": "coflow.cli.records_groups:group",
    "assess": "coflow.cli.records_assess:assess",
    "import": "coflow.cli.records_import:import_records",
    "report": "coflow.cli.report:report",
    "notify": "coflow.cli.notify:notify",
    "store": "coflow.cli.store:store",
    "migrate-store": "coflow.cli.migrate_store:migrate_store",
}


def __getattr__(name: str) -> Any:
    """The click group and its helpers, loaded on first use (`from coflow.cli.main import cli`)."""
    if name in ("cli", "CoflowGroup", "failed_command"):
        from coflow.cli import root

        return getattr(root, name)
    if name in ("App", "report_error"):
        from coflow.cli import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console entry point: run, flush, and leave without tearing down every module."""
    from coflow.cli.light import run_light

    code = run_light(sys.argv[1:])
    if code is None:
        code = run_click()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe must not turn into a traceback
        pass
    os._exit(code)


def run_click() -> int:
    """Run the command line through the click group; the exit code."""
    import click

    from coflow.cli.root import cli

    try:
        code = cli.main(prog_name="coflow", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Stopped.", err=True)
        return 1
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
