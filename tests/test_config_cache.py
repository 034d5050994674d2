"""The parsed copy of coflow.toml: used only for exactly the file's text, and only when no
one but coflow.toml's owner could have written it; never needed for correct settings."""

from __future__ import annotations

import json
import os

import pytest

from coflow import config
from coflow.config_cache import CACHE_NAME

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the copy is kept on POSIX systems only")


def cache_of(home):
    return home / ".coflow" / CACHE_NAME


def test_loading_keeps_a_copy_and_a_changed_file_is_read_afresh(home):
    first = config.load(home)
    assert cache_of(home).is_file()
    assert json.loads(cache_of(home).read_text())["text"] == (home / "coflow.toml").read_text()
    assert config.load(home).currency == first.currency == "GBP"
    toml = home / "coflow.toml"
    toml.write_text(toml.read_text().replace('currency = "GBP"', 'currency = "EUR"'), encoding="utf-8")
    assert config.load(home).currency == "EUR"
    assert json.loads(cache_of(home).read_text())["data"]["currency"] == "EUR"


def test_a_copy_for_other_text_is_never_used(home):
    config.load(home)
    held = json.loads(cache_of(home).read_text())
    held["text"] += "\n# not the file\n"
    held["data"]["currency"] = "USD"
    cache_of(home).write_text(json.dumps(held))
    assert config.load(home).currency == "GBP"


def test_a_copy_others_may_write_is_never_used(home):
    config.load(home)
    held = json.loads(cache_of(home).read_text())
    held["data"]["actors"] = {"mallory": {"permissions": ["override"]}}
    cache_of(home).write_text(json.dumps(held))
    cache_of(home).chmod(0o666)
    assert "mallory" not in config.load(home).actors
    assert config.load(home).actor("mallory").permissions == []


def test_a_broken_copy_is_ignored_and_bad_settings_are_still_refused(home):
    cache_of(home).write_text("{not json")
    assert config.load(home).currency == "GBP"
    toml = home / "coflow.toml"
    toml.write_text(toml.read_text().replace('currency = "GBP"', 'currency = "pounds"'), encoding="utf-8")
    with pytest.raises(config.ConfigError):
        config.load(home)
    with pytest.raises(config.ConfigError):  # the copy of the bad text is refused the same way
        config.load(home)


def test_no_copy_without_a_state_folder(tmp_path):
    (tmp_path / "coflow.toml").write_text('currency = "GBP"\n', encoding="utf-8")
    assert config.load(tmp_path).currency == "GBP"
    assert not (tmp_path / ".coflow").exists()
