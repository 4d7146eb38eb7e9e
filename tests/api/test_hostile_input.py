"""Hand-written hostile input: every one is answered with a 4xx in the OpenAI envelope (or a normal answer), never
a 500, and the server keeps serving. Each case runs against every mode a request can meet."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from dummy_openai_api.proxy import handlers
from dummy_openai_api.proxy.server.app import ROUTES
from dummy_openai_api.proxy.testing.background import BackgroundServer
from dummy_openai_api.proxy.cassettes.parse_cache import CACHE_DIRECTORY
from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode, Settings
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body, embeddings_body
from tests.wire import exchange, parse, request

CHAT, EMBEDDINGS = "/v1/chat/completions", "/v1/embeddings"
DEEP = 10_000


def deep(opening: bytes, closing: bytes, leaf: bytes = b"1") -> bytes:
    return opening * DEEP + leaf + closing * DEEP


def chat_with(text: str) -> bytes:
    return json.dumps(chat_body(messages=[{"role": "user", "content": text}])).encode()


# (name, path, body): bodies no client library would produce.
BAD_BODIES = [
    ("invalid-utf8", CHAT, b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "\xff\xfe\xc0\xaf"}]}'),
    ("lone-surrogate", CHAT, b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "\\ud800"}]}'),
    ("utf16", CHAT, json.dumps(chat_body()).encode("utf-16")),
    ("byte-order-mark", CHAT, b"\xef\xbb\xbf" + json.dumps(chat_body()).encode()),
    ("nested-arrays", CHAT, b'{"model": "gpt-4o-mini", "messages": ' + deep(b"[", b"]") + b"}"),
    ("nested-objects", CHAT, b'{"model": "gpt-4o-mini", "metadata": ' + deep(b'{"a": ', b"}") + b"}"),
    ("nested-content", CHAT, b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": '
                             + deep(b"[", b"]", b'{"type": "text", "text": "x"}') + b"}]}"),
    ("nested-input", EMBEDDINGS, b'{"model": "text-embedding-3-small", "input": ' + deep(b"[", b"]") + b"}"),
    ("nested-300-in-metadata", CHAT, b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}], '
                                     b'"metadata": ' + b'{"a": ' * 300 + b"1" + b"}" * 300 + b"}"),
    ("nested-1000-in-an-unknown-field", CHAT, json.dumps(chat_body()).encode()[:-1] + b', "x": '
                                              + b"[" * 1000 + b"]" * 1000 + b"}"),
    ("nested-1000-in-input", EMBEDDINGS, b'{"model": "text-embedding-3-small", "input": '
                                         + b"[" * 1000 + b"]" * 1000 + b"}"),
    ("nan", CHAT, b'{"model": "gpt-4o-mini", "temperature": NaN, "messages": [{"role": "user", "content": "x"}]}'),
    ("infinity", CHAT, b'{"model": "gpt-4o-mini", "top_p": Infinity, "messages": []}'),
    ("minus-infinity", EMBEDDINGS, b'{"model": "text-embedding-3-small", "input": "x", "dimensions": -Infinity}'),
    ("overflowing-float", CHAT, b'{"model": "gpt-4o-mini", "temperature": 1e400, "messages": []}'),
    ("400-digit-integer", CHAT, b'{"model": "gpt-4o-mini", "max_tokens": ' + b"9" * 400 + b', "messages": []}'),
    ("huge-max-tokens", CHAT, json.dumps(chat_body(max_tokens=2**64)).encode()),
    ("huge-n", CHAT, json.dumps(chat_body(n=10**30)).encode()),
    ("huge-temperature", CHAT, json.dumps(chat_body(temperature=1.7e308)).encode()),
    ("huge-seed", CHAT, json.dumps(chat_body(seed=2**64 - 1)).encode()),
    ("negative-seed", CHAT, json.dumps(chat_body(seed=-(2**63))).encode()),
    ("huge-dimensions", EMBEDDINGS, json.dumps(embeddings_body(dimensions=2**64 - 1)).encode()),
    ("huge-token-ids", EMBEDDINGS, json.dumps(embeddings_body(input=[2**64 - 1, 2**63, 0])).encode()),
    ("negative-token-ids", EMBEDDINGS, json.dumps(embeddings_body(input=[[-1, -(2**63)]])).encode()),
    ("tiny-float", CHAT, json.dumps(chat_body(temperature=5e-324)).encode()),
    ("duplicate-keys", CHAT, b'{"model": "gpt-nope", "model": "gpt-4o-mini", "messages": [{"role": "user", '
                             b'"content": "x"}], "messages": [{"role": "user", "content": "y"}]}'),
    ("truncated", CHAT, json.dumps(chat_body()).encode()[:-7]),
    ("trailing-garbage", CHAT, json.dumps(chat_body()).encode() + b"}{"),
    ("two-documents", CHAT, json.dumps(chat_body()).encode() * 2),
    ("empty", CHAT, b""),
    ("whitespace", CHAT, b" \t\r\n "),
    ("null", CHAT, b"null"),
    ("array", EMBEDDINGS, b"[]"),
    ("string", CHAT, b'"model"'),
    ("number", EMBEDDINGS, b"42"),
    ("raw-control-characters", CHAT,
     b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "a\x01\x1fb"}]}'),
    ("nul-bytes", CHAT, b"\x00" * 1000),
    ("binary", EMBEDDINGS, bytes(range(256)) * 40),
    ("escaped-control-characters", CHAT, chat_with("".join(map(chr, range(32))) + "\x7f\u0085\u2028\u2029")),
    ("emoji-and-scripts", CHAT, chat_with("😀👩‍👩‍👧‍👦🏳️‍🌈 مرحبا שלום 你好 नमस्ते ̸̡̛͙̞z̴̢̙a̵̞̓l̶̜̈́g̴̩͐o̸̰͒" * 50)),
    ("bidi-and-zero-width", CHAT, chat_with("\u202egnp.exe\u202c\u200b\u200d\ufeff\u2066x\u2069")),
    ("private-use-and-astral", CHAT, chat_with("\ue000\U000f0000\U0010ffff\U0001f9ea")),
    ("emoji-model", CHAT, json.dumps(chat_body(model="gpt-😀-\u0000-\u202e")).encode()),
    ("emoji-role", CHAT, json.dumps(chat_body(messages=[{"role": "🤖", "content": "x"}])).encode()),
    ("emoji-keys", CHAT, json.dumps(chat_body(metadata={"🔑\u0000": "💥" * 1000}, user="👤")).encode()),
    ("emoji-embedding-input", EMBEDDINGS,
     json.dumps(embeddings_body(input=["😀" * 1000, "\u0000", "\u202e"])).encode()),
    ("many-fields", CHAT, json.dumps({**chat_body(), **{f"field{i}": i for i in range(10_000)}}).encode()),
    ("long-key", CHAT, json.dumps({**chat_body(), "k" * 1_000_000: 1}).encode()),
    ("many-messages", CHAT, json.dumps(chat_body(messages=[{"role": "user", "content": "hi"}] * 20_000)).encode()),
    ("many-inputs", EMBEDDINGS, json.dumps(embeddings_body(input=["x"] * 100_000)).encode()),
    ("wrong-types-everywhere", CHAT, json.dumps({"model": ["gpt-4o-mini"], "messages": {"role": "user"},
                                                "stream": "yes", "n": "2", "stop": {"a": 1}}).encode()),
]


@pytest.fixture(scope="module")
def servers(session_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Mode, BackgroundServer]]:
    """One server per mode, sharing a cassette directory that holds one recording; the upstream is the session's server."""
    cassettes = tmp_path_factory.mktemp("hostile") / "cassettes"
    write(cassettes, "known", [interaction(chat_body(), completion_json("recorded"))])
    settings = Settings(port=0, access_log=False, cassettes=str(cassettes), upstream=session_server.base_url,
                        upstream_key=KEY)
    running = {mode: BackgroundServer(settings.replace(mode=mode)).start()
               for mode in (Mode.REPLAY, Mode.STRICT, Mode.RECORD)}
    yield {Mode.SYNTHETIC: session_server, **running}
    for started in running.values():
        started.stop()
    for path in (p for p in cassettes.rglob("*") if p.is_file() and CACHE_DIRECTORY not in p.parts):
        # whatever was recorded is whole and was a success
        assert path.suffix == ".yaml" and all(i.status < 400 for i in read_cassette(path)), path


