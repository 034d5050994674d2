"""The CoflowError hierarchy: each class carries the exit code the CLI turns it into.

The engine raises these; only the CLI edge (coflow.cli.main) turns them into exit codes and
messages, so library users get exceptions and command-line users get plain words.
"""

from __future__ import annotations


class CoflowError(Exception):
    """Base of every error coflow reports to a person; `hint` says what to do next."""

    exit_code = 70

    def __init__(self, message: str, hint: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details or [])


class GateBlocked(CoflowError):
    """A gate did not pass, a check failed, or the stage forbids the action (exit 1)."""

    exit_code = 1


class UsageError(CoflowError):
    """Bad input on the command line or in a record (exit 2)."""

    exit_code = 2


class NotFound(UsageError):
    """An unknown project, workflow, participant or file (exit 2)."""


class PermissionDenied(UsageError):
    """The actor lacks a role or permission coflow.toml would have to give them (exit 2)."""


class InvalidWorkflow(CoflowError):
    """A workflow file failed validation; `details` holds every problem found (exit 3)."""

    exit_code = 3


class ConfigError(CoflowError):
    """coflow.toml is missing something or has something wrong (exit 3)."""

    exit_code = 3


class PluginError(CoflowError):
    """A plugin failed to load or broke a rule of the plugin API (exit 3)."""

    exit_code = 3


class StoreBusy(CoflowError):
    """The store stayed locked, or the project changed underneath us: try again (exit 4)."""

    exit_code = 4


class ConcurrentChange(StoreBusy):
    """Another command appended to the project between our read and our write (exit 4)."""


class StoreError(CoflowError):
    """The store is unreadable, not a coflow store, or failed its integrity check (exit 5)."""

    exit_code = 5


class IntegrityError(StoreError):
    """The hash chain does not verify; `project` and `seq` name the first bad event."""

    def __init__(self, message: str, project: str, seq: int, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.project = project
        self.seq = seq
