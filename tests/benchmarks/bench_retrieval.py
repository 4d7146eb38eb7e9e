"""Retrieval quality: our embeddings against a TF-IDF baseline on retrieval_set.py, through the `openai` SDK.

    python tests/benchmarks/bench_retrieval.py                     # our server, started here; ~10 s
    python tests/benchmarks/bench_retrieval.py --base-url http://127.0.0.1:8000/v1 --model text-embedding-3-large

For each query the 50 documents are ranked by cosine similarity; the answer is one document (a neighbour on
the same topic is a miss). Prints recall@1 and MRR for the questions (which share words with their document)
and for the paraphrases (which share none), ours next to TF-IDF, and whether the top document is on the
right topic; and how much closer two documents on one topic are than two on different topics.

Targets (PASS/MISS): recall@1 >= 0.9 on the questions and >= 0.8 on the paraphrases.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from typing import Any

import numpy as np

from harness import ROOT, markdown_table, machine_note
from retrieval_set import DOCUMENTS, QUERIES, STOPWORDS

sys.path.insert(0, str(ROOT))

TARGETS = {"questions": 0.9, "paraphrases": 0.8}
WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]


def check_no_shared_words() -> None:
    """The paraphrases must share no word with their document, or they measure nothing new."""
    for (topic, index), (_, paraphrase) in QUERIES.items():
        shared = set(words(paraphrase)) & set(words(DOCUMENTS[topic][index]))
        if shared:
            raise SystemExit(f"paraphrase {paraphrase!r} shares {sorted(shared)} with its document")


def tfidf(documents: list[str], queries: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Unit-norm TF-IDF vectors (log-scaled idf fitted on the documents), the usual lexical baseline."""
    vocabulary = sorted({w for d in documents for w in words(d)})
    column = {w: i for i, w in enumerate(vocabulary)}
    frequency = Counter(w for d in documents for w in set(words(d)))
    idf = np.array([math.log((1 + len(documents)) / (1 + frequency[w])) + 1 for w in vocabulary])

    def vectorise(texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), len(vocabulary)))
        for row, text in enumerate(texts):
            for word, count in Counter(words(text)).items():
                if word in column:
                    matrix[row, column[word]] = count * idf[column[word]]
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)

    return vectorise(documents), vectorise(queries)


def scores(documents: np.ndarray, queries: np.ndarray, answers: list[int], topics: list[str],
           doc_topics: list[str]) -> dict[str, float]:
    ranks, on_topic = [], 0
    for query, answer, topic in zip(queries, answers, topics, strict=True):
        order = np.argsort(-(documents @ query), kind="stable")
        ranks.append(int(np.flatnonzero(order == answer)[0]) + 1)
        on_topic += doc_topics[order[0]] == topic
    return {"recall@1": sum(r == 1 for r in ranks) / len(ranks), "mrr": float(np.mean([1 / r for r in ranks])),
            "topic@1": on_topic / len(ranks)}


def separation(documents: np.ndarray, topics: list[str]) -> dict[str, float]:
    """Mean cosine similarity of two documents on one topic, and on different topics."""
    similarity = documents @ documents.T
    labels = np.array(topics)
    same = (labels[:, None] == labels[None, :]) & ~np.eye(len(labels), dtype=bool)
    return {"same topic": float(similarity[same].mean()),
            "other topics": float(similarity[labels[:, None] != labels[None, :]].mean())}


def embed(client: Any, model: str, texts: list[str]) -> np.ndarray:
    response = client.embeddings.create(model=model, input=texts)
    return np.array([item.embedding for item in response.data])


def evaluate(client: Any, model: str) -> dict[str, dict[str, dict[str, float]]]:
    doc_topics = [t for t, docs in DOCUMENTS.items() for _ in docs]
    documents = [d for docs in DOCUMENTS.values() for d in docs]
    offsets = {t: doc_topics.index(t) for t in DOCUMENTS}
    answers = [offsets[t] + i for t, i in QUERIES]
    topics = [t for t, _ in QUERIES]
    results: dict[str, dict[str, dict[str, float]]] = {}
    ours_docs = embed(client, model, documents)
    results["documents"] = {"ours": separation(ours_docs, doc_topics),
                            "tf-idf": separation(tfidf(documents, [])[0], doc_topics)}
    for kind, position in (("questions", 0), ("paraphrases", 1)):
        texts = [pair[position] for pair in QUERIES.values()]
        lexical_docs, lexical_queries = tfidf(documents, texts)
        results[kind] = {"ours": scores(ours_docs, embed(client, model, texts), answers, topics, doc_topics),
                         "tf-idf": scores(lexical_docs, lexical_queries, answers, topics, doc_topics)}
    return results


def report(results: dict[str, dict[str, dict[str, float]]], model: str) -> None:
    rows = [[kind, system, f"{s['recall@1']:.2f}", f"{s['mrr']:.3f}", f"{s['topic@1']:.2f}"]
            for kind, systems in results.items() if kind in TARGETS for system, s in systems.items()]
    print(f"{len(QUERIES)} questions and {len(QUERIES)} paraphrases over "
          f"{sum(map(len, DOCUMENTS.values()))} documents, {len(DOCUMENTS)} topics; model {model}; {machine_note()}\n")
    print(markdown_table(["queries", "system", "recall@1", "MRR", "right topic@1"], rows))
    print()
    print(markdown_table(["documents", "mean cosine, same topic", "mean cosine, other topics"],
                         [[system, f"{s['same topic']:.3f}", f"{s['other topics']:.3f}"]
                          for system, s in results["documents"].items()]))
    for kind, target in TARGETS.items():
        value = results[kind]["ours"]["recall@1"]
        print(f"{'PASS' if value >= target else 'MISS'} recall@1 on {kind} {value:.2f} (target >= {target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running server's /v1 URL (default: start ours here)")
    parser.add_argument("--api-key", default="sk-dummy")
    parser.add_argument("--model", default="text-embedding-3-small")
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    check_no_shared_words()
    import openai
    with ExitStack() as stack:
        base_url = args.base_url or stack.enter_context(_our_server()).base_url
        client = openai.OpenAI(base_url=base_url, api_key=args.api_key, max_retries=0)
        results = evaluate(client, args.model)
    report(results, args.model)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)


def _our_server() -> Any:
    from dummy_openai_api.proxy.testing.background import BackgroundServer
    from dummy_openai_api.proxy.core.config import Mode, Settings
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=tempfile.mkdtemp())
    return BackgroundServer(settings)


if __name__ == "__main__":
    main()
