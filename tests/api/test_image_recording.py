"""Image edits record and replay through the resolver: a multipart upload answered from its cassette."""
from __future__ import annotations

import io
from pathlib import Path

import openai
from PIL import Image

from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import sdk_client

UPSTREAM_KEY = "sk-proj-UPSTREAMsecret0123456789abcdefABCDEF"


def png(colour: tuple[int, int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (32, 32), colour).save(out, "PNG")
    return out.getvalue()


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
