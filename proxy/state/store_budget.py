"""What a stored object weighs: the stores are bounded by bytes as well as by count.

A count alone lets a dozen requests carrying a 27 MB `data:` image hold 400 MB; a byte budget evicts the
oldest objects until the newest fits. An object's weight is the length of its JSON, measured once when it is
stored (the JSON is what a data URL or a long text takes in memory, give or take the objects around it).
"""
from __future__ import annotations

from typing import Any

import orjson


def mib(megabytes: float) -> int:
    return int(megabytes * 1024 * 1024)


def weight(*values: Any) -> int:
    """The bytes of `values` as JSON."""
    return sum(len(orjson.dumps(value, default=str)) for value in values)
