"""Check types: the result type every check returns, and the built-in types."""

from coflow.checks.base import CheckResult, CheckType

__all__ = ["CheckResult", "CheckType"]
