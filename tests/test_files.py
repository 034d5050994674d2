"""atomic_write: a file is wholly written or not at all, with the permissions asked for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coflow.errors import UsageError
from coflow.files import atomic_write


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_text_bytes_and_chunks_are_written_exactly(tmp_path):
    atomic_write(tmp_path / "a.txt", "line one\r\nlíne two\n")
    atomic_write(tmp_path / "b.bin", b"\x00\x01\xff")
    atomic_write(tmp_path / "c.bin", iter([b"abc", b"", b"def"]))
    assert (tmp_path / "a.txt").read_bytes() == "line one\r\nlíne two\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01\xff"
    assert (tmp_path / "c.bin").read_bytes() == b"abcdef"
    assert leftovers(tmp_path) == []


def test_private_files_are_owner_only_and_others_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "shared.txt", "x")
        atomic_write(tmp_path / "private.txt", "x", private=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "shared.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "private.txt").stat().st_mode) == 0o600


def test_a_failure_part_way_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("the old report", encoding="utf-8")

    def chunks():
        yield b"half of the new "
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, chunks())
    assert target.read_text(encoding="utf-8") == "the old report"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_an_oserror_for_the_caller_to_explain(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "nowhere" / "file.txt", "x")


def test_evidence_that_grows_past_the_limit_while_copied_is_stopped_and_nothing_is_kept(tmp_path):
    from coflow.records import evidence_files

    source = tmp_path / "minutes.txt"
    source.write_bytes(b"x" * 3000)
    fd, size = evidence_files.open_regular(source, 10_000)
    assert size == 3000
    try:  # the file was small when examined, but more arrives than the limit allows
        with pytest.raises(UsageError, match="more than the limit"):
            evidence_files.copy_in(fd, str(source), tmp_path / "state" / "evidence", 2048)
    finally:
        os.close(fd)
    assert list((tmp_path / "state" / "evidence").iterdir()) == []


def test_evidence_is_copied_once_under_its_sha256(tmp_path):
    import hashlib

    from coflow.records import evidence

    class Engine:
        class config:
            state_dir = tmp_path / "state"

    source = tmp_path / "minutes.txt"
    source.write_bytes(b"minutes" * 1000)
    first = evidence.copy_in(Engine(), source)
    again = evidence.copy_in(Engine(), source)
    assert first == again == hashlib.sha256(b"minutes" * 1000).hexdigest()
    folder = tmp_path / "state" / "evidence"
    assert [p.name for p in folder.iterdir()] == [first]
    assert (folder / first).read_bytes() == b"minutes" * 1000