@pytest.fixture(scope="module")
def raw() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {KEY}"}) as client:
        yield client


@pytest.fixture(params=[Mode.SYNTHETIC, Mode.REPLAY, Mode.STRICT, Mode.RECORD], ids=lambda mode: mode.value)
def target(request, servers: dict[Mode, BackgroundServer], server: BackgroundServer) -> BackgroundServer:
    """The same server code under every mode: a request meets the cassette index, the upstream or a generator.
    `server` resets the session's server (the synthetic one, and the others' upstream): nothing an earlier test
    left there (a rule, a mode, a rate limit) is met here."""
    return servers[request.param]


def assert_api_answer(response: httpx.Response) -> None:
    """A normal answer, or a 4xx whose body is exactly the OpenAI error envelope."""
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]


@pytest.mark.parametrize("name,path,body", BAD_BODIES, ids=[case[0] for case in BAD_BODIES])
def test_bad_bodies_get_an_api_answer_and_the_server_keeps_serving(raw, target, name: str, path: str,
                                                                   body: bytes) -> None:
    response = raw.post(target.root_url + path, content=body, headers={"Content-Type": "application/json"})
    assert_api_answer(response)
    assert raw.get(target.root_url + "/health").status_code == 200


@pytest.mark.parametrize("name,path,body", [c for c in BAD_BODIES if c[0] in (
    "invalid-utf8", "lone-surrogate", "nested-arrays", "nested-objects", "nested-300-in-metadata",
    "nested-1000-in-an-unknown-field", "nested-1000-in-input", "nan", "infinity", "overflowing-float",
    "400-digit-integer", "truncated", "trailing-garbage", "raw-control-characters", "binary", "byte-order-mark")])
