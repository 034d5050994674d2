"""The fast indented JSON writer gives exactly json.dumps's text, errors included, and the
pieces a long list is written in add up to the whole document."""

from __future__ import annotations

import datetime as dt
import enum
import json
import random

import pytest

from coflow.errors import StoreError
from coflow.jsondoc import json_array_chunks, json_document, json_object_chunks
from coflow.jsonfast import dumps
from coflow.store_conformance import TRICKY


class Level(enum.IntEnum):
    HIGH = 3


class Text(str):
    pass


class Table(dict):
    pass


def reference(value):
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)


def fast(value):
    try:
        return dumps(value)
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)


def generated(seed: int, count: int) -> list:
    rnd = random.Random(seed)
    scalars = ["s", "ü\n\t\"\\", "\u2028😀\x00", "", 0, -7, 2.5, -0.0, 1e-7, 1e300, True, False, None, 10**20]

    def one(depth: int):
        roll = rnd.random()
        if depth > 4 or roll < 0.4:
            return rnd.choice(scalars)
        if roll < 0.7:
            return [one(depth + 1) for _ in range(rnd.randrange(4))]
        return {rnd.choice(["a", "é", "c d", "\"q\""]) + str(i): one(depth + 1) for i in range(rnd.randrange(4))}

    return [one(0) for _ in range(count)]


ODD = [TRICKY[:4], {}, [], (), "x", 1, 1.5, None, {"a": {}, "b": [], "c": ()}, [[], [{}]], Level.HIGH,
       {"k": Level.HIGH}, Text("q"), Table(a=1), (1, (2, [3])), {1: 2}, {None: 1, True: 2, 1.5: 3},
       dt.date(2026, 3, 4), {"d": dt.date(2026, 3, 4)}, float("nan"), {"x": [float("-inf")]}, object()]


@pytest.mark.parametrize("value", ODD + generated(1, 400), ids=repr)
def test_the_text_and_the_error_are_json_dumps_own(value):
    assert fast(value) == reference(value)


def test_a_cycle_is_refused_as_json_dumps_refuses_it():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop)


@pytest.mark.parametrize("items", [[], [1], generated(2, 30), [{"a": [1, {"b": "x\ny"}], "c": {}}, [], {}, "s"]])
def test_a_list_written_in_pieces_is_the_whole_document(items):
    assert "".join(json_array_chunks(iter(items))) + "\n" == json_document(items)
    for head in ({"kind": "k", "totals": {"n": [1, 2]}}, {}):
        assert "".join(json_object_chunks(head, "projects", iter(items))) == json_document({**head, "projects": items})


def test_infinity_in_a_piece_is_the_same_plain_store_error():
    with pytest.raises(StoreError, match="infinity or not-a-number"):
        list(json_array_chunks([{"amount": 1}, {"amount": float("inf")}]))
