"""/v1/chat/completions: create a completion (storing it when the request says `store: true`), list stored ones."""
from __future__ import annotations

from dummy_openai_api.generators.chat import completion as chat, chunks
from dummy_openai_api.generators.catalog.models import CHAT
from dummy_openai_api.proxy.validation import modalities
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.handlers.stored_chat import storing_step
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.pipeline.chain import Step
from dummy_openai_api.proxy.validation import stored
from dummy_openai_api.proxy.validation.chat import AZURE_FIELDS, CHAT_FIELDS, chat_limits, chat_request, known_fields
from dummy_openai_api.proxy.validation.reasoning import chat_parameters
from dummy_openai_api.proxy.validation.tools import chat_features


class ChatCompletions(Handler):
    def after_answer(self) -> Step | None:
        return storing_step(self)  # whatever answers, a `store: true` answer is kept

    @synthetic
    def get(self) -> Reply:
        return Reply.json(self.services.chat_store.page(stored.list_query(self.request.query)))

    @synthetic(offload=True, repeatable=True)  # the same body: the same answer (created: to the second)
    def post(self) -> Outcome:
        body = self.body()
        if not self.settings.accept_unknown_fields:
            known_fields(body, AZURE_FIELDS if self.request.context.get("azure") else CHAT_FIELDS)
        chat_request(body)
        model = self.model(body["model"], CHAT)
        if modalities.needs_check(body):  # most requests never touch audio
            modalities.check(body, body["model"])
        stored.metadata(body.get("metadata"))
        chat_features(body, model)
        chat_parameters(body, model)
        completion = self.services.chat.complete(body, model)
        chat_limits(body, model, completion.prompt_tokens)
        if not body.get("stream"):
            delay = self.services.pace.whole_answer(completion.id)
            return self.delayed(Reply.json(chat.completion_body(completion)), delay)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        obfuscate = (body.get("stream_options") or {}).get("include_obfuscation") is not False
        events = [sse.event(c) for c in chunks.completion_chunks(completion, model.id, include_usage, obfuscate)]
        return self.event_stream([*events, sse.DONE], completion.id)
