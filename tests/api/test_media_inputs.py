"""Image, audio and file parts in chat messages: counted by OpenAI's formulas; audio output refused."""
from __future__ import annotations

import base64
import struct

import pytest

from dummy_openai_api.generators import vision
from tests.conftest import chat_body

MIRASCOPE_IMAGE = "https://en.wikipedia.org/static/images/icons/wikipedia.png"


def png(width: int, height: int) -> str:
    header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height)
    return "data:image/png;base64," + base64.b64encode(header + b"\x08\x02\x00\x00\x00").decode()


def wav(seconds: float, rate: int = 16000) -> str:
    data = b"\x00\x00" * int(rate * seconds)
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return base64.b64encode(b"RIFF" + struct.pack("<I", len(riff)) + riff).decode()


def image_message(url: str, detail: str = "auto", text: str = "repeat word from attached image") -> list[dict]:
    return [{"role": "user", "content": [{"type": "text", "text": text},
                                         {"type": "image_url", "image_url": {"url": url, "detail": detail}}]}]


def test_a_real_recorded_image_request_counts_the_same(client) -> None:
    # Mirascope's recording of this request (gpt-4o, October 2025) reports 269 prompt tokens.
    messages = image_message(MIRASCOPE_IMAGE, text="Describe the following image in one sentence")
    assert client.chat.completions.create(model="gpt-4o", messages=messages).usage.prompt_tokens == 269


@pytest.mark.parametrize("model,detail,expected", [
    # Published measurements of a 128x64 image with "repeat word from attached image".
    ("gpt-4o", "low", 97), ("gpt-4o", "high", 267), ("gpt-4o-mini", "low", 2845), ("gpt-4o-mini", "high", 8512),
    ("gpt-4.1", "high", 267), ("o4-mini", "high", 26),
])
def test_measured_image_costs(client, model: str, detail: str, expected: int) -> None:
    completion = client.chat.completions.create(model=model, messages=image_message(png(128, 64), detail))
    assert completion.usage.prompt_tokens == expected


@pytest.mark.parametrize("size,tiles", [((1024, 1024), 4), ((2048, 4096), 6), ((512, 512), 1), ((4000, 300), 4)])
def test_tiles_follow_the_guide(size: tuple[int, int], tiles: int) -> None:
    assert vision.tiles(*size) == tiles


@pytest.mark.parametrize("size,patches", [((1024, 1024), 1024), ((1800, 2400), 1452), ((128, 64), 8)])
def test_patches_follow_the_guide(size: tuple[int, int], patches: int) -> None:
    assert vision.patches(*size) == patches


def test_image_sizes_are_read_from_data_urls() -> None:
    gif = "data:image/gif;base64," + base64.b64encode(b"GIF89a" + struct.pack("<HH", 300, 200) + b"\0" * 8).decode()
    jpeg_bytes = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"\0\0" + b"\xff\xc0" + struct.pack(
        ">HBHH", 17, 8, 480, 640) + b"\0" * 12
    jpeg = "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes).decode()
    assert vision.image_size(png(800, 600)) == (800, 600)
    assert vision.image_size(gif) == (300, 200)
    assert vision.image_size(jpeg) == (640, 480)
    assert vision.image_size("https://example.com/cat.jpg") is None
    assert vision.image_size("data:image/png;base64,!!!") is None


def test_bigger_images_cost_more(client) -> None:
    small = client.chat.completions.create(model="gpt-4o", messages=image_message(png(256, 256)))
    large = client.chat.completions.create(model="gpt-4o", messages=image_message(png(2048, 2048)))
    assert large.usage.prompt_tokens - small.usage.prompt_tokens == 3 * 170


def test_audio_and_file_parts_are_accepted_and_counted(client) -> None:
    text_only = [{"role": "user", "content": [{"type": "text", "text": "Transcribe this."}]}]
    with_audio = [{"role": "user", "content": [
        {"type": "text", "text": "Transcribe this."},
        {"type": "input_audio", "input_audio": {"data": wav(2.5), "format": "wav"}}]}]
    with_file = [{"role": "user", "content": [
        {"type": "text", "text": "Transcribe this."},
        {"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0="}}]}]
    base = client.chat.completions.create(model="gpt-4o-audio-preview", messages=with_audio).usage.prompt_tokens
    plain = client.chat.completions.create(model="gpt-4o", messages=text_only).usage.prompt_tokens
    assert base - plain == 25  # 2.5 s at 10 tokens a second
    filed = client.chat.completions.create(model="gpt-4o", messages=with_file).usage.prompt_tokens
    assert filed - plain == vision.FLAT_BLOCK


@pytest.mark.parametrize("changes,param,code,message", [
    ({"modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"}}, "modalities",
     "unsupported_value", "Unsupported value: 'modalities' does not support 'audio' with this model."),
    ({"audio": {"voice": "alloy", "format": "wav"}}, "audio", "unsupported_parameter",
     "Unsupported parameter: 'audio' is not supported with this model."),
    ({"model": "gpt-4o-audio-preview"}, "model", "invalid_value",
     "This model requires that either input content or output modality contain audio."),
    ({"modalities": ["text", "video"]}, "modalities[1]", "invalid_value",
     "Invalid value: 'video'. Supported values are: 'text' and 'audio'."),
])
def test_audio_output_is_refused(http, changes: dict, param: str, code: str, message: str) -> None:
    response = http.post("/v1/chat/completions", json=chat_body(**changes))
    assert response.status_code == 400
    assert response.json()["error"] == {"message": message, "type": "invalid_request_error", "param": param,
                                        "code": code}


def test_an_audio_model_asked_for_audio_says_this_server_answers_in_text(http) -> None:
    response = http.post("/v1/chat/completions", json=chat_body(model="gpt-4o-audio-preview",
                                                                modalities=["text", "audio"]))
    assert response.status_code == 400
    assert "text only" in response.json()["error"]["message"]
