"""Workflow files: TOML in, a validated, typed model out (the format is in README and docs/workflows.md)."""

from coflow.workflow.model import CheckSpec, Role, Stage, Workflow

__all__ = ["CheckSpec", "Role", "Stage", "Workflow"]
