"""`coflow verify --anchor` and `--against`: heads written down elsewhere prove later that
nothing up to them was rewritten, even by someone who recomputed every hash. A bad anchor
file is exit 2 (nothing checked); a log that does not match is exit 5."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from tampering import rewrite_with_recomputed_hashes, tamper

from coflow.anchor import parse_anchor
from coflow.errors import UsageError


@pytest.fixture
def projects(run):
    """p1 with five events, p2 with two."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    for key, value in (("sponsor", "Dr A. Mensah"), ("budget", "750"), ("dpia_ref", "DPIA-1")):
        assert run("record", "p1", key, value).exit_code == 0
    assert run("advance", "p1").exit_code == 0
    assert run("new", "p2", "--workflow", "mini").exit_code == 0
    assert run("record", "p2", "sponsor", "Ms B").exit_code == 0
    return run


@pytest.fixture
def anchor_file(projects, tmp_path):
    path = tmp_path / "anchor.txt"
    result = projects("verify", "--anchor", "-o", str(path))
    assert result.exit_code == 0, result
    return path


def heads(run, project: str) -> tuple[int, str]:
    last = run("history", project, "--json").json()[-1]
    return last["seq"], last["hash"]


def mismatch(result, project: str, seq: int) -> None:
    assert result.exit_code == 5, result
    assert f"project {project}" in result.stderr and f"from event {seq}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def bad_anchor(result, words: str) -> None:
    assert result.exit_code == 2, result
    assert words in result.stderr, result.stderr
    assert "nothing was checked" in result.stderr and "Traceback" not in result.stderr


# -- writing anchors ------------------------------------------------------------------------


def test_anchor_lists_each_projects_head_and_a_digest_anyone_can_recompute(projects):
    result = projects("verify", "--anchor")
    assert result.exit_code == 0, result
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert lines[0] == "coflow-anchor 1"
    assert re.fullmatch(r"created \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", lines[1])
    seq1, head1 = heads(projects, "p1")
    seq2, head2 = heads(projects, "p2")
    assert lines[2:4] == [f"project p1 seq {seq1} head {head1}", f"project p2 seq {seq2} head {head2}"]
    # the digest line is the same as `grep '^project ' FILE | sha256sum`
    expected = hashlib.sha256("".join(line + "\n" for line in lines[2:4]).encode()).hexdigest()
    assert lines[4] == f"digest sha256:{expected}"
    assert len(lines) == 5


def test_anchor_json_holds_the_same_heads_and_digest(projects):
    text = projects("verify", "--anchor").stdout
    data = projects("verify", "--anchor", "--json").json()
    assert data["format"] == "coflow-anchor" and data["version"] == 1
    assert data["projects"] == [{"project": "p1", "seq": 5, "head": heads(projects, "p1")[1]},
                                {"project": "p2", "seq": 2, "head": heads(projects, "p2")[1]}]
    assert f"digest {data['digest']}" in text


def test_anchor_of_one_project_holds_only_that_project(projects):
    data = projects("verify", "p2", "--anchor", "--json").json()
    assert [h["project"] for h in data["projects"]] == ["p2"]


def test_anchor_to_a_file_says_which_line_to_quote(projects, tmp_path):
    path = tmp_path / "anchor.txt"
    result = projects("verify", "--anchor", "-o", str(path))
    assert result.exit_code == 0
    digest = parse_anchor(path.read_text()).digest
    assert f"digest {digest}" in result.stdout and "board papers" in result.stdout
    assert path.read_text().endswith(f"digest {digest}\n")


def test_anchor_json_to_a_file_is_read_back_by_against(projects, tmp_path):
    path = tmp_path / "anchor.json"
    result = projects("verify", "--anchor", "--json", "-o", str(path))
    assert result.exit_code == 0 and result.json()["file"] == str(path)
    assert json.loads(path.read_text())["format"] == "coflow-anchor"
    assert projects("verify", "--against", str(path)).exit_code == 0


def test_no_anchor_is_written_for_a_broken_history(projects, home, tmp_path):
    tamper(home, "UPDATE events SET actor = 'x' WHERE project = 'p1' AND seq = 2")
    path = tmp_path / "anchor.txt"
    result = projects("verify", "--anchor", "-o", str(path))
    mismatch(result, "p1", 2)
    assert "no anchor was written" in result.stderr
    assert not path.exists()
    assert projects("verify", "--anchor").stdout == ""


