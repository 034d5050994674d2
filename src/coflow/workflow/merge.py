"""The child's changes applied to its parent's definition, remembering where each part came from.

coflow.workflow.extends finds and validates the files; this module only merges two
definitions (the parent's already merged with its own parents) and records, for every key
path of the result, the file and key path it came from, so problems can name them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from coflow.workflow.validate import Problem

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

LAYER_WORKFLOW_KEYS = ("extends", "drop_stages")
LAYER_STAGE_KEYS = ("after", "drop_checks")


@dataclass
class Provenance:
    """Which file, at which key path, each part of a merged definition came from."""

    default_file: str
    where: dict[str, tuple[str, str]] = field(default_factory=dict)

    def locate(self, path: str) -> tuple[str, str]:
        """(file, key path in that file) for a key path of the merged definition."""
        cut = len(path)
        while cut > 0:
            prefix = path[:cut]
            if prefix in self.where:
                file, origin = self.where[prefix]
                return file, origin + path[cut:]
            cut = max(path.rfind(".", 0, cut), path.rfind("[", 0, cut))
        return self.default_file, path

    def set(self, path: str, file: str, origin: str) -> None:
        self.where[path] = (file, origin)

    def inherit(self, path: str, parent: Provenance, parent_path: str) -> None:
        self.where[path] = parent.locate(parent_path)


@dataclass
class Resolved:
    definition: dict[str, Any]
    provenance: Provenance
    parents: list[dict[str, str]]  # nearest first: id, version, hash (of the file), path


def merge(parent: Resolved, child: dict[str, Any], file: str) -> tuple[dict, Provenance, list[Problem]]:
    """The child's changes applied to the parent's definition (which is not changed)."""
    m = _Merge(parent, child, file)
    m.run()
    return m.out, m.prov, m.problems


class _Merge:
    def __init__(self, parent: Resolved, child: dict[str, Any], file: str):
        self.parent, self.child, self.file = parent, child, file
        self.pdef = parent.definition
        self.prov = Provenance(file)
        self.problems: list[Problem] = []
        self.out: dict[str, Any] = {}

    def problem(self, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(path, message, hint, file=self.file))

    def mine(self, path: str) -> None:
        self.prov.set(path, self.file, path)

    def run(self) -> None:
        child_meta = self.child["workflow"]
        for key, value in self.child.items():
            if key not in ("workflow", "roles", "stages"):
                self.out[key] = value
        self.out["workflow"] = {k: v for k, v in child_meta.items() if k not in LAYER_WORKFLOW_KEYS}
        self._roles()
        self._stages(child_meta.get("drop_stages", []))
        self._renamed(child_meta)

    def _renamed(self, child_meta: dict) -> None:
        """The parent's renames still hold, where the stage they lead to is still here."""
        inherited = self.pdef["workflow"].get("renamed")
        stages = self.out["stages"]
        if isinstance(inherited, dict) and inherited:
            own = child_meta.get("renamed")
            kept = {old: new for old, new in inherited.items() if new in stages and old not in stages}
            merged = {**kept, **(own if isinstance(own, dict) else {})}
            if merged and (isinstance(own, dict) or own is None):
                self.out["workflow"]["renamed"] = merged

    def _roles(self) -> None:
        roles = copy.deepcopy(self.pdef.get("roles", {}))
        for name in roles:
            self.prov.inherit(f"roles.{name}", self.parent.provenance, f"roles.{name}")
        own = self.child.get("roles", {})
        if not isinstance(own, dict):
            self.mine("roles")
            self.out["roles"] = own
            return
        for name, spec in own.items():
            if isinstance(spec, dict) and isinstance(roles.get(name), dict):
                roles[name] = {**roles[name], **spec}
                for key in spec:
                    self.mine(f"roles.{name}.{key}")
            else:
                roles[name] = spec
                self.mine(f"roles.{name}")
        if roles:
            self.out["roles"] = roles

    # -- stages -----------------------------------------------------------------------------

    def _stages(self, drops: Any) -> None:
        pstages = self.pdef["stages"]
        names = list(pstages)
        stages: dict[str, Any] = {}
        for index, name in enumerate(names):
            stage = copy.deepcopy(pstages[name])
            self.prov.inherit(f"stages.{name}", self.parent.provenance, f"stages.{name}")
            for key in stage:
                if key != "checks":
                    self.prov.inherit(f"stages.{name}.{key}", self.parent.provenance, f"stages.{name}.{key}")
            for i in range(len(stage.get("checks", []))):
                self.prov.inherit(f"stages.{name}.checks[{i}]", self.parent.provenance, f"stages.{name}.checks[{i}]")
            if not stage.get("final") and "next" not in stage and index + 1 < len(names):
                stage["next"] = names[index + 1]  # made explicit: new stages must not shift it
            stages[name] = stage
        own = self.child.get("stages", {})
        if not isinstance(own, dict):
            self.problem("stages", "expected one [stages.NAME] table per stage to change or add")
            own = {}
        for name, spec in own.items():
            if not isinstance(spec, dict):
                self.problem(f"stages.{name}", "expected a table")
            elif name in pstages:
                self._change_stage(name, stages[name], spec)
            else:
                stages = self._add_stage(stages, name, spec)
        self.out["stages"] = self._drop_stages(stages, drops, own)

    def _change_stage(self, name: str, stage: dict, spec: dict) -> None:
        path = f"stages.{name}"
        if "after" in spec:
            self.problem(f"{path}.after", f"{name!r} is a stage of the workflow this one extends, so it is already placed",
                         "`after` places a new stage; to change where this stage leads, set its `next`")
        for key, value in spec.items():
            if key not in ("checks", "drop_checks", "after"):
                stage[key] = value
                self.mine(f"{path}.{key}")
        checks = stage.get("checks", [])
        # indexes into the parent's list, so provenance can be rebuilt after the changes
        kept = list(range(len(checks)))
        drop = spec.get("drop_checks", [])
        ids = [c.get("id") for c in checks]
        dropped: set[str] = set()
        if not isinstance(drop, list):
            self.problem(f"{path}.drop_checks", f"expected a list of check ids, found {drop!r}",
                         "such as drop_checks = [\"jargon-buster\"]")
            drop = []
        for i, cid in enumerate(drop):
            if cid not in ids:
                self.problem(f"{path}.drop_checks[{i}]",
                             f"the stage {name!r} of the workflow this one extends has no check {cid!r}",
                             f"its checks are: {', '.join(map(str, ids)) or 'none'}")
            else:
                dropped.add(cid)
        kept = [i for i in kept if ids[i] not in dropped]
        entries: list[tuple[dict, str | None, int | None]] = [(checks[i], None, i) for i in kept]
        own_checks = spec.get("checks", [])
        if not isinstance(own_checks, list):
            self.problem(f"{path}.checks", "expected a list of [[stages.NAME.checks]] tables")
            own_checks = []
        given: dict[str, int] = {}
        for ci, entry in enumerate(own_checks):
            cpath = f"{path}.checks[{ci}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                self.problem(f"{cpath}.id", "missing; expected the id of the parent's check to change, "
                                            "or a new id to add a check")
                continue
            cid = entry["id"]
            if cid in given:
                self.problem(f"{cpath}.id", f"the id {cid!r} is given twice in this stage (also checks[{given[cid]}])",
                             "give each change to a check in one entry")
                continue
            given[cid] = ci
            if cid in dropped:
                self.problem(cpath, f"the check {cid!r} is both dropped (drop_checks) and given here",
                             "keep one: drop it, or change it")
                continue
            at = next((n for n, (c, _, _) in enumerate(entries) if c.get("id") == cid), None)
            if at is None:
                entries.append((dict(entry), cpath, None))
                continue
            base, _, pindex = entries[at]
            same_type = "type" not in entry or entry["type"] == base.get("type")
            merged = {**base, **entry} if same_type else dict(entry)
            entries[at] = (merged, cpath, pindex if same_type else None)
            for key in entry:
                self.prov.set(f"__check__{at}.{key}", self.file, f"{cpath}.{key}")
        stage["checks"] = [c for c, _, _ in entries]
        if not stage["checks"]:
            del stage["checks"]
        for k in [k for k in self.prov.where if k.startswith(f"{path}.checks[")]:
            del self.prov.where[k]
        for n, (check, origin, pindex) in enumerate(entries):
            rpath = f"{path}.checks[{n}]"
            if origin is None and pindex is not None:
                self.prov.inherit(rpath, self.parent.provenance, f"{path}.checks[{pindex}]")
                continue
            self.prov.set(rpath, self.file, origin or rpath)
            for key in check:
                tag = f"__check__{n}.{key}"
                if tag in self.prov.where:
                    self.prov.where[f"{rpath}.{key}"] = self.prov.where.pop(tag)
                elif pindex is not None:  # a key the child left as the parent had it
                    self.prov.inherit(f"{rpath}.{key}", self.parent.provenance, f"{path}.checks[{pindex}].{key}")
        for k in [k for k in self.prov.where if k.startswith("__check__")]:
            del self.prov.where[k]

    def _add_stage(self, stages: dict, name: str, spec: dict) -> dict:
        path = f"stages.{name}"
        self.mine(path)
        stage = {k: v for k, v in spec.items() if k not in LAYER_STAGE_KEYS}
        if "drop_checks" in spec:
            self.problem(f"{path}.drop_checks", f"{name!r} is a new stage, so it has no inherited checks to drop",
                         "remove drop_checks, or check the stage name against the parent's")
        after = spec.get("after")
        if "after" not in spec:
            # placed before the first final stage; reached by a `next` that names it
            order = list(stages)
            at = next((i for i, n in enumerate(order) if stages[n].get("final") is True), len(order))
            return _insert(stages, at, name, stage)
        if not isinstance(after, str) or after not in stages:
            self.problem(f"{path}.after", f"there is no stage called {after!r} to place {name!r} after",
                         f"stages are: {', '.join(stages)}")
            return _insert(stages, len(stages), name, stage)
        before = stages[after]
        if before.get("final") is True:
            self.problem(f"{path}.after", f"{after!r} is the final stage, so nothing can come after it",
                         "place the new stage after an earlier stage")
            return _insert(stages, len(stages), name, stage)
        if isinstance(before.get("next"), list):
            self.problem(f"{path}.after", f"{after!r} branches (its `next` is a list of choices), so there is "
                                          f"no one place after it", f"leave out `after`, and point one choice in "
                                          f"[stages.{after}] next at {name!r}")
            return _insert(stages, len(stages), name, stage)
        if "next" not in stage and not stage.get("final") and "next" in before:
            stage["next"] = before["next"]
            self.prov.set(f"{path}.next", self.file, f"{path}.after")
        before["next"] = name
        self.prov.set(f"stages.{after}.next", self.file, f"{path}.after")
        return _insert(stages, list(stages).index(after) + 1, name, stage)

    def _drop_stages(self, stages: dict, drops: Any, own: dict) -> dict:
        if not isinstance(drops, list):
            self.problem("workflow.drop_stages", f"expected a list of stage names, found {drops!r}",
                         "such as drop_stages = [\"recognition\"]")
            return stages
        gone: dict[str, int] = {}
        for i, name in enumerate(drops):
            if name not in self.pdef["stages"]:
                self.problem(f"workflow.drop_stages[{i}]", f"the workflow this one extends has no stage {name!r}",
                             f"its stages are: {', '.join(self.pdef['stages'])}")
            elif name in own:
                self.problem(f"workflow.drop_stages[{i}]", f"{name!r} is dropped and also changed in [stages.{name}]",
                             "keep one: drop the stage, or change it")
            else:
                gone[name] = i
        if not gone:
            return stages

        def onward(target: Any, i: int) -> Any:
            seen = set()
            while isinstance(target, str) and target in gone and target not in seen:
                seen.add(target)
                target = stages[target].get("next")
            return target

        first = next(iter(stages))
        kept = {n: s for n, s in stages.items() if n not in gone}
        for name, stage in kept.items():
            following = stage.get("next")
            if isinstance(following, str) and following in gone:
                i = gone[following]
                mended = onward(following, i)
                if not isinstance(mended, str):
                    self.problem(f"workflow.drop_stages[{i}]",
                                 f"dropping {following!r} leaves the stage {name!r} with nowhere to go",
                                 f"set `next` in [stages.{name}] to another stage, or drop {name!r} too")
                    continue
                stage["next"] = mended
                self.prov.set(f"stages.{name}.next", self.file, f"workflow.drop_stages[{i}]")
            elif isinstance(following, list):
                self._mend_choices(name, stage, following, gone, onward)
        if first in gone:
            start = onward(first, gone[first])
            if isinstance(start, str) and start in kept:
                kept = {start: kept[start], **{n: s for n, s in kept.items() if n != start}}
        self._stranded(kept, gone)
        return kept

    def _mend_choices(self, name: str, stage: dict, choices: list, gone: dict[str, int], onward: Any) -> None:
        """A choice that led to a dropped stage leads where that stage led; a choice that then
        leads where a later choice does is left out, so the later one (often the "otherwise")
        still catches every project."""
        mended_any, kept = False, []
        for choice in choices:
            target = choice.get("stage") if isinstance(choice, dict) else None
            if target in gone:
                i = gone[target]
                onto = onward(target, i)
                if not isinstance(onto, str):
                    self.problem(f"workflow.drop_stages[{i}]",
                                 f"dropping {target!r} leaves a choice of {name!r} with nowhere to go",
                                 f"change the choices of `next` in [stages.{name}]")
                    return
                choice = {**choice, "stage": onto}
                mended_any = True
            kept.append(choice)
        if not mended_any:
            return
        targets = [c.get("stage") if isinstance(c, dict) else None for c in kept]
        unique = [c for n, c in enumerate(kept) if targets[n] not in targets[n + 1:]]
        stage["next"] = unique[0]["stage"] if len(unique) == 1 and "when" not in unique[0] else unique
        first = min(gone[t] for t in gone if any(isinstance(c, dict) and c.get("stage") == t for c in choices))
        self.prov.set(f"stages.{name}.next", self.file, f"workflow.drop_stages[{first}]")

    def _stranded(self, stages: dict, gone: dict[str, int]) -> None:
        """A stage that only a dropped stage led to would be left where no project can reach it."""
        if not stages:
            return
        reached, todo = set(), [next(iter(stages))]
        while todo:
            name = todo.pop()
            if name in reached or name not in stages:
                continue
            reached.add(name)
            following = stages[name].get("next")
            if isinstance(following, str):
                todo.append(following)
            elif isinstance(following, list):
                todo.extend(c.get("stage") for c in following if isinstance(c, dict))
        stranded = [n for n in stages if n not in reached]
        if stranded:
            first_drop = min(gone.values())
            self.problem(f"workflow.drop_stages[{first_drop}]",
                         f"dropping {', '.join(map(repr, gone))} strands {', '.join(map(repr, stranded))}: "
                         "no project could reach it", "drop those stages too, or point a `next` at them")


def _insert(stages: dict, at: int, name: str, stage: dict) -> dict:
    items = list(stages.items())
    items.insert(at, (name, stage))
    return dict(items)
