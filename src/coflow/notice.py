"""A line for the person at the terminal, on stderr: something they should know although
the command did what was asked (stdout stays for the command's own output, such as --json).
"""

from __future__ import annotations

import sys


def say(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # no usable stderr: the command's result still stands
        pass


def finished_project_changed(project_id: str, stage_title: str) -> str:
    return (f"Note: {project_id} is finished (at its final stage {stage_title!r}). This was recorded all the "
            "same, and the project's report lists it under \"Added after the project finished\". To work "
            f"on the project again, `coflow reopen {project_id} --to STAGE --reason TEXT`.")
