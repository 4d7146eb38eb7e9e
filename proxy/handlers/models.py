"""GET /v1/models and /v1/models/{model}; DELETE /v1/models/{model} for this organization's fine-tunes."""
from __future__ import annotations

from typing import Callable

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.handlers.base import Handler, synthetic


def no_such_model(model_id: str) -> APIError:
    return APIError(404, f"The model '{model_id}' does not exist", code="model_not_found", param="model")


class Models(Handler):
    """The catalogue, and the models fine-tuning jobs made."""

    @synthetic
    def get(self) -> Reply:
        return Reply(body=self.services.models.listing_body())


class ModelEntry(Handler):
    """One model; ids may hold `:` (fine-tunes) and `/`."""

    def verb(self) -> Callable[[], Outcome]:
        """A fine-tune this server made is its own to show and delete: no cassette or upstream knows it."""
        if self.request.path_args["model"] in self.services.models.fine_tuned:
            return self._own_get if self.request.method == "GET" else self._own_delete \
                if self.request.method == "DELETE" else super().verb()
        return super().verb()

    def _own_get(self) -> Reply:
        return Reply.json(self.services.models.fine_tuned[self.request.path_args["model"]].entry())

    def _own_delete(self) -> Reply:
        model_id = self.request.path_args["model"]
        self.services.models.fine_tuned.pop(model_id, None)
        return Reply.json({"id": model_id, "object": "model", "deleted": True})

    @synthetic
    def get(self) -> Reply:
        model_id = self.request.path_args["model"]
        model = self.services.models.catalogue.get(model_id)
        if model is None:
            raise no_such_model(model_id)
        return Reply.json(model.entry())

    @synthetic
    def delete(self) -> Reply:
        """Only an organization's own fine-tunes may be deleted: a base model is someone else's."""
        model_id = self.request.path_args["model"]
        if self.services.models.catalogue.get(model_id) is None:
            raise no_such_model(model_id)
        raise APIError(403, f"You do not have permission to delete the model '{model_id}': only fine-tuned "
                            "models your organization owns can be deleted.", param="model",
                       code="model_not_deletable")
