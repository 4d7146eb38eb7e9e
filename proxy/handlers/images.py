"""/v1/images: generations (JSON), edits and variations (multipart), and the pictures `url` answers point at.

Every picture is drawn on a worker thread (proxy.core.offload): a 1024x1024 PNG takes about 20 ms of CPU, ten
of them 200 ms, in which the event loop keeps answering others.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

from dummy_openai_api.generators.images import answers
from dummy_openai_api.generators.images.request import EDITS, GENERATIONS, VARIATIONS, ImageRequest
from dummy_openai_api.generators.catalog.models import IMAGE
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.core.errors import invalid_url
from dummy_openai_api.proxy.core.offload import until_round_trip
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.state.image_urls import CONTENT_PATH, LIFETIME_SECONDS
from dummy_openai_api.proxy.validation import body_object
from dummy_openai_api.proxy.validation import images as checks


class ImageHandler(Handler):
    endpoint = GENERATIONS

    @synthetic(offload="always")  # drawing and encoding a picture is costly whatever the body says
    def post(self) -> Reply:
        request = self.checked()
        created = int(time.time())
        if request.stream:
            events = [sse.named_event(name, payload) for name, payload in answers.events(request, created)]
            return self.event_stream(events, "images")
        return Reply.json(answers.body(request, created, self.keep))

    def checked(self) -> ImageRequest:
        fields, files = self.fields()
        return checks.image_request(self.endpoint, fields, files, self.known_model,
                                    any_field=self.settings.accept_unknown_fields)

    def fields(self) -> tuple[dict[str, Any], dict[str, list[bytes]]]:
        return checks.form(self.request.body, self.request.headers)

    def known_model(self, model_id: str) -> bool:
        model = self.services.models.catalogue.get(model_id)
        return (model is not None and model.kind == IMAGE) or self.services.models.any_model

    def keep(self, picture: bytes, media_type: str) -> str:
        """The picture's URL on this server (the Host the client used), with its expiry as pre-signed URLs
        carry it (`se=`)."""
        name = self.services.image_urls.add(picture, media_type)
        expiry = datetime.fromtimestamp(time.time() + LIFETIME_SECONDS, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        host = self.request.headers.get("Host") or f"127.0.0.1:{self.settings.port}"
        return f"http://{host}{CONTENT_PATH}{name}?se={expiry.replace(':', '%3A')}"


class ImageGenerations(ImageHandler):
    """POST /v1/images/generations"""

    def fields(self) -> tuple[dict[str, Any], dict[str, list[bytes]]]:
        return body_object(self.request.json()), {}


class ImageEdits(ImageHandler):
    """POST /v1/images/edits"""

    endpoint = EDITS


class ImageVariations(ImageHandler):
    """POST /v1/images/variations"""

    endpoint = VARIATIONS


class ImageContent(Handler):
    """GET /v1/images/content/{name}: readable without the key, as the pre-signed URLs it stands for."""

    requires_key = False
    api = False

    def get(self) -> Outcome:
        """Read on a round-trip thread when that waits on Redis (--state): no answer chain does it here."""
        return until_round_trip(self._picture)

    def _picture(self) -> Reply:
        found = self.services.image_urls.get(self.request.path_args["name"])
        if found is None:
            raise invalid_url(self.request.method, self.request.path)
        return Reply(body=found[0], content_type=found[1], source="image")
