"""Workflow files are parsed and validated once per process while their bytes stay the same:
an edited file (or an edited file it extends) is seen by the very next load in the same
process, even when its size and modification time are unchanged."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coflow import config
from coflow.engine import Engine
from coflow.errors import InvalidWorkflow
from coflow.pinning import definition_hash

BASE = """\
schema = 1
[workflow]
id = "base"
version = "1"
title = "Base workflow"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "sponsor"
type = "fact"
key = "sponsor"
title = "A sponsor is named"
[stages.closed]
title = "Closed"
final = true
"""

CHILD = """\
schema = 1
[workflow]
id = "child"
version = "1"
title = "Child workflow"
extends = "base"
[stages.planning]
title = "Planning (local)"
"""


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file keeping its size and modification time, so only its bytes say
    it changed (as an edit within the clock's granularity would)."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


@pytest.fixture
def engine(home):
    (home / "workflows" / "base.toml").write_text(BASE, encoding="utf-8")
    (home / "workflows" / "child.toml").write_text(CHILD, encoding="utf-8")
    return Engine(config.load(home))


def test_an_unchanged_workflow_is_loaded_once_per_process(engine):
    first = engine.load_workflow("base")
    assert engine.load_workflow("base") is first
    assert engine.load_workflow(first.path) is engine.load_workflow(first.path)


def test_an_edited_workflow_file_is_seen_by_the_next_load(engine, home):
    before = engine.load_workflow("base")
    assert before.stages["planning"].checks[0].title == "A sponsor is named"
    edit(home / "workflows" / "base.toml", "A sponsor is named", "A sponsor is found")
    after = engine.load_workflow("base")
    assert after.stages["planning"].checks[0].title == "A sponsor is found"
    assert after.content_hash != before.content_hash


def test_a_project_created_after_an_edit_pins_the_edited_workflow(engine, home):
    account = engine.account
    first = engine.create("p1", "base", account)
    same = engine.create("p2", "base", account)
    assert first.workflow_hash == same.workflow_hash  # the kept copy pins what a fresh read pins
    edit(home / "workflows" / "base.toml", "A sponsor is named", "A sponsor is found")
    edited = engine.create("p3", "base", account)
    assert edited.workflow_hash != first.workflow_hash
    stored = engine.store.workflow_definition(edited.workflow_hash)
    assert stored["stages"]["planning"]["checks"][0]["title"] == "A sponsor is found"
    pinned = engine.history("p3")[0].data["workflow"]
    assert pinned["definition_hash"] == definition_hash(stored)


def test_a_kept_workflow_pins_the_same_as_a_fresh_process(engine, home):
    """Creating from the kept copy records the same fingerprints and stores the same definition
    as a process that reads the file for the first time."""
    account = engine.account
    engine.create("p1", "child", account)
    engine.create("p2", "child", account)  # from the kept copy
    fresh = Engine(config.load(home))
    from coflow.workflow import cache

    cache.clear()
    fresh.create("p3", "child", account)
    pins = [engine.history(p)[0].data["workflow"] for p in ("p1", "p2", "p3")]
    assert pins[0] == pins[1] == pins[2]
    assert pins[0]["parents"][0]["id"] == "base"


def test_an_edited_parent_is_seen_by_the_next_load_of_the_workflow_extending_it(engine, home):
    before = engine.load_workflow("child")
    assert before.stages["planning"].checks[0].title == "A sponsor is named"
    edit(home / "workflows" / "base.toml", "A sponsor is named", "A sponsor is found")
    after = engine.load_workflow("child")
    assert after.stages["planning"].checks[0].title == "A sponsor is found"
    assert after.stages["planning"].title == "Planning (local)"
    assert after.content_hash != before.content_hash
    assert after.parents[0]["hash"] != before.parents[0]["hash"]


def test_an_edited_child_is_seen_too(engine, home):
    engine.load_workflow("child")
    edit(home / "workflows" / "child.toml", "Planning (local)", "Planning (north)")
    assert engine.load_workflow("child").stages["planning"].title == "Planning (north)"


def test_a_parent_that_appears_earlier_in_the_folders_is_used_at_once(home, engine, tmp_path):
    """`extends = "base"` finds the first workflow called base in the folders, in order: a new
    file in an earlier folder takes over from the one the kept copy was built on."""
    plugin_like = tmp_path / "later"
    plugin_like.mkdir()
    (home / "workflows" / "base.toml").rename(plugin_like / "base.toml")
    engine.workflow_dirs = lambda: [home / "workflows", plugin_like]  # type: ignore[method-assign]
    assert engine.load_workflow("child").parents[0]["path"] == str((plugin_like / "base.toml").resolve())
    (home / "workflows" / "base.toml").write_text(BASE.replace("A sponsor is named", "A sponsor is found"),
                                                  encoding="utf-8")
    again = engine.load_workflow("child")
    assert again.parents[0]["path"] == str((home / "workflows" / "base.toml").resolve())
    assert again.stages["planning"].checks[0].title == "A sponsor is found"


def test_a_workflow_made_invalid_is_reported_not_given_from_memory(engine, home):
    engine.load_workflow("base")
    edit(home / "workflows" / "base.toml", 'type = "fact"', 'type = "fict"')
    with pytest.raises(InvalidWorkflow) as raised:
        engine.load_workflow("base")
    assert "unknown check type 'fict'" in " ".join(raised.value.details)


def test_a_parent_made_invalid_is_reported_through_the_child(engine, home):
    engine.load_workflow("child")
    edit(home / "workflows" / "base.toml", 'type = "fact"', 'type = "fict"')
    with pytest.raises(InvalidWorkflow) as raised:
        engine.load_workflow("child")
    assert "the workflow it extends" in raised.value.message


def test_a_removed_parent_is_reported(engine, home):
    engine.load_workflow("child")
    (home / "workflows" / "base.toml").unlink()
    with pytest.raises(InvalidWorkflow) as raised:
        engine.load_workflow("child")
    assert "there is no workflow with id 'base'" in " ".join(raised.value.details)


def test_a_changed_id_is_seen_when_looking_workflows_up_by_id(engine, home):
    assert engine.load_workflow("base").id == "base"
    edit(home / "workflows" / "base.toml", 'id = "base"', 'id = "bass"')
    assert engine.load_workflow("bass").id == "bass"
    from coflow.errors import NotFound

    with pytest.raises(NotFound):
        engine.load_workflow("base")


def test_a_parent_named_by_path_is_seen_when_edited(engine, home, tmp_path):
    """`extends = "base-file.toml"` (a path, read from the child's folder): an edit to that
    file reaches the next load of the child, as one found by id does."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "base-file.toml").write_text(BASE.replace('id = "base"', 'id = "bfile"'), encoding="utf-8")
    child = folder / "by-path.toml"
    child.write_text(CHILD.replace('id = "child"', 'id = "bypath"').replace('extends = "base"',
                                                                             'extends = "base-file.toml"'),
                     encoding="utf-8")
    first = engine.load_workflow(str(child))
    assert first.parents[0]["id"] == "bfile"
    assert engine.load_workflow(str(child)) is first
    edit(folder / "base-file.toml", "A sponsor is named", "A sponsor is found")
    again = engine.load_workflow(str(child))
    assert again.stages["planning"].checks[0].title == "A sponsor is found"
    assert again.content_hash != first.content_hash


@pytest.fixture
def settled(monkeypatch):
    """Every file counts as settled (not written in the last two seconds), so a load that
    finds a file's size, times and inode unchanged takes its hash without reading it."""
    from coflow.workflow import cache

    monkeypatch.setattr(cache, "_SETTLED_NS", -(10**18))


def test_a_settled_unchanged_file_is_not_read_again(engine, settled, monkeypatch):
    from coflow.workflow import loader

    first = engine.load_workflow("child")
    reads: list[str] = []
    real = loader.read_file
    monkeypatch.setattr(loader, "read_file", lambda path: reads.append(str(path)) or real(path))
    assert engine.load_workflow("child") is first
    assert reads == []  # neither the child nor the parent it extends


def test_a_settled_file_edited_with_its_size_and_modification_time_kept_is_still_seen(engine, home, settled):
    """The change time moves with every write, whatever the modification time is set back to."""
    before = engine.load_workflow("child")
    time.sleep(0.05)  # past the clock's tick, so the write's change time differs
    edit(home / "workflows" / "base.toml", "A sponsor is named", "A sponsor is found")
    after = engine.load_workflow("child")
    assert after.stages["planning"].checks[0].title == "A sponsor is found"
    assert after.content_hash != before.content_hash
    time.sleep(0.05)
    edit(home / "workflows" / "child.toml", "Planning (local)", "Planning (north)")
    assert engine.load_workflow("child").stages["planning"].title == "Planning (north)"


def test_a_file_written_moments_ago_is_read_again_even_with_the_same_times(engine, home, monkeypatch):
    """Two writes within the clock's granularity can leave size and every time the same: a
    file written in the last two seconds is always read and hashed again."""
    from coflow.workflow import loader

    engine.load_workflow("base")
    reads: list[str] = []
    real = loader.read_file
    monkeypatch.setattr(loader, "read_file", lambda path: reads.append(str(path)) or real(path))
    engine.load_workflow("base")
    assert str(home / "workflows" / "base.toml") in reads
