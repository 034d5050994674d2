"""`coflow record` reads a typed value as TOML reads a scalar, else keeps the text. Plain whole
numbers and text no TOML value starts with are read without the TOML parser: the answer must
be exactly the parser's, for good input and for everything near it."""

from __future__ import annotations

import math

import pytest

from coflow.errors import UsageError
from coflow.scalar import parse_scalar
from coflow.toml import TOMLDecodeError, loads  # tomllib, or tomli on Python 3.10


def as_toml_reads_it(text: str):
    """The answer taken from the TOML parser itself, as record always gave it."""
    stripped = text.strip()
    if not stripped:
        return text
    try:
        value = loads(f"v = {stripped}")["v"]
    except TOMLDecodeError:
        return text
    return text if isinstance(value, (list, dict)) else value


SAMPLES = [
    "750", " 750 ", "0", "-0", "+0", "+5", "-12", "007", "0750", "00", "1_000", "1__0", "_1", "1_",
    "99999999999999999999999", "٣", "１２", "12.5", "1e3", "0x1F", "0o17", "0b101", "+", "-", "--1",
    "2026-01-01", "2026-01-01T10:00:00Z", "10:30:00", "true", "false", "True", "yes", "no",
    '"quoted text"', "'single'", '"unterminated', "[1, 2]", "{a = 1}", "Dr A. Mensah", "IG-1",
    "a = b", "# not a comment", "infinity", "nanny", "t", "£750", "750 pounds", "7 50", "\t750\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_value_read_is_exactly_what_toml_reads(text):
    got, want = parse_scalar(text), as_toml_reads_it(text)
    assert got == want and type(got) is type(want), (text, got, want)


@pytest.mark.parametrize("text", ["inf", "nan", "+inf", "-nan", "1e400"])
def test_infinity_and_not_a_number_are_refused(text):
    value = loads(f"v = {text}")["v"]
    assert math.isinf(value) or math.isnan(value)
    with pytest.raises(UsageError, match="not a finite number"):
        parse_scalar(text)


def test_a_whole_number_and_plain_text_do_not_load_the_toml_parser():
    import subprocess
    import sys

    probe = ("import sys; from coflow.scalar import parse_scalar; "
             "assert parse_scalar('750') == 750 and parse_scalar('Dr A. Mensah') == 'Dr A. Mensah'; "
             "print('tomllib' in sys.modules, 'typing' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
