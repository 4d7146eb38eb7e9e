"""The base handler and the service endpoints (health, any other API path).

`Handler` owns the shared concerns (the API key, the JSON body, pacing) and hands an API request to the answer
pipeline (proxy.pipeline.chain) with the method of its HTTP verb: for a method marked `@synthetic`, the route's
synthetic answer, which a rule, a fault, a cassette or the upstream may answer in place of; none of the handlers
knows which source answered.
"""
from __future__ import annotations

import asyncio
import hmac
import os
from typing import Any, Callable, Iterable

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.proxy import validation
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.handlers.azure import access_denied
from dummy_openai_api.proxy.core.errors import APIError, invalid_method, invalid_url
from dummy_openai_api.proxy.core.http import SSE_CONTENT_TYPE, Outcome, Reply, Request
from dummy_openai_api.proxy.pipeline.chain import Step, synthetic
from dummy_openai_api.proxy.pipeline.memo import VARYING
from dummy_openai_api.proxy.pipeline.services import Services

NO_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
    "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
    "accessing the API from your browser and are prompted for a username and password. You can obtain an API "
    "key from https://platform.openai.com/account/api-keys."
)


def mask_key(key: str) -> str:
    """The real API shows a wrong key as its first 8 and last 4 characters around asterisks."""
    if len(key) <= 12:
        return key
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def presented_key(request: Request) -> str | None:
    """The key a client sent: `Authorization: Bearer <key>` (the key may contain spaces), or Azure's `api-key`."""
    header = request.headers.get("Authorization")
    if header is None:
        return request.headers.get("api-key")
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


class Handler:
    """The base of every handler: auth, then the method named by the HTTP verb."""

    requires_key = True
    api = True  # answers carry the OpenAI API headers

    def __init__(self, services: Services, request: Request) -> None:
        self.services = services
        self.settings = services.settings
        self.request = request

    def dispatch(self) -> Outcome:
        method = self.verb()
        if self.requires_key and self.settings.auth:
            self.authenticate()
        if self.api:  # rules, faults and rate limits come after auth, as upstream
            return self.services.pipeline.answer(self.request, method, self.after_answer())
        return method()

    def answer_line(self) -> Outcome:
        """A batch line's answer: as a direct request's, without the rules, faults and limits the batch met."""
        return self.services.pipeline.answer(self.request, self.verb(), self.after_answer(), line=True)

    def verb(self) -> Callable[[], Outcome]:
        """The method named by the request's HTTP verb; a route without it is the API's 405."""
        method = getattr(self, self.request.method.lower(), None)
        if method is None:
            raise invalid_method(self.request.method, self.request.path)
        return method

    def after_answer(self) -> Step | None:
        """What this route does with whichever answer comes, if anything (stored chat completions)."""
        return None

    def authenticate(self) -> None:
        key = presented_key(self.request)
        if key is not None and hmac.compare_digest(key.encode(), self.settings.api_key.encode()):
            return
        if self.request.context.get("azure"):
            raise access_denied()
        if key is None:
            raise APIError(401, NO_KEY_MESSAGE)
        raise APIError(401, f"Incorrect API key provided: {mask_key(key)}. You can find your API key at "
                            "https://platform.openai.com/account/api-keys.", code="invalid_api_key")

    def body(self) -> dict[str, Any]:
        return validation.body_object(self.request.json())

    def model(self, model_id: str, *kinds: str) -> Model:
        models = self.services.models
        model = models.require(model_id, kinds, self.request.path)
        if model is not models.catalogue.get(model_id):
            self.request.context[VARYING] = True  # a fine-tune: its answer is not kept for a repeat (memo)
        return model

    def delayed(self, reply: Reply, delay: float) -> Outcome:
        """The reply, after `delay` seconds when latency is simulated."""
        if delay <= 0:
            return reply

        async def delayed() -> Reply:
            await asyncio.sleep(delay)
            return reply
        return delayed()

    def event_stream(self, events: Iterable[bytes], pace_key: str) -> Reply:
        """Server-Sent Events, paced as the latency settings say (at once by default)."""
        delays = self.services.pace.stream_delays(pace_key)
        stream = sse.timed(events, delays) if delays is not None else list(events)
        return Reply(stream=stream, content_type=SSE_CONTENT_TYPE)


class Passthrough(Handler):
    """Any other API path: answered from a cassette or the upstream when the mode allows, else unknown."""

    def verb(self) -> Callable[[], Outcome]:
        return self.unknown  # every verb: a recording or the upstream may know it

    @synthetic
    def unknown(self) -> Reply:
        raise invalid_url(self.request.method, self.request.path)


class Health(Handler):
    requires_key = False
    api = False

    def get(self) -> Reply:
        return Reply.json({"status": "ok", "mode": self.services.pipeline.mode.value, "pid": os.getpid()})
