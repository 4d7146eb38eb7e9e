"""POST /v1/completions: legacy text completions, plain or streamed."""
from __future__ import annotations

from dummy_openai_api.generators.legacy import completions
from dummy_openai_api.generators.catalog.models import COMPLETION
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.validation.completions import completion_request


class Completions(Handler):
    @synthetic(offload=True)
    def post(self) -> Outcome:
        request = completion_request(self.body(), lambda name: self.model(name, COMPLETION))
        completion = self.services.completions.complete(request)
        if not request.stream:
            delay = self.services.pace.whole_answer(completion.id)
            return self.delayed(Reply.json(completions.completion_body(completion)), delay)
        events = [sse.event(c) for c in completions.completion_chunks(completion, request.include_usage)]
        return self.event_stream([*events, sse.DONE], completion.id)