def test_anchor_into_a_missing_folder_writes_nothing(projects, tmp_path):
    result = projects("verify", "--anchor", "-o", str(tmp_path / "no-such-folder" / "anchor.txt"))
    assert result.exit_code == 2 and "there is no folder" in result.stderr
    assert not (tmp_path / "no-such-folder").exists()
    result = projects("verify", "--anchor", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_anchor_options_that_do_not_go_together_are_usage_errors(projects, anchor_file):
    assert projects("verify", "--anchor", "--against", str(anchor_file)).exit_code == 2
    assert projects("verify", "-o", "x.txt").exit_code == 2
    assert projects("verify", "--digest", "sha256:00").exit_code == 2


# -- checking against anchors ---------------------------------------------------------------


def test_an_untouched_store_matches_its_anchor(projects, anchor_file):
    result = projects("verify", "--against", str(anchor_file))
    assert result.exit_code == 0, result
    assert "p1: matches the anchor at event 5" in result.stdout
    assert "Nothing up to the anchored events has been changed." in result.stdout


def test_later_events_and_new_projects_are_allowed(projects, anchor_file):
    assert projects("record", "p1", "report_ref", "R-1").exit_code == 0
    assert projects("new", "p3", "--workflow", "mini").exit_code == 0
    result = projects("verify", "--against", str(anchor_file))
    assert result.exit_code == 0, result
    assert "p1: matches the anchor at event 5 (1 later event, intact)" in result.stdout
    assert "p3: not in the anchor" in result.stdout
    data = projects("verify", "--against", str(anchor_file), "--json").json()
    assert data["intact"] is True and data["anchor"]["digest"] == parse_anchor(anchor_file.read_text()).digest
    assert {p["project"]: p["later_events"] for p in data["projects"]} == {"p1": 1, "p2": 0, "p3": None}


def test_a_rewrite_with_every_hash_recomputed_is_caught_by_the_anchor(projects, home, anchor_file):
    rewrite_with_recomputed_hashes(home, "p1", 3, {"key": "budget", "value": 50000})
    assert projects("verify").exit_code == 0  # the chain alone cannot see it
    result = projects("verify", "--against", str(anchor_file))
    mismatch(result, "p1", 5)
    assert "rewritten" in result.stderr
    assert "p2: matches the anchor" in result.stdout
    data = projects("verify", "--against", str(anchor_file), "--json").json()
    assert data["intact"] is False
    assert [(p["project"], p["matches"], p["first_bad_seq"]) for p in data["projects"]] == [
        ("p1", False, 5), ("p2", True, None)]


def test_events_removed_and_hidden_from_the_store_head_are_caught(projects, home, anchor_file):
    conn_head = projects("history", "p1", "--json").json()[2]["hash"]
    tamper(home, "DELETE FROM events WHERE project = 'p1' AND seq > 3",
           f"UPDATE projects SET seq = 3, head_hash = '{conn_head}' WHERE id = 'p1'")
    assert projects("verify").exit_code == 0
    result = projects("verify", "--against", str(anchor_file))
    mismatch(result, "p1", 4)
    assert "only 3 remain" in result.stderr


def test_a_naive_edit_before_the_anchored_event_is_named_at_its_seq(projects, home, anchor_file):
    tamper(home, "UPDATE events SET data = replace(data, '750', '75') WHERE project = 'p1' AND seq = 3")
    mismatch(projects("verify", "--against", str(anchor_file)), "p1", 3)


def test_a_broken_event_after_the_anchor_also_fails(projects, home, anchor_file):
    assert projects("record", "p1", "report_ref", "R-1").exit_code == 0
    tamper(home, "UPDATE events SET data = replace(data, 'R-1', 'R-2') WHERE project = 'p1' AND seq = 6")
    result = projects("verify", "--against", str(anchor_file))
    mismatch(result, "p1", 6)
    assert "matches the anchor up to event 5" in result.stderr


def test_an_anchored_project_missing_from_the_store_fails(projects, home, anchor_file):
    tamper(home, "DELETE FROM events WHERE project = 'p2'", "DELETE FROM projects WHERE id = 'p2'")
    assert projects("verify").exit_code == 0
    result = projects("verify", "--against", str(anchor_file))
    mismatch(result, "p2", 1)
    assert "missing from the store" in result.stderr


def test_against_for_one_project(projects, home, anchor_file):
    rewrite_with_recomputed_hashes(home, "p1", 2, {"key": "sponsor", "value": "Someone else"})
    assert projects("verify", "p2", "--against", str(anchor_file)).exit_code == 0
    mismatch(projects("verify", "p1", "--against", str(anchor_file)), "p1", 5)
    result = projects("verify", "p9", "--against", str(anchor_file))
    assert result.exit_code == 2 and "no project called 'p9'" in result.stderr


# -- bad anchor files -----------------------------------------------------------------------


def test_an_anchor_file_edited_by_hand_is_refused_as_altered(projects, anchor_file, tmp_path):
    forged = tmp_path / "forged.txt"
    forged.write_text(anchor_file.read_text().replace("project p1 seq 5", "project p1 seq 4"))
    bad_anchor(projects("verify", "--against", str(forged)), "does not match its own digest")


def test_a_forged_anchor_with_a_fixed_digest_is_caught_by_the_quoted_digest(projects, anchor_file, tmp_path):
    quoted = parse_anchor(anchor_file.read_text()).digest
    lines = anchor_file.read_text().splitlines()
    first = projects("history", "p1", "--json").json()[3]
    lines = [f"project p1 seq 4 head {first['hash']}" if line.startswith("project p1 ") else line
             for line in lines if not line.startswith("digest ")]
    body = "".join(line + "\n" for line in lines if line.startswith("project "))
    lines.append("digest sha256:" + hashlib.sha256(body.encode()).hexdigest())
    forged = tmp_path / "forged.txt"
    forged.write_text("\n".join(lines) + "\n")
    assert projects("verify", "--against", str(forged)).exit_code == 0  # consistent, and true of the log
    result = projects("verify", "--against", str(forged), "--digest", quoted)
    assert result.exit_code == 2 and "not the one whose digest you gave" in result.stderr
    assert projects("verify", "--against", str(anchor_file), "--digest", quoted).exit_code == 0


def test_every_cut_short_anchor_is_refused(projects, anchor_file):
    text = anchor_file.read_text()
    whole = parse_anchor(text)
    for cut in range(len(text) - 1):  # dropping only the final newline loses nothing
        try:
            anchor = parse_anchor(text[:cut])
        except UsageError:
            continue
        pytest.fail(f"a file cut at {cut} characters was accepted: {anchor} (whole: {whole})")


def test_every_cut_short_json_anchor_is_refused(projects):
    text = projects("verify", "--anchor", "--json").stdout
    for cut in range(len(text.rstrip())):
        with pytest.raises(UsageError):
            parse_anchor(text[:cut])


def test_a_cut_short_anchor_through_the_command_line(projects, anchor_file, tmp_path):
    short = tmp_path / "short.txt"
    text = anchor_file.read_text()
    short.write_text(text[: text.index("digest")])
    bad_anchor(projects("verify", "--against", str(short)), "no digest line")
    short.write_text(text[: text.index("project p2") + 20])
    bad_anchor(projects("verify", "--against", str(short)), "line 7")


@pytest.mark.parametrize("content, words", [
    ("", "it is empty"),
    ("# only a comment\n", "it is empty"),
    ("hello world\n", "not a coflow anchor"),
    ("coflow-anchor 2\ncreated 2026-03-04T10:00:00.000000Z\ndigest sha256:x\n", "newer coflow"),
    ("coflow-anchor one\n", "unknown anchor format version"),
    ("coflow-anchor 1\ndigest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n",
     "no 'created' line"),
    ("coflow-anchor 1\ncreated yesterday\n", "'created' should be a UTC time"),
    ("coflow-anchor 1\ncreated 2026-03-04T10:00:00.000000Z\nproject p1 seq 0 head " + "a" * 64 + "\n",
     "whole number from 1"),
    ("coflow-anchor 1\ncreated 2026-03-04T10:00:00.000000Z\nproject p1 seq 3 head " + "A" * 64 + "\n",
     "64 hexadecimal"),
    ("coflow-anchor 1\ncreated 2026-03-04T10:00:00.000000Z\nproject p1 seq 3 head " + "a" * 64 + "\n"
     "project p1 seq 4 head " + "b" * 64 + "\n", "appears twice"),
    ("coflow-anchor 1\ncreated 2026-03-04T10:00:00.000000Z\nwho knows\n", "unexpected line"),
    ("coflow-anchor 1\ncreated 2026-03-04T10:00:00.000000Z\n"
     "digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nmore\n",
     "more after the digest"),
    ('{"format": "coflow-anchor", "version": 1, "created": "2026-03-04T10:00:00.000000Z"',
     "not valid JSON"),
    ('{"format": "something-else"}', "not a coflow anchor"),
    ('{"format": "coflow-anchor", "version": 1, "created": "2026-03-04T10:00:00.000000Z", '
     '"projects": [{"project": "p1", "seq": "5", "head": "' + "a" * 64 + '"}], "digest": "x"}', "whole number"),
    ('{"format": "coflow-anchor", "version": 1, "created": "2026-03-04T10:00:00.000000Z", '
     '"projects": [], "digest": "x", "extra": 1}', "unknown keys: extra"),
    ('{"format": "coflow-anchor", "version": 1, "created": "2026-03-04T10:00:00.000000Z", '
     '"projects": []}', 'no "digest"'),
])
def test_malformed_anchor_files_are_usage_errors(projects, tmp_path, content, words):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    bad_anchor(projects("verify", "--against", str(path)), words)


def test_unreadable_anchor_files_are_usage_errors(projects, tmp_path):
    missing = projects("verify", "--against", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "no anchor file at" in missing.stderr
    binary = tmp_path / "anchor.bin"
    binary.write_bytes(b"\xff\xfe\x00coflow")
    result = projects("verify", "--against", str(binary))
    assert result.exit_code == 2 and "not text" in result.stderr
    folder = projects("verify", "--against", str(tmp_path))
    assert folder.exit_code == 2 and "Traceback" not in folder.stderr
