"""/v1/chat/completions: create a completion (storing it when the request says `store: true`), list stored ones."""
from __future__ import annotations

from dummy_openai_api.generators.chat import completion as chat, chunks
from dummy_openai_api.generators.catalog.models import CHAT
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.handlers.stored_chat import storing_step
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.pipeline.chain import Step
from dummy_openai_api.proxy.validation import stored
from dummy_openai_api.proxy.validation.chat import AZURE_FIELDS, CHAT_FIELDS, chat_limits, chat_request


class ChatCompletions(Handler):
    def after_answer(self) -> Step | None:
        return storing_step(self)  # whatever answers, a `store: true` answer is kept

    @synthetic
    def get(self) -> Reply:
        return Reply.json(self.services.chat_store.page(stored.list_query(self.request.query)))

    @synthetic(offload=True, repeatable=True)  # the same body: the same answer (created: to the second)
    def post(self) -> Outcome:
        request = chat_request(self.body(), lambda name: self.model(name, CHAT), self._known_fields())
        completion = self.services.chat.complete(request)
        chat_limits(request, completion.prompt_tokens)
        stream = request.stream
        if stream is None:
            delay = self.services.pace.whole_answer(completion.id)
            return self.delayed(Reply.json(chat.completion_body(completion)), delay)
        events = [sse.event(c) for c in chunks.completion_chunks(completion, request.model.id, stream.include_usage,
                                                                  stream.include_obfuscation)]
        return self.event_stream([*events, sse.DONE], completion.id)

    def _known_fields(self) -> frozenset[str] | None:
        """The body fields to accept: the endpoint's (Azure's deployments add theirs), or any."""
        if self.settings.accept_unknown_fields:
            return None
        return AZURE_FIELDS if self.request.context.get("azure") else CHAT_FIELDS
