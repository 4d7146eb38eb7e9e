"""Tests for proxy.cassettes.formats: every real cassette loads, the quirks decode, writing round-trips."""
from __future__ import annotations

import gzip
import json
import os
import zlib
from pathlib import Path

import brotli
import httpx
import pytest
import vcr
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dummy_openai_api.proxy.cassettes import formats as cassette_format
from dummy_openai_api.proxy.cassettes.formats import (
    CassetteError, Interaction, dumps_cassette, read_cassette, write_cassette,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "cassettes-real"
CASSETTE_SUFFIXES = (".yaml", ".yml", ".yaml.gz", ".har")
REAL_FILES = sorted(p for p in REAL.rglob("*") if p.is_file() and p.name.endswith(CASSETTE_SUFFIXES))
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real cassettes not found at {REAL}")


def real(relative: str) -> list[Interaction]:
    return read_cassette(REAL / relative)


def sample(**changes: object) -> Interaction:
    fields: dict[str, object] = {
        "method": "POST",
        "uri": "https://api.openai.com/v1/chat/completions?x=1",
        "request_headers": {"content-type": ["application/json"], "cookie": ["a=1", "b=2"]},
        "request_body": b'{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}',
        "status": 200,
        "reason": "OK",
        "response_headers": {"content-type": ["application/json"], "set-cookie": ["x=1", "y=2"]},
        "response_body": b'{"id":"chatcmpl-1","object":"chat.completion"}',
        "extra": {"timing": {"ttfb_ms": 120.5, "chunk_ms": [1.5, 2.0]}},
    }
    fields.update(changes)
    return Interaction(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- real cassettes


@needs_real
def test_real_directory_has_the_cassettes() -> None:
    assert len(REAL_FILES) >= 80  # guards the glob: SOURCES.md lists 87


@needs_real
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: str(p.relative_to(REAL)))
def test_every_real_cassette_loads(path: Path) -> None:
    interactions = read_cassette(path)
    assert interactions
    for interaction in interactions:
        assert interaction.method.isupper() and interaction.uri.startswith("http")
        assert all(name == name.lower() for name in interaction.request_headers)
        assert all(isinstance(v, list) for v in interaction.response_headers.values())
        assert 100 <= interaction.status < 600 and interaction.reason
        assert "content-encoding" not in interaction.response_headers
        interaction.response_body.decode("utf-8")  # every recorded OpenAI answer is text once decoded


@needs_real
def test_gzip_binary_body_comes_out_as_json() -> None:
    path = "simonw__llm/tests/cassettes/test_openai_responses/test_responses_basic_non_streaming.yaml"
    assert b"string: !!binary" in (REAL / path).read_bytes()
    (interaction,) = real(path)
    assert json.loads(interaction.response_body)["object"] == "response"
    assert "content-encoding" not in interaction.response_headers


@needs_real
def test_brotli_body_comes_out_as_json_and_null_message_gets_a_phrase() -> None:
    openai, telemetry = real(
        "Arize-ai__openinference/python/instrumentation/openinference-instrumentation-agno/tests/"
        "openinference/instrumentation/agno/fixtures/agent_run_reasoning.yaml",
    )
    assert json.loads(openai.response_body)["object"] == "response"
    # recorded as `Access-Control-Expose-Headers` and `access-control-expose-headers`: merged
    assert openai.response_headers["access-control-expose-headers"] == ["CF-Ray", "X-Request-ID", "CF-Ray"]
    assert (telemetry.status, telemetry.reason) == (201, "Created")  # `message: null`


@needs_real
def test_istr_header_names_are_plain_strings() -> None:
    (interaction,) = real(
        "DataDog__dd-trace-py/tests/cassettes/openai/openai_chat_completions_post_1d538f35.yaml",
    )
    assert interaction.request_headers["x-stainless-retry-count"] == ["0"]
    assert all(type(name) is str for name in interaction.request_headers)


@needs_real
def test_pydantic_ai_parsed_body_becomes_compact_json() -> None:
    (interaction,) = real("pydantic__pydantic-ai/tests/models/cassettes/test_openai/test_valid_response.yaml")
    assert interaction.request_body == (
        b'{"messages":[{"content":"What is the capital of France?","role":"user"}],'
        b'"model":"gpt-4o","stream":false}'
    )
    answer = json.loads(interaction.response_body)["choices"][0]["message"]["content"]
    assert answer == "The capital of France is Paris."


@needs_real
def test_old_httpx_stub_shape_with_lying_gzip_header() -> None:
    (interaction,) = real("DataDog__dd-trace-py/tests/contrib/openai/cassettes/v1/chat_completion.yaml")
    assert (interaction.status, interaction.reason) == (200, "OK")
    assert json.loads(interaction.response_body)["id"] == "chatcmpl-76n5heroUX66dt3wGtwp0tFFedLLu"
    assert "content-encoding" not in interaction.response_headers  # said gzip over plain text
    assert interaction.response_headers["content-type"] == ["application/json"]
    assert interaction.extra == {"http_version": "HTTP/1.1"}


@needs_real
def test_stripped_headers_give_empty_dicts() -> None:
    (interaction,) = real(
        "Arize-ai__openinference/python/instrumentation/openinference-instrumentation-openai/tests/"
        "openinference/instrumentation/openai/cassettes/test_input_value_image_hiding/"
        "TestInputValueImageHiding.test_input_value_hides_regular_url_images.yaml",
    )
    assert interaction.request_headers == {} and interaction.response_headers == {}
    assert interaction.status == 400
    assert json.loads(interaction.response_body)["error"]["code"] == "invalid_image_url"


@needs_real
def test_har_files() -> None:
    folder = "Mirascope__mirascope/typescript/tests/e2e/output/cassettes/stream/openai_completions/"
    (stream,) = real(folder + "streams-text-response.har")
    assert (stream.method, stream.uri, stream.status, stream.reason) == (
        "POST", "https://api.openai.com/v1/chat/completions", 200, "OK",
    )
    assert stream.response_body.startswith(b"data: {") and b'"stream":true' in stream.request_body
    assert stream.response_headers["content-type"] == ["text/event-stream; charset=utf-8"]
    assert stream.extra == {"timing": {"ttfb_ms": 2335.0}}
    (error,) = real(folder + "wraps-api-errors-on-stream-call.har")
    assert (error.uri, error.status) == ("https://api.openai.com/v1/responses", 400)
    assert error.reason == "Bad Request"
    assert json.loads(error.response_body)["error"]["code"] == "model_not_found"


def test_har_base64_content(tmp_path: Path) -> None:
    entry = {
        "request": {"method": "get", "url": "https://api.openai.com/v1/models", "headers": []},
        "response": {
            "status": 200,
            "headers": [{"name": "Content-Encoding", "value": "br"}],
            "content": {"text": "eyJvYmplY3QiOiJsaXN0In0=", "encoding": "base64"},
        },
        "timings": {"wait": -1},
    }
    path = tmp_path / "a.har"
    path.write_text(json.dumps({"log": {"entries": [entry]}}))
    (interaction,) = read_cassette(path)
    assert (interaction.method, interaction.reason, interaction.request_body) == ("GET", "OK", b"")
    assert interaction.response_body == b'{"object":"list"}'
    assert interaction.response_headers == {} and interaction.extra == {}  # header lied; -1 = not measured


# ---------------------------------------------------------------- encodings and shapes


def vcr_yaml(response_body: object, response_headers: dict[str, object], **response: object) -> str:
    interaction = {
        "request": {"method": "post", "uri": "https://x/v1", "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": response_headers,
                     "body": {"string": response_body}, **response},
    }
    return yaml.safe_dump({"version": 1, "interactions": [interaction]})


@pytest.mark.parametrize(
    ("stored", "headers"),
    [
        (gzip.compress(b'{"a":1}'), {}),  # gzip without a header: decided by the magic bytes
        (brotli.compress(b'{"a":1}'), {"Content-Encoding": "br"}),  # scalar header value
        (brotli.compress(b'{"a":1}'), {}),  # unlabelled brotli: not text, not gzip
        (zlib.compress(b'{"a":1}'), {"content-encoding": ["deflate"]}),
        (zlib.compress(b'{"a":1}')[2:-4], {"content-encoding": ["deflate"]}),  # raw deflate
        ('{"a":1}', {"content-encoding": ["gzip"]}),  # the header lies about plain text
    ],
)
def test_bodies_are_decoded_by_their_bytes(
    tmp_path: Path, stored: object, headers: dict[str, object],
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(vcr_yaml(stored, headers))
    (interaction,) = read_cassette(path)
    assert interaction.response_body == b'{"a":1}'
    assert interaction.response_headers == {}
    assert interaction.request_body == b"" and interaction.method == "POST"


def test_undecodable_labelled_body_is_kept_raw_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(vcr_yaml(b"\xff\xfe\x00\x81", {"content-encoding": ["br"]}))
    (interaction,) = read_cassette(path)
    assert interaction.response_body == b"\xff\xfe\x00\x81"
    assert interaction.response_headers == {"content-encoding": ["br"]}


def test_unknown_response_keys_and_extra_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(vcr_yaml("ok", {}, extra={"timing": {"ttfb_ms": 3}}, recorded_at="then"))
    (interaction,) = read_cassette(path)
    assert interaction.extra == {"timing": {"ttfb_ms": 3}, "recorded_at": "then"}


def test_yaml_gz_and_zero_interactions(tmp_path: Path) -> None:
    gz = tmp_path / "c.yaml.gz"
    gz.write_bytes(gzip.compress(vcr_yaml("hello", {}).encode()))
    assert read_cassette(gz)[0].response_body == b"hello"
    empty = tmp_path / "empty.yml"
    empty.write_text("interactions: []\nversion: 1\n")
    assert read_cassette(empty) == []


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.yaml", "interactions:\n  - request: [unclosed\n", "YAML error at line"),
        ("list.yaml", "- request: {}\n", "not a cassette"),
        ("nokey.yaml", "version: 1\n", "not a cassette"),
        ("shape.har", '{"log": {"entries": [{"request": {}}]}}', "interaction 0: missing key 'response'"),
        ("wrong.json", '["not", "a", "cassette"]', "not a cassette"),
        ("broken.har", '{"log": ', "JSON error at line 1"),
        ("status.yaml", "interactions:\n- request: {method: GET, uri: 'http://x'}\n  response: {}\n",
         "interaction 0: response has no status code"),
    ],
)
def test_unreadable_files_raise_cassette_error(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CassetteError) as caught:
        read_cassette(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


def test_python_object_tags_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(
        "interactions:\n- request:\n    body: !!python/object/apply:os.system\n"
        f"    - touch {marker}\n    method: GET\n    uri: http://x\n  response: {{status: {{code: 200}}}}\n",
    )
    refused = r"evil\.yaml: YAML error at line 3: .*python/object/apply:os\.system"
    with pytest.raises(CassetteError, match=refused):
        read_cassette(path)
    assert not marker.exists()


def test_missing_file_raises_cassette_error(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="nope.yaml: FileNotFoundError"):
        read_cassette(tmp_path / "nope.yaml")


# ---------------------------------------------------------------- writing


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    interactions = [
        sample(),
        sample(method="GET", uri="https://api.openai.com/v1/models", request_headers={}, request_body=b"",
               status=429, reason="Too Many Requests", response_headers={"retry-after": ["1"]}, extra={}),
        sample(response_body=b'data: {"a":1}\n\ndata: [DONE]\n\n', response_headers={}),
        sample(response_body=bytes(range(256)), request_body=b"\x00\xff"),  # binary both ways
        sample(response_body="caf\u00e9 \U0001f600\r\n".encode(), request_body=b"multipart\r\n--x--\r\n"),
    ]
    path = tmp_path / "deep" / "dir" / "out.yaml"
    write_cassette(path, interactions)
    assert read_cassette(path) == interactions
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_written_text_is_readable_vcrpy_yaml() -> None:
    text = dumps_cassette([sample(response_body=b'data: {"a":1}\n\ndata: [DONE]\n\n')])
    assert "\n        data: [DONE]\n" in text  # SSE stays line-per-line text
    assert "version: 1" in text and "!!binary" not in text and "!!python" not in text
    assert "      - a=1\n      - b=2\n" in text  # every request header value, not only the first
    assert dumps_cassette([sample(response_body=b"\x80\x81")]).count("!!binary") == 1


def test_gz_target_is_gzip_compressed(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml.gz"
    write_cassette(path, [sample()])
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert read_cassette(path) == [sample()]


def test_failed_serialization_leaves_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    write_cassette(path, [sample()])
    before = path.read_bytes()
    with pytest.raises(yaml.YAMLError):
        write_cassette(path, [sample(extra={"not yaml": object()})])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_failed_replace_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.yaml"
    write_cassette(path, [sample()])
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(cassette_format.os, "replace", fail)
    with pytest.raises(OSError, match="disk on fire"):
        write_cassette(path, [sample(status=500)])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_vcrpy_replays_what_we_write(tmp_path: Path) -> None:
    stream = sample(response_body=b'data: {"a":1}\n\ndata: [DONE]\n\n',
                    response_headers={"content-type": ["text/event-stream"], "set-cookie": ["x=1", "y=2"]})
    binary = sample(uri="https://api.openai.com/v1/audio/speech", response_body=b"ID3\x00\xff\xfe",
                    status=201, reason="Created", response_headers={"content-type": ["audio/mpeg"]})
    path = tmp_path / "replay.yaml"
    write_cassette(path, [stream, binary])  # the `extra` key is written: vcrpy must ignore it
    assert "extra:" in path.read_text()
    with vcr.use_cassette(str(path), record_mode="none"), httpx.Client() as client:
        for recorded in (stream, binary):
            response = client.post(recorded.uri, content=recorded.request_body)
            assert (response.status_code, response.reason_phrase) == (recorded.status, recorded.reason)
            assert response.content == recorded.response_body
            for name, values in recorded.response_headers.items():
                assert response.headers.get_list(name) == values


header_names = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).filter(
    lambda name: name != "content-encoding",  # decoding drops it from plain bodies by design
)
header_values = st.lists(st.text(max_size=20), min_size=1, max_size=3)
header_maps = st.dictionaries(header_names, header_values, max_size=4)
json_leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
interactions = st.builds(
    Interaction,
    method=st.sampled_from(["GET", "POST", "DELETE"]),
    uri=st.text("abcxyz/?=&%-_.0123", max_size=20).map(lambda tail: "https://api.openai.com/v1/" + tail),
    request_headers=header_maps,
    request_body=st.binary(max_size=64) | st.text(max_size=64).map(str.encode),
    status=st.integers(100, 599),
    reason=st.text(min_size=1, max_size=20),
    response_headers=header_maps,
    response_body=st.binary(max_size=64) | st.text(max_size=64).map(str.encode),
    extra=st.dictionaries(st.text(max_size=8), st.recursive(json_leaves, st.lists, max_leaves=5), max_size=3),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(interactions, max_size=3))
def test_round_trip_property(tmp_path: Path, generated: list[Interaction]) -> None:
    path = tmp_path / "prop.yaml"
    write_cassette(path, generated)
    assert read_cassette(path) == generated
