"""POST /v1/embeddings."""
from __future__ import annotations

from typing import Any

import orjson

from dummy_openai_api.generators.catalog.models import EMBEDDING
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.validation.embeddings import embeddings_request


class Embeddings(Handler):
    @synthetic(offload=True)
    def post(self) -> Outcome:
        request = embeddings_request(self.body(), lambda name: self.model(name, EMBEDDING))
        vectors = self.services.embedder.vectors(request)
        data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        used = sum(request.token_counts)
        rest = {"model": _served_name(request.model_name), "usage": {"prompt_tokens": used, "total_tokens": used}}
        return self.delayed(Reply(body=_listing(data, rest)), self.services.pace.embeddings())


def _listing(data: list[dict[str, Any]], rest: dict[str, Any]) -> bytes:
    """`{"object": "list", "data": [...], **rest}`, one row at a time: one orjson call over 2048 vectors of 3072
    floats holds the GIL for a second, in which the event loop could answer nobody."""
    rows = b",".join(orjson.dumps(row, option=orjson.OPT_SERIALIZE_NUMPY) for row in data)
    return b'{"object":"list","data":[' + rows + b"]," + orjson.dumps(rest)[1:]


def _served_name(model: str) -> str:
    """The name the API reports: ada-002 answers as its `-v2` deployment."""
    return "text-embedding-ada-002-v2" if model == "text-embedding-ada-002" else model
