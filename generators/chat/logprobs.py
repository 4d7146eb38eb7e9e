"""Log probabilities for generated tokens, shaped as `choices[].logprobs.content` entries.

Each token gets `{token, logprob, bytes, top_logprobs}`. The chosen token is usually near-certain (most
logprobs lie between -1e-5 and -0.05, some up to -0.6, a few lower, as in real answers) and always heads its
`top_logprobs`; the alternatives are plausible neighbours (the same word with other casing or spacing, then
common tokens) whose probabilities share what the chosen token leaves, strictly decreasing, so the entries of
`top_logprobs` never add up to more than 1. A token that is
only part of a UTF-8 character shows its bytes escaped (`"\\xe2\\x80"`), as the real API does. Values are
printed with float32 precision (`-0.0025094282`) and depend only on the seed and the token's position.
"""
from __future__ import annotations

import math
from typing import Any

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.structured.schema import Draw

_COMMON = (" the", " a", ",", ".", " and", " to", " of", " is", " in", " it", " I", " that", " this", " you",
           " for", "\n", " with", " on", " be", " as", " we", " can", " not", " are", ":", " an", " at", " or",
           " your", " by", " from", " will", " have", " more", " so", " if", " all", " one", " do", " about")


def token_text(token_bytes: bytes) -> str:
    """The token as text; a piece of a multi-byte character keeps its bytes as `\\xNN` escapes."""
    return token_bytes.decode("utf-8", errors="backslashreplace")


def _round(value: float) -> float:
    return float(f"{value:.8g}")


def _chosen(draw: Draw) -> float:
    """A chosen token's logprob: -exp(a), with a mostly far below zero (the model was sure)."""
    band = draw(100)
    low, high = (-12.0, -3.0) if band < 65 else (-3.0, -0.5) if band < 90 else (-0.5, 1.0)
    return _round(-math.exp(low + (high - low) * draw(10_000) / 10_000))


def _candidates(text: str) -> list[str]:
    stripped = text.lstrip()
    variants = [stripped.capitalize(), stripped.lower(), " " + stripped, stripped, stripped.upper()]
    return [v for v in dict.fromkeys(variants + list(_COMMON)) if v and v != text]


def _alternatives(text: str, logprob: float, count: int, draw: Draw) -> list[tuple[str, float]]:
    chosen = math.exp(logprob)
    rest = max(1.0 - chosen, 1e-12)
    pool = _candidates(text)
    start = draw(len(pool) // 2 + 1)
    picked = (pool[:2] + pool[2 + start:] + pool[2:2 + start])[:count]
    result = []
    for rank, alternative in enumerate(picked, start=1):
        # What the chosen token leaves, shared geometrically (at most 0.82 of it in all: the entries are a
        # distribution's head, never more than 1), each below the chosen token and the one before.
        probability = min(rest * 0.45 ** rank, chosen * 0.9 ** rank)
        result.append((alternative, _round(math.log(probability))))
    return result


def _entry(text: str, token_bytes: bytes, logprob: float) -> dict[str, Any]:
    return {"token": text, "logprob": logprob, "bytes": list(token_bytes)}


def token_logprobs(token_ids: list[int], model: str, top: int, seed: bytes) -> list[dict[str, Any]]:
    """One entry per token; `top` (0-20) alternatives each, the chosen token first when top > 0."""
    enc = tokens.encoding_for(model)
    entries = []
    for position, token_bytes in enumerate(enc.decode_tokens_bytes(token_ids)):
        draw = Draw(seed + position.to_bytes(4, "big"))
        text, logprob = token_text(token_bytes), _chosen(draw)
        top_entries = [_entry(text, token_bytes, logprob)] if top > 0 else []
        if top > 1:
            top_entries += [_entry(alt, alt.encode(), lp) for alt, lp in _alternatives(text, logprob, top - 1, draw)]
        entries.append({**_entry(text, token_bytes, logprob), "top_logprobs": top_entries})
    return entries
