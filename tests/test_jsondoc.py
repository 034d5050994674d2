"""json_document: the one JSON emitter (--json answers, JSON reports, JSON anchors)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from coflow.errors import StoreError
from coflow.jsondoc import json_document


def test_a_document_is_indented_keeps_non_ascii_and_ends_in_a_newline():
    text = json_document({"name": "Siân Ó", "n": [1, 2.5]})
    assert text.endswith("}\n") and "Siân Ó" in text and '\n  "n": [\n' in text
    assert json.loads(text) == {"name": "Siân Ó", "n": [1, 2.5]}


@pytest.mark.parametrize("value", [dt.date(2026, 3, 4), Path("/tmp/x"), object()])
def test_a_value_json_cannot_carry_is_an_error_not_quietly_text(value):
    with pytest.raises(TypeError):
        json_document({"value": value})


def test_infinity_is_a_plain_store_error():
    with pytest.raises(StoreError, match="infinity or not-a-number"):
        json_document({"amount": float("inf")})
