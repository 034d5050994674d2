"""Saying that a command waits for the store, so a person does not think coflow has hung.

A store that another coflow command is writing to makes the next writer queue for up to
busy_timeout seconds. After about a second of that, one line on stderr says why nothing
is happening yet (stdout stays for the command's own output, such as --json).
"""

from __future__ import annotations

import sys

NOTICE_AFTER = 1.0  # seconds of silent waiting before saying so


def say_waiting(where: str, timeout: float) -> None:
    try:
        sys.stderr.write(f"Waiting for another coflow command to finish writing to the store ({where}); "
                         f"coflow waits up to {timeout:g} seconds (busy_timeout in coflow.toml)...\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # no usable stderr: waiting quietly is still right
        pass
