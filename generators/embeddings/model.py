"""A real static embedding model, read from files that ship inside a pinned package: nothing is downloaded.

The `wordllama` wheel (pinned exactly in setup.py, so vectors never change between installs) carries its
`l2_supercat_256` weights, one 256-dim vector per token of the Llama-2 tokenizer, and that tokenizer's file.
A text's vector is the mean of its tokens' vectors: words of similar meaning sit close, so retrieval works
on paraphrases, not only on shared words. wordllama's own loader looks for the tokenizer under a folder the
wheel does not have and would then try the network, so the two files are opened here directly.

Loading takes about a second and 35 MB, so it happens on the first embeddings request, once per process.
"""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Sequence

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
SIZE = 256  # the model's own dimensions


class Model(NamedTuple):
    weights: np.ndarray  # (vocabulary, SIZE) float16, as shipped: half the memory of float32
    tokenizer: Tokenizer


_lock = threading.Lock()
_model: list[Model] = []  # filled once


def package_dir() -> Path:
    """Where the package's files are, found without importing it (its import pulls in much more)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the `{PACKAGE}` package is not installed: pip install -e . installs it")
    return Path(next(iter(spec.submodule_search_locations)))


def _load() -> Model:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer
    root = package_dir()
    weights = load_file(str(root / WEIGHTS))[TENSOR]
    tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return Model(weights, tokenizer)


def model() -> Model:
    """The model, loaded on first use (thread-safe)."""
    if not _model:
        with _lock:
            if not _model:
                _model.append(_load())
    return _model[0]


def encode(texts: Sequence[str]) -> np.ndarray:
    """One unit-norm float32 row of SIZE per text: the mean of its tokens' vectors."""
    import numpy as np
    weights, tokenizer = model()
    rows = np.empty((len(texts), SIZE), dtype=np.float32)
    for row, text in zip(rows, texts, strict=True):
        # One at a time: encode_batch would start a thread pool, no faster for a request's few texts.
        ids = tokenizer.encode(_encodable(text), add_special_tokens=False).ids
        row[:] = weights[ids or [0]].mean(axis=0, dtype=np.float32)  # no token at all: the unknown one's
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


def _encodable(text: str) -> str:
    """The text, with lone surrogates (valid in JSON, not in UTF-8) replaced: the tokenizer refuses them."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
