"""A checked Images API request (proxy.validation.images makes it): what the generators draw from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Pillow loads with the first picture made or read, not at start-up
    from PIL import Image

from dummy_openai_api.generators.images.catalog import ImageModelSpec

GENERATIONS, EDITS, VARIATIONS = "generations", "edits", "variations"


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded picture, decoded, with its size in bytes and their digest (what identifies it)."""

    image: Image.Image
    size: int
    sha256: bytes


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """A checked request of any of the three endpoints; the size is resolved (never `auto`)."""

    endpoint: str
    model: ImageModelSpec
    prompt: str
    n: int
    width: int
    height: int
    quality: str  # as made: `auto` resolved
    response_format: str  # url | b64_json (always b64_json for the GPT image models)
    output_format: str = "png"
    compression: int = 100
    background: str = "opaque"  # as made: `auto` resolved
    style: str | None = None
    stream: bool = False
    partial_images: int = 0
    images: tuple[Upload, ...] = ()
    mask: Upload | None = None
    user: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # the form or JSON as sent, files aside

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"
