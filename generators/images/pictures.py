"""Deterministic pictures: shapes and colours drawn from a seed, encoded as PNG, JPEG or WebP by Pillow.

A picture is drawn at an eighth of its size and scaled up (smooth edges, cheap to draw and to compress), so a
1024x1024 PNG takes about 20 ms of CPU. Colours the prompt names become the palette, so "a red fox" looks red.
Partial images (streaming) are the same picture with fewer of its shapes drawn yet.
"""
from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

SHAPES = 9
SCALE = 8  # drawn at 1/SCALE of the size, then scaled up
COLOURS = {
    "red": (200, 40, 40), "orange": (240, 140, 30), "yellow": (240, 210, 50), "green": (50, 160, 70),
    "blue": (40, 90, 200), "purple": (130, 60, 170), "pink": (240, 130, 180), "brown": (120, 80, 40),
    "black": (20, 20, 20), "white": (240, 240, 240), "grey": (128, 128, 128), "gray": (128, 128, 128),
}
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


@dataclass(frozen=True, slots=True)
class Canvas:
    """What to draw: the seed, the size, the format, and whether the background is transparent."""

    seed: bytes
    width: int
    height: int
    output_format: str = "png"
    transparent: bool = False
    compression: int = 100  # quality of JPEG and WebP (100: the best, the API's default)


def render(canvas: Canvas, prompt: str = "", stage: tuple[int, int] = (1, 1), base: Image.Image | None = None,
           mask: Image.Image | None = None) -> bytes:
    """The encoded picture. `stage` (done, of): a partial image draws that share of the shapes. `base`: an
    uploaded image to edit (only where `mask` is transparent, when there is a mask) or to vary."""
    shapes = drawing(canvas, prompt, stage)
    if base is not None:
        shapes = edited(base, shapes, mask, canvas.transparent)
    return encode(shapes, canvas)


def drawing(canvas: Canvas, prompt: str, stage: tuple[int, int]) -> Image.Image:
    rnd = random.Random(hashlib.sha256(canvas.seed).digest())
    small = (max(2, canvas.width // SCALE), max(2, canvas.height // SCALE))
    palette = [c for name, c in COLOURS.items() if name in prompt.lower().split()]
    background = palette[0] if palette else _colour(rnd)
    mode = "RGBA" if canvas.transparent else "RGB"
    image = Image.new(mode, small, (*background, 0) if canvas.transparent else background)
    draw = ImageDraw.Draw(image)
    done, of = stage
    for index in range(SHAPES):
        box, colour, round_shape = _shape(rnd, small, palette)
        if index * of < SHAPES * done:  # deterministic whatever the stage: every shape consumes the same draws
            fill = (*colour, 255) if canvas.transparent else colour
            (draw.ellipse if round_shape else draw.rectangle)(box, fill=fill)
    return image.resize((canvas.width, canvas.height), Image.Resampling.BILINEAR)


def _colour(rnd: random.Random) -> tuple[int, int, int]:
    return rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)


def _shape(rnd: random.Random, size: tuple[int, int], palette: list[tuple[int, int, int]]
           ) -> tuple[tuple[int, int, int, int], tuple[int, int, int], bool]:
    width, height = size
    x0, y0 = rnd.randrange(width), rnd.randrange(height)
    x1, y1 = x0 + rnd.randrange(1, width // 2 + 2), y0 + rnd.randrange(1, height // 2 + 2)
    colour = _colour(rnd)
    if palette and rnd.random() < 0.5:
        colour = palette[rnd.randrange(len(palette))]
    return (x0, y0, x1, y1), colour, rnd.random() < 0.5


def edited(base: Image.Image, shapes: Image.Image, mask: Image.Image | None, transparent: bool) -> Image.Image:
    """The uploaded picture at the output size with new shapes where the mask is transparent (no mask: a
    variation, the upload mirrored and half blended with the shapes)."""
    mode = "RGBA" if transparent else "RGB"
    base = ImageOps.fit(base.convert(mode), shapes.size)
    if mask is None:
        return Image.blend(ImageOps.mirror(base), shapes.convert(mode), 0.5)
    alpha = ImageOps.fit(mask.convert("RGBA"), shapes.size).getchannel("A")
    return Image.composite(base, shapes.convert(mode), alpha)  # opaque mask pixels keep the upload


def encode(image: Image.Image, canvas: Canvas) -> bytes:
    out = io.BytesIO()
    if canvas.output_format == "png":
        image.save(out, "PNG", compress_level=1)  # 2-3x faster than the default level, files about 30% larger
    elif canvas.output_format == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=max(1, min(95, canvas.compression)))
    else:
        image.save(out, "WEBP", quality=canvas.compression, method=0)  # method 0: the fastest encoder
    return out.getvalue()
