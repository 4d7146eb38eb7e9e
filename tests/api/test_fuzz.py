"""Fuzzing: schemathesis against every operation of the real OpenAPI description that the route table serves,
and hypothesis-mutated bodies for chat, embeddings and (once routed) responses, completions and moderations.

What is fuzzed is derived, not listed: the route table intersected with the spec's paths and the handlers'
verbs, so endpoints added later are picked up. Checks: never a 5xx; 4xx in the OpenAI envelope; 2xx conform
to the spec (streams: every event parses into the SDK's type); `/health` answers afterwards. The default run
tries FUZZ_EXAMPLES cases per operation and mode (derandomized, so CI is repeatable); `-m slow` tries many
more, at random.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dummy_openai_api.generators.catalog.models import (
    CHAT, COMPLETION, EMBEDDING, IMAGE, MODERATION, RESPONSES_ONLY, Catalogue,
)
from dummy_openai_api.proxy import handlers
from dummy_openai_api.proxy.server.app import ROUTES
from dummy_openai_api.proxy.core.atomic import atomic_write
from tests.conftest import KEY, SHARED

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance, response_headers_conformance, response_schema_conformance)

SPEC = SHARED / "openai-reference" / "openapi.yml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))  # derandomized; `-m slow` runs SLOW_EXAMPLES
SLOW_EXAMPLES = int(os.environ.get("FUZZ_SLOW_EXAMPLES", "1000"))
API_ROUTES = [(pattern, handlers.resolve(handler)) for pattern, handler in ROUTES if pattern.startswith("/v1/")]
KINDS = {"/chat/completions": (CHAT,), "/embeddings": (EMBEDDING,), "/completions": (COMPLETION,),
         "/moderations": (MODERATION,), "/responses": (CHAT, RESPONSES_ONLY), "/images/generations": (IMAGE,),
         "/images/edits": (IMAGE,), "/images/variations": (IMAGE,)}


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    """One keep-alive session for every case: a new connection per case cost more than the server's answer."""
    import requests
    with requests.Session() as reused:
        reused.headers["Authorization"] = f"Bearer {KEY}"
        yield reused


@pytest.fixture(scope="session")
def spec():
    if not SPEC.exists():
        pytest.skip(f"the OpenAPI description is not at {SPEC}")
    # Parsing the 2.8 MB YAML takes 5 s, more on a busy machine; its JSON form loads in 0.1 s. It is kept in
    # the temporary directory under a digest of the file, so every checkout and CI run on the machine reuses it.
    text = SPEC.read_bytes()
    parsed = Path(tempfile.gettempdir()) / f"openai-openapi-{hashlib.sha256(text).hexdigest()[:16]}.json"
    try:
        return schemathesis.openapi.from_dict(orjson.loads(parsed.read_bytes()))
    except (OSError, orjson.JSONDecodeError):
        loaded = schemathesis.openapi.from_path(SPEC)
        atomic_write(parsed, orjson.dumps(loaded.raw_schema), fsync=False)
        return loaded


def operations(spec, pattern: str, handler: type) -> list:
    """The spec's operations that this route serves: its path matches and its handler has the verb."""
    found = []
    for result in spec.get_all_operations():
        operation = result.ok()
        concrete = "/v1" + re.sub(r"\{[^}]+\}", "x", operation.path)
        if re.fullmatch(pattern, concrete) and callable(getattr(handler, operation.method.lower(), None)):
            found.append(operation)
    return found


def model_names(path: str) -> list[str]:
    """Real model names for the endpoint, so that generated bodies get past `model` and reach the rest."""
    catalogue = Catalogue.default().models.values()
    kinds = KINDS.get(path, ())
    return sorted(m.id for m in catalogue if m.kind in kinds)[:40] or ["gpt-4o-mini"]


def content_type(response: Any) -> str:
    value = response.headers.get("content-type") or ""
    return value[0] if isinstance(value, list) else value  # schemathesis keeps every value of a header


def assert_api_answer(response: Any, stream_type: Any = None) -> None:
    """Never a 5xx; a 4xx is exactly the OpenAI envelope; a stream's events all parse."""
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}, body
    elif "event-stream" in content_type(response):
        for event in re.split(r"\r?\n\r?\n", response.text):
            data = "\n".join(line[5:].strip() for line in event.splitlines() if line.startswith("data:"))
            if data and data != "[DONE]":
                payload = json.loads(data)
                if stream_type is not None:
                    stream_type(payload)


