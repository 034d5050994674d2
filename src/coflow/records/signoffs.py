"""Sign-offs: a person in a named role agrees the current stage's work is done.

The role must be one the workflow names, coflow.toml must give it to the person acting,
a role marked `lived_experience = true` needs an actor linked to a participant with lived
experience, and one person cannot sign for two roles at the same visit to a gate (dual
sign-off means two people). A sign-off counts for the current visit to its stage only.
"""

from __future__ import annotations

from coflow.errors import GateBlocked, PermissionDenied, UsageError
from coflow.records.reducers import SIGNED_OFF

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction


def current_signoffs(state: Any, stage: str | None = None) -> list[dict[str, Any]]:
    """Sign-offs that count: this stage, made since the project last entered it (by event
    order, never by clock time, which can step back or differ between machines)."""
    stage = stage or state.stage
    return [s for s in state.signoffs if s["stage"] == stage and s["seq"] > state.stage_entered_seq]


def _require_lived_experience(state: Any, project: str, actor: str, role: str, title: str) -> None:
    """A role the workflow marks `lived_experience = true` is signed by someone with lived
    experience: the actor must be linked (--signs-as) to such a participant of this project.

    The link makes the claim explicit and recorded, so a member of staff holding the role
    in coflow.toml cannot quietly sign in a partner's place.
    """
    linked = [p for p in state.participants.values() if p.get("actor") == actor and not p.get("erased")]
    if any(p.get("lived_experience") for p in linked):
        return
    problem = (f"{actor} cannot sign as {role!r}: the {title} role is for someone with lived experience, "
               f"and {actor} is not linked to a participant of {project} with lived experience")
    if linked:
        pid = linked[0]["id"]
        hint = (f"{actor} signs as participant {pid}, who is not recorded as having lived experience; "
                f"if they have it: coflow participant update {project} {pid} --lived-experience")
    else:
        hint = (f"link {actor} to their participant record: coflow participant update {project} ID "
                f"--signs-as {actor} (ID of someone with lived experience, see `coflow participant list "
                f"{project}`), or add them: coflow participant add {project} --lived-experience --signs-as {actor}")
    raise PermissionDenied(problem, hint=hint)


def _table(name: str) -> str:
    """The TOML table header for an actor (quoted when the name is not a bare key)."""
    import json
    import re

    key = name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)
    return f"[actors.{key}]"


def _roles_line(roles: list[str]) -> str:
    return "roles = [" + ", ".join(f'"{r}"' for r in roles) + "]"


def _role_hint(config: Any, project: str, actor: str, role: str, spec: Any) -> str:
    """How to give a role in coflow.toml without breaking the file: extend an existing
    [actors.NAME] table rather than adding it twice. A lived-experience role goes to the
    partner's own actor name, never the person typing."""
    title = spec.title or role
    if getattr(spec, "lived_experience", False):
        return (f"the {title} role is signed by the partner with lived experience themselves, not by {actor}. "
                f"Give their own actor name the role in coflow.toml (a table {_table('NAME')} "
                f"with the line {_roles_line([role])} under it), link it to their participant record with "
                f"`coflow participant update {project} ID --signs-as NAME`, and they sign from their own "
                f"account: `coflow signoff {project} --role {role}`")
    whose = (f"a sign-off as {role} is given by the {title} themselves, from their own account; "
             f"only if that is {actor}: ")
    if actor in config.actors:
        held = list(config.actors[actor].roles)
        shown = ", ".join(held) or "none"
        return (f"{whose}roles {actor} holds: {shown}. Add \"{role}\" to the roles list of {_table(actor)} in "
                f"coflow.toml, so the line reads: {_roles_line([*held, role])}")
    return (f"{whose}{actor} has no roles in coflow.toml. Add these two lines to coflow.toml:\n"
            f"    {_table(actor)}\n    {_roles_line([role])}")


def sign(engine: ProjectWriter, project: str, actor: str, role: str, stage: str | None = None) -> dict[str, Any]:
    """Record that `actor` signs off the current stage as `role`."""

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        workflow = engine.pinned_workflow(state)
        if role not in workflow.roles:
            known = ", ".join(workflow.roles) or "none"
            raise UsageError(f"the {workflow.id} workflow has no role {role!r}",
                             hint=f"its roles: {known} (the [roles] table of the workflow file)")
        holder = engine.config.actor(actor)
        if role not in holder.roles:
            raise PermissionDenied(f"{actor} may not sign off as {role!r}: coflow.toml does not give them that role",
                                   hint=_role_hint(engine.config, project, actor, role, workflow.roles[role]))
        if stage is not None and stage != state.stage:
            raise UsageError(f"project {project} is at stage {state.stage!r}, not {stage!r}",
                             hint="a sign-off counts only for the stage the project is at now; "
                                  f"leave out --stage to sign {state.stage!r}")
        if workflow.stages[state.stage].final:
            raise GateBlocked(f"project {project} is at its final stage: there is no gate to sign off")
        if workflow.roles[role].lived_experience:
            _require_lived_experience(state, project, actor, role, workflow.roles[role].title or role)
        taken = signed_records(workflow, state.stage, view)
        changed: list[str] = []
        for earlier in current_signoffs(state):
            if earlier["actor"] != actor:
                continue
            if earlier["role"] == role:
                changed = out_of_date(view, earlier)
                if changed:  # the records changed since: signing again signs what is there now
                    continue
                raise UsageError(f"{actor} has already signed off stage {state.stage!r} as {role!r}",
                                 hint="one sign-off per role is enough")
            raise PermissionDenied(f"{actor} has already signed off stage {state.stage!r} as {earlier['role']!r}; "
                                   f"one person cannot also sign as {role!r}",
                                   hint=f"someone else who holds the {role} role signs, from their own "
                                        f"account: coflow signoff {project} --role {role}")
        result.update(changed=changed)
        return {"stage": state.stage, "role": role, **taken}

    result: dict[str, Any] = {}
    _, state = engine.change(project, actor, SIGNED_OFF, build)
    return {**state.signoffs[-1], **result}


def signed_records(workflow: Any, stage: str, view: Any) -> dict[str, Any]:
    """The digest of the records the stage's checks judge, as a sign-off records it."""
    from coflow.signoff_digest import parts_for, take

    return take(view, parts_for((c.type, c.params) for c in workflow.stages[stage].checks))


def out_of_date(view: Any, signoff: dict[str, Any]) -> list[str]:
    """What changed since `signoff` was given (nothing, for one recorded without a digest)."""
    from coflow.signoff_digest import changed_since

    return changed_since(view, signoff) or []
