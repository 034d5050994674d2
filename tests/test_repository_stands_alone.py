"""The repository stands alone: nothing cites a design file users do not have, and the hash
rule docs/security.md writes out reproduces coflow's hashes by itself."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from coflow.events import GENESIS_HASH, Event

REPO = Path(__file__).resolve().parent.parent
OUTSIDE = ("DESIGN" + ".md", "\u00a7")  # a design file kept outside the repository, its section signs


def test_no_source_test_or_doc_cites_a_file_outside_the_repository():
    files = [*(REPO / "src").rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "docs").rglob("*.md"),
             REPO / "README.md", REPO / "CHANGELOG.md"]
    found = [f"{path.relative_to(REPO)}:{number}" for path in files
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if any(cite in line for cite in OUTSIDE)]
    assert found == []


def test_the_hash_rule_in_docs_security_reproduces_coflows_hash_without_coflow():
    doc = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc.split("### The hash rule", 1)[1].split("\n### ", 1)[0]
    body = re.search(r"```\n(\{.*\})\n```", section).group(1)
    written = re.search(r"`([0-9a-f]{64})`", section).group(1)
    event = json.loads(body)
    # the rule as written: canonical JSON of the six parts, after 64 zeros, SHA-256 in hex
    canonical = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical == body
    assert hashlib.sha256(("0" * 64 + canonical).encode("utf-8")).hexdigest() == written
    made = Event.make(event["project"], event["seq"], event["actor"], event["type"], event["data"],
                      GENESIS_HASH, ts=event["ts"])
    assert made.hash == written and GENESIS_HASH == "0" * 64
