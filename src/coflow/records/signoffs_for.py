"""Sign-offs given outside coflow: on a signed form, by email, in a meeting.

A lived-experience partner who does not use coflow still signs: someone whose account may
record for others (`record_for_others` in coflow.toml) records the sign-off on their behalf,
saying how it was given and pointing at the evidence (the scanned form, the email, the
minutes). The history keeps both: who gave it (`for`) and which account recorded it, and
reports tell such a sign-off apart from one given in coflow from the person's own account.
"""

from __future__ import annotations

from coflow.errors import GateBlocked, NotFound, PermissionDenied, UsageError
from coflow.records.reducers import SIGNED_OFF

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter

MAX_HOW = 200


def sign_for(engine: ProjectWriter, project: str, actor: str, role: str, signer: str, how: str,
             evidence: str, stage: str | None = None) -> dict[str, Any]:
    """Record that `signer` (a participant id, or a name coflow.toml gives the role) signed
    off the current stage as `role`, given `how`, shown by the evidence record `evidence`."""
    from coflow.records.signoffs import current_signoffs, signed_records

    account = getattr(engine, "account", actor)
    if "record_for_others" not in engine.config.actor(account).permissions:
        raise PermissionDenied(f"{account} may not record a sign-off for someone else",
                               hint=f"whoever looks after coflow.toml adds permissions = [\"record_for_others\"] "
                                    f"under [actors.{account}] for the people who keep the record")
    how = (how or "").strip()
    if not how or len(how) > MAX_HOW:
        raise UsageError("--how says how the sign-off was given, in up to 200 characters",
                         hint="such as --how \"signed form\", --how \"email of 4 March\" or --how \"said so in the "
                              "meeting, minuted\"")

    def build(state: Any, view: Any, tx: Any) -> dict:
        workflow = engine.pinned_workflow(state)
        if role not in workflow.roles:
            raise UsageError(f"the {workflow.id} workflow has no role {role!r}",
                             hint=f"its roles: {', '.join(workflow.roles) or 'none'}")
        if stage is not None and stage != state.stage:
            raise UsageError(f"project {project} is at stage {state.stage!r}, not {stage!r}",
                             hint=f"leave out --stage to sign {state.stage!r}")
        if workflow.stages[state.stage].final:
            raise GateBlocked(f"project {project} is at its final stage: there is no gate to sign off")
        _check_signer(engine, state, project, role, signer, workflow.roles[role])
        _check_evidence(state, project, evidence)
        for earlier in current_signoffs(state):
            if earlier["actor"] != signer:
                continue
            if earlier["role"] == role:
                raise UsageError(f"{signer} has already signed off stage {state.stage!r} as {role!r}",
                                 hint="one sign-off per role is enough")
            raise PermissionDenied(f"{signer} has already signed off stage {state.stage!r} as {earlier['role']!r}; "
                                   f"one person cannot also sign as {role!r}",
                                   hint=f"someone else who holds the {role} role signs")
        return {"stage": state.stage, "role": role, "for": signer, "how": how, "evidence": evidence,
                **signed_records(workflow, state.stage, view)}

    _, state = engine.change(project, actor, SIGNED_OFF, build)
    return dict(state.signoffs[-1])


def _check_signer(engine: Any, state: Any, project: str, role: str, signer: str, spec: Any) -> None:
    """A participant of the project (with lived experience for such a role, unless coflow.toml
    gives them the role), or someone coflow.toml gives the role."""
    participant = state.participants.get(signer)
    holds = role in engine.config.actor(signer).roles
    if participant is None:
        if holds:
            return
        raise NotFound(f"{signer} is neither a participant of {project} nor someone coflow.toml gives the "
                       f"{role} role", hint=f"give a participant id (see `coflow participant list {project}`) "
                                            f"or add the role under [actors.{signer}] in coflow.toml")
    if participant.get("erased"):
        raise UsageError(f"participant {signer} was erased, so nothing can be recorded for them")
    if getattr(spec, "lived_experience", False) and not participant.get("lived_experience"):
        raise PermissionDenied(f"{signer} cannot sign as {role!r}: the {spec.title or role} role is for someone with "
                               "lived experience, and they are not recorded as having it",
                               hint=f"coflow participant update {project} {signer} --lived-experience, if they have it")
    if not getattr(spec, "lived_experience", False) and not holds:
        raise PermissionDenied(f"{signer} may not sign off as {role!r}: coflow.toml does not give them that role",
                               hint=f"add roles = [\"{role}\"] under [actors.{signer}] in coflow.toml")


def _check_evidence(state: Any, project: str, evidence: str) -> None:
    record = state.evidence.get(evidence)
    if record is None:
        raise NotFound(f"project {project} has no evidence {evidence!r} to show the sign-off",
                       hint=f"add the signed form or email first: coflow evidence add {project} --kind signoff "
                            "--file PATH (or --ref \"...\"), then give its id with --evidence")
    if record.get("withdrawn"):
        raise UsageError(f"evidence {evidence} was withdrawn, so it cannot show a sign-off",
                         hint=f"see `coflow evidence list {project}`")
