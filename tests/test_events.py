"""The hash chain and canonical JSON, checked against the rule written out by hand."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone

import pytest

from coflow.errors import UsageError
from coflow.events import GENESIS_HASH, Event, canonical_json, first_break
from coflow.project import fold


def test_canonical_json_sorts_keys_has_no_spaces_and_keeps_non_ascii():
    assert canonical_json({"b": 1, "a": {"d": "é", "c": [1, 2]}}) == '{"a":{"c":[1,2],"d":"é"},"b":1}'


def test_hash_is_sha256_of_prev_hash_then_canonical_body():
    event = Event.make("p1", 1, "amensah", "created", {"stage": "planning", "n": "Zoë"}, GENESIS_HASH,
                       ts="2026-01-02T03:04:05.000006Z")
    body = json.dumps({"project": "p1", "seq": 1, "ts": "2026-01-02T03:04:05.000006Z", "actor": "amensah",
                       "type": "created", "data": {"stage": "planning", "n": "Zoë"}},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.hash == hashlib.sha256((GENESIS_HASH + body).encode("utf-8")).hexdigest()


def test_known_events_have_fixed_hashes_any_implementation_must_reproduce():
    """Literal sha256 values, computed once by hand from the hash rule in docs/security.md (not by coflow):
    a change to canonical JSON, key order, number or non-ASCII handling breaks this test."""
    created = Event.make("carers-hub", 1, "amensah", "created",
                         {"stage": "planning", "workflow": {"id": "coproduction", "version": "2026.1"}, "note": "Zoë"},
                         GENESIS_HASH, ts="2026-03-04T09:15:00.000000Z")
    assert created.hash == "de36264cd54d2e4571c9ab0b660c4172b60ceb36d9a03b3c8ad9b39d27f02489"
    fact = Event.make("carers-hub", 2, "amensah", "fact_recorded", {"key": "budget", "value": 750.5},
                      created.hash, ts="2026-03-04T09:16:00.000001Z")
    assert fact.hash == "a582257eb92c038b2bc32459a092ff0f1aa9070cb380ad3e44346c571d0e4401"


NAMES = ["amensah", "Zoë O'Brien", 'say "hi"', "tab\there", "line\nbreak", "nul\x00", "back\\slash",
         "\u2028 separator", "emoji \U0001F600", "ünïcödé", "", "a/b</script>"]


@pytest.mark.parametrize("account", [None, "amensah", "Zoë", 'q"uote'])
@pytest.mark.parametrize("name", NAMES)
def test_a_made_event_hashes_and_stores_the_same_bytes_as_the_canonical_rule(name, account):
    """Event.make writes the hashed fields out key by key; the body must be canonical_json's."""
    data = {"z": [1, 2.5, None, True], "a": {"y": name, "b": {10: "ten", 9: "nine"}},
            "when": datetime(2026, 1, 2, tzinfo=timezone.utc), name: "as a key"}
    event = Event.make(f"p-{name}", 7, name, f"type {name}", data, GENESIS_HASH, ts=f"2026 {name}", account=account)
    fields = {"project": f"p-{name}", "seq": 7, "ts": f"2026 {name}", "actor": name, "type": f"type {name}",
              "data": event.data}
    if account is not None:
        fields.update({"account": account, "format": 2})
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.hash == hashlib.sha256((GENESIS_HASH + body).encode("utf-8")).hexdigest()
    assert event.hash == event.expected_hash()  # as verify computes it, from the data alone
    assert event.data_json() == canonical_json(event.data) == canonical_json(json.loads(event.data_json()))
    assert event.data["a"]["b"] == {"10": "ten", "9": "nine"}  # keys made strings before sorting


def test_an_event_built_from_a_row_gives_its_data_canonical_text():
    made = Event.make("p1", 1, "amensah", "created", {"b": 1, "a": "é"}, GENESIS_HASH)
    read = Event(made.project, made.seq, made.ts, made.actor, made.type, {"b": 1, "a": "é"},
                 made.prev_hash, made.hash, made.account)
    assert read == made and read.data_json() == made.data_json() == '{"a":"é","b":1}'


def test_timestamps_are_utc_with_microseconds_and_z():
    before = datetime.now(timezone.utc)
    event = Event.make("p1", 1, "a", "created", {}, GENESIS_HASH)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z", event.ts), event.ts
    stamped = datetime.strptime(event.ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    # read as UTC, it is now: a local time with a Z would be hours off (unless the machine runs on UTC)
    assert abs((stamped - before).total_seconds()) < 5


def test_infinity_and_nan_can_never_be_hashed():
    for bad in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(ValueError):
            canonical_json({"value": bad})
        with pytest.raises(UsageError):
            Event.make("p1", 1, "a", "fact_recorded", {"key": "k", "value": bad}, GENESIS_HASH)


def test_an_event_edited_to_hold_nan_is_reported_not_crashed_on():
    events = chain(3)
    events[1] = events[1].replace(data={"key": "k2", "value": float("nan")})
    seq, why = first_break(events)
    assert seq == 2 and "infinity or not-a-number" in why


def chain(n: int) -> list[Event]:
    events, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        e = Event.make("p1", seq, "a", "fact_recorded", {"key": f"k{seq}", "value": seq}, prev)
        events.append(e)
        prev = e.hash
    return events


def test_intact_chain_verifies():
    assert first_break(chain(5)) is None


def test_edit_is_caught_at_the_edited_event():
    events = chain(5)
    events[2] = events[2].replace(data={"key": "k3", "value": 999})
    assert first_break(events)[0] == 3


def test_deletion_is_caught():
    events = chain(5)
    del events[1]
    assert first_break(events)[0] == 2


def test_reordering_is_caught():
    events = chain(5)
    events[1], events[2] = events[2], events[1]
    assert first_break(events)[0] == 2


def test_insertion_is_caught_even_with_a_valid_hash():
    events = chain(3)
    forged = Event.make("p1", 2, "a", "fact_recorded", {"key": "x", "value": 1}, events[0].hash)
    assert first_break([events[0], forged, *events[1:]])[0] == 3


def test_fold_applies_facts_and_stage_changes_in_order():
    created = Event.make("p1", 1, "a", "created",
                         {"workflow": {"id": "mini", "version": "1", "hash": "h"}, "stage": "planning"}, GENESIS_HASH)
    fact = Event.make("p1", 2, "a", "fact_recorded", {"key": "sponsor", "value": "Dr A"}, created.hash)
    moved = Event.make("p1", 3, "b", "advanced", {"from": "planning", "to": "delivery", "checks": []}, fact.hash)
    state = fold("p1", [created, fact, moved])
    assert state.stage == "delivery" and state.facts == {"sponsor": "Dr A"}
    assert [t["stage"] for t in state.timeline] == ["planning", "delivery"]
    assert state.timeline[0]["left"] == moved.ts and state.seq == 3 and state.head_hash == moved.hash
