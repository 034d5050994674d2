"""Workflow files: TOML in, a validated, typed model out (DESIGN.md §2.1)."""

from coflow.workflow.model import CheckSpec, Role, Stage, Workflow

__all__ = ["CheckSpec", "Role", "Stage", "Workflow"]
