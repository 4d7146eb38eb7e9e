"""GET /v1/models and /v1/models/{model}; DELETE /v1/models/{model} for this organization's fine-tunes."""
from __future__ import annotations

from typing import Awaitable

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Reply


def no_such_model(model_id: str) -> APIError:
    return APIError(404, f"The model '{model_id}' does not exist", code="model_not_found", param="model")


class Models(Handler):
    """The catalogue, and the models fine-tuning jobs made."""

    def get(self) -> Reply | Awaitable[Reply]:
        return self.resolve(lambda: Reply(body=self.services.models.listing_body()))


class ModelEntry(Handler):
    """One model; ids may hold `:` (fine-tunes) and `/`."""

    def get(self) -> Reply | Awaitable[Reply]:
        fine_tuned = self.services.models.fine_tuned.get(self.request.path_args["model"])
        if fine_tuned is not None:  # this server's own: no cassette or upstream knows it
            return Reply.json(fine_tuned.entry())
        return self.resolve(self._entry)

    def delete(self) -> Reply | Awaitable[Reply]:
        model_id = self.request.path_args["model"]
        if self.services.models.fine_tuned.pop(model_id, None) is not None:
            return Reply.json({"id": model_id, "object": "model", "deleted": True})
        return self.resolve(self._refuse_delete)

    def _entry(self) -> Reply:
        model_id = self.request.path_args["model"]
        model = self.services.models.catalogue.get(model_id)
        if model is None:
            raise no_such_model(model_id)
        return Reply.json(model.entry())

    def _refuse_delete(self) -> Reply:
        """Only an organization's own fine-tunes may be deleted: a base model is someone else's."""
        model_id = self.request.path_args["model"]
        if self.services.models.catalogue.get(model_id) is None:
            raise no_such_model(model_id)
        raise APIError(403, f"You do not have permission to delete the model '{model_id}': only fine-tuned "
                            "models your organization owns can be deleted.", param="model",
                       code="model_not_deletable")
