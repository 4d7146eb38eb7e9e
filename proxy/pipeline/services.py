"""What the handlers are given: the settings, the model registry, the generators, the answer pipeline, pacing
and the stores of API objects.

Built once at start-up by `proxy.server.app.make_app` and handed to every handler (no module globals).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, MutableMapping

import orjson

from dummy_openai_api.generators.catalog.models import CHAT, COMPLETION, EMBEDDING, IMAGE, RESPONSES_ONLY, Catalogue, Model
from dummy_openai_api.generators.catalog.retired import DEPRECATIONS_URL, RETIRED
from dummy_openai_api.proxy.core.config import Settings
from dummy_openai_api.proxy.pipeline.pace import Pace
from dummy_openai_api.proxy.core.errors import APIError, model_not_found
from dummy_openai_api.proxy.cassettes.store import CassetteStore
from dummy_openai_api.proxy.state.chat_store import ChatStore
from dummy_openai_api.proxy.core.lazy import built_on_first_read
from dummy_openai_api.proxy.pipeline.chain import Pipeline, make_upstream
from dummy_openai_api.proxy.state.file_store import FileStore, UploadStore
from dummy_openai_api.proxy.state.image_urls import ImageUrls
from dummy_openai_api.proxy.state.voices import VoiceStore

if TYPE_CHECKING:
    from dummy_openai_api.generators.chat.completion import ChatGenerator
    from dummy_openai_api.generators.embeddings.vectors import Embedder
    from dummy_openai_api.generators.legacy.completions import TextCompleter
    from dummy_openai_api.generators.replies import ReplyRules
    from dummy_openai_api.proxy.state.batches import BatchStore
    from dummy_openai_api.proxy.state.checkpoint_permissions import CheckpointPermissions
    from dummy_openai_api.proxy.state.fine_tuning import FineTuningStore
    from dummy_openai_api.proxy.state.journal import Journal
    from dummy_openai_api.proxy.state.responder import Responder
    from dummy_openai_api.proxy.state.vector_stores import VectorStores

# The handler class of an API path and its path arguments (the route table's, given by the application).
Route = Callable[[str], tuple[Any, dict[str, str]]]


class ModelRegistry:
    """The catalogue plus the policy for unknown models (404 like the real API, or accept any name)."""

    def __init__(self, catalogue: Catalogue, any_model: bool) -> None:
        self.catalogue = catalogue
        self.any_model = any_model
        self.fine_tuned: MutableMapping[str, Model] = {}  # made by fine-tuning jobs; gone on delete or reset
        self.checkpoints: MutableMapping[str, Model] = {}  # their checkpoints: usable, but not listed (as in the API)
        self._listing = orjson.dumps(catalogue.listing())

    def listing_body(self) -> bytes:
        if not self.fine_tuned:
            return self._listing
        listing = self.catalogue.listing()
        listing["data"] += [model.entry() for model in self.fine_tuned.values()]
        return orjson.dumps(listing)

    def add_fine_tuned(self, model: Model, checkpoints: tuple[str, ...] = ()) -> None:
        self.fine_tuned[model.id] = model
        self.checkpoints.update((name, Model(name, model.kind, model.created, model.owned_by)) for name in checkpoints)

    def forget_fine_tuned(self) -> None:
        self.fine_tuned.clear()
        self.checkpoints.clear()

    def require(self, model_id: str, kinds: tuple[str, ...], path: str) -> Model:
        model = self.catalogue.get(model_id) or self.fine_tuned.get(model_id) or self.checkpoints.get(model_id)
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
    if CHAT in kinds and model.kind in (COMPLETION, EMBEDDING, IMAGE):  # the answer dall-e-3 gets
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


@dataclass
class Services:
    """The generators and the stores only some requests use are built on first read (`built_on_first_read`):
    start-up neither imports nor builds them (the tokenizer's background load imports them meanwhile)."""

    settings: Settings
    models: ModelRegistry
    pipeline: Pipeline  # where answers come from: the mode, rules and faults, rate limits, the current cassette
    pace: Pace
    store: CassetteStore
    chat_store: ChatStore  # stored chat completions (`store: true`)
    journal: "Journal"
    files: FileStore
    uploads: UploadStore
    image_urls: ImageUrls  # the pictures `url` image answers point at
    voices: VoiceStore  # voice consents and custom voices
    rules: "ReplyRules | None" = None  # --replies: the rules every generator answers by first
    endpoints: list[str] = field(default_factory=list)
    route: Route | None = None  # batch lines are answered by the handler their URL routes to

    @built_on_first_read
    def chat(self) -> ChatGenerator:
        from dummy_openai_api.generators.chat.completion import ChatGenerator
        return ChatGenerator(self.rules)

    @built_on_first_read
    def completions(self) -> TextCompleter:
        from dummy_openai_api.generators.legacy.completions import TextCompleter
        return TextCompleter(self.rules)

    @built_on_first_read
    def embedder(self) -> Embedder:
        from dummy_openai_api.generators.embeddings.vectors import Embedder
        return Embedder()

    @built_on_first_read
    def responder(self) -> Responder:
        """The Responses API, and its conversations."""
        from dummy_openai_api.generators.responses.output import ResponseWriter
        from dummy_openai_api.proxy.state.conversation_store import ConversationStore
        from dummy_openai_api.proxy.state.responder import Responder
        from dummy_openai_api.proxy.state.response_store import ResponseStore
        from dummy_openai_api.proxy.state.store_budget import mib
        settings = self.settings
        writer = ResponseWriter(self.rules, search=self.vector_stores.search)  # what the file_search tool searches
        return Responder(ResponseStore(settings.responses_limit, mib(settings.store_mb)), writer,
                         settings.background_seconds, ConversationStore(settings.responses_limit))

    @built_on_first_read
    def batches(self) -> BatchStore:
        from dummy_openai_api.proxy.state.batches import BatchStore
        return BatchStore(self.files, self.settings.batch_seconds, self.settings.batch_window_seconds)

    @built_on_first_read
    def vector_stores(self) -> VectorStores:
        from dummy_openai_api.proxy.state.vector_stores import VectorStores
        return VectorStores(self.files, self.files.budget)  # their chunks share the files' budget

    @built_on_first_read
    def fine_tuning(self) -> FineTuningStore:
        """Jobs, and the models they made."""
        from dummy_openai_api.proxy.state.fine_tuning import FineTuningStore
        return FineTuningStore(self.files, self.models, self.settings.fine_tuning_seconds)

    @built_on_first_read
    def checkpoint_permissions(self) -> CheckpointPermissions:
        from dummy_openai_api.proxy.state.checkpoint_permissions import CheckpointPermissions
        return CheckpointPermissions(self.fine_tuning.knows_checkpoint)


__all__ = ["ModelRegistry", "Route", "Services", "make_upstream", "wrong_kind"]