def stream_validator(path: str) -> Callable[[Any], Any] | None:
    """The SDK's type for one event of the endpoint's stream: the contract clients parse against."""
    from openai.types import ImageEditStreamEvent, ImageGenStreamEvent
    from openai.types.chat import ChatCompletionChunk
    from openai.types.responses import ResponseStreamEvent
    from pydantic import TypeAdapter
    types = {"/chat/completions": ChatCompletionChunk, "/responses": ResponseStreamEvent,
             "/images/generations": ImageGenStreamEvent, "/images/edits": ImageEditStreamEvent}
    if path == "/completions":
        return legacy_completion_chunk
    return TypeAdapter(types[path]).validate_python if path in types else None


def legacy_completion_chunk(event: dict[str, Any]) -> None:
    """The API streams `finish_reason: null` until a choice's last chunk, which the SDK's `Completion` type
    does not allow (its own tests read these streams leniently); everything else must fit the type."""
    from openai.types import Completion
    choices = [{**choice, "finish_reason": choice.get("finish_reason") or "stop"} for choice in event["choices"]]
    Completion.model_validate({**event, "choices": choices})


def described_otherwise(case: Any, response: Any) -> bool:
    """2xx answers where the description and the real API part ways; this server follows the API, and they are
    checked here instead of against the description."""
    path, body = case.operation.path, case.body if isinstance(case.body, dict) else {}
    if "event-stream" in content_type(response):
        return True  # it gives the schema of an event's `data` where OpenAPI means the event: see assert_api_answer
    if path == "/embeddings" and body.get("encoding_format") == "base64":
        for item in response.json()["data"]:  # it types every embedding as a float array
            assert len(base64.b64decode(item["embedding"])) % 4 == 0  # little-endian float32s
        return True
    if path == "/completions" and body.get("echo") and body.get("logprobs") is not None:
        return True  # the echoed prompt's first token has a null log probability, as the API sends it
    if path == "/moderations" and str(body.get("model", "")).startswith("text-moderation"):
        return True  # legacy models answer without `category_applied_input_types`, as the API does
    if path == "/responses/compact":  # keeps the user's messages, which the SDK's output item types leave out
        answer = response.json()
        assert answer["object"] == "response.compaction" and isinstance(answer["output"], list)
        return True
    if case.operation.method.upper() == "GET" and path in ("/chat/completions", "/files", "/batches", "/vector_stores") \
            and not response.json()["data"]:  # a list: the path is checked first, one model has no `data`
        return True  # an empty stored list has null first_id/last_id where the description says strings (reported)
    if path.startswith("/files") and re.search(r'"purpose":"(evals|responses)"', response.text):
        return True  # a file keeps the purpose it was uploaded with; the file object's enum predates these two
    sdk_type = sdk_answer_type(case.operation.method.upper(), path)
    if sdk_type is not None:
        sdk_type(response.json())
        return True
    return False


def sdk_answer_type(method: str, path: str) -> Callable[[Any], Any] | None:
    """The SDK's type, the contract, where the description is wrong: it never lets the Responses API's `user`
    or the legacy `top_logprobs` be null (the API and the SDK do)."""
    from openai.types import Completion
    from openai.types.responses import Response
    from pydantic import TypeAdapter
    types = {("POST", "/responses"): Response, ("GET", "/responses/{response_id}"): Response,
             ("POST", "/responses/{response_id}/cancel"): Response, ("POST", "/completions"): Completion}
    found = types.get((method, path))
    return TypeAdapter(found).validate_python if found is not None else None


def fuzz(operation, mode: GenerationMode, root_url: str, session: Any, examples: int, derandomize: bool) -> int:
    """Send up to `examples` generated cases; returns how many reached the server (0 would be a vacuous pass)."""
    path = operation.path
    validate_stream = stream_validator(path)
    sent: list[int] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), model=st.sampled_from([None, *model_names(path)]))
    def run(case, model: str | None) -> None:
        if model and isinstance(case.body, dict) and "model" in case.body:
            case.body["model"] = model
        if model and "model" in (case.path_parameters or {}):
            case.path_parameters["model"] = model
        response = case.call(base_url=root_url + "/v1", session=session, timeout=60)
        sent.append(response.status_code)
        assert_api_answer(response, validate_stream)
        if response.status_code >= 300 or described_otherwise(case, response):
            return  # errors: the envelope is checked above (the description gives some the inner object only)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                 content_type_conformance, response_headers_conformance])
    run()
    return len(sent)


def route_id(route: tuple[str, type]) -> str:
    return route[0].replace("(?P<model>[^?#]+)", "{model}")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("route", API_ROUTES, ids=route_id)
