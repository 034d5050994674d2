"""How `coflow record` reads a value typed on the command line: as TOML reads a scalar
(a number, a boolean, a date), else as the text itself.

A plain whole number, and text no TOML value could start with, are read here without
loading the TOML parser, which with what it imports costs a command about 10 ms; everything
else goes to the parser, so the answer is always the one TOML gives.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# What a TOML scalar can start with: a digit or sign (numbers, dates), a quote (strings),
# a bracket or brace (arrays and tables, which record keeps as text). The words true,
# false, inf and nan are the only values that start with a letter.
_VALUE_STARTS = frozenset("0123456789+-\"'[{")
_WORD_VALUES = frozenset({"true", "false", "inf", "nan"})


def parse_scalar(text: str) -> Any:
    """Read a command-line value as a TOML scalar (number, boolean, date), else keep the text.

    Infinity and not-a-number (`inf`, `nan`, or a number too large such as 1e400) are
    refused: no check can compare with them and JSON cannot carry them.
    """
    stripped = text.strip()
    if not stripped:
        return text
    digits = stripped[1:] if stripped[0] in "+-" else stripped
    if digits.isascii() and digits.isdigit() and (digits == "0" or not digits.startswith("0")):
        return int(stripped)  # a TOML decimal integer (TOML allows no leading zero)
    if stripped[0] not in _VALUE_STARTS and stripped not in _WORD_VALUES:
        return text  # no TOML value starts so
    return _parsed(text, stripped)


def _parsed(text: str, stripped: str) -> Any:
    import math

    from coflow.toml import TOMLDecodeError, loads

    try:
        value = loads(f"v = {stripped}")["v"]
    except (TOMLDecodeError, RecursionError):
        return text
    if isinstance(value, (list, dict)):
        return text
    if isinstance(value, float) and not math.isfinite(value):
        from coflow.errors import UsageError

        raise UsageError(f"{stripped!r} is not a finite number (it reads as infinity or not-a-number)",
                         hint="give an ordinary number such as 750 or 12.5; to record the word itself, "
                              f"put it in quotes: '\"{stripped}\"'")
    return value
