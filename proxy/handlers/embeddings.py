"""POST /v1/embeddings."""
from __future__ import annotations

from typing import Any, Awaitable

import orjson

from generators import tokens
from generators.models import EMBEDDING
from proxy.handlers.base import Handler
from proxy.http import Reply
from proxy.validation.embeddings import (
    embedding_dimensions, embedding_inputs, embedding_token_limits, embeddings_request,
)


class Embeddings(Handler):
    def post(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self.synthesize)

    def synthesize(self) -> Reply | Awaitable[Reply]:
        body = embeddings_request(self.body())
        model = self.model(body["model"], EMBEDDING)
        inputs = embedding_inputs(body["input"])
        dims = embedding_dimensions(body, model)
        counts = [tokens.count(item, model.id) if isinstance(item, str) else len(item) for item in inputs]
        embedding_token_limits(counts, single=inputs is not body["input"])
        embedder = self.services.embedder
        if body.get("encoding_format") == "base64":
            vectors: Any = embedder.embed_base64(inputs, model.id, dims)
        else:
            vectors = embedder.embed(inputs, model.id, dims)
        data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        payload = {"object": "list", "data": data, "model": _served_name(body["model"]),
                   "usage": {"prompt_tokens": sum(counts), "total_tokens": sum(counts)}}
        reply = Reply(body=orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY))
        return self.later(reply, self.services.pace.embeddings())


def _served_name(model: str) -> str:
    """The name the API reports: ada-002 answers as its `-v2` deployment."""
    return "text-embedding-ada-002-v2" if model == "text-embedding-ada-002" else model
