"""Deterministic, meaningful embedding vectors.

A text becomes a bag of features (stemmed words and word pairs); each feature hashes to its own row of
pseudo-random values, and the vector is the weighted sum of those rows, normalised. Texts that share words or
phrases therefore share components and have clearly higher cosine similarity than unrelated texts, which is
what a retrieval demo needs. Everything is bulk numpy work: the rows are computed in one array
expression, summed by one matrix product.
"""
from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np  # imported where used: numpy costs 40 ms of start-up, and only embeddings need it

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    "a an and are as at be but by for from has have how i in is it its of on or that the this to was "
    "were what when where which who why will with you your".split())
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s", "ly")
WORD, PAIR, STOPWORD = 1.0, 0.6, 0.2


@lru_cache(maxsize=4)
def _columns(dims: int) -> np.ndarray:
    import numpy as np
    return (np.arange(dims, dtype=np.uint32) + np.uint32(1)) * np.uint32(0x9E3779B9)


def _rows(hashes: np.ndarray, dims: int) -> np.ndarray:
    """A row of pseudo-random values in [-1, 1) per feature hash (murmur3's finalizer of hash ^ column): no
    table, no collisions, and a one-word text still gets a vector with varied components, as real ones have."""
    import numpy as np
    with np.errstate(over="ignore"):
        x = hashes[:, None] ^ _columns(dims)[None, :]
        x ^= x >> np.uint32(16)
        x *= np.uint32(0x85EBCA6B)
        x ^= x >> np.uint32(13)
        x *= np.uint32(0xC2B2AE35)
        x ^= x >> np.uint32(16)
    return x.astype(np.float32) * np.float32(2.0 / 2**32) - np.float32(1.0)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def features(text: str) -> dict[str, float]:
    """Weighted features of a text: stemmed words and adjacent word pairs."""
    words = [_stem(w) for w in _WORD.findall(text.lower())]
    weights: dict[str, float] = {}
    for word in words:
        weights["w:" + word] = weights.get("w:" + word, 0.0) + (STOPWORD if word in _STOPWORDS else WORD)
    for first, second in zip(words, words[1:]):
        key = f"p:{first} {second}"
        weights[key] = weights.get(key, 0.0) + PAIR
    return weights or {"raw:" + text: 1.0}


def _token_features(tokens: Sequence[int]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for token in tokens:
        weights[f"t:{token}"] = weights.get(f"t:{token}", 0.0) + 1.0
    return weights or {"raw:": 1.0}


def _vector(weights: dict[str, float], salt: bytes, dims: int) -> np.ndarray:
    import numpy as np
    seed = zlib.crc32(salt)
    hashes = np.fromiter((zlib.crc32(key.encode(), seed) for key in weights), dtype=np.uint32, count=len(weights))
    coefficients = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
    vector = coefficients @ _rows(hashes, dims)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else np.full(dims, 1 / np.sqrt(dims), dtype=np.float32)


class Embedder:
    """Vectors per (model, input, dimensions), with a bounded cache for repeated inputs."""

    def __init__(self, cache_size: int = 4096) -> None:
        self.cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.cache_size = cache_size

    def embed(self, inputs: Sequence[str | Sequence[int]], model: str, dims: int) -> np.ndarray:
        """One unit-norm float32 row per input."""
        import numpy as np
        return np.stack([self._one(item, model, dims) for item in inputs]).astype(np.float32, copy=False)

    def _one(self, item: str | Sequence[int], model: str, dims: int) -> np.ndarray:
        # Keyed by a digest: inputs run to 8192 tokens, and 4096 of them kept whole would hold hundreds of MB.
        text = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else repr(list(item)).encode()
        key = (model, dims, isinstance(item, str), hashlib.blake2b(text, digest_size=16).digest())
        vector = self.cache.get(key)
        if vector is None:
            weights = features(item) if isinstance(item, str) else _token_features(item)
            vector = _vector(weights, model.encode(), dims)
            self.cache[key] = vector
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return vector


def to_base64(vector: np.ndarray) -> str:
    """The API's base64 encoding: little-endian float32 bytes."""
    return base64.b64encode(vector.astype("<f4").tobytes()).decode("ascii")
