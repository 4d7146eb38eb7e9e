"""What the handlers are given: the settings, the model registry, the generators, the resolver and pacing.

Built once at start-up by `proxy.app.make_app` and handed to every handler (no module globals).
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import orjson

from generators.chat import ChatGenerator
from generators.completions import TextCompleter
from generators.embeddings import Embedder
from generators.models import CHAT, COMPLETION, EMBEDDING, RESPONSES_ONLY, Catalogue, Model
from generators.retired import DEPRECATIONS_URL, RETIRED
from proxy.config import Latency, Settings
from proxy.errors import APIError, model_not_found
from proxy.cassettes import CassetteStore
from proxy.chat_store import ChatStore
from proxy.resolver import Resolver
from proxy.responder import Responder

if TYPE_CHECKING:
    from proxy.interceptor import Interceptor
    from proxy.journal import Journal


class ModelRegistry:
    """The catalogue plus the policy for unknown models (404 like the real API, or accept any name)."""

    def __init__(self, catalogue: Catalogue, any_model: bool) -> None:
        self.catalogue = catalogue
        self.any_model = any_model
        self._listing = orjson.dumps(catalogue.listing())

    def listing_body(self) -> bytes:
        return self._listing

    def require(self, model_id: str, kinds: tuple[str, ...], path: str) -> Model:
        model = self.catalogue.get(model_id)
        if model is None:
            if self.any_model:
                return Model(model_id, kinds[0], 0)
            if model_id in RETIRED:
                raise APIError(404, f"The model `{model_id}` has been deprecated, learn more here: {DEPRECATIONS_URL}",
                               code="model_not_found")
            raise model_not_found(model_id)
        if model.kind not in kinds and not self.any_model:
            raise wrong_kind(model, kinds, path)
        return model


def wrong_kind(model: Model, kinds: tuple[str, ...], path: str) -> APIError:
    """A model used on an endpoint it does not serve, in the real API's words where we know them."""
    if RESPONSES_ONLY in kinds:  # /v1/responses answers model problems with 400 (see the unknown-model recordings)
        return APIError(400, f"The model `{model.id}` is not supported on {path}.", param="model")
    if CHAT in kinds and model.kind == RESPONSES_ONLY:
        return APIError(404, "This model is only supported in v1/responses and not in v1/chat/completions.",
                        param="model")
    if CHAT in kinds and model.kind in (COMPLETION, EMBEDDING):
        return APIError(404, "This is not a chat model and thus not supported in the v1/chat/completions "
                             "endpoint. Did you mean to use v1/completions?", param="model")
    if COMPLETION in kinds and model.kind == CHAT:
        return APIError(404, "This is a chat model and not supported in the v1/completions endpoint. Did you mean "
                             "to use v1/chat/completions?", param="model")
    if COMPLETION in kinds and model.kind == RESPONSES_ONLY:
        return APIError(404, "This model is only supported in v1/responses and not in v1/completions.",
                        param="model")
    if EMBEDDING in kinds:
        return APIError(400, f"The model `{model.id}` does not support embeddings.", param="model")
    return APIError(404, f"The model `{model.id}` is not supported on {path}.", param="model")


class Pace:
    """Simulated latency: none by default; the original design's timings, or a set TTFT and token rate.

    With `jitter`, each delay is scaled by a factor drawn from [1 - jitter, 1 + jitter] by a generator seeded
    with `latency_seed` and the answer's id: the same seed and request give the same delays.
    """

    def __init__(self, settings: Settings) -> None:
        self.realistic = settings.latency is Latency.REALISTIC
        self.ttft = settings.ttft_ms / 1000
        self.gap = 1 / settings.tokens_per_second if settings.tokens_per_second else 0.0
        self.jitter = settings.jitter
        self.seed = settings.latency_seed

    def whole_answer(self, key: str) -> float:
        """Seconds before a complete (non-streamed) chat answer: 0.5-2.0 s when realistic, stable per request."""
        base = random.Random(key).uniform(0.5, 2.0) if self.realistic else 0.0
        delay = self.ttft or base
        return self._jittered(delay, self._draws(key)) if self.jitter and delay else delay

    def stream(self, key: str) -> tuple[float, float]:
        """(seconds before the first chunk, seconds between chunks), before jitter."""
        first = self.ttft or (random.Random(key).uniform(0.2, 0.6) if self.realistic else 0.0)
        return first, self.gap or (0.01 if self.realistic else 0.0)

    def stream_delays(self, key: str) -> Iterator[float] | None:
        """Seconds before each chunk of a stream (endless), or None when streams are not paced."""
        first, gap = self.stream(key)
        if not first and not gap:
            return None
        if not self.jitter:
            return itertools.chain([first], itertools.repeat(gap))
        draws = self._draws(key)
        return (self._jittered(first if n == 0 else gap, draws) for n in itertools.count())

    def embeddings(self) -> float:
        return 0.1 if self.realistic else 0.0

    def _draws(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")

    def _jittered(self, delay: float, draws: random.Random) -> float:
        return delay * draws.uniform(1 - self.jitter, 1 + self.jitter) if delay else delay


@dataclass
class Services:
    settings: Settings
    models: ModelRegistry
    chat: ChatGenerator
    completions: TextCompleter
    embedder: Embedder
    resolver: Resolver
    pace: Pace
    store: CassetteStore
    chat_store: ChatStore  # stored chat completions (`store: true`)
    journal: "Journal"
    interceptor: "Interceptor"
    responder: Responder
    endpoints: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
