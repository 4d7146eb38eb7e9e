"""POST /v1/completions: legacy text completions, plain or streamed."""
from __future__ import annotations

from dummy_openai_api.generators.legacy import completions
from dummy_openai_api.generators.chat.completion import request_digest
from dummy_openai_api.generators.catalog.models import COMPLETION
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy import validation
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.validation.completions import completion_request


class Completions(Handler):
    @synthetic(offload=True)
    def post(self) -> Outcome:
        body = self.body()
        # The model is looked up before the rest: a chat model here gets the API's pointer to chat completions.
        model = self.model(validation.model_name(body), COMPLETION)
        request = completion_request(body, model, request_digest(body))
        completion = self.services.completions.complete(request)
        if not body.get("stream"):
            delay = self.services.pace.whole_answer(completion.id)
            return self.delayed(Reply.json(completions.completion_body(completion)), delay)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [sse.event(c) for c in completions.completion_chunks(completion, include_usage)]
        return self.event_stream([*events, sse.DONE], completion.id)

