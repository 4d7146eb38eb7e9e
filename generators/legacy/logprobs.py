"""Synthetic token log probabilities in the legacy completions format (`/v1/completions`), deterministic.

The chosen token is the most likely one at every position (log probability between -2.5 and 0, mostly close to
0); the alternatives in `top_logprobs` are common tokens of the model's encoding, each less likely than the
one before, sharing what the chosen token leaves (the probabilities never add up to more than 1). A token that is only part of a UTF-8 character is shown as `bytes:\\xe2\\x80`, as the API does.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from dummy_openai_api.generators import tokens

MAX_TOP = 20  # the API caps `logprobs` at 20 alternatives without complaint (measured in 2026)
_COMMON = (" the", " a", ",", ".", " and", " of", " to", " in", " is", "\n", " that", " it", " for", " on",
           " with", " as", " was", " I", " you", " this", " be", " are", " or", " by", " not", " an", " at")


@dataclass(frozen=True, slots=True)
class Scored:
    raw: tuple[bytes, ...]
    logprobs: tuple[float | None, ...]
    top: tuple[dict[str, float] | None, ...] | None  # None when no alternatives were asked for

    @property
    def mean(self) -> float:
        known = [lp for lp in self.logprobs if lp is not None]
        return sum(known) / len(known) if known else 0.0

    def __add__(self, other: "Scored") -> "Scored":
        top = self.top + other.top if self.top is not None and other.top is not None else None
        return Scored(self.raw + other.raw, self.logprobs + other.logprobs, top)

    def slice(self, start: int, end: int) -> "Scored":
        return Scored(self.raw[start:end], self.logprobs[start:end],
                      self.top[start:end] if self.top is not None else None)

    def without_first(self) -> "Scored":
        """The first token of a text has nothing before it to be predicted from: no log probability."""
        if not self.raw:
            return self
        top = (None, *self.top[1:]) if self.top is not None else None
        return Scored(self.raw, (None, *self.logprobs[1:]), top)

    def legacy(self, offset: int) -> dict[str, Any]:
        """`{tokens, token_logprobs, top_logprobs, text_offset}`; offsets count characters from `offset`."""
        return {"tokens": [token_text(b) for b in self.raw], "token_logprobs": list(self.logprobs),
                "top_logprobs": list(self.top) if self.top is not None else None,
                "text_offset": list(_offsets(self.raw, offset))}


def _printed(value: float) -> float:
    """Eight significant digits, as the API prints them (`-0.0017289162`)."""
    return float(f"{value:.8g}")


def token_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "bytes:" + "".join(f"\\x{b:02x}" for b in raw)


def _offsets(raw: tuple[bytes, ...], offset: int) -> Iterator[int]:
    pending = b""
    for token in raw:
        yield offset
        pending += token
        try:
            offset += len(pending.decode("utf-8"))
            pending = b""
        except UnicodeDecodeError:
            continue


def score(ids: list[int], model: str, key: bytes, top: int) -> Scored:
    """Log probabilities for `ids`, with `top` alternatives each (none when `top` is 0), seeded by `key`."""
    enc = tokens.encoding_for(model)
    rng = random.Random(key + len(ids).to_bytes(4, "big"))
    raw = tuple(enc.decode_single_token_bytes(i) for i in ids)
    chosen = tuple(_printed(-2.5 * rng.random() ** 4 - 0.0001 * rng.random()) for _ in ids)
    if top <= 0:
        return Scored(raw, chosen, None)
    pool = common_tokens(tokens.encoding_name_for(model))
    tops = tuple(_alternatives(token_text(r), lp, min(top, MAX_TOP), pool, rng)
                 for r, lp in zip(raw, chosen, strict=True))
    return Scored(raw, chosen, tops)


def _alternatives(chosen: str, logprob: float, count: int, pool: tuple[str, ...],
                  rng: random.Random) -> dict[str, float]:
    entries = {chosen: logprob}
    # Below the chosen token and below what it leaves, each at most e^-0.8 of the one before: the
    # alternatives share at most 0.82 of the rest, so the probabilities never add up to more than 1.
    value = min(logprob, math.log(max(1.0 - math.exp(logprob), 1e-12)))
    for candidate in rng.sample(pool, len(pool)):
        if len(entries) >= count:
            break
        if candidate not in entries:
            value -= rng.uniform(0.8, 2.0)
            entries[candidate] = _printed(value)
    return entries


@lru_cache(maxsize=4)
def common_tokens(encoding_name: str) -> tuple[str, ...]:
    """Frequent strings that are one token each in the encoding (the alternatives shown in `top_logprobs`)."""
    enc = tokens.encoding(encoding_name)
    return tuple(text for text in _COMMON if len(enc.encode_ordinary(text)) == 1)

