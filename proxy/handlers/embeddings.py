"""POST /v1/embeddings."""
from __future__ import annotations

from typing import Any

import orjson

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.catalog.models import EMBEDDING
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.validation.embeddings import (
    embedding_dimensions, embedding_inputs, embedding_token_limits, embeddings_request,
)


class Embeddings(Handler):
    @synthetic(offload=True)
    def post(self) -> Outcome:
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
        rest = {"model": _served_name(body["model"]),
                "usage": {"prompt_tokens": sum(counts), "total_tokens": sum(counts)}}
        return self.delayed(Reply(body=_listing(data, rest)), self.services.pace.embeddings())


def _listing(data: list[dict[str, Any]], rest: dict[str, Any]) -> bytes:
    """`{"object": "list", "data": [...], **rest}`, one row at a time: one orjson call over 2048 vectors of 3072
    floats holds the GIL for a second, in which the event loop could answer nobody."""
    rows = b",".join(orjson.dumps(row, option=orjson.OPT_SERIALIZE_NUMPY) for row in data)
    return b'{"object":"list","data":[' + rows + b"]," + orjson.dumps(rest)[1:]


def _served_name(model: str) -> str:
    """The name the API reports: ada-002 answers as its `-v2` deployment."""
    return "text-embedding-ada-002-v2" if model == "text-embedding-ada-002" else model
