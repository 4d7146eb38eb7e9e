"""Strings and numbers that satisfy their schema's constraints, preferring a given value when it fits.

`fit_string` tries, in order: the preferred value (a hint from the conversation), a value of the schema's
`format`, a string built from its `pattern`, a plausible value for the property's name; the first that
passes `string_ok` wins, else the best candidate is padded or cut to the length bounds. `fit_number` clamps
the preferred (or a plausible) number into the bounds and onto the `multipleOf` grid, checking
`multipleOf` the way jsonschema does (`value / step` must be integral in floating point).
"""
from __future__ import annotations

import datetime
import ipaddress
import math
import re
from typing import Any, Callable, TypeGuard

from dummy_openai_api.generators.structured import fakes, patterns
from dummy_openai_api.generators.limits import MAX_SCHEMA_CHARS

Pick = Callable[[int], int]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = r"\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})"
_DATETIME = re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}[Tt ]{_TIME}$")
_FULL_TIME = re.compile(rf"^{_TIME}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
_DURATION = re.compile(r"^P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$")


def _date_ok(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(_DATE.match(value))


def _datetime_ok(value: str) -> bool:
    if not _DATETIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value[:19].replace("t", "T").replace(" ", "T"))
    except ValueError:
        return False
    return True


def _ip_ok(value: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(value).version == version
    except ValueError:
        return False


def _regex_ok(value: str) -> bool:
    try:
        re.compile(value)
    except re.error:
        return False
    return True


_FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date": _date_ok, "date-time": _datetime_ok, "time": lambda v: bool(_FULL_TIME.match(v)),
    "email": lambda v: bool(_EMAIL.match(v)), "idn-email": lambda v: bool(_EMAIL.match(v)),
    "uuid": lambda v: bool(_UUID.match(v)), "uri": lambda v: bool(_URI.match(v)),
    "iri": lambda v: bool(_URI.match(v)), "url": lambda v: bool(_URI.match(v)),
    "hostname": lambda v: bool(_HOSTNAME.match(v)), "idn-hostname": lambda v: bool(_HOSTNAME.match(v)),
    "ipv4": lambda v: _ip_ok(v, 4), "ipv6": lambda v: _ip_ok(v, 6),
    "duration": lambda v: bool(_DURATION.match(v)), "regex": _regex_ok,
}


def format_ok(value: str, fmt: Any) -> bool:
    check = _FORMAT_CHECKS.get(fmt) if isinstance(fmt, str) else None
    return check(value) if check else True


def string_ok(value: str, schema: dict[str, Any]) -> bool:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and len(value) < low or isinstance(high, int) and len(value) > high:
        return False
    pattern = schema.get("pattern")
    checker = patterns.compiled(pattern) if isinstance(pattern, str) else None
    if checker is not None and not patterns.found(checker, value):
        return False
    return format_ok(value, schema.get("format"))


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def fit_string(schema: dict[str, Any], prefer: Any, name: str, pick: Pick, limit: int = MAX_SCHEMA_CHARS) -> str:
    """A string for `schema`; a `pattern` whose matches are longer than `limit` characters raises TooLarge."""
    pattern = schema.get("pattern") if isinstance(schema.get("pattern"), str) else None
    candidates = [c for c in (_as_text(prefer), fakes.format_value(schema.get("format"), pick),
                              patterns.matching(pattern, pick, limit=limit) if pattern else None,
                              fakes.string_for(name, schema.get("description") or "", pick)) if c is not None]
    for candidate in candidates:
        if string_ok(candidate, schema):
            return candidate
    if pattern:  # longer or shorter repetitions may meet the length bounds
        high = schema.get("maxLength")
        for extra in (0, 2, 4, 8, 16, 32, 64):
            found = patterns.matching(pattern, pick, extra=extra, limit=limit)
            if found is not None and string_ok(found, schema):
                return found
            if found is not None and isinstance(high, int) and len(found) > high:
                break  # more repetitions only make it longer
            limit -= len(found or "")
    return resize(candidates[0], schema.get("minLength"), schema.get("maxLength"), pick)


def resize(text: str, low: Any, high: Any, pick: Pick) -> str:
    """`text` padded with words to `low` characters, then cut (at a word boundary when possible) to `high`."""
    low = low if isinstance(low, int) else 0
    words, size = [text] if text else [], len(text)
    while size < low:  # collected, then joined once: adding to a string each time is quadratic
        word = fakes.WORDS[pick(len(fakes.WORDS))]
        words.append(word)
        size += len(word) + (len(words) > 1)
    text = " ".join(words)
    if isinstance(high, int) and len(text) > high:
        cut = text[:high + 1].rsplit(" ", 1)[0].rstrip(" ,;:")
        text = cut if low <= len(cut) <= high and cut else text[:high]
    return text


# --- numbers ---------------------------------------------------------------------------------------------

def as_number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if re.fullmatch(r"[-+]?\d+", text):
            return int(text)
        if re.fullmatch(r"[-+]?\d*\.\d+(?:[eE][-+]?\d+)?", text):
            return float(text)
    return None


def bounds(schema: dict[str, Any]) -> tuple[float | None, bool, float | None, bool]:
    """(lower, lower is exclusive, upper, upper is exclusive), for draft 2020-12 and draft 4 keywords."""
    def side(inclusive: str, exclusive: str) -> tuple[float | None, bool]:
        value, flag = schema.get(inclusive), schema.get(exclusive)
        value = value if _number(value) else None
        if flag is True:
            return value, value is not None
        if _number(flag) and (value is None or (flag >= value if inclusive == "minimum" else flag <= value)):
            return flag, True
        return value, False
    low, low_ex = side("minimum", "exclusiveMinimum")
    high, high_ex = side("maximum", "exclusiveMaximum")
    return low, low_ex, high, high_ex


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_multiple(value: float, step: float) -> bool:
    """jsonschema's own test: a float step divides when the quotient is integral, an int step by modulo."""
    if isinstance(step, float):
        quotient = value / step
        return math.isfinite(quotient) and int(quotient) == quotient
    return value % step == 0


def fit_number(schema: dict[str, Any], prefer: Any, name: str, integer: bool, pick: Pick) -> float | int:
    low, low_ex, high, high_ex = bounds(schema)
    target = as_number(prefer)
    if target is None:
        target = fakes.number_for(name, integer, pick)
    lo, hi = _interval(low, low_ex, high, high_ex, integer)
    value = min(max(target, lo), hi) if lo <= hi else lo
    value = round(value) if integer else value
    step = schema.get("multipleOf")
    if _number(step) and step > 0:
        value = _on_grid(value, step, lo, hi, integer)
    return int(value) if integer and float(value).is_integer() else value


def _interval(low: float | None, low_ex: bool, high: float | None, high_ex: bool,
              integer: bool) -> tuple[float, float]:
    """The closed interval a value may take (integers: whole numbers inside the bounds)."""
    lo, hi = (low if low is not None else -math.inf), (high if high is not None else math.inf)
    if integer:
        lo = math.floor(lo) + 1 if low_ex and math.isfinite(lo) else math.ceil(lo) if math.isfinite(lo) else lo
        hi = math.ceil(hi) - 1 if high_ex and math.isfinite(hi) else math.floor(hi) if math.isfinite(hi) else hi
        return lo, hi
    gap = (hi - lo) / 4 if math.isfinite(hi - lo) and hi > lo else 1.0
    if low_ex:
        lo = lo + min(gap, 1.0)
    if high_ex:
        hi = hi - min(gap, 1.0)
    return lo, hi


def _on_grid(value: float, step: float, lo: float, hi: float, integer: bool) -> float:
    if not math.isfinite(value / step):  # a tiny step far from zero: no grid point is representable
        return value
    decimals = max(0, -math.floor(math.log10(step))) + 2 if isinstance(step, float) else 0
    start = round(value / step)
    for offset in (d for n in range(0, 400) for d in ((n, -n) if n else (0,))):
        k = start + offset
        for candidate in (k * step, round(k * step, decimals)):
            if integer and not float(candidate).is_integer():
                continue
            candidate = int(candidate) if integer or isinstance(step, int) else candidate
            if lo <= candidate <= hi and is_multiple(candidate, step):
                return candidate
    return value
