"""POST /v1/moderations: text and images classified in the 13 harm categories."""
from __future__ import annotations

from dummy_openai_api.generators import moderation
from dummy_openai_api.generators.chat.completion import request_digest
from dummy_openai_api.generators.catalog.models import MODERATION
from dummy_openai_api.proxy import validation
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.validation.moderations import moderation_inputs, moderation_model


class Moderations(Handler):
    @synthetic(offload=True)
    def post(self) -> Reply:
        body = self.body()
        model = self.model(moderation_model(body), MODERATION)
        items = [moderation.Input(tuple(texts), tuple(images)) for texts, images in moderation_inputs(body)]
        if model.id.startswith("text-moderation") and any(item.images for item in items):
            raise validation.invalid_value("input", "image_url", ("text",))
        return Reply.json(moderation.moderation_body(model.id, items, request_digest(body)))
