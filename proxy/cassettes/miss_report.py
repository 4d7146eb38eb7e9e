"""Why a strict replay missed: the closest recording and, field by field, what it recorded and what came.

vcrpy lists the matchers that failed; this names the JSON fields that differ with both values, so a
changed prompt or model is visible in the error itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import orjson

ABSENT = object()  # a field one side does not have
SHOWN_FIELDS = 8  # differences spelt out in the message; the rest are counted
SHOWN_CHARS = 80  # of each value


@dataclass(frozen=True)
class Difference:
    field: str  # `model`, `messages[2].content`, `(body)`
    recorded: Any  # ABSENT when only the request has the field
    received: Any  # ABSENT when only the recording has it

    def __str__(self) -> str:
        return f"{self.field} (recorded {_shown(self.recorded)}, received {_shown(self.received)})"


def differences(recorded: Any, received: Any, prefix: str = "") -> Iterator[Difference]:
    """The leaves where two JSON values differ, with both values: `model`, `messages[2].content`, ..."""
    if isinstance(recorded, dict) and isinstance(received, dict):
        for name in sorted(set(recorded) | set(received), key=str):
            path = f"{prefix}.{name}" if prefix else str(name)
            yield from differences(recorded.get(name, ABSENT), received.get(name, ABSENT), path)
    elif isinstance(recorded, list) and isinstance(received, list):
        for index in range(max(len(recorded), len(received))):
            yield from differences(_at(recorded, index), _at(received, index), f"{prefix}[{index}]")
    elif recorded != received or type(recorded) is not type(received):
        yield Difference(prefix or "(body)", recorded, received)


def closest(candidates: Iterable[tuple[Any, Any]], received: Any) -> tuple[Any, list[Difference]] | None:
    """(recording, its differences) for the candidate `(recording, canonical body)` differing in fewest fields."""
    best: tuple[Any, list[Difference]] | None = None
    for recording, canonical in candidates:
        found = list(differences(canonical, received))
        if best is None or len(found) < len(best[1]):
            best = (recording, found)
            if not found:
                break
    return best


def listed(found: Sequence[Difference]) -> str:
    """`model (recorded "gpt-4o", received "gpt-4o-mini"), temperature (...)`, the first few spelt out."""
    shown = ", ".join(str(d) for d in found[:SHOWN_FIELDS])
    return shown + (f" and {len(found) - SHOWN_FIELDS} more field(s)" if len(found) > SHOWN_FIELDS else "")


def _at(items: list, index: int) -> Any:
    return items[index] if index < len(items) else ABSENT


def _shown(value: Any) -> str:
    if value is ABSENT:
        return "nothing"
    if isinstance(value, bytes):
        text = repr(value)
    else:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."
