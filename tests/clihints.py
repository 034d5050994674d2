"""Parsing a hint as the real command line would, without running it.

Hints in workflows and check messages are commands people copy; a hint naming an option
the CLI does not have would send them to an error. Used by the check and workflow tests.
"""

from __future__ import annotations

import shlex

import click

from coflow.cli.main import cli


def parse_hint(hint: str, project: str = "demo-project") -> click.Command:
    """Parse a `coflow ...` hint with the real commands; raises click errors on a bad one.

    A hint may say what to do first, then give the command ("... call it co-design: coflow
    relabel ..."): the command is what follows the first "coflow ".
    """
    if not hint.startswith("coflow ") and ": coflow " in hint:
        hint = hint[hint.index(": coflow ") + 2:]
    words = shlex.split(hint.replace("PROJECT", project))
    assert words and words[0] == "coflow", f"not a coflow command: {hint!r}"
    command: click.Command = cli
    args = words[1:]
    ctx = click.Context(cli)
    while isinstance(command, click.Group):
        assert args, f"{hint!r} stops at the command group {command.name!r}"
        name, args = args[0], args[1:]
        sub = command.get_command(ctx, name)
        assert sub is not None, f"{hint!r}: there is no command {name!r}"
        command = sub
    command.make_context(command.name or "coflow", args)
    return command