def test_unparsable_bodies_are_the_apis_json_error(http, name: str, path: str, body: bytes) -> None:
    response = http.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("We could not parse the JSON body of your request.")


def test_duplicate_keys_take_the_last_value_like_the_json_parsers_of_the_api(http) -> None:
    body = next(case[2] for case in BAD_BODIES if case[0] == "duplicate-keys")
    first, second = (http.post(CHAT, content=body, headers={"Content-Type": "application/json"}) for _ in range(2))
    assert first.status_code == 200 and first.json()["model"] == "gpt-4o-mini-2024-07-18"
    assert first.json()["choices"] == second.json()["choices"]  # still deterministic


@pytest.mark.parametrize("content_type,body,status", [
    ("text/plain", json.dumps(chat_body()).encode(), 200),  # the JSON is read whatever the label says
    ("application/x-www-form-urlencoded", b"model=gpt-4o-mini&messages=hi", 400),
    ("multipart/form-data; boundary=x",
     b'--x\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt\r\n--x--', 400),
    ("application/json; charset=latin-1", "{\"model\": \"gpt-4o-mini\", \"user\": \"\xe9\"}".encode("latin-1"), 400),
    ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 400),
    ("", json.dumps(chat_body()).encode(), 200),
])
def test_wrong_content_types(http, content_type: str, body: bytes, status: int) -> None:
    response = http.post(CHAT, content=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert_api_answer(response)


@pytest.mark.parametrize("path", ["/v1/models", "/v1/models/gpt-4o-mini", "/health", "/"])
def test_a_body_on_get_is_ignored(http, path: str) -> None:
    response = http.request("GET", path, content=json.dumps(chat_body()).encode() * 100)
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "BREW"])
def test_unexpected_methods_are_answered_in_the_envelope(http, method: str) -> None:
    response = http.request(method, CHAT, content=json.dumps(chat_body()).encode())
    assert response.status_code in (404, 405)
    assert_api_answer(response)


# Header injection: CR, LF and NUL never reach a handler, so nothing a client sends is echoed as a new header.

@pytest.mark.parametrize("header", [
    b"X-Cassette: a\rInjected: yes", b"Origin: http://a\x00Injected: yes", b"X-Cassette: a\r\n Injected: yes",
    b"Access-Control-Request-Headers: x\x0bInjected: yes", b"X-Cassette: a\x7fb", b"Bad Name: x",
    b": empty-name", b"X-Cassette:" + b"a" * 70_000,
])
def test_header_injection_attempts_are_refused_at_the_wire(server, header: bytes) -> None:
    raw = b"OPTIONS /v1/models HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\n" + header + b"\r\nConnection: close\r\n\r\n"
    answer = exchange(server.port, raw)
    assert answer == b"" or parse(answer).status == 400  # Tornado's own 400, or a close for oversized headers
    assert b"injected" not in answer.lower()
    assert httpx.get(server.root_url + "/health").status_code == 200


def test_reflected_headers_stay_single_headers(server) -> None:
    answer = parse(exchange(server.port, request("OPTIONS", CHAT, Origin="http://a",
                                                 Access_Control_Request_Headers="x-stainless-a, X-Injected: yes")))
    assert answer.status == 200
    assert answer.headers.get_all("Access-Control-Allow-Headers") == ["x-stainless-a"]  # only known names echo
    assert "X-Injected" not in answer.headers


