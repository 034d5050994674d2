"""A workflow file is hashed once per process while it stays the same, and a change (even
one keeping its size, made just now) is always seen."""

from __future__ import annotations

import hashlib
import os

from coflow import filedigest


def test_a_file_is_hashed_once_while_it_stays_the_same(tmp_path, monkeypatch):
    path = tmp_path / "w.toml"
    path.write_bytes(b"version = 1\n")
    old = os.stat(path).st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(old, old))
    assert filedigest.file_sha256(str(path)) == hashlib.sha256(b"version = 1\n").hexdigest()
    calls = []
    monkeypatch.setattr(filedigest, "sha256_hex", lambda data: calls.append(data) or "hashed again")
    assert filedigest.file_sha256(str(path)) == hashlib.sha256(b"version = 1\n").hexdigest()
    assert calls == []


def test_a_change_of_the_same_size_made_just_now_is_seen(tmp_path):
    path = tmp_path / "w.toml"
    path.write_bytes(b"version = 1\n")
    first = filedigest.file_sha256(str(path))
    path.write_bytes(b"version = 2\n")  # same size, likely the same clock tick
    assert filedigest.file_sha256(str(path)) != first
    assert filedigest.file_sha256(str(path)) == hashlib.sha256(b"version = 2\n").hexdigest()
