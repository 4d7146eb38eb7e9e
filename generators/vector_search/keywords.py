"""The keyword half of file search's hybrid ranking: which of a query's words a chunk holds, weighted by rarity.

The API's file search runs "both keyword and semantic searches" and fuses them (`ranking_options.hybrid_search`
weighs one against the other). Here a chunk's keyword score is the share of the query's informative words (stop
words dropped) that it contains, each word weighted by its rarity among the chunks searched, so that a rare
identifier (`E4021`, `INV-55120`) counts for more than a common word. Scores are in [0, 1], like the semantic
ones they are fused with (generators.vector_search.ranking).
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import numpy as np

STOP_WORDS = frozenset("""a an the and or but if so of to in on at by for with from into onto about as than then
    is are was were be been being am do does did have has had can could should would will shall may might must
    i me my we us our you your he him his she her it its they them their this that these those there here
    what which who whom whose when where why how not no yes any some all please tell find give show know""".split())
_TERM = re.compile(r"\w+(?:[-.]\w+)*")  # identifiers stay whole: INV-55120, v1.2


def terms(text: str) -> frozenset[str]:
    """The informative words of a text, lower-cased."""
    return frozenset(t for t in _TERM.findall(text.lower()) if t not in STOP_WORDS)


def scores(queries: Iterable[str], chunks: list[frozenset[str]]) -> np.ndarray:
    """Each chunk's best rarity-weighted share of any query's words."""
    import numpy as np
    found = np.zeros(len(chunks), dtype=np.float32)
    for query in queries:
        held = {t: sum(t in chunk for chunk in chunks) for t in terms(query)}  # only the query's words: cheap
        weights = {t: math.log(1 + len(chunks) / (1 + count)) for t, count in held.items()}
        total = sum(weights.values())
        if total > 0:
            shares = [sum(w for t, w in weights.items() if t in chunk) / total for chunk in chunks]
            found = np.maximum(found, np.asarray(shares, dtype=np.float32))
    return found