@pytest.mark.parametrize("raw", [
    b"GET /v1/models HTTP/1.1\r\nContent-Length: abc\r\n\r\n", b"GET /v1/models HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    b"POST /v1/embeddings HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    b"POST /v1/embeddings HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST /v1/embeddings HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /v1/embeddings HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", b"GET /v1/models HTTP/9.9\r\n\r\n",
    b"GET /health\r\n\r\n", b"GET /v1/models/a b HTTP/1.1\r\n\r\n", b"GET /v1/models/a\x01b HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n",  # TLS on the plain port
])
def test_broken_framing_is_refused_and_the_server_keeps_serving(server, raw: bytes) -> None:
    answer = exchange(server.port, raw)
    assert answer == b"" or parse(answer).status == 400
    assert httpx.get(server.root_url + "/health").status_code == 200


# Path traversal: ids are looked up, never opened; cassette names stay inside the cassette directory.

@pytest.mark.parametrize("path", [
    "/v1/models/../../etc/passwd", "/v1/models/..%2F..%2Fetc%2Fpasswd", "/v1/models/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/v1/models/..%252F..%252Fetc%252Fpasswd", "/v1/models/....//....//etc/passwd", "/v1/models/..\\..\\etc\\passwd",
    "/v1/models/%00", "/v1/models/%ff%fe", "/v1/models/%F0%9F%98%80", "/v1/../../etc/passwd", "/../../etc/passwd",
    "/v1/%2e%2e/%2e%2e/etc/passwd", "/v1/models/" + "%2e%2e%2f" * 1000 + "etc/passwd", "//etc/passwd",
])
def test_traversal_in_ids_reads_no_file(server, path: str) -> None:
    answer = parse(exchange(server.port, request("GET", path)))
    assert answer.status == 404
    assert set(answer.json()["error"]) == {"message", "type", "param", "code"}
    assert b"root:" not in answer.body


TRAVERSING_NAMES = ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/escaped", "..\\..\\escaped",
                    "a/../../escaped", "/etc/passwd", "./../escaped", "a/./b", "a//b", "..", ".", "",
                    "\u2024\u2024/escaped", "\uff0e\uff0e/escaped", "ok/" * 400 + "deep"]


@pytest.mark.parametrize("name", TRAVERSING_NAMES)
def test_recording_under_a_hostile_cassette_name_stays_inside_the_directory(make_server, server, tmp_path: Path,
                                                                          name: str) -> None:
    cassettes = tmp_path / "inside" / "cassettes"
    recorder = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=server.base_url, upstream_key=KEY)
    answer = parse(exchange(recorder.port, request("POST", CHAT, json.dumps(chat_body()).encode(),
                                                   X_Cassette=name, Content_Type="application/json")))
    assert answer.status in (200, 400)
    if answer.status == 400:
        assert answer.json()["error"]["code"] == "invalid_cassette_name"
    written = [p for p in tmp_path.rglob("*") if p.is_file() and CACHE_DIRECTORY not in p.parts]
    assert all(cassettes in p.parents for p in written), written
    assert len(written) == (answer.status == 200)


def test_unicode_in_urls_queries_headers_and_keys(server) -> None:
    for raw in (request("GET", "/v1/models/😀?q=✓&x=%F0%9F%98%80"), request("GET", "/v1/models", key="sk-ключ-🔑-密钥"),
                request("POST", CHAT, json.dumps(chat_body()).encode(), X_Cassette="ça/😀", User_Agent="🤖/1.0",
                        Content_Type="application/json")):
        answer = parse(exchange(server.port, raw))
        assert 200 <= answer.status < 500 and answer.status != 405
        if answer.status >= 400:
            assert set(answer.json()["error"]) == {"message", "type", "param", "code"}
    wrong_key = parse(exchange(server.port, request("GET", "/v1/models", key="sk-ключ-🔑-密钥-0123456789")))
    assert wrong_key.status == 401 and "sk-ключ-🔑-密钥-0123456789" not in wrong_key.body.decode()


# Every routed POST endpoint, today's and those added later, gets the bodies that are garbage before any field.

POST_PATHS = [p for p, handler in ROUTES if p.startswith("/v1/") and "(" not in p
              and hasattr(handlers.resolve(handler), "post")]
GENERIC = [case for case in BAD_BODIES if case[0] in (
    "invalid-utf8", "lone-surrogate", "utf16", "nested-arrays", "nested-objects", "nested-1000-in-an-unknown-field",
    "nan", "overflowing-float", "400-digit-integer", "truncated", "two-documents", "empty", "null", "array", "string",
    "nul-bytes", "binary", "many-fields", "long-key", "duplicate-keys")]


@pytest.mark.parametrize("path", POST_PATHS)
def test_every_routed_post_endpoint_answers_garbage_in_the_envelope(raw, server, path: str) -> None:
    for name, _, body in GENERIC:
        response = raw.post(server.root_url + path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code < 500, (name, response.text[:300])
        assert_api_answer(response)
    assert raw.get(server.root_url + "/health").status_code == 200
