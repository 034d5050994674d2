"""Evidence files are taken in safely: ordinary files only, a size limit, owner-only copies.

Real symbolic links, FIFOs, devices and sparse files, through the real command line.
"""

from __future__ import annotations

import os
import stat

from cli_helpers import history_length


def stored_files(home) -> list[str]:
    folder = home / ".coflow" / "evidence"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_symbolic_link_is_refused_without_copying_what_it_points_at(run_process, run, home, tmp_path, p1):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$not-for-the-evidence-folder", encoding="utf-8")
    secret.chmod(0o600)
    link = tmp_path / "minutes.pdf"
    link.symlink_to(secret)
    before = history_length(run)
    result = run_process("evidence", "add", "p1", "--kind", "minutes", "--file", str(link))
    assert result.exit_code == 2, result
    assert "symbolic link" in result.stderr and "minutes.pdf" in result.stderr
    assert stored_files(home) == [] and history_length(run) == before
    shadow = tmp_path / "shadow-link"
    shadow.symlink_to("/etc/shadow")
    assert run_process("evidence", "add", "p1", "--kind", "minutes", "--file", str(shadow)).exit_code == 2
    assert stored_files(home) == []


def test_a_fifo_and_a_device_are_refused_at_once_without_reading(run_process, run, home, tmp_path, p1):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_process("evidence", "add", "p1", "--kind", "minutes", "--file", str(fifo), timeout=30)
    assert result.exit_code == 2 and "named pipe" in result.stderr, result
    zero = run_process("evidence", "add", "p1", "--kind", "minutes", "--file", "/dev/zero", timeout=30)
    assert zero.exit_code == 2 and "device" in zero.stderr, zero
    assert stored_files(home) == [] and history_length(run) == 1


def test_a_huge_sparse_file_is_refused_by_size_without_being_read(run_process, run, home, tmp_path, p1):
    huge = tmp_path / "huge.bin"
    with open(huge, "wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GB, sparse: takes no disk space, would take minutes to read
    result = run_process("evidence", "add", "p1", "--kind", "minutes", "--file", str(huge), timeout=30)
    assert result.exit_code == 2 and "more than the limit of 100 MB" in result.stderr, result
    assert "evidence_max_mb" in result.stderr
    assert stored_files(home) == [] and history_length(run) == 1


def test_evidence_max_mb_in_coflow_toml_sets_the_limit(run, home, tmp_path, p1):
    config = home / "coflow.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("evidence_max_mb = 100", "evidence_max_mb = 1"),
                      encoding="utf-8")
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    refused = run("evidence", "add", "p1", "--kind", "minutes", "--file", str(big))
    assert refused.exit_code == 2 and "more than the limit of 1 MB" in refused.stderr
    small = tmp_path / "small.pdf"
    small.write_bytes(b"x" * (1024 * 1024))
    assert run("evidence", "add", "p1", "--kind", "minutes", "--file", str(small)).exit_code == 0


def test_a_bad_evidence_max_mb_is_a_config_error(run, home):
    config = home / "coflow.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("evidence_max_mb = 100", "evidence_max_mb = -1"),
                      encoding="utf-8")
    result = run("status")
    assert result.exit_code == 3 and "evidence_max_mb" in result.stderr


def test_copies_and_the_store_are_readable_by_their_owner_only(run, home, tmp_path, p1):
    document = tmp_path / "minutes.pdf"
    document.write_bytes(b"%PDF minutes")
    document.chmod(0o644)
    assert run("evidence", "add", "p1", "--kind", "minutes", "--file", str(document)).exit_code == 0
    folder = home / ".coflow" / "evidence"
    (copy,) = folder.iterdir()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((home / ".coflow").stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((home / ".coflow" / "coflow.db").stat().st_mode) & 0o077 == 0


def test_a_named_group_may_read_the_copies(run, home, tmp_path, p1):
    import grp

    group = grp.getgrgid(os.getegid()).gr_name
    config = home / "coflow.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"\ngroup = \"{group}\"\n", encoding="utf-8")
    document = tmp_path / "minutes.pdf"
    document.write_bytes(b"%PDF minutes for the group")
    assert run("evidence", "add", "p1", "--kind", "minutes", "--file", str(document)).exit_code == 0
    (copy,) = (home / ".coflow" / "evidence").iterdir()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o640 and copy.stat().st_gid == os.getegid()
    config.write_text(config.read_text(encoding="utf-8").replace(f"group = \"{group}\"",
                                                                 "group = \"no-such-group-here\""), encoding="utf-8")
    other = tmp_path / "other.pdf"
    other.write_bytes(b"other")
    result = run("evidence", "add", "p1", "--kind", "minutes", "--file", str(other))
    assert result.exit_code == 3 and "no-such-group-here" in result.stderr
