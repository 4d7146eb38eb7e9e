"""An embeddings request as the generator takes it: typed and frozen, built by proxy.validation.embeddings once
every check has passed."""
from __future__ import annotations

from dataclasses import dataclass

from dummy_openai_api.generators.catalog.models import Model


@dataclass(frozen=True, slots=True)
class EmbeddingsRequest:
    model: Model                                # the model that answers
    model_name: str                             # the name the request gave
    inputs: tuple[str | tuple[int, ...], ...]   # texts and token arrays, one vector each
    token_counts: tuple[int, ...]               # each input's tokens, for the usage
    dimensions: int                             # the vectors' length: the model's own unless asked shorter
    base64: bool = False                        # `encoding_format: "base64"`: vectors as base64 strings
    user: str | None = None
