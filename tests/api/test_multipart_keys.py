"""Uploads (transcriptions, image edits) replay although every SDK call draws a new multipart boundary: the key
reads the form's fields and files, and falls back to the raw bytes for a body that is not a well-formed form."""
from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import openai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core import keys, multipart
from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import KEY, sdk_client
from tests.upstreams import Scenario, ScenarioServer

SPEECH = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4  # binary, with CR LF and dashes inside
TRANSCRIBE = "/audio/transcriptions"


@pytest.fixture
def scenarios():
    with ScenarioServer() as running:
        Scenario.seen.clear()
        yield running


@pytest.fixture
def recorded(make_server, scenarios, tmp_path: Path) -> Path:
    """One transcription recorded through a local upstream with the official SDK."""
    cassettes = tmp_path / "cassettes"
    recorder = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url)
    with sdk_client(recorder, default_headers={"X-Scenario": "transcription"}) as client:
        assert transcribe(client).text == "transcription 1"
    return cassettes


def transcribe(client: openai.OpenAI, audio: bytes = SPEECH, **fields) -> openai.types.audio.Transcription:
    return client.audio.transcriptions.create(model="whisper-1", file=("speech.wav", audio, "audio/wav"),
                                              **fields)


def boundary_of(request: httpx.Request, sent: list[str]) -> None:
    sent.append(request.headers["content-type"].partition("boundary=")[2])


def test_an_upload_replays_in_strict_mode_under_new_boundaries(make_server, recorded) -> None:
    upload = read_cassette(recorded / "recorded.yaml")[0]
    assert upload.uri.endswith("/v1" + TRANSCRIBE) and b"Content-Disposition: form-data" in upload.request_body
    sent: list[str] = []
    strict = make_server(mode=Mode.STRICT, cassettes=str(recorded))
    with httpx.Client(event_hooks={"request": [lambda r: boundary_of(r, sent)]}) as http, \
            sdk_client(strict, http_client=http) as client:
        assert [transcribe(client).text for _ in range(2)] == ["transcription 1"] * 2
    recorded_boundary = upload.request_headers["content-type"][-1].partition("boundary=")[2]
    assert len({recorded_boundary, *sent}) == 3  # three calls, three boundaries, one recording
    assert strict.app.services.store.summary()["recorded"]["POST " + TRANSCRIBE]["hit"] == 2


def test_other_contents_or_fields_miss_and_say_which(make_server, recorded) -> None:
    strict = make_server(mode=Mode.STRICT, cassettes=str(recorded))
    with sdk_client(strict) as client:
        with pytest.raises(openai.NotFoundError) as other_audio:
            transcribe(client, SPEECH + b"!")
        with pytest.raises(openai.NotFoundError) as other_language:
            transcribe(client, language="de")
    message = other_audio.value.body["message"]  # type: ignore[index]
    assert "file.sha256 (recorded" in message and f"file.size (recorded {len(SPEECH)}, received {len(SPEECH) + 1})" in message
    assert 'language (recorded nothing, received "de")' in other_language.value.body["message"]  # type: ignore


def test_an_edit_of_several_images_replays_and_their_order_counts(make_server, scenarios, tmp_path) -> None:
    """`image[]` sent twice: a list in the key, in sent order (the first image is the one edited)."""
    images = [("a.png", b"\x89PNG first", "image/png"), ("b.png", b"\x89PNG second", "image/png")]
    recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "c"), upstream=scenarios.base_url)
    with sdk_client(recorder, default_headers={"X-Scenario": "image"}) as client:
        recorded_image = client.images.edit(model="gpt-image-1", image=images, prompt="merge").data[0].b64_json
    strict = make_server(mode=Mode.STRICT, cassettes=str(tmp_path / "c"))
    with sdk_client(strict) as client:
        assert client.images.edit(model="gpt-image-1", image=images, prompt="merge").data[0].b64_json == \
            recorded_image
        with pytest.raises(openai.NotFoundError) as swapped:
            client.images.edit(model="gpt-image-1", image=images[::-1], prompt="merge")
    assert 'image[][0].filename (recorded "a.png", received "b.png")' in swapped.value.body["message"]  # type: ignore


def form(boundary: str, parts: list[tuple[str, str, bytes]]) -> bytes:
    """A multipart body of (disposition parameters, content type, content) parts."""
    chunks = [f'--{boundary}\r\nContent-Disposition: form-data; {params}\r\n'.encode()
              + (f"Content-Type: {kind}\r\n".encode() if kind else b"") + b"\r\n" + content + b"\r\n"
              for params, kind, content in parts]
    return b"".join(chunks) + f"--{boundary}--\r\n".encode()


MODEL = ('name="model"', "", b"whisper-1")
FILE = ('name="file"; filename="speech.wav"', "audio/wav", SPEECH)


