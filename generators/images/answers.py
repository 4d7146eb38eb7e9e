"""The Images API's answers: the `ImagesResponse` body, token usage, DALL·E 3's revised prompt, stream events.

Pictures are seeded by the request as sent (files by their bytes' digest), so the same request gives the same
bytes; `url` answers carry whatever address the caller's store gives each picture.
"""
from __future__ import annotations

import base64
import hashlib
import math
from typing import Any, Callable, Iterator

import orjson

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.images.catalog import DALL_E_3
from dummy_openai_api.generators.images.request import EDITS, ImageRequest
from dummy_openai_api.generators.vision import tiles

# Output tokens of gpt-image-1 by quality for a square, portrait and landscape picture (the pricing guide).
OUTPUT_TOKENS = {"low": (272, 408, 400), "medium": (1056, 1584, 1568), "high": (4160, 6240, 6208)}
EXTRA_QUALITY = {"xhigh": 1.5, "max": 2.0}  # over `high`; no published table: a proportion of our own
TOKEN_MODEL = "gpt-4o"  # the prompt is counted with o200k_base
Store = Callable[[bytes, str], str]  # (picture, media type) -> its URL


def seed(request: ImageRequest) -> bytes:
    """What identifies the pictures: the fields as sent, minus the transport ones, and every upload's bytes."""
    fields = {k: v for k, v in request.fields.items() if k not in ("stream", "partial_images", "response_format")}
    digest = hashlib.sha256(orjson.dumps(fields, option=orjson.OPT_SORT_KEYS))
    for upload in (*request.images, *((request.mask,) if request.mask else ())):
        digest.update(upload.sha256)
    return digest.digest()


def picture(request: ImageRequest, index: int, stage: tuple[int, int] = (1, 1)) -> bytes:
    from dummy_openai_api.generators.images import pictures  # Pillow: loaded by the first picture, not at start-up
    canvas = pictures.Canvas(seed(request) + index.to_bytes(2, "big"), request.width, request.height,
                             request.output_format, request.background == "transparent", request.compression)
    base = request.images[0].image if request.images else None
    mask = request.mask.image if request.mask is not None else None
    return pictures.render(canvas, request.prompt, stage, base, mask)


def body(request: ImageRequest, created: int, store: Store) -> dict[str, Any]:
    """The `ImagesResponse` of a non-streamed request."""
    data = [_datum(request, index, store) for index in range(request.n)]
    answer: dict[str, Any] = {"created": created, "data": data}
    if request.model.gpt:
        answer.update(_settings(request))
        answer["usage"] = usage(request)
    return answer


def _datum(request: ImageRequest, index: int, store: Store) -> dict[str, Any]:
    made = picture(request, index)
    datum: dict[str, Any] = {}
    if request.response_format == "url":
        from dummy_openai_api.generators.images.pictures import MEDIA_TYPES
        datum["url"] = store(made, MEDIA_TYPES[request.output_format])
    else:
        datum["b64_json"] = base64.b64encode(made).decode()
    if request.model.family == DALL_E_3:
        datum["revised_prompt"] = revised_prompt(request)
    return datum


def _settings(request: ImageRequest) -> dict[str, Any]:
    settings = {"background": request.background, "output_format": request.output_format,
                "quality": request.quality, "size": request.size}
    if request.user:  # the effective safety identifier: `safety_identifier`, else the deprecated `user`
        settings["safety_identifier"] = request.user
    return settings


def usage(request: ImageRequest, pictures_made: int | None = None) -> dict[str, Any]:
    """Tokens as the GPT image models report them: the prompt's text, the uploads' image tiles (as vision
    input at low detail: 65 + 129 a tile, our estimate), and the output by quality and size."""
    text = tokens.count(request.prompt, TOKEN_MODEL)
    images = sum(65 + 129 * tiles(*upload.image.size) for upload in request.images)
    made = request.n if pictures_made is None else pictures_made
    output = made * output_tokens(request.quality, request.width, request.height)
    return {"input_tokens": text + images, "input_tokens_details": {"image_tokens": images, "text_tokens": text},
            "output_tokens": output, "total_tokens": text + images + output}


def output_tokens(quality: str, width: int, height: int) -> int:
    square, portrait, landscape = OUTPUT_TOKENS.get(quality, OUTPUT_TOKENS["high"])
    base = square if width == height else portrait if height > width else landscape
    reference = 1024 * 1024 if width == height else 1024 * 1536
    scaled = base * width * height / reference * EXTRA_QUALITY.get(quality, 1.0)
    return max(1, math.ceil(scaled))


def revised_prompt(request: ImageRequest) -> str:
    """DALL·E 3 rewrites every prompt into a longer description; ours adds the style and a setting."""
    style = "vivid, dramatic" if request.style == "vivid" else "natural, understated"
    settings = ("soft morning light", "a detailed background", "warm evening colours", "a clean composition")
    chosen = settings[seed(request)[0] % len(settings)]
    return f"{request.prompt.strip().rstrip('.')}. The image is rendered in a {style} style, with {chosen}."


# Streaming --------------------------------------------------------------------------------------------------

def events(request: ImageRequest, created: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event name, payload) of a streamed request: each picture's partial images, then the picture."""
    prefix = "image_edit" if request.endpoint == EDITS else "image_generation"
    shared = {"created_at": created, **_settings(request)}
    partial_shared = {k: v for k, v in shared.items() if k != "safety_identifier"}  # completed events only
    for index in range(request.n):
        for partial in range(request.partial_images):
            made = picture(request, index, (partial + 1, request.partial_images + 1))
            yield f"{prefix}.partial_image", {"type": f"{prefix}.partial_image", "b64_json": _b64(made),
                                              **partial_shared, "partial_image_index": partial}
        completed = {"type": f"{prefix}.completed", "b64_json": _b64(picture(request, index)), **shared,
                     "usage": usage(request, 1)}  # each picture's own
        yield f"{prefix}.completed", completed


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()

