"""The dated snapshot an alias is served by: answers name it in `model`, as the API's do (`gpt-4o` ->
`gpt-4o-2024-08-06`; 219 of 246 recorded answers carry one). Recorded pairs: gpt-4o, gpt-4o-mini, gpt-4.1,
gpt-3.5-turbo, gpt-5.4, gpt-5.5 (real cassettes, 2025-2026); the others are the snapshots the aliases point to
in the API's model documentation, each one a model the SDK names. An id not listed (a snapshot, a fine-tune, a
`-latest` alias, a model of `--any-model`) is answered as it was asked.
"""
from __future__ import annotations

SNAPSHOTS = {
    "gpt-3.5-turbo": "gpt-3.5-turbo-0125", "gpt-4": "gpt-4-0613", "gpt-4-turbo": "gpt-4-turbo-2024-04-09",
    "gpt-4o": "gpt-4o-2024-08-06", "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4o-search-preview": "gpt-4o-search-preview-2025-03-11",
    "gpt-4o-mini-search-preview": "gpt-4o-mini-search-preview-2025-03-11",
    "gpt-4.1": "gpt-4.1-2025-04-14", "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
    "o1": "o1-2024-12-17", "o1-pro": "o1-pro-2025-03-19", "o3-mini": "o3-mini-2025-01-31", "o3": "o3-2025-04-16",
    "o3-pro": "o3-pro-2025-06-10", "o4-mini": "o4-mini-2025-04-16",
    "o3-deep-research": "o3-deep-research-2025-06-26", "o4-mini-deep-research": "o4-mini-deep-research-2025-06-26",
    "gpt-5": "gpt-5-2025-08-07", "gpt-5-mini": "gpt-5-mini-2025-08-07", "gpt-5-nano": "gpt-5-nano-2025-08-07",
    "gpt-5-pro": "gpt-5-pro-2025-10-06", "gpt-5.1": "gpt-5.1-2025-11-13", "gpt-5.2": "gpt-5.2-2025-12-11",
    "gpt-5.4": "gpt-5.4-2026-03-05", "gpt-5.5": "gpt-5.5-2026-04-23",
}


def served(model_id: str) -> str:
    """The model an answer names: the alias's dated snapshot, else the id as asked."""
    return SNAPSHOTS.get(model_id, model_id)
