"""POST /v1/moderations: text and images classified in the 13 harm categories."""
from __future__ import annotations

from dummy_openai_api.generators import moderation
from dummy_openai_api.generators.catalog.models import MODERATION
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.validation.moderations import moderation_request


class Moderations(Handler):
    @synthetic(offload=True)
    def post(self) -> Reply:
        request = moderation_request(self.body(), lambda name: self.model(name, MODERATION))
        return Reply.json(moderation.moderation_body(request))
