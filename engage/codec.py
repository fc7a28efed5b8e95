"""JSON in and out of the event API and workspace exports, through orjson: on a batch of
250 tracks it reads about 3× and writes about 15× faster than the standard library
(measured in the commit that brought it in), and reading, measuring and re-writing every
message was a fifth of the API's CPU time.

orjson reads whole numbers past 64 bits as floats, losing digits, and can't write them,
so a body with a run of 19 or more digits goes through the standard library instead:
every number is stored as sent. Either way NaN and Infinity are refused (JSON has neither).
"""

import codecs
import json
import math

import orjson

LONG_RUN = b"0" * 19
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"0" * 9)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def loads(raw: bytes):
    """The JSON value in `raw`; ValueError (or RecursionError) if it isn't JSON."""
    raw = raw.removeprefix(codecs.BOM_UTF8)  # JSON readers may ignore one (RFC 8259)
    if LONG_RUN in raw.translate(_DIGITS_AS_ZERO):
        return json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    return orjson.loads(raw)


def dumps(value, *, sort_keys: bool = False) -> bytes:
    """Compact UTF-8 JSON; with `sort_keys`, objects' keys sorted at every depth."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except TypeError:  # a whole number past 64 bits, read by the standard library
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
        return text.encode()
