"""Vector store search: right-file recall on retrieval_set.py, and the time to attach and to search, via the SDK.

    python tests/benchmarks/bench_vector_search.py                     # our server, started here; ~30 s
    python tests/benchmarks/bench_vector_search.py --base-url http://127.0.0.1:8000/v1
    python tests/benchmarks/bench_vector_search.py --state sqlite:///PATH      # stores on a shared backend

Each of the 50 documents is uploaded as its own file into one vector store; every question and paraphrase
is searched, and the answer is right when the top result is its document's file. Then one large text file
(--megabytes) is attached to a store of its own to time reading, chunking and embedding, and searched.

Targets (PASS/MISS): recall@1 >= 0.9 on the questions and >= 0.8 on the paraphrases.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from typing import Any

from harness import ROOT, markdown_table, machine_note
from retrieval_set import DOCUMENTS, QUERIES

sys.path.insert(0, str(ROOT))

TARGETS = {"questions": 0.9, "paraphrases": 0.8}


def recall(client: Any) -> dict[str, float]:
    """Recall@1 by file for the questions and the paraphrases, and the mean search time."""
    names = {}
    store = client.vector_stores.create(name="retrieval set")
    for topic, documents in DOCUMENTS.items():
        for index, text in enumerate(documents):
            file_id = client.files.create(file=(f"{topic}-{index}.txt", text.encode()), purpose="assistants").id
            names[file_id] = (topic, index)
    client.vector_stores.file_batches.create_and_poll(store.id, file_ids=list(names))
    results, started, searches = {}, time.perf_counter(), 0
    for kind, position in (("questions", 0), ("paraphrases", 1)):
        hits = 0
        for answer, pair in QUERIES.items():
            top = client.vector_stores.search(store.id, query=pair[position], max_num_results=1).data
            hits += bool(top) and names[top[0].file_id] == answer
            searches += 1
        results[kind] = hits / len(QUERIES)
    results["search ms"] = (time.perf_counter() - started) / searches * 1000
    return results


def large_file(client: Any, megabytes: float) -> dict[str, float]:
    """Attach one large text file and search it: seconds to attach, chunks, milliseconds a search."""
    random.seed(7)
    words = [w for docs in DOCUMENTS.values() for d in docs for w in d.split()]
    text = " ".join(random.choice(words) for _ in range(int(megabytes * 1e6 / 6))).encode()
    file_id = client.files.create(file=("large.txt", text), purpose="assistants").id
    started = time.perf_counter()
    store = client.vector_stores.create(name="large", file_ids=[file_id])
    attach = time.perf_counter() - started
    chunks = len(client.vector_stores.files.content(file_id, vector_store_id=store.id).data)
    started = time.perf_counter()
    for _ in range(10):
        client.vector_stores.search(store.id, query="how does the moon move around the earth")
    return {"megabytes": len(text) / 1e6, "attach s": attach, "chunks": chunks,
            "search ms": (time.perf_counter() - started) * 100}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running server's /v1 URL (default: start ours here)")
    parser.add_argument("--api-key", default="sk-dummy")
    parser.add_argument("--megabytes", type=float, default=1.0, help="the large file's size")
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--state", default="", help="our server's --state (default: memory)")
    args = parser.parse_args()
    import openai
    with ExitStack() as stack:
        base_url = args.base_url or stack.enter_context(_our_server(args.state)).base_url
        client = openai.OpenAI(base_url=base_url, api_key=args.api_key, max_retries=0, timeout=600)
        results = {"recall": recall(client), "large file": large_file(client, args.megabytes)}
    print(f"{len(QUERIES)} questions and {len(QUERIES)} paraphrases over {sum(map(len, DOCUMENTS.values()))} "
          f"files in one vector store; {machine_note()}\n")
    rows = [[name, f"{value:.2f}"] for part in results.values() for name, value in part.items()]
    print(markdown_table(["measure", "value"], rows))
    for kind, target in TARGETS.items():
        value = results["recall"][kind]
        print(f"{'PASS' if value >= target else 'MISS'} recall@1 on {kind} {value:.2f} (target >= {target})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)


def _our_server(state: str) -> Any:
    from dummy_openai_api.proxy.testing.background import BackgroundServer
    from dummy_openai_api.proxy.core.config import Mode, Settings
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=tempfile.mkdtemp(), state=state)
    return BackgroundServer(settings)


if __name__ == "__main__":
    main()
