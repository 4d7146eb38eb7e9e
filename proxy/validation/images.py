"""The Images API's requests: generations (JSON), edits and variations (multipart), checked per model family.

Wording from real answers: "'<size>' is not one of ['256x256', '512x512', '1024x1024'] - 'size'" (DALL·E 2),
"The size is not supported by this model." (`invalid_size`, DALL·E 3), "You must provide n=1 for this model.",
"Unknown parameter: 'response_format'." (GPT image models), "Invalid value: 'x'. Supported values are: ..."
(models), "Value must be 'dall-e-2'." (variations), "Invalid input image - format must be in ['RGBA', 'LA',
'L'], got RGB." and "Uploaded image must be a PNG and less than 4 MB." (DALL·E 2 uploads), "Compression less
than 100 is not supported for PNG output format.". The rest follows the API's templates.
"""
from __future__ import annotations

import hashlib
import io
from typing import Any, Callable

from tornado.httputil import HTTPHeaders

from dummy_openai_api.generators.images import catalog
from dummy_openai_api.generators.images.catalog import DALL_E_2, DALL_E_3, ImageModelSpec
from dummy_openai_api.generators.images.request import EDITS, GENERATIONS, VARIATIONS, ImageRequest, Upload
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation.files import form_parts
from dummy_openai_api.proxy.validation import (
    bounded, invalid_type, invalid_value, missing, one_of, request_fields, required, string_too_long, typed,
)

MB = 1024 * 1024
DALL_E_UPLOAD_BYTES = 4 * MB  # "Must be a valid PNG file, less than 4MB"
GPT_UPLOAD_BYTES = 50 * MB  # "each image should be a png, webp, or jpg file less than 50MB"
MAX_IMAGES = 16  # "You can provide up to 16 images"
MAX_INPUT_PIXELS = 4096 * 4096  # larger uploads are refused before they are decoded
GPT_ONLY = ("output_format", "output_compression", "background", "moderation", "stream", "partial_images")
FORM_INTEGERS = ("n", "output_compression", "partial_images")
GPT_DEFAULT = "gpt-image-1"  # the model of a request without one that uses a GPT-only field
# What the refusal of an unknown model lists (the API's main ids, not every snapshot).
SUPPORTED_MODELS = ("gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2", "chatgpt-image-latest",
                    DALL_E_2, DALL_E_3)
# The SDK's fields of each endpoint (proxy.validation.request_fields), and `stream`, which it types apart.
KNOWN_FIELDS = {GENERATIONS: request_fields.IMAGE_GENERATE | {"stream"}, EDITS: request_fields.IMAGE_EDIT | {"stream"},
                VARIATIONS: request_fields.IMAGE_VARIATION}


# Parsing the transport ------------------------------------------------------------------------------------

def form(body: bytes, headers: HTTPHeaders) -> tuple[dict[str, Any], dict[str, list[bytes]]]:
    """A multipart body as (fields with the numbers and booleans typed, files by field name): `image[]` holds
    every file sent under it, as the SDK sends several images."""
    arguments, uploaded = form_parts(body, headers)
    fields: dict[str, Any] = {k: v[0].decode("utf-8", "replace") for k, v in arguments.items() if v}
    for name in FORM_INTEGERS:
        if name in fields:
            fields[name] = _form_integer(name, fields[name])
    if "stream" in fields:
        fields["stream"] = fields["stream"].lower() == "true"
    return fields, {k: [f.body for f in v] for k, v in uploaded.items()}


