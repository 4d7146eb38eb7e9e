"""Ranking chunks for a query: the server's embedding model, cosine similarity, and the query rewrite.

Chunks and queries are embedded with the same real model the embeddings endpoint uses (its 256-dim base
vectors: the per-model rotations keep cosines exactly, so there is no need to project), which is what makes a
paraphrased question find the right passage. A semantic score is the cosine clipped to [0, 1], the range the
API documents; with several queries a chunk keeps its best score. Keyword matches (generators.vector_search.
keywords) then raise it: a chunk holding the query's words gains part of its distance to 1, so a paraphrase
sharing no word keeps its semantic score and an exact identifier climbs.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from dummy_openai_api.generators.embeddings import model as embedding_model

if TYPE_CHECKING:
    import numpy as np

# Words a search engine gains nothing from: question words, auxiliaries, articles and pronouns. Dropping them
# turns "What are the attributes of an ancient brown dragon?" into the API's own example rewrite,
# "attributes of an ancient brown dragon".
_FILLER = frozenset("""what which who whom whose when where why how is are was were be been being do does did
    can could should would will shall may might must the a an please tell me us i you we my our your about
    there any find give show explain describe let know and so also then but""".split())
_MEASURES = frozenset(("long", "much", "many", "often", "far", "old", "big"))  # "how long" asks something
_WORD = re.compile(r"[\w'-]+")
DIMENSIONS = embedding_model.SIZE  # of the vectors `embed` gives
TEXT_WEIGHT = 0.25  # the keyword share without `hybrid_search` weights


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-norm float32 rows, one per text."""
    return embedding_model.encode(list(texts))


def scores(queries: np.ndarray, chunks: np.ndarray) -> np.ndarray:
    """Each chunk's best similarity to any query, clipped to [0, 1]."""
    import numpy as np
    if not len(chunks):
        return np.zeros(0, dtype=np.float32)
    return np.clip((queries @ chunks.T).max(axis=0), 0.0, 1.0)


def fused(semantic: np.ndarray, keyword: np.ndarray, hybrid: dict | None = None) -> np.ndarray:
    """Semantic scores raised by keyword scores, in [0, 1]; `hybrid` ({embedding_weight, text_weight}) sets the
    keyword share."""
    share = TEXT_WEIGHT
    if hybrid:
        total = hybrid["embedding_weight"] + hybrid["text_weight"]
        share = hybrid["text_weight"] / total if total > 0 else TEXT_WEIGHT
    return semantic + (1.0 - semantic) * share * keyword


def rewrite(query: str) -> str:
    """The query a search engine wants: the question's words without the leading filler and punctuation."""
    words = _WORD.findall(query)
    start = 0
    while start < len(words) - 1 and words[start].lower() in _FILLER:
        if words[start].lower() == "how" and words[start + 1].lower() in _MEASURES:
            break
        start += 1
    return " ".join(words[start:]) or query.strip()
