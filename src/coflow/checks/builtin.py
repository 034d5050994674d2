"""The built-in check types, registered through the same hook as any plugin's."""

from __future__ import annotations

from coflow.checks import (
    access_needs,
    attendance,
    elapsed,
    evidence,
    fact,
    feedback,
    involvement,
    participants,
    payments,
    sessions,
    signoff,
    training,
)
from coflow.hookspecs import hookimpl

BUILTIN_TYPES = {
    "fact": fact,
    "evidence": evidence,
    "signoff": signoff,
    "participants": participants,
    "training": training,
    "sessions": sessions,
    "attendance": attendance,
    "payments": payments,
    "feedback": feedback,
    "access_needs": access_needs,
    "involvement_level": involvement,
    "elapsed": elapsed,
}


@hookimpl
def coflow_register_checks(register):
    for name, module in BUILTIN_TYPES.items():
        register(name, module.check, module.validate)
