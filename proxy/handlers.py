"""Handlers: one class per resource, one method per HTTP verb, a fresh instance per request.

`Handler` owns the shared concerns (the API key, the JSON body, resolving through the mode); the API
handlers ask the resolver for an answer and pass it the synthetic generator to fall back on, so none of
them knows whether the answer came from a cassette, the upstream or a generator.
"""
from __future__ import annotations

import asyncio
import hmac
from typing import Any, Awaitable, Callable

import orjson

from generators import chat, tokens
from generators.embeddings import to_base64
from generators.models import CHAT, EMBEDDING, Model
from proxy import __version__, sse, validation
from proxy.errors import APIError, invalid_method, invalid_url
from proxy.http import SSE_CONTENT_TYPE, Reply, Request
from proxy.services import Services

NO_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
    "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
    "accessing the API from your browser and are prompted for a username and password. You can obtain an API "
    "key from https://platform.openai.com/account/api-keys."
)


def mask_key(key: str) -> str:
    """The real API shows a wrong key as its first 8 and last 4 characters around asterisks."""
    if len(key) <= 12:
        return key
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def presented_key(request: Request) -> str | None:
    """The key a client sent: `Authorization: Bearer <key>` (the key may contain spaces)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


class Handler:
    """The base of every handler: auth, then the method named by the HTTP verb."""

    requires_key = True
    api = True  # answers carry the OpenAI API headers

    def __init__(self, services: Services, request: Request) -> None:
        self.services = services
        self.settings = services.settings
        self.request = request

    def dispatch(self) -> Reply | Awaitable[Reply]:
        method = getattr(self, self.request.method.lower(), None)
        if method is None:
            raise invalid_method(self.request.method, self.request.path)
        if self.requires_key and self.settings.auth:
            self.authenticate()
        return method()

    def authenticate(self) -> None:
        key = presented_key(self.request)
        if key is None:
            raise APIError(401, NO_KEY_MESSAGE)
        if not hmac.compare_digest(key.encode(), self.settings.api_key.encode()):
            raise APIError(401, f"Incorrect API key provided: {mask_key(key)}. You can find your API key at "
                                "https://platform.openai.com/account/api-keys.", code="invalid_api_key")

    def resolve(self, synthesize: Callable[[], Reply | Awaitable[Reply]]) -> Reply | Awaitable[Reply]:
        return self.services.resolver.resolve(self.request, synthesize)

    def body(self) -> dict[str, Any]:
        return validation.body_object(self.request.json())

    def model(self, model_id: str, *kinds: str) -> Model:
        return self.services.models.require(model_id, kinds, self.request.path)

    def later(self, reply: Reply, delay: float) -> Reply | Awaitable[Reply]:
        """The reply, after `delay` seconds when latency is simulated."""
        if delay <= 0:
            return reply

        async def delayed() -> Reply:
            await asyncio.sleep(delay)
            return reply
        return delayed()


class Passthrough(Handler):
    """Any other API path: answered from a cassette or the upstream when the mode allows, else unknown."""

    def dispatch(self) -> Reply | Awaitable[Reply]:
        if self.settings.auth:
            self.authenticate()
        return self.resolve(self.unknown)

    def unknown(self) -> Reply:
        raise invalid_url(self.request.method, self.request.path)


class Health(Handler):
    requires_key = False
    api = False

    def get(self) -> Reply:
        return Reply.json({"status": "ok", "mode": self.services.resolver.mode.value})


class Root(Handler):
    requires_key = False
    api = False

    def get(self) -> Reply:
        return Reply.json({
            "name": "Dummy OpenAI API",
            "version": __version__,
            "mode": self.services.resolver.mode.value,
            "endpoints": self.services.endpoints,
            "models": list(self.services.models.catalogue.models),
        })


class Counters(Handler):
    """Hits, misses and recordings per cassette and endpoint, and what failed to load."""

    api = False

    def get(self) -> Reply:
        store = self.services.store
        return Reply.json({"mode": self.services.resolver.mode.value, "recordings": store.size,
                           "cassettes": len(store.paths), "unreadable": store.errors, "skipped": store.skipped,
                           "counters": store.summary()})


class Models(Handler):
    def get(self) -> Reply | Awaitable[Reply]:
        return self.resolve(lambda: Reply(body=self.services.models.listing_body()))


class ModelEntry(Handler):
    def get(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self._entry)

    def _entry(self) -> Reply:
        model_id = self.request.path_args["model"]
        model = self.services.models.catalogue.get(model_id)
        if model is None:
            raise APIError(404, f"The model '{model_id}' does not exist", code="model_not_found", param="model")
        return Reply.json(model.entry())


class ChatCompletions(Handler):
    def post(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self.synthesize)

    def synthesize(self) -> Reply | Awaitable[Reply]:
        body = validation.chat_request(self.body())
        model = self.model(body["model"], CHAT)
        completion = self.services.chat.complete(body, model)
        validation.chat_limits(body, model, completion.prompt_tokens)
        pace = self.services.pace
        if not body.get("stream"):
            return self.later(Reply.json(chat.completion_body(completion)), pace.whole_answer(completion.id))
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [sse.event(c) for c in chat.completion_chunks(completion, model.id, include_usage)]
        events.append(sse.DONE)
        first, gap = pace.stream(completion.id)
        stream = sse.paced(events, first, gap) if first or gap else events
        return Reply(stream=stream, content_type=SSE_CONTENT_TYPE)


class Embeddings(Handler):
    def post(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self.synthesize)

    def synthesize(self) -> Reply | Awaitable[Reply]:
        body = validation.embeddings_request(self.body())
        model = self.model(body["model"], EMBEDDING)
        inputs = validation.embedding_inputs(body["input"])
        dims = validation.embedding_dimensions(body, model)
        counts = [len(item) if not isinstance(item, str) else 0 for item in inputs]
        texts = [item for item in inputs if isinstance(item, str)]
        if texts:
            text_counts = iter(tokens.count_many(texts, model.id))
            counts = [next(text_counts) if isinstance(item, str) else n for item, n in zip(inputs, counts)]
        validation.embedding_token_limits(counts, single=inputs is not body["input"])
        vectors = self.services.embedder.embed(inputs, model.id, dims)
        as_base64 = body.get("encoding_format") == "base64"
        data = [{"object": "embedding", "index": i, "embedding": to_base64(v) if as_base64 else v}
                for i, v in enumerate(vectors)]
        payload = {"object": "list", "data": data, "model": _served_name(body["model"]),
                   "usage": {"prompt_tokens": sum(counts), "total_tokens": sum(counts)}}
        reply = Reply(body=orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY))
        return self.later(reply, self.services.pace.embeddings())


def _served_name(model: str) -> str:
    """The name the API reports: ada-002 answers as its `-v2` deployment."""
    return "text-embedding-ada-002-v2" if model == "text-embedding-ada-002" else model