def test_schemathesis_against_the_implemented_operations(spec, server, session, route, mode) -> None:
    found = operations(spec, *route)
    if not found:
        pytest.skip(f"{route_id(route)} is not in the OpenAPI description")
    for operation in found:
        assert fuzz(operation, mode, server.root_url, session, EXAMPLES, derandomize=True), operation.label
    assert httpx.get(server.root_url + "/health").status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("route", API_ROUTES, ids=route_id)
def test_schemathesis_at_length(spec, server, session, route, mode) -> None:
    for operation in operations(spec, *route) or pytest.skip("not in the OpenAPI description"):
        assert fuzz(operation, mode, server.root_url, session, SLOW_EXAMPLES, derandomize=False), operation.label
    assert httpx.get(server.root_url + "/health").status_code == 200


# Hypothesis-mutated bodies: a valid body, then fields set to any JSON, dropped, or filled with odd messages.

BASES: dict[str, dict[str, Any]] = {
    "/chat/completions": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]},
    "/embeddings": {"model": "text-embedding-3-small", "input": "Hello"},
    "/responses": {"model": "gpt-4o-mini", "input": "Hello"},
    "/completions": {"model": "gpt-3.5-turbo-instruct", "prompt": "Hello"},
    "/moderations": {"model": "omni-moderation-latest", "input": "Hello"},
}
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", "😀" * 20, "\u202e\u200b\ufeff", "\x00\x1f\x7f", "a" * 5000, "gpt-4o-mini", "user", "assistant"])
NUMBERS = st.integers(-(2**64), 2**64) | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0, -1, 1, 2, 128, 129, 2**31, 2**63 - 1, 0.5, 1e308, 5e-324])
LEAVES = st.none() | st.booleans() | NUMBERS | TEXT
JSON = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=10)
PARTS = st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url", "input_audio", "file", "x"])},
                              optional={"text": JSON, "image_url": JSON, "input_audio": JSON, "file": JSON})
MESSAGES = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "user", "assistant", "tool", "developer", "function", "x"]) | JSON},
    optional={"content": TEXT | st.lists(PARTS | JSON, max_size=3) | JSON, "name": JSON, "tool_calls": JSON,
              "tool_call_id": JSON, "refusal": JSON})


def request_fields(spec, path: str) -> list[str]:
    """Property names of the operation's request body in the spec, through $ref, allOf and anyOf."""
    raw = spec.raw_schema
    names: set[str] = set()

    def walk(node: Any, depth: int = 0) -> None:
        if not isinstance(node, dict) or depth > 6:
            return
        if "$ref" in node:
            walk(raw["components"]["schemas"].get(node["$ref"].rsplit("/", 1)[-1]), depth + 1)
        names.update(node.get("properties", {}))
        for key in ("allOf", "anyOf", "oneOf"):
            for part in node.get(key, []):
                walk(part, depth + 1)
    body = raw["paths"].get(path, {}).get("post", {}).get("requestBody", {})
    walk(body.get("content", {}).get("application/json", {}).get("schema"))
    return sorted(names)


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    body = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, 5))):
        name = draw(st.sampled_from(fields) | TEXT)
        action = draw(st.sampled_from(["set", "set", "drop", "messages", "stream"]))
        if action == "set":
            body[name] = draw(JSON)
        elif action == "drop":
            body.pop(name, None)
        elif action == "messages" and "messages" in body:
            body["messages"] = draw(st.lists(MESSAGES, max_size=4) | JSON)
        else:
            body["stream"] = True
    return body


def posted(spec, path: str) -> Iterator[Any]:
    """The spec's POST operation for `path`, if the route table serves it."""
    for pattern, handler in API_ROUTES:
        for operation in operations(spec, pattern, handler):
            if operation.path == path and operation.method.upper() == "POST":
                yield operation


@pytest.mark.parametrize("path", list(BASES))
def test_mutated_bodies(spec, server, session, path: str) -> None:
    operation = next(posted(spec, path), None)
    if operation is None:
        pytest.skip(f"POST {path} is not routed on this server")
    validate_stream = stream_validator(path)
    sent: list[int] = []

    @settings(max_examples=EXAMPLES * 5, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(body=mutated(BASES[path], request_fields(spec, path)))
    def run(body: dict[str, Any]) -> None:
        case = operation.Case(body=body, media_type="application/json")
        response = case.call(base_url=server.base_url, session=session, timeout=60)
        sent.append(response.status_code)
        assert_api_answer(response, validate_stream)
        if response.status_code < 300 and not described_otherwise(case, response):
            case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
    run()
    assert sent, f"no mutated body of POST {path} reached the server"
    assert httpx.get(server.root_url + "/health").status_code == 200