def _form_integer(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise invalid_type(name, text, "integer") from None


# The checks, in the order the API makes them ----------------------------------------------------------------

def image_request(endpoint: str, fields: dict[str, Any], files: dict[str, list[bytes]],
                  known: Callable[[str], bool], any_field: bool = False) -> ImageRequest:
    """Check a request; `known(model)` says whether the catalogue serves a model as an image model,
    `any_field` lets fields the API does not know through."""
    if not any_field:
        known_fields(endpoint, [*fields, *files])
    model = _model(endpoint, fields, known)
    prompt = "" if endpoint == VARIATIONS else _prompt(fields, model)
    n = _count(fields, model)
    images, mask = _uploads(endpoint, files, model) if endpoint != GENERATIONS else ((), None)
    width, height = _size(fields, model, prompt, images)
    if model.gpt:
        return _gpt_request(endpoint, fields, model, prompt, n, (width, height), images, mask)
    _no_gpt_fields(fields)
    quality = one_of(fields, "quality", model.qualities) or "auto"
    style = (one_of(fields, "style", ("vivid", "natural")) or "vivid") if model.family == DALL_E_3 else None
    response_format = one_of(fields, "response_format", ("url", "b64_json")) or "url"
    return ImageRequest(endpoint, model, prompt, n, width, height, "standard" if quality == "auto" else quality,
                        response_format, style=style, images=images, mask=mask, user=_user(fields), fields=fields)


def known_fields(endpoint: str, names: list[str]) -> None:
    """A field the endpoint does not take is refused; form names such as `image[]` and `svg[model]` are
    their field's."""
    known = KNOWN_FIELDS[endpoint]
    for name in names:
        field_name = name.split("[", 1)[0]
        if field_name not in known:
            raise APIError(400, f"Unknown parameter: '{field_name}'.", param=field_name, code="unknown_parameter")


def _model(endpoint: str, fields: dict[str, Any], known: Callable[[str], bool]) -> ImageModelSpec:
    model_id = typed(fields, "model", "string") or default_model(fields)
    if endpoint == VARIATIONS:
        if model_id != DALL_E_2:
            raise APIError(400, f"Invalid value: '{model_id}'. Value must be 'dall-e-2'.", param="model",
                           code="invalid_value")
    elif not known(model_id) or (endpoint == EDITS and model_id == DALL_E_3):
        raise invalid_value("model", model_id, supported_models(endpoint))
    return catalog.spec(model_id)


def default_model(fields: dict[str, Any]) -> str:
    """No model: DALL·E 2, "unless a parameter specific to the GPT image models is used" (the API reference)."""
    return GPT_DEFAULT if any(fields.get(name) not in (None, False) for name in GPT_ONLY) else DALL_E_2



def supported_models(endpoint: str) -> tuple[str, ...]:
    """The models an unknown one's refusal lists: edits take no DALL·E 3."""
    return SUPPORTED_MODELS if endpoint == GENERATIONS else SUPPORTED_MODELS[:-1]


def _prompt(fields: dict[str, Any], model: ImageModelSpec) -> str:
    prompt = required(fields, "prompt", "string")
    if len(prompt) > model.prompt_limit:
        raise string_too_long("prompt", model.prompt_limit, len(prompt))
    return prompt


def _count(fields: dict[str, Any], model: ImageModelSpec) -> int:
    n = bounded(fields, "n", "integer", 1, 10)
    if n is not None and n > model.max_n:
        raise APIError(400, "You must provide n=1 for this model.")
    return n or 1


def _size(fields: dict[str, Any], model: ImageModelSpec, prompt: str, images: tuple[Upload, ...]) -> tuple[int, int]:
    size = typed(fields, "size", "string") or model.default_size
    if size == "auto" and model.gpt:
        return _auto_size(prompt, images)
    if size in model.sizes:
        width, _, height = size.partition("x")
        return int(width), int(height)
    if model.family == DALL_E_2:
        listed = ", ".join(f"'{s}'" for s in model.sizes)
        raise APIError(400, f"'{size}' is not one of [{listed}] - 'size'")
    if model.family == DALL_E_3:
        raise APIError(400, "The size is not supported by this model.", code="invalid_size")
    return _free_size(size, model)


def _auto_size(prompt: str, images: tuple[Upload, ...]) -> tuple[int, int]:
    """An edit keeps its first image's orientation; a generation's prompt may ask for one."""
    if images:
        width, height = images[0].image.size
        return (1536, 1024) if width > height * 1.2 else (1024, 1536) if height > width * 1.2 else (1024, 1024)
    return catalog.auto_size(prompt)


def _free_size(size: str, model: ImageModelSpec) -> tuple[int, int]:
    width_text, _, height_text = size.partition("x")
    if not (model.free_sizes and width_text.isdigit() and height_text.isdigit()):
        raise invalid_value("size", size, model.sizes)
    width, height = int(width_text), int(height_text)
    problem = catalog.free_size_problem(width, height)
    if problem is not None or not width or not height:
        raise APIError(400, f"Invalid size '{size}': {problem or 'width and height must be positive'}.",
                       param="size", code="invalid_value")
    return width, height


def _no_gpt_fields(fields: dict[str, Any]) -> None:
    for name in GPT_ONLY:
        if fields.get(name) not in (None, False):
            raise APIError(400, f"The '{name}' parameter is only supported for the GPT image models.", param=name,
                           code="unsupported_parameter")


def _user(fields: dict[str, Any]) -> str | None:
    return typed(fields, "safety_identifier", "string") or typed(fields, "user", "string") or None


def _gpt_request(endpoint: str, fields: dict[str, Any], model: ImageModelSpec, prompt: str, n: int,
                 size: tuple[int, int], images: tuple[Upload, ...], mask: Upload | None) -> ImageRequest:
    for legacy in ("response_format", "style"):
        if fields.get(legacy) is not None:
            raise APIError(400, f"Unknown parameter: '{legacy}'.", param=legacy, code="unknown_parameter")
    quality = one_of(fields, "quality", model.qualities) or "auto"
    output_format = one_of(fields, "output_format", ("png", "jpeg", "webp")) or "png"
    compression = bounded(fields, "output_compression", "integer", 0, 100)
    if compression is not None and compression < 100 and output_format == "png":
        raise APIError(400, "Compression less than 100 is not supported for PNG output format.",
                       param="output_compression")
    background = one_of(fields, "background", ("transparent", "opaque", "auto")) or "auto"
    if background == "transparent" and output_format == "jpeg":
        raise APIError(400, "Transparent background is not supported for JPEG output format; use png or webp.",
                       param="background")
    one_of(fields, "moderation", ("low", "auto"))
    stream = bool(typed(fields, "stream", "boolean"))
    partial = bounded(fields, "partial_images", "integer", 0, 3) or 0
    return ImageRequest(endpoint, model, prompt, n, size[0], size[1], _quality(quality), "b64_json",
                        output_format, 100 if compression is None else compression,
                        _background(background, prompt), stream=stream, partial_images=partial, images=images,
                        mask=mask, user=_user(fields), fields=fields)


def _quality(quality: str) -> str:
    """What `auto` becomes: the answer reports the quality the picture was made at."""
    return "medium" if quality == "auto" else quality


def _background(background: str, prompt: str) -> str:
    if background != "auto":
        return background
    return "transparent" if "transparent" in prompt.lower() else "opaque"


# Uploads ---------------------------------------------------------------------------------------------------

def _uploads(endpoint: str, files: dict[str, list[bytes]], model: ImageModelSpec
             ) -> tuple[tuple[Upload, ...], Upload | None]:
    sent = files.get("image", []) + files.get("image[]", [])
    if not sent:
        raise missing("image")
    limit = GPT_UPLOAD_BYTES if model.gpt else DALL_E_UPLOAD_BYTES
    if not model.gpt and len(sent) > 1:
        raise APIError(400, "Only one image may be provided for this model.", param="image")
    if len(sent) > MAX_IMAGES:
        raise APIError(400, f"Invalid 'image': array too long. Expected an array with maximum length {MAX_IMAGES}, "
                            f"but got an array with length {len(sent)} instead.", param="image",
                       code="array_above_max_length")
    images = tuple(_decoded(data, index, limit, model) for index, data in enumerate(sent, 1))
    mask = _mask(files.get("mask", []), images[0]) if endpoint == EDITS else None
    if not model.gpt:
        _dall_e_upload(images[0], needs_alpha=endpoint == EDITS and mask is None)
    return images, mask


def _decoded(data: bytes, index: int, limit: int, model: ImageModelSpec) -> Upload:
    """The upload decoded by Pillow; what it cannot open, or a picture too large to open, is refused."""
    if len(data) > limit:
        if not model.gpt:
            raise APIError(400, "Uploaded image must be a PNG and less than 4 MB.", param="image")
        raise APIError(400, f"Image {index} is too large: each image must be less than {limit // MB} MB.",
                       param="image")
    too_large = APIError(400, f"Image {index} is too large: at most {MAX_INPUT_PIXELS} pixels.", param="image")
    from PIL import Image, UnidentifiedImageError  # loaded by the first upload, not at start-up
    try:
        # Only the decoders of the formats the API takes ever see an upload; its size is read from the header,
        # and a picture over the bound is refused before a pixel is decompressed.
        image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP"] if model.gpt else ["PNG"])
        if image.width * image.height > MAX_INPUT_PIXELS:
            raise too_large
        if index == 1:
            image.load()  # the picture an edit draws on
        else:
            image.verify()  # read through, never held decoded: 16 uploads of the most pixels would take 1 GB
    except Image.DecompressionBombError:
        raise too_large from None  # Pillow's own bound, also from the header
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _unreadable(index, model) from None
    return Upload(image, len(data), hashlib.sha256(data).digest())


def _unreadable(index: int, model: ImageModelSpec) -> APIError:
    if not model.gpt:
        return APIError(400, "Uploaded image must be a PNG and less than 4 MB.", param="image")
    return APIError(400, f"Invalid image file or mode for image {index}, please check your image file.",
                    param="image", code="invalid_image_file")


def _dall_e_upload(upload: Upload, needs_alpha: bool) -> None:
    """DALL·E 2 takes square PNGs, with transparency to edit when no mask says where."""
    width, height = upload.image.size
    if width != height:
        raise APIError(400, f"Invalid input image - image must be square, got {width}x{height}.", param="image")
    if needs_alpha and upload.image.mode not in ("RGBA", "LA", "L"):
        raise APIError(400, f"Invalid input image - format must be in ['RGBA', 'LA', 'L'], got {upload.image.mode}.",
                       param="image")


def _mask(sent: list[bytes], first: Upload) -> Upload | None:
    if not sent:
        return None
    if len(sent[0]) > DALL_E_UPLOAD_BYTES:
        raise APIError(400, "Uploaded mask must be a PNG and less than 4 MB.", param="mask")
    from PIL import Image, UnidentifiedImageError
    try:
        image = Image.open(io.BytesIO(sent[0]), formats=["PNG"])
        if image.width * image.height > MAX_INPUT_PIXELS:
            raise ValueError
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise APIError(400, "Invalid mask image - the mask must be a valid PNG file.", param="mask") from None
    if image.size != first.image.size:
        raise APIError(400, f"Invalid mask image - mask size {image.width}x{image.height} does not match image size "
                            f"{first.image.width}x{first.image.height}.", param="mask")
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        raise APIError(400, f"Invalid mask image - format must be in ['RGBA', 'LA'], got {image.mode}.", param="mask")
    return Upload(image, len(sent[0]), hashlib.sha256(sent[0]).digest())


# The Responses API's image_generation tool --------------------------------------------------------------------

def image_tool_settings(tool: dict[str, Any], param: str) -> None:
    """The tool's picture settings, checked as the Images API checks a GPT image model's (`param`: `tools[i]`)."""
    model_id = typed(tool, "model", "string", param=f"{param}.model") or "gpt-image-1"
    model = catalog.spec(model_id)
    if not model.gpt:
        raise invalid_value(f"{param}.model", model_id, SUPPORTED_MODELS[:-2])
    size = typed(tool, "size", "string", param=f"{param}.size") or "auto"
    if size not in model.sizes:
        try:
            _free_size(size, model)
        except APIError as error:
            raise APIError(400, error.message, param=f"{param}.size", code=error.code) from None
    one_of(tool, "quality", model.qualities, param=f"{param}.quality")
    output_format = one_of(tool, "output_format", ("png", "jpeg", "webp"), param=f"{param}.output_format")
    if one_of(tool, "background", ("transparent", "opaque", "auto"), param=f"{param}.background") == "transparent" \
            and output_format == "jpeg":
        raise APIError(400, "Transparent background is not supported for JPEG output format; use png or webp.",
                       param=f"{param}.background")
    one_of(tool, "moderation", ("low", "auto"), param=f"{param}.moderation")
    bounded(tool, "output_compression", "integer", 0, 100, param=f"{param}.output_compression")
    bounded(tool, "partial_images", "integer", 0, 3, param=f"{param}.partial_images")
