"""Deterministic embedding vectors with meaning, in each model's own dimensions.

A text's meaning comes from a real embedding model (generators/embeddings/model.py, 256 dimensions). Each API
model spreads that vector over its own size (1536 or 3072) with a fixed orthogonal map of its own: blocks of
256, each a permutation, a sign flip and a Hadamard rotation seeded by the model name and the block. Every
block is an exact rotation, so cosine similarities are kept exactly, components spread like real ones
(about +-1/sqrt(dims)), and a `dimensions` prefix of whole blocks ranks exactly as the full vector does (the
API shortens by truncating and renormalising, which is what `dimensions` does here too). Token arrays are
decoded with the model's tiktoken encoding first, so tokens and their text get the same vector.
"""
from __future__ import annotations

import binascii
import hashlib
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence, TypeVar

from dummy_openai_api.generators.embeddings import model as embedding_model
from dummy_openai_api.generators.embeddings.request import EmbeddingsRequest
from dummy_openai_api.generators import tokens

if TYPE_CHECKING:
    import tiktoken
    import numpy as np  # imported where used: numpy costs 40 ms of start-up, and only embeddings need it

BLOCK = embedding_model.SIZE
SIDE = 16  # BLOCK's square root
_V = TypeVar("_V")


def _hash_words(label: str, count: int) -> np.ndarray:
    """`count` uint64 values from blake2b of a label: the same on every platform and numpy release."""
    import numpy as np
    raw = b"".join(hashlib.blake2b(f"{label}:{i}".encode(), digest_size=64).digest()
                   for i in range((count * 8 + 63) // 64))
    return np.frombuffer(raw[: count * 8], dtype="<u8")


@lru_cache(maxsize=16)
def _signed_permutation(model: str, blocks: int) -> tuple[np.ndarray, np.ndarray]:
    """Per block, which input component lands where and with which sign: seeded by model and block."""
    import numpy as np
    sources, signs = [], []
    for index in range(blocks):
        words = _hash_words(f"{model}/{index}", 2 * BLOCK)
        sources.append(np.argsort(words[:BLOCK], kind="stable"))
        signs.append(np.where(words[BLOCK:] & 1, 1.0, -1.0).astype(np.float32))
    return np.stack(sources), np.stack(signs)


@lru_cache(maxsize=1)
def _hadamard_side() -> np.ndarray:
    """Sylvester's Hadamard matrix of order SIDE, orthonormal (and symmetric)."""
    import numpy as np
    h = np.ones((1, 1), dtype=np.float32)
    while h.shape[0] < SIDE:
        h = np.block([[h, h], [h, -h]])
    return h / np.float32(np.sqrt(SIDE))


def _hadamard(a: np.ndarray) -> np.ndarray:
    """The orthonormal Hadamard transform of the last axis (BLOCK = SIDE x SIDE long): the order-BLOCK matrix
    is the Kronecker square of the order-SIDE one, so it is two small products per block, ten times faster
    than one product by a BLOCK x BLOCK matrix, which multithreaded BLAS makes slow on a busy machine."""
    h = _hadamard_side()
    return (h @ a.reshape(*a.shape[:-1], SIDE, SIDE) @ h).reshape(a.shape)


def project(vectors: np.ndarray, model: str, dims: int) -> np.ndarray:
    """The model's first `dims` components of each vector: one signed permutation and rotation per block."""
    sources, signs = _signed_permutation(model, -(-dims // BLOCK))
    blocks = _hadamard(vectors[:, sources] * signs)  # (inputs, blocks, BLOCK)
    return blocks.reshape(len(vectors), -1)[:, :dims]


def texts_of(inputs: Sequence[str | Sequence[int]], model: str) -> list[str]:
    """Texts as given; token arrays decoded with the model's encoding (ids it does not have are skipped)."""
    return [item if isinstance(item, str) else _decode(item, model) for item in inputs]


def _decode(ids: Sequence[int], model: str) -> str:
    encoding = tokens.encoding_for(model)
    try:
        return encoding.decode(list(ids))
    except _NOT_A_TOKEN:  # ids outside the vocabulary: keep the ones it has
        return encoding.decode([i for i in ids if _known(encoding, i)])


_NOT_A_TOKEN = (KeyError, OverflowError, ValueError)  # what tiktoken raises for an id it has not


def _known(encoding: tiktoken.Encoding, token: int) -> bool:
    try:
        encoding.decode_single_token_bytes(token)
        return True
    except _NOT_A_TOKEN:
        return False


class Embedder:
    """Vectors per (model, input, dimensions), with bounded caches for repeated inputs: the vectors, and
    the base64 strings of the most recent ones (the SDK's default form, and encoding costs as much as
    the rest of a cached answer)."""

    def __init__(self, cache_size: int = 4096, encoded_size: int = 512) -> None:
        self.cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.cache_size = cache_size
        self.encoded: OrderedDict[tuple, str] = OrderedDict()
        self.encoded_size = encoded_size

    def embed(self, inputs: Sequence[str | Sequence[int]], model: str, dims: int) -> np.ndarray:
        """One unit-norm float32 row per input."""
        import numpy as np
        texts = texts_of(inputs, model)
        return np.stack(self._vectors(texts, _keys(texts, model, dims), model, dims))

    def vectors(self, request: EmbeddingsRequest) -> np.ndarray | list[str]:
        """The request's vectors: float rows, or base64 strings when it asks for them."""
        if request.base64:
            return self.embed_base64(request.inputs, request.model.id, request.dimensions)
        return self.embed(request.inputs, request.model.id, request.dimensions)

    def embed_base64(self, inputs: Sequence[str | Sequence[int]], model: str, dims: int) -> list[str]:
        """Each input's vector in the API's base64 form."""
        texts = texts_of(inputs, model)
        keys = _keys(texts, model, dims)
        found = [self.encoded.get(key) for key in keys]
        if None in found:
            vectors = self._vectors(texts, keys, model, dims)
            for i, key in enumerate(keys):
                if found[i] is None:
                    found[i] = _kept(self.encoded, key, to_base64(vectors[i]), self.encoded_size)
        return found  # type: ignore[return-value]

    def _vectors(self, texts: list[str], keys: list[tuple], model: str, dims: int) -> list[np.ndarray]:
        found = [self.cache.get(key) for key in keys]
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            for i, vector in zip(missing, self._compute([texts[i] for i in missing], model, dims), strict=True):
                found[i] = _kept(self.cache, keys[i], vector, self.cache_size)
        return found  # type: ignore[return-value]

    def _compute(self, texts: list[str], model: str, dims: int) -> list[np.ndarray]:
        import numpy as np
        vectors = project(embedding_model.encode(texts), model, dims)
        norms = np.sqrt(np.square(vectors).sum(axis=1, keepdims=True))
        return list(vectors / np.where(norms > 0, norms, np.float32(1)))


def _keys(texts: list[str], model: str, dims: int) -> list[tuple]:
    # A digest, not the text: inputs run to 8192 tokens, and 4096 of them kept whole would hold hundreds of MB.
    return [(model, dims, hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest())
            for t in texts]


def _kept(cache: OrderedDict, key: tuple, value: _V, size: int) -> _V:
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)
    return value


def to_base64(vector: np.ndarray) -> str:
    """The API's base64 encoding: little-endian float32 bytes."""
    # numpy declares ndarray's buffer protocol (`__buffer__`) to type checkers only from Python 3.12 on
    little_endian = vector.astype("<f4", copy=False)
    return binascii.b2a_base64(little_endian, newline=False).decode("ascii")  # type: ignore[arg-type]
