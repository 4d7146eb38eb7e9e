"""POST /v1/chat/completions."""
from __future__ import annotations

from typing import Awaitable

from generators import chat, chunks
from generators.models import CHAT
from proxy import sse
from proxy.handlers.base import Handler
from proxy.http import Reply
from proxy.validation.chat import chat_limits, chat_request
from proxy.validation.tools import chat_features


class ChatCompletions(Handler):
    def post(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self.synthesize)

    def synthesize(self) -> Reply | Awaitable[Reply]:
        body = chat_request(self.body())
        model = self.model(body["model"], CHAT)
        chat_features(body, model)
        completion = self.services.chat.complete(body, model)
        chat_limits(body, model, completion.prompt_tokens)
        if not body.get("stream"):
            delay = self.services.pace.whole_answer(completion.id)
            return self.later(Reply.json(chat.completion_body(completion)), delay)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [sse.event(c) for c in chunks.completion_chunks(completion, model.id, include_usage)]
        return self.event_stream([*events, sse.DONE], completion.id)
