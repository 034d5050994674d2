"""A workflow as a Mermaid flowchart, for documents and board papers."""

from __future__ import annotations

from coflow.workflow.model import Workflow


def _label(text: str) -> str:
    return text.replace('"', "'")


def to_mermaid(workflow: Workflow) -> str:
    lines = ["flowchart TD"]
    for stage in workflow.stages.values():
        required = sum(1 for c in stage.checks if c.required)
        detail = "finish" if stage.final else f"{required} required check{'s' if required != 1 else ''}"
        shape = ('(["', '"])') if stage.final else ('["', '"]')
        lines.append(f"    {_node(stage.id)}{shape[0]}{_label(stage.title)}<br/>{detail}{shape[1]}")
    for stage in workflow.stages.values():
        if stage.next:
            lines.append(f"    {_node(stage.id)} -->|gate| {_node(stage.next)}")
    return "\n".join(lines) + "\n"


def _node(stage_id: str) -> str:
    return "s_" + "".join(ch if ch.isalnum() else "_" for ch in stage_id)