def test_the_order_of_fields_does_not_matter(make_server, recorded) -> None:
    """The Python SDK sends its fields before its files, the Node SDK in the order of the call's arguments."""
    strict = make_server(mode=Mode.STRICT, cassettes=str(recorded))
    body = form("----formdata-undici-0123456789", [FILE, MODEL])
    answer = httpx.post(strict.base_url + TRANSCRIBE, content=body, headers={
        "Authorization": f"Bearer {KEY}", "Content-Type": "multipart/form-data; boundary=----formdata-undici-0123456789"})
    assert answer.status_code == 200 and answer.json()["text"] == "transcription 1"


def canonical(body: bytes, content_type: str | None = "multipart/form-data; boundary=b") -> object:
    return keys.canonical_body(body, keys.KeyRules(), content_type)


def test_the_canonical_form() -> None:
    words = ('name="timestamp_granularities[]"', "", b"word")
    segments = ('name="timestamp_granularities[]"', "", b"segment")
    found = canonical(form("b", [MODEL, words, FILE, segments]))
    assert isinstance(found, multipart.Form) and found == {
        "model": "whisper-1", "timestamp_granularities[]": ["word", "segment"],  # repeated: in sent order
        "file": {"filename": "speech.wav", "content_type": "audio/wav", "size": len(SPEECH),
                 "sha256": hashlib.sha256(SPEECH).hexdigest()}}
    assert canonical(form("b", [MODEL]), None) == {"model": "whisper-1"}  # the boundary from the first line
    ignoring = keys.KeyRules(ignored=("file.filename",))  # a temporary file's random name, say
    renamed = form("b", [MODEL, ('name="file"; filename="tmp81x.wav"', "audio/wav", SPEECH)])
    assert keys.canonical_body(renamed, ignoring, "multipart/form-data; boundary=b") == \
        keys.canonical_body(form("b", [MODEL, FILE]), ignoring, "multipart/form-data; boundary=b")


@pytest.mark.parametrize("body", [
    form("b", [MODEL])[:-4],  # no close delimiter
    form("b", [MODEL]).replace(b"Content-Disposition: form-data; ", b"Content-Disposition: attachment; "),
    form("b", [MODEL]).replace(b"; name=", b"; title="),  # a part without a name
    form("b", [MODEL]).replace(b"Content-Disposition", b"Content Disposition"),  # not a header line
    form("b", [MODEL]).replace(b"--b\r\n", b"--b junk\r\n", 1),  # only white space may follow a delimiter
    form("b", [MODEL] * (multipart.MAX_PARTS + 1)),  # too many parts
    form("b", [('name="x"; filename="' + "n" * (multipart.MAX_NAME_CHARS + 1) + '"', "", b"")]),
    form("b", [(f'name="x"; filler="{"f" * multipart.MAX_HEAD_BYTES}"', "", b"")]),  # a header block too long
    form("c", [MODEL]),  # another boundary than the content type's
])
def test_a_malformed_or_oversized_form_is_keyed_on_its_bytes(body: bytes) -> None:
    assert canonical(body) == body


def test_a_boundary_outside_the_rfc_is_not_read() -> None:
    body = form("b" * 71, [MODEL])
    assert canonical(body, "multipart/form-data; boundary=" + "b" * 71) == body
    assert canonical(body, None) == body
    assert canonical(form("a b", [MODEL]), 'multipart/form-data; boundary="a b"') == {"model": "whisper-1"}


def test_a_malformed_form_replays_on_its_exact_bytes(make_server, scenarios, tmp_path: Path) -> None:
    """What the key does not read as a form (here: a file name over the bound) records and replays as any body."""
    body = form("b", [MODEL, ('name="file"; filename="' + "n" * (multipart.MAX_NAME_CHARS + 1) + '"', "", b"")])
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "multipart/form-data; boundary=b",
               "X-Scenario": "transcription"}
    recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "c"), upstream=scenarios.base_url)
    assert httpx.post(recorder.base_url + TRANSCRIBE, content=body, headers=headers).status_code == 200
    strict = make_server(mode=Mode.STRICT, cassettes=str(tmp_path / "c"))
    assert httpx.post(strict.base_url + TRANSCRIBE, content=body, headers=headers).json()["text"] == \
        "transcription 1"
    missed = httpx.post(strict.base_url + TRANSCRIBE, content=body + b"x", headers=headers)
    assert missed.status_code == 404 and missed.json()["error"]["code"] == "cassette_miss"


VALID = form("b", [MODEL, FILE, ('name="language"', "text/plain", "é".encode())])


@given(cut=st.integers(0, len(VALID)), insert=st.binary(max_size=12), content_type=st.sampled_from(
    ["multipart/form-data; boundary=b", 'multipart/form-data; boundary="b"', "multipart/form-data", None]))
@settings(max_examples=300, deadline=None)
def test_any_damage_to_a_form_is_keyed_without_error(cut: int, insert: bytes, content_type: str | None) -> None:
    body = VALID[:cut] + insert + VALID[cut:]
    keyed = keys.request_key("POST", "/v1/audio/transcriptions", "", body, content_type, keys.KeyRules())
    assert isinstance(keyed.canonical, (multipart.Form, bytes))
    assert keyed.key == keys.request_key("POST", "/v1/audio/transcriptions", "", body, content_type,
                                         keys.KeyRules()).key
