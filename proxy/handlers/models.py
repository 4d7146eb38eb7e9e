"""GET /v1/models and /v1/models/{model}; DELETE /v1/models/{model} for this organization's fine-tunes."""
from __future__ import annotations

from typing import Callable

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.core.offload import result, until_round_trip
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.pipeline.chain import Shared
from dummy_openai_api.proxy.state.shared.cache import settled


def no_such_model(model_id: str) -> APIError:
    return APIError(404, f"The model '{model_id}' does not exist", code="model_not_found", param="model")


class Models(Handler):
    """The catalogue, and the models fine-tuning jobs made."""

    @synthetic
    def get(self) -> Reply:
        return Reply(body=self.services.models.listing_body())


class ModelEntry(Handler):
    """One model; ids may hold `:` (fine-tunes) and `/`."""

    own = False  # a fine-tune this server made: its own to show and delete, no cassette or upstream knows it

    def dispatch(self) -> Outcome:
        """With --state, a model outside the catalogue may be a fine-tune any process made: whose it is, is looked
        up once this process has taken in the other processes' changes (a create or a delete answers only once
        every process may have: proxy.state.shared.cache), off the event loop when that needs a round trip."""
        model_id, models = self.request.path_args["model"], self.services.models
        sharing = self.services.pipeline.sharing
        listed = models.catalogue.get(model_id) is not None
        if sharing is None or listed:
            self.own = not listed and model_id in models.fine_tuned
            return super().dispatch()
        if self.settings.auth:
            self.authenticate()  # before any wait for the shared state
        return self._once_known(sharing, model_id)

    async def _once_known(self, sharing: Shared, model_id: str) -> Reply:
        await result(sharing.fresh())
        self.own = await result(until_round_trip(lambda: model_id in self.services.models.fine_tuned))
        return await result(super().dispatch())

    def verb(self) -> Callable[[], Outcome]:
        if self.own and self.request.method in ("GET", "DELETE"):
            return self._own_get if self.request.method == "GET" else self._own_delete
        return super().verb()

    def _own_get(self) -> Reply:
        model_id = self.request.path_args["model"]
        model = self.services.models.fine_tuned.get(model_id)
        if model is None:  # deleted meanwhile
            raise no_such_model(model_id)
        return Reply.json(model.entry())

    def _own_delete(self) -> Outcome:
        model_id = self.request.path_args["model"]
        if self.services.models.fine_tuned.pop(model_id, None) is None:  # deleted meanwhile
            raise no_such_model(model_id)
        reply = Reply.json({"id": model_id, "object": "model", "deleted": True})
        return settled(reply) if self.services.fine_tuning.settles else reply

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
