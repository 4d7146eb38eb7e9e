"""GET /v1/models and /v1/models/{model}."""
from __future__ import annotations

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Reply


class Models(Handler):
    """The catalogue."""

    @synthetic
    def get(self) -> Reply:
        return Reply(body=self.services.models.listing_body())


class ModelEntry(Handler):
    """One model; ids may hold `:` (fine-tunes) and `/`."""

    @synthetic
    def get(self) -> Reply:
        model_id = self.request.path_args["model"]
        model = self.services.models.catalogue.get(model_id)
        if model is None:
            raise APIError(404, f"The model '{model_id}' does not exist", code="model_not_found", param="model")
        return Reply.json(model.entry())
