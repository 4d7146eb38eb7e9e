"""What each image model accepts: sizes, how many images, prompt length, qualities, edits and variations.

Three families answer the Images API differently: DALL·E 2 (small square sizes, `url` or `b64_json`, edits
and variations), DALL·E 3 (one image, `quality` standard|hd, `style`, a revised prompt) and the GPT image
models (always base64, `output_format`, `background`, token usage, streaming). Any model the catalogue lists
as an image model and that is not DALL·E is a GPT image model.
"""
from __future__ import annotations

from dataclasses import dataclass

DALL_E_2, DALL_E_3, GPT_IMAGE = "dall-e-2", "dall-e-3", "gpt-image"
GPT_SIZES = ("1024x1024", "1024x1536", "1536x1024", "auto")
GPT_QUALITIES = ("low", "medium", "high", "auto")
# gpt-image-2 and newer take any WIDTHxHEIGHT within these bounds (the SDK's `size` documentation).
FREE_SIZE_PREFIXES = ("gpt-image-2",)
FREE_SIZE_STEP, FREE_SIZE_MAX_EDGE, FREE_SIZE_MAX_PIXELS, FREE_SIZE_MAX_RATIO = 16, 3840, 3840 * 2160, 3
EXTRA_QUALITY_PREFIXES = ("gpt-image-2.5",)  # also `xhigh` and `max`


@dataclass(frozen=True, slots=True)
class ImageModelSpec:
    id: str
    family: str
    sizes: tuple[str, ...]
    default_size: str
    max_n: int
    prompt_limit: int
    qualities: tuple[str, ...]
    free_sizes: bool = False

    @property
    def gpt(self) -> bool:
        return self.family == GPT_IMAGE


def spec(model_id: str) -> ImageModelSpec:
    """The rules of an image model (the catalogue has already said it is one)."""
    if model_id == DALL_E_2:
        return ImageModelSpec(model_id, DALL_E_2, ("256x256", "512x512", "1024x1024"), "1024x1024", 10, 1000,
                              ("standard", "auto"))
    if model_id == DALL_E_3:
        return ImageModelSpec(model_id, DALL_E_3, ("1024x1024", "1792x1024", "1024x1792"), "1024x1024", 1, 4000,
                              ("standard", "hd", "auto"))
    qualities = GPT_QUALITIES + (("xhigh", "max") if model_id.startswith(EXTRA_QUALITY_PREFIXES) else ())
    return ImageModelSpec(model_id, GPT_IMAGE, GPT_SIZES, "auto", 10, 32000, qualities,
                          free_sizes=model_id.startswith(FREE_SIZE_PREFIXES))


def free_size_problem(width: int, height: int) -> str | None:
    """Why a free WIDTHxHEIGHT is refused, or None when the model can make it."""
    if width % FREE_SIZE_STEP or height % FREE_SIZE_STEP:
        return f"width and height must both be divisible by {FREE_SIZE_STEP}"
    if max(width, height) > FREE_SIZE_MAX_RATIO * min(width, height):
        return "the aspect ratio must be between 1:3 and 3:1"
    if max(width, height) > FREE_SIZE_MAX_EDGE or width * height > FREE_SIZE_MAX_PIXELS:
        return "the maximum supported resolution is 3840x2160"
    return None


def auto_size(prompt: str) -> tuple[int, int]:
    """What `size: auto` becomes: landscape or portrait when the prompt asks for it, else square."""
    text = prompt.lower()
    if any(word in text for word in ("landscape", "panorama", "wide", "banner")):
        return 1536, 1024
    if any(word in text for word in ("portrait", "poster", "tall", "vertical")):
        return 1024, 1536
    return 1024, 1024
