"""Image uploads record and replay: a multipart body is keyed on its fields and files, not its random boundary."""
from __future__ import annotations

import io
from pathlib import Path

import httpx
import openai
from PIL import Image

from dummy_openai_api.proxy.core import keys
from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.core.form_key import form_fields
from tests.conftest import sdk_client

UPSTREAM_KEY = "sk-proj-UPSTREAMsecret0123456789abcdefABCDEF"


def png(colour: tuple[int, int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (32, 32), colour).save(out, "PNG")
    return out.getvalue()


def multipart(name: str, image: bytes, prompt: str = "add a sun") -> bytes:
    request = httpx.Request("POST", "http://x/v1/images/edits", data={"prompt": prompt, "model": "gpt-image-1"},
                            files=[("image[]", (name, image, "image/png")), ("image[]", ("b.png", b"2", "image/png"))])
    return request.read()


def test_the_key_ignores_the_boundary_and_file_names_but_not_the_content() -> None:
    rules = keys.KeyRules()
    key = lambda body: keys.request_key("POST", "/images/edits", "", keys.canonical_body(body, rules), rules)  # noqa
    first, again = multipart("a.png", b"1"), multipart("renamed.png", b"1")
    assert first != again and key(first) == key(again)  # another boundary, another file name
    assert key(multipart("a.png", b"other bytes")) != key(first)
    assert key(multipart("a.png", b"1", prompt="add a moon")) != key(first)
    fields = form_fields(first)
    assert fields is not None and fields["multipart"]["prompt"] == "add a sun"
    assert len(fields["multipart"]["image[]"]) == 2  # several files under one name stay in order


def test_bodies_that_only_look_like_forms_keep_their_bytes() -> None:
    for body in (b"--x\r\nno closing line", b"--\r\n", b"plain text"):
        assert keys.canonical_body(body, keys.KeyRules()) == body


def test_an_edit_is_recorded_and_replayed_without_the_upstream(make_server, tmp_path: Path) -> None:
    upstream = make_server(mode=Mode.SYNTHETIC, api_key=UPSTREAM_KEY)
    recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "cassettes"), upstream=upstream.base_url,
                           upstream_key=UPSTREAM_KEY)
    edit = {"model": "gpt-image-1", "prompt": "add a sun", "image": ("photo.png", png((1, 2, 3, 255)), "image/png")}
    with sdk_client(recorder) as client:
        first = client.images.edit(**edit)  # type: ignore[arg-type]
    upstream.stop()  # what follows must come from the cassette
    with sdk_client(recorder) as client:
        again = client.images.edit(**edit)  # type: ignore[arg-type]
        assert (again.data or [])[0].b64_json == (first.data or [])[0].b64_json
        other = {**edit, "image": ("photo.png", png((9, 9, 9, 255)), "image/png")}
        try:
            client.images.edit(**other)  # type: ignore[arg-type]
        except openai.APIStatusError as error:  # another picture is another request: forwarded, and it is gone
            assert error.status_code >= 500
        else:
            raise AssertionError("a different upload was answered from the recording")
