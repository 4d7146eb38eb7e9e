"""Prompt tokens of image and audio content parts, by OpenAI's documented formulas, without downloading anything.

Images ("Calculating costs" in OpenAI's vision guide): tile models cost a base amount plus an amount per 512 px
tile of the image scaled to fit 2048 x 2048 and then to a shortest side of at most 768 px; `detail: low` costs
the base alone; `auto` is counted as `high`. Patch models (gpt-4.1-mini/nano, o4-mini, gpt-5-mini/nano) cost a
multiple of the 32 px patches that cover the image, capped at 1536 patches, whatever the detail. With the
cookbook's message formula, these give exactly the prompt tokens of a real gpt-4o recording (an `auto` image)
and of published gpt-4o and gpt-4o-mini measurements at low and high detail.

The size of an image sent as a data URL is read from its header (PNG, GIF, JPEG, WebP); a remote URL is not
fetched, so it counts as a 512 x 512 image. Audio sent as WAV counts 10 tokens a second (one per 100 ms, as
the Realtime API documents for input audio); other formats and files count a flat block.
"""
from __future__ import annotations

import base64
import binascii
import math
import struct
from typing import Any

# (model prefix, base tokens, tokens per tile); the first matching prefix wins, so minis come first.
TILE_RATES: tuple[tuple[str, int, int], ...] = (
    ("gpt-4o-mini", 2833, 5667), ("gpt-5-chat", 70, 140), ("gpt-5", 70, 140), ("o1", 75, 150),
    ("o3", 75, 150), ("computer-use", 65, 129),
)
DEFAULT_TILE_RATE = (85, 170)  # gpt-4o, gpt-4.1, gpt-4.5, gpt-4-turbo and the rest
PATCH_MULTIPLIERS: tuple[tuple[str, float], ...] = (
    ("gpt-4.1-mini", 1.62), ("gpt-4.1-nano", 2.46), ("gpt-5-mini", 1.62), ("gpt-5-nano", 2.46), ("o4-mini", 1.72),
)
MAX_PATCHES = 1536
UNKNOWN_SIZE = (512, 512)
AUDIO_TOKENS_PER_SECOND = 10
FLAT_BLOCK = 100  # audio that is not WAV, and files: their length cannot be read cheaply
HEADER_CHARS = 96 * 1024  # base64 characters decoded to find a header (a JPEG's EXIF block may come first)


def part_tokens(part: dict[str, Any], model: str) -> int:
    """Prompt tokens of one non-text content part of a chat message (0 for text parts)."""
    kind = part.get("type")
    if kind == "image_url":
        image = part.get("image_url")
        image = image if isinstance(image, dict) else {"url": image}
        return image_tokens(image.get("url"), image.get("detail"), model)
    if kind == "input_audio":
        audio = given if isinstance(given := part.get("input_audio"), dict) else {}
        return audio_tokens(audio.get("data"), audio.get("format"))
    if kind == "file":
        return FLAT_BLOCK
    return 0


def image_tokens(url: Any, detail: Any, model: str) -> int:
    width, height = image_size(url) or UNKNOWN_SIZE
    base = model.removeprefix("ft:")
    for prefix, multiplier in PATCH_MULTIPLIERS:
        if base.startswith(prefix):
            return math.ceil(patches(width, height) * multiplier)
    fixed, per_tile = next(((b, t) for prefix, b, t in TILE_RATES if base.startswith(prefix)), DEFAULT_TILE_RATE)
    if detail == "low":
        return fixed
    return fixed + per_tile * tiles(width, height)


def tiles(width: float, height: float) -> int:
    """512 px tiles of the image after it is scaled to fit 2048 x 2048, then to a shortest side of 768."""
    scale = min(1.0, 2048 / max(width, height))
    width, height = width * scale, height * scale
    scale = min(1.0, 768 / min(width, height))
    width, height = width * scale, height * scale
    return math.ceil(width / 512) * math.ceil(height / 512)


def patches(width: float, height: float) -> int:
    """32 px patches covering the image, shrunk (as the guide's worked example does) to at most 1536."""
    count = math.ceil(width / 32) * math.ceil(height / 32)
    if count <= MAX_PATCHES:
        return count
    shrink = math.sqrt(MAX_PATCHES * 32 * 32 / (width * height))
    width, height = width * shrink, height * shrink
    fit = math.floor(width / 32) / (width / 32)  # whole patches across
    return min(MAX_PATCHES, math.ceil(width * fit / 32) * math.ceil(height * fit / 32))


def audio_tokens(data: Any, audio_format: Any) -> int:
    seconds = None
    if audio_format == "wav" and isinstance(data, str):
        seconds = wav_seconds(_decoded(data[:HEADER_CHARS]), len(data) * 3 // 4)
    return FLAT_BLOCK if seconds is None else max(1, math.ceil(seconds * AUDIO_TOKENS_PER_SECOND))


def image_size(url: Any) -> tuple[int, int] | None:
    """(width, height) of a `data:image/...;base64,` URL, read from the image header; None if unknown."""
    if not isinstance(url, str) or not url.startswith("data:") or "," not in url:
        return None
    head = _decoded(url.split(",", 1)[1][:HEADER_CHARS])  # the header is near the start: decode only that
    for reader in (_png, _gif, _webp, _jpeg):
        size = reader(head)
        if size and size[0] > 0 and size[1] > 0:
            return size
    return None


def _decoded(data: Any) -> bytes:
    if not isinstance(data, str):
        return b""
    data = data[: len(data) - len(data) % 4]
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return b""


def _png(head: bytes) -> tuple[int, int] | None:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    return None


def _gif(head: bytes) -> tuple[int, int] | None:
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    return None


def _webp(head: bytes) -> tuple[int, int] | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP" or len(head) < 30:
        return None
    chunk = head[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


def _jpeg(head: bytes) -> tuple[int, int] | None:
    """The frame size from the first start-of-frame marker (SOF0-SOF15 except DHT, JPG and DAC)."""
    if head[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 <= len(head):
        if head[at] != 0xFF:
            return None
        marker, length = head[at + 1], int.from_bytes(head[at + 2:at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def wav_seconds(data: bytes, total: int) -> float | None:
    """Duration of a RIFF/WAVE file of `total` bytes whose start is `data`; None if it is not one."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    at, byte_rate = 12, 0
    while at + 8 <= len(data):
        name, size = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "little")
        if name == b"fmt " and at + 16 <= len(data):
            byte_rate = int.from_bytes(data[at + 16:at + 20], "little")
        if name == b"data":
            size = min(size, total - at - 8)  # streamed WAVs may declare 0xFFFFFFFF
            return size / byte_rate if byte_rate else None
        at += 8 + size + (size & 1)
    return None
