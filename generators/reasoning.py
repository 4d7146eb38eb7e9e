"""How long a reasoning model thinks: its effort, the tokens that costs, and how it shares a token limit.

The API spends the completion budget (`max_completion_tokens`, `max_output_tokens`) on reasoning first and
on visible output after: with a budget smaller than the reasoning, the answer is empty and cut for length.
"""
from __future__ import annotations

from dummy_openai_api.generators.catalog.models import Model

# Reasoning tokens per unit of effort; the request's digest picks a multiple of 1 to 4, as thinking varies.
EFFORT_TOKENS = {"none": 0, "minimal": 0, "low": 32, "medium": 96, "high": 256, "xhigh": 512, "max": 768}


def effort(model: Model, asked: str | None) -> str | None:
    """The effort a reasoning model thinks with: as asked, else its default (gpt-5.1 and newer: none)."""
    if not model.reasoning:
        return None
    if asked:
        return asked
    return "none" if model.id.removeprefix("ft:").startswith("gpt-5.") else "medium"


def wanted_tokens(effort_name: str | None, seed: bytes) -> int:
    """The reasoning tokens an answer takes at that effort, varying by request as real thinking does."""
    return EFFORT_TOKENS.get(effort_name or "none", 96) * (1 + seed[0] % 4)


def share(wanted: int, limit: int | None) -> tuple[int, int | None]:
    """(reasoning tokens, what is left for visible output): reasoning is paid first."""
    if limit is None:
        return wanted, None
    reasoning = min(wanted, limit)
    return reasoning, limit - reasoning
