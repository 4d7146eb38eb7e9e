"""The Images API through the official SDK: every model family and format, pictures Pillow opens at the right
size and mode, url downloads, edits with masks, variations, streams in the SDK's event types, and errors."""
from __future__ import annotations

import base64
import hashlib
import io
import re
import select
import socket
import typing
from datetime import datetime, timezone
from typing import Any

import httpx
import openai
import pytest
from openai.types import ImageModel
from PIL import Image

from tests.conftest import KEY, sdk_client
from tests.offloaded import hold_offloaded_answers

GPT_MODELS = [m for m in typing.get_args(ImageModel) if not m.startswith("dall-e")]


def picture(b64: str | None) -> Image.Image:
    assert b64 is not None
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    image.load()
    return image


def png(size: tuple[int, int] = (64, 64), mode: str = "RGBA", colour: Any = (10, 200, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(openai.BadRequestError) as caught:
        call()
    assert caught.value.status_code == 400
    return caught.value.body  # type: ignore[return-value]


# --- generations ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["256x256", "512x512", "1024x1024"])
def test_dall_e_2_makes_pngs_of_each_size(client: openai.OpenAI, size: str) -> None:
    answer = client.images.generate(model="dall-e-2", prompt="a lighthouse", size=size, n=2,
                                    response_format="b64_json")
    assert len(answer.data or []) == 2
    for datum in answer.data or []:
        image = picture(datum.b64_json)
        assert (image.format, image.size, image.mode) == ("PNG", tuple(map(int, size.split("x"))), "RGB")
        assert datum.revised_prompt is None and datum.url is None
    assert answer.usage is None and answer.output_format is None  # the GPT image models' fields only


def test_dall_e_takes_the_default_quality_auto(client: openai.OpenAI) -> None:
    answer = client.images.generate(model="dall-e-2", prompt="a kite", size="256x256", quality="auto")
    assert (answer.data or [])[0].url


@pytest.mark.parametrize("size", ["1024x1024", "1792x1024", "1024x1792"])
def test_dall_e_3_makes_one_picture_with_a_revised_prompt(client: openai.OpenAI, size: str) -> None:
    answer = client.images.generate(model="dall-e-3", prompt="a lighthouse at dusk", size=size, quality="hd",
                                    style="natural", response_format="b64_json")
    (datum,) = answer.data or []
    assert picture(datum.b64_json).size == tuple(map(int, size.split("x")))
    assert datum.revised_prompt and datum.revised_prompt.startswith("a lighthouse at dusk")
    assert "natural" in datum.revised_prompt


@pytest.mark.parametrize("output_format,pillow_format", [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")])
@pytest.mark.parametrize("size", ["1024x1024", "1536x1024", "1024x1536"])
def test_gpt_image_formats_and_sizes(client: openai.OpenAI, output_format: str, pillow_format: str,
                                     size: str) -> None:
    answer = client.images.generate(model="gpt-image-1", prompt="a red fox", size=size,  # type: ignore[arg-type]
                                    output_format=output_format, quality="low")  # type: ignore[arg-type]
    image = picture((answer.data or [])[0].b64_json)
    assert (image.format, image.size, image.mode) == (pillow_format, tuple(map(int, size.split("x"))), "RGB")
    assert (answer.size, answer.quality, answer.output_format, answer.background) == (
        size, "low", output_format, "opaque")
    assert answer.usage is not None and answer.usage.output_tokens > 0
    assert answer.usage.total_tokens == answer.usage.input_tokens + answer.usage.output_tokens


@pytest.mark.parametrize("output_format", ["png", "webp"])
def test_transparent_backgrounds_have_alpha(client: openai.OpenAI, output_format: str) -> None:
    answer = client.images.generate(model="gpt-image-1-mini", prompt="a sticker of a cat", background="transparent",
                                    output_format=output_format)  # type: ignore[arg-type]
    image = picture((answer.data or [])[0].b64_json)
    assert image.mode == "RGBA" and answer.background == "transparent"
    low, high = image.getchannel("A").getextrema()
    assert low == 0 and high == 255  # see-through around the shapes, opaque on them


def test_compression_makes_smaller_jpegs(client: openai.OpenAI) -> None:
    sizes = [len(base64.b64decode((client.images.generate(
        model="gpt-image-1", prompt="a harbour", output_format="jpeg", output_compression=level).data or [])[0]
        .b64_json or "")) for level in (100, 20)]
    assert sizes[1] < sizes[0]


@pytest.mark.parametrize("model", GPT_MODELS)
def test_every_gpt_image_model_the_sdk_names_answers(client: openai.OpenAI, model: str) -> None:
    answer = client.images.generate(model=model, prompt="a tree", size="1024x1024", quality="low")
    assert picture((answer.data or [])[0].b64_json).size == (1024, 1024)


def test_size_auto_follows_the_prompt(client: openai.OpenAI) -> None:
    answer = client.images.generate(model="gpt-image-1", prompt="a wide landscape of hills", size="auto")
    assert answer.size == "1536x1024" and picture((answer.data or [])[0].b64_json).size == (1536, 1024)


def test_gpt_image_2_takes_free_sizes(client: openai.OpenAI) -> None:
    answer = client.images.generate(model="gpt-image-2", prompt="a banner", size="1536x864", quality="low")
    assert answer.size == "1536x864" and picture((answer.data or [])[0].b64_json).size == (1536, 864)
    error = refusal(lambda: client.images.generate(model="gpt-image-2", prompt="x", size="1000x1000"))
    assert error["param"] == "size" and "divisible by 16" in error["message"]


def test_same_request_same_bytes_and_another_prompt_another_picture(client: openai.OpenAI) -> None:
    def made(prompt: str) -> str:
        return (client.images.generate(model="gpt-image-1", prompt=prompt, quality="low").data or [])[0].b64_json or ""
    assert made("a blue boat") == made("a blue boat")
    assert made("a blue boat") != made("a green boat")


def test_n_pictures_differ(client: openai.OpenAI) -> None:
    answer = client.images.generate(model="gpt-image-1", prompt="a cloud", n=3, quality="low")
    assert len({d.b64_json for d in answer.data or []}) == 3


# --- url answers ----------------------------------------------------------------------------------------------

def test_url_answers_download_without_the_key_for_an_hour(client: openai.OpenAI, server: Any,
                                                          admin: httpx.Client) -> None:
    answer = client.images.generate(model="dall-e-2", prompt="a kite", size="256x256")
    url = (answer.data or [])[0].url or ""
    assert url.startswith(server.root_url + "/v1/images/content/")
    expiry = re.search(r"se=([^&]+)", url)
    assert expiry is not None
    expires = datetime.strptime(expiry.group(1).replace("%3A", ":"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert 3500 < (expires - datetime.now(timezone.utc)).total_seconds() <= 3600
    downloaded = httpx.get(url)  # no Authorization header
    assert downloaded.status_code == 200 and downloaded.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(downloaded.content)).size == (256, 256)
    admin.post("/_mock/reset").raise_for_status()
    assert httpx.get(url).status_code == 404


def test_the_url_store_is_bounded_in_bytes_and_count() -> None:
    from dummy_openai_api.proxy.state.image_urls import ImageUrls
    now = [0.0]
    store = ImageUrls(budget=100, count=3, clock=lambda: now[0])
    names = [store.add(b"x" * 40, "image/png") for _ in range(3)]
    assert store.get(names[0]) is None and store.get(names[2]) is not None  # 120 bytes: the oldest went
    names += [store.add(b"y", "image/webp") for _ in range(3)]
    assert len(store.items) == 3 and names[-1].endswith(".webp")
    now[0] = 3600.0
    assert store.get(names[-1]) is None  # expired


# --- edits and variations ------------------------------------------------------------------------------------

def test_an_edit_repaints_only_where_the_mask_is_transparent(client: openai.OpenAI) -> None:
    mask = Image.new("RGBA", (64, 64), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (0, 0, 32, 64))  # the left half is to be edited
    out = io.BytesIO()
    mask.save(out, "PNG")
    answer = client.images.edit(model="gpt-image-1", image=("photo.png", png(), "image/png"),
                                mask=("mask.png", out.getvalue(), "image/png"), prompt="paint the left half")
    image = picture((answer.data or [])[0].b64_json).convert("RGB")
    assert image.size == (1024, 1024) and answer.size == "1024x1024"
    right = image.crop((600, 0, 1024, 1024))
    assert right.getextrema() == ((10, 10), (200, 200), (30, 30))  # kept as uploaded
    assert image.crop((0, 0, 500, 1024)).getcolors(1 << 20) != [(500 * 1024, (10, 200, 30))]
    assert answer.usage is not None and answer.usage.input_tokens_details.image_tokens > 0


def test_an_edit_takes_several_images(client: openai.OpenAI) -> None:
    images = [(f"{i}.png", png(colour=(i, i, i, 255)), "image/png") for i in range(3)]
    one = client.images.edit(model="gpt-image-1", image=images[:1], prompt="combine them")
    three = client.images.edit(model="gpt-image-1", image=images, prompt="combine them")
    assert one.usage and three.usage and three.usage.input_tokens_details.image_tokens == \
        3 * one.usage.input_tokens_details.image_tokens


def test_an_edit_of_a_wide_image_is_wide(client: openai.OpenAI) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 150), (200, 10, 10)).save(jpeg, "JPEG")
    answer = client.images.edit(model="gpt-image-1", image=("wide.jpg", jpeg.getvalue(), "image/jpeg"),
                                prompt="add a moon", output_format="webp")
    assert answer.size == "1536x1024" and picture((answer.data or [])[0].b64_json).format == "WEBP"


def test_dall_e_2_edits_need_transparency_or_a_mask(client: openai.OpenAI) -> None:
    error = refusal(lambda: client.images.edit(model="dall-e-2", image=("rgb.png", png(mode="RGB", colour=(1, 2, 3)),
                                                                         "image/png"), prompt="x"))
    assert error["message"] == "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB."
    answer = client.images.edit(model="dall-e-2", image=("a.png", png(), "image/png"), prompt="x", size="256x256",
                                response_format="b64_json")
    assert picture((answer.data or [])[0].b64_json).size == (256, 256)


def test_edit_refusals(client: openai.OpenAI) -> None:
    image = ("a.png", png(), "image/png")
    mismatch = refusal(lambda: client.images.edit(model="gpt-image-1", image=image, prompt="x",
                                                  mask=("m.png", png((32, 32)), "image/png")))
    assert mismatch["param"] == "mask" and "does not match" in mismatch["message"]
    garbage = refusal(lambda: client.images.edit(model="gpt-image-1", image=("a.png", b"not an image", "image/png"),
                                                 prompt="x"))
    assert garbage["message"] == "Invalid image file or mode for image 1, please check your image file."
    dall_e_3 = refusal(lambda: client.images.edit(model="dall-e-3", image=image, prompt="x"))
    assert dall_e_3["param"] == "model" and dall_e_3["code"] == "invalid_value"
    with httpx.Client(base_url=str(client.base_url), headers={"Authorization": f"Bearer {KEY}"}) as raw:
        no_image = raw.post("images/edits", data={"prompt": "x", "model": "gpt-image-1"},
                            files={"mask": ("m.png", png(), "image/png")})
    assert no_image.status_code == 400 and no_image.json()["error"]["message"] == "Missing required parameter: 'image'."


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the SDK marks variations deprecated
def test_variations_are_dall_e_2_only(client: openai.OpenAI) -> None:
    answer = client.images.create_variation(image=("a.png", png(), "image/png"), n=2, size="512x512",
                                            response_format="b64_json")
    assert [picture(d.b64_json).size for d in answer.data or []] == [(512, 512), (512, 512)]
    error = refusal(lambda: client.images.create_variation(image=("a.png", png(), "image/png"), model="gpt-image-1"))
    assert error["message"] == "Invalid value: 'gpt-image-1'. Value must be 'dall-e-2'."
    error = refusal(lambda: client.images.create_variation(image=("a.png", png((64, 32)), "image/png")))
    assert error["param"] == "image" and "square" in error["message"]


# --- streams --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("partial", [0, 1, 3])
def test_generation_streams_partial_then_completed_images(client: openai.OpenAI, partial: int) -> None:
    events = list(client.images.generate(model="gpt-image-1", prompt="a fox", stream=True, partial_images=partial,
                                         output_format="jpeg", quality="low"))
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["ImageGenPartialImageEvent"] * partial + ["ImageGenCompletedEvent"]
    assert [e.partial_image_index for e in events[:-1]] == list(range(partial))  # type: ignore[union-attr]
    for event in events:
        assert picture(event.b64_json).format == "JPEG" and event.size == "1024x1024"
    completed = events[-1]
    assert completed.type == "image_generation.completed" and completed.usage.output_tokens > 0  # type: ignore
    plain = client.images.generate(model="gpt-image-1", prompt="a fox", output_format="jpeg", quality="low")
    assert completed.b64_json == (plain.data or [])[0].b64_json  # the stream's picture is the plain answer's


def test_edit_streams_use_the_edit_events(client: openai.OpenAI) -> None:
    events = list(client.images.edit(model="gpt-image-1", image=("a.png", png(), "image/png"), prompt="x",
                                     stream=True, partial_images=2))
    assert [e.type for e in events] == ["image_edit.partial_image"] * 2 + ["image_edit.completed"]


# --- errors ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes,param,wording", [
    ({"model": "dall-e-3", "n": 2}, None, "You must provide n=1 for this model."),
    ({"n": 0}, "n", "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead."),
    ({"n": 11}, "n", "Invalid 'n': integer above maximum value. Expected a value <= 10, but got 11 instead."),
    ({"model": "gpt-image-1", "response_format": "url"}, "response_format", "Unknown parameter: 'response_format'."),
    ({"model": "gpt-image-1", "style": "vivid"}, "style", "Unknown parameter: 'style'."),
    ({"model": "dall-e-2", "prompt": "x" * 1001}, "prompt", "Invalid 'prompt': string too long. Expected a string "
     "with maximum length 1000, but got a string with length 1001 instead."),
    ({"model": "dall-e-3", "prompt": "x" * 4001}, "prompt", "maximum length 4000"),
    ({"model": "gpt-image-1", "prompt": "x" * 32001}, "prompt", "maximum length 32000"),
    ({"model": "dall-e-2", "size": "1792x1024"}, None,
     "'1792x1024' is not one of ['256x256', '512x512', '1024x1024'] - 'size'"),
    ({"model": "dall-e-3", "size": "256x256"}, None, "The size is not supported by this model."),
    ({"model": "gpt-image-1", "size": "512x512"}, "size", "Invalid value: '512x512'. Supported values are: "
     "'1024x1024', '1024x1536', '1536x1024', and 'auto'."),
    ({"model": "gpt-image-1", "quality": "hd"}, "quality", "Invalid value: 'hd'."),
    ({"model": "dall-e-3", "quality": "low"}, "quality", "Supported values are: 'standard', 'hd', and 'auto'."),
    ({"model": "gpt-image-1", "output_compression": 50}, "output_compression",
     "Compression less than 100 is not supported for PNG output format."),
    ({"model": "gpt-image-1", "background": "transparent", "output_format": "jpeg"}, "background", "JPEG"),
    ({"model": "gpt-image-1", "partial_images": 4, "stream": True}, "partial_images", "<= 3"),
    ({"model": "dall-e-3", "stream": True}, "stream", "only supported for the GPT image models"),
    ({"model": "dall-e-2", "background": "transparent"}, "background", "only supported for the GPT image models"),
    ({"model": "gpt-4o"}, "model", "Invalid value: 'gpt-4o'. Supported values are:"),
    ({"prompt": None}, "prompt", "Missing required parameter: 'prompt'."),
])
def test_generation_refusals(server: Any, changes: dict[str, Any], param: str | None, wording: str) -> None:
    body = {"model": "dall-e-2", "prompt": "a cat", **changes}
    body = {k: v for k, v in body.items() if v is not None}
    answer = httpx.post(server.base_url + "/images/generations", json=body, headers={"Authorization": f"Bearer {KEY}"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["param"] == param and wording in error["message"] and error["type"] == "invalid_request_error"


def test_image_models_are_refused_by_chat(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="This is not a chat model"):
        client.chat.completions.create(model="dall-e-3", messages=[{"role": "user", "content": "hi"}])


def test_health_is_answered_while_pictures_are_drawn(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    release = hold_offloaded_answers(monkeypatch)  # else a busy machine may draw them before /health is asked
    body = b'{"model": "gpt-image-1", "prompt": "a big sky", "n": 10, "size": "1536x1024", ' \
           b'"output_format": "webp", "background": "transparent"}'
    heavy = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    heavy.sendall(f"POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    with heavy, httpx.Client(base_url=server.root_url, timeout=60) as raw:
        assert raw.get("/health").status_code == 200
        pending, _, _ = select.select([heavy], [], [], 0)
        assert not pending, "/health waited for ten pictures"
        release.set()
        assert heavy.recv(12).startswith(b"HTTP/1.1 200")


def test_sdk_client_with_strict_validation(server: Any) -> None:
    with sdk_client(server) as strict:
        assert strict.images.generate(model="gpt-image-1", prompt="x", quality="low").usage is not None


def test_without_a_model_gpt_only_fields_choose_a_gpt_image_model(client: openai.OpenAI) -> None:
    """The API reference: dall-e-2 "unless a parameter specific to the GPT image models is used"."""
    plain = client.images.generate(prompt="a cat", size="256x256")
    assert plain.usage is None and (plain.data or [])[0].url
    answer = client.images.generate(prompt="a cat", output_format="webp", safety_identifier="user-7")
    assert answer.output_format == "webp" and answer.usage is not None and answer.safety_identifier == "user-7"


def test_unknown_fields_are_refused_unless_accepted(server: Any, make_server: Any) -> None:
    body = {"model": "gpt-image-1", "prompt": "a cat", "top_k": 3}
    answer = httpx.post(server.base_url + "/images/generations", json=body, headers={"Authorization": f"Bearer {KEY}"})
    assert answer.status_code == 400 and answer.json()["error"] == {
        "message": "Unknown parameter: 'top_k'.", "type": "invalid_request_error", "param": "top_k",
        "code": "unknown_parameter"}
    lenient = make_server(accept_unknown_fields=True)
    answer = httpx.post(lenient.base_url + "/images/generations", json=body, headers={"Authorization": f"Bearer {KEY}"})
    assert answer.status_code == 200


def test_an_edit_depends_on_the_uploaded_bytes(client: openai.OpenAI) -> None:
    def edited(colour: tuple[int, int, int, int]) -> str:
        answer = client.images.edit(model="gpt-image-1", image=("a.png", png(colour=colour), "image/png"), prompt="x",
                                    quality="low")
        return (answer.data or [])[0].b64_json or ""
    assert edited((1, 1, 1, 255)) == edited((1, 1, 1, 255)) != edited((2, 2, 2, 255))


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client: openai.OpenAI) -> None:
    """A small PNG that declares 50,000 x 50,000 pixels: refused from its header, never expanded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\x00" * (50_000 * 4 + 1) * 64)  # a few rows; the header promises far more
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 50_000, 50_000, 8, 6, 0, 0, 0)) + \
        chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    error = refusal(lambda: client.images.edit(model="gpt-image-1", image=("bomb.png", bomb, "image/png"), prompt="x"))
    assert error["param"] == "image" and "too large" in error["message"]


def test_the_journal_shows_an_upload_as_its_form(client: openai.OpenAI, admin: httpx.Client) -> None:
    upload = png()
    client.images.edit(model="gpt-image-1-mini", image=("a.png", upload, "image/png"), prompt="x", stream=True,
                       partial_images=0).response.close()
    found = admin.get("/_mock/journal", params={"model": "gpt-image-1-mini", "path": "/v1/images/edits"})
    (entry,) = found.json()["data"]
    assert entry["model"] == "gpt-image-1-mini" and entry["stream"] is True
    assert entry["body"]["image"]["sha256"] == hashlib.sha256(upload).hexdigest() and entry["body"]["prompt"] == "x"


def test_a_broken_second_image_is_refused_by_its_number(client: openai.OpenAI) -> None:
    broken = png()[:-30]  # cut before its end: the header reads, the data does not
    error = refusal(lambda: client.images.edit(model="gpt-image-1", prompt="x", image=[
        ("a.png", png(), "image/png"), ("b.png", broken, "image/png")]))
    assert error["message"] == "Invalid image file or mode for image 2, please check your image file."
