"""Vector stores on a shared backend: each store (its object, its files' objects, its file batches) in the
`vector_stores` table, each attached file's chunks and vectors beside it in `vector_chunks`, so every process
lists, reads, changes and searches the same stores.

The chunks of an attachment never change (attaching a file again makes a new record), so each process keeps
the chunks it read, with their vectors and words, under a key no other attachment uses: a search reads the
store's record and, the first time only, its files' chunks. Vectors are stored, not embedded again by each
process: decoding them takes about a thousandth of the time embedding does (1.8 ms against 1.4 s for 1.8 MB of
text), for a third more bytes on the backend; a chunk's words cost a tenth of the embedding and are found again.

A change to one store is one atomic step on the backend (`Table.update`); room for a new store or file is made
before it, the least recently active stores going first, as in memory.
"""
from __future__ import annotations

import base64
import secrets
import time
from collections import OrderedDict
from typing import Any, Callable, Iterable

from dummy_openai_api.generators.vector_search import keywords, ranking
from dummy_openai_api.generators.vector_search.file_search import Hit
from dummy_openai_api.generators.vector_search.filters import matches
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.file_store import FileStore
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.table import Table
from dummy_openai_api.proxy.state.vector_files import Indexed, index_file
from dummy_openai_api.proxy.state.vector_stores import (Store, VectorStores, _hit, file_not_in_store, paged,
                                                         store_not_found, updated)

CHUNKS = "vector_chunks"
ACTIVITY = ("vector_store_activity", "last")  # a counter: the stores' uses in order, across processes
MOST_CHUNK_RECORDS = 100_000  # a backstop: records leave with their attachment, store or file


class SharedVectorStores(VectorStores):
    def __init__(self, backend: Backend, files: FileStore, budget: int, limit: int = 1000) -> None:
        super().__init__(files, budget, limit)
        self.backend = backend
        self.table = Table(backend, "vector_stores")  # bounded by `_room`: a store's chunks leave with it
        self.chunks = Table(backend, CHUNKS, MOST_CHUNK_RECORDS)
        self.read: OrderedDict[str, Indexed] = OrderedDict()  # chunk key -> chunks, vectors, words; oldest first

    def reset(self) -> None:
        self.table.clear()
        self.chunks.clear()
        self.read.clear()

    def forget(self, file_id: str) -> None:
        for record in self.table.values():
            if any(f["object"]["id"] == file_id for f in record["files"]):
                self._change(record["object"]["id"], lambda store: store.files.pop(file_id, None), quiet=True)

    # Stores

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        indexed = [index_file(self.files, file_id, {}, body.get("chunking_strategy"), "file_ids")
                   for file_id in body.get("file_ids") or []]
        now = int(time.time())
        entry = {"id": "vs_" + secrets.token_hex(16), "object": "vector_store", "created_at": now,
                 "name": body.get("name") or "", "usage_bytes": 0, "file_counts": {}, "status": "completed",
                 "last_active_at": now, "metadata": body.get("metadata") or {}, "expires_at": None}
        if body.get("expires_after"):
            entry["expires_after"] = body["expires_after"]
        store = Store(entry)
        self._room(store, indexed, new=True)
        self._join(store, [self._put_chunks(i) for i in indexed])
        self.table.put(store.id, _record(store, self._now()))
        return self._view(store)

    def get(self, store_id: str) -> dict[str, Any]:
        return self._view(self._store(store_id))

    def update(self, store_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._view(self._change(store_id, lambda store: updated(store, body)))

    def delete(self, store_id: str) -> dict[str, Any]:
        self._drop(self._store(store_id))
        return {"id": store_id, "object": "vector_store.deleted", "deleted": True}

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        return paged([self._view(s) for s in self._stores()], args, store_not_found)

    # Files

    def attach(self, store_id: str, file_id: str, attributes: dict[str, Any] | None,
               strategy: dict[str, Any] | None) -> dict[str, Any]:
        self._store(store_id)  # an unknown store is refused before the file is read
        indexed = index_file(self.files, file_id, attributes or {}, strategy, "file_id")
        return self._attach(store_id, [indexed]).files[file_id].object

    def update_file(self, store_id: str, file_id: str, attributes: dict[str, Any] | None) -> dict[str, Any]:
        def change(store: Store) -> None:
            self._file_of(store, file_id).object["attributes"] = attributes or {}
        return self._change(store_id, change).files[file_id].object

    def detach(self, store_id: str, file_id: str) -> dict[str, Any]:
        def change(store: Store) -> None:
            self._file_of(store, file_id)
            del store.files[file_id]
        self._change(store_id, change)
        return {"id": file_id, "object": "vector_store.file.deleted", "deleted": True}

    def content(self, store_id: str, file_id: str) -> dict[str, Any]:
        chunks = self._loaded(self._file_of(self._store(store_id), file_id)).chunks
        return {"object": "vector_store.file_content.page", "data": [{"type": "text", "text": c} for c in chunks],
                "has_more": False, "next_page": None}

    # File batches

    def create_batch(self, store_id: str, entries: list[tuple[str, dict[str, Any], dict[str, Any] | None]]
                     ) -> dict[str, Any]:
        self._store(store_id)
        indexed = [index_file(self.files, file_id, attributes, strategy, "file_ids")
                   for file_id, attributes, strategy in entries]
        entry: dict[str, Any] = {"id": "vsfb_" + secrets.token_hex(16), "object": "vector_store.files_batch",
                                 "created_at": int(time.time()), "vector_store_id": store_id,
                                 "status": "completed", "file_counts": {}}
        ids = list(dict.fromkeys(file_id for file_id, _, _ in entries))
        store = self._attach(store_id, indexed, lambda s: s.batches.__setitem__(entry["id"], (entry, ids)))
        return self._batch_view(store, entry["id"])

    # Search

    def search(self, store_ids: list[str], queries: list[str], rule: dict[str, Any] | None, most: int,
               options: dict[str, Any] | None = None) -> list[Hit]:
        options = options or {}
        import numpy as np
        stores = [self._active(store_id) for store_id in store_ids]
        files = [self._loaded(f) for s in stores for f in s.files.values()
                 if f.object["status"] == "completed" and matches(rule, f.object["attributes"] or {})]
        files = [f for f in files if f.vectors is not None]
        if not files:
            return []
        chunk_of = [(f, i) for f in files for i in range(len(f.chunks))]
        semantic = ranking.scores(ranking.embed(queries), np.concatenate([f.vectors for f in files]))
        found = ranking.fused(semantic, keywords.scores(queries, [t for f in files for t in f.terms]),
                              options.get("hybrid_search"))
        best = sorted(range(len(chunk_of)), key=lambda i: -float(found[i]))
        threshold = options.get("score_threshold") or 0.0
        return [_hit(chunk_of[i], float(found[i])) for i in best if found[i] >= threshold][:most]

    # Internals

    def _store(self, store_id: str) -> Store:
        record = self.table.get(store_id)
        if record is None:
            raise store_not_found(store_id)
        return _store(record)

    def _stores(self) -> list[Store]:
        """Every store, in the order of creation."""
        return [_store(record) for record in self.table.values()]

    def _change(self, store_id: str, change: Callable[[Store], Any], quiet: bool = False, used: bool = False
                ) -> Store:
        """`change` made to the store in one atomic step; its refusal (an APIError) changes nothing. The chunks
        of the files it took out of the store leave the backend afterwards. `used`: the store is now the most
        recently active."""
        refused: list[APIError] = []
        active = self._now() if used else None
        left: set[str] = set()

        def on_record(record: dict[str, Any] | None) -> dict[str, Any] | None:
            refused.clear()  # a backend may run this again when another process changed the store meanwhile
            left.clear()
            if record is None:
                refused.append(store_not_found(store_id))
                return None
            store = _store(record)
            try:
                change(store)
            except APIError as error:
                refused.append(error)
                return None
            left.update({f["key"] for f in record["files"]} - {f.key for f in store.files.values()})
            return _record(store, record["active"] if active is None else active)
        record = self.table.update(store_id, on_record)
        self._remove_chunks(left)
        if refused and not quiet:
            raise refused[0]
        return _store(record) if record is not None else Store({"id": store_id})

    def _active(self, store_id: str) -> Store:
        def change(store: Store) -> None:
            if self._view(store)["status"] == "expired":
                raise APIError(400, f"Vector store '{store_id}' has expired.", param="vector_store_id")
            store.object["last_active_at"] = int(time.time())
        return self._change(store_id, change, used=True)

    def _attach(self, store_id: str, indexed: list[Indexed], also: Callable[[Store], None] = lambda s: None
                ) -> Store:
        """Files join the store within the byte budget (a file attached again replaces itself)."""
        self._room(self._store(store_id), indexed)
        kept = [self._put_chunks(i) for i in indexed]

        def change(store: Store) -> None:
            self._join(store, kept)
            also(store)
        try:
            return self._change(store_id, change)
        except APIError:
            self._remove_chunks(item.key for item in kept)
            raise

    def _join(self, store: Store, indexed: list[Indexed]) -> None:
        for item in indexed:
            item.object["vector_store_id"] = store.id
            store.files[item.object["id"]] = item
            store.files.move_to_end(item.object["id"])
        store.object["last_active_at"] = int(time.time())

    def _room(self, store: Store, indexed: list[Indexed], new: bool = False) -> None:
        """Room for the store with these files: within the count (a new store) and the byte budget, the least
        recently active other stores going first; refused, with nothing changed, when the store alone would not
        fit."""
        ids = {i.object["id"] for i in indexed}
        size = self._size(store) + sum(i.object["usage_bytes"] for i in indexed) - sum(
            f.object["usage_bytes"] for f in store.files.values() if f.object["id"] in ids)
        if size > self.budget:
            raise APIError(413, f"Vector stores hold at most {self.budget} bytes of chunks and vectors on this "
                                "server (--files-budget-mb).", param="file_id")
        records = sorted(self.table.values(), key=lambda r: r["active"])  # least recently active first
        others = [_store(r) for r in records if r["object"]["id"] != store.id]
        total = sum(map(self._size, others)) + size
        while others and (total > self.budget or (new and len(others) >= self.limit)):
            victim = others.pop(0)
            total -= self._size(victim)
            self._drop(victim)

    def _drop(self, store: Store) -> None:
        if not self.table.delete(store.id):
            raise store_not_found(store.id)
        self._remove_chunks(item.key for item in store.files.values())

    def _remove_chunks(self, keys: Iterable[str]) -> None:
        """Chunks of attachments that are gone: from the backend, and from what this process read."""
        for key in keys:
            self.chunks.delete(key)
            with self.lock:
                self.read.pop(key, None)

    def _now(self) -> int:
        return self.backend.incr(*ACTIVITY)

    def _put_chunks(self, indexed: Indexed) -> Indexed:
        """The attachment's chunks and vectors on the backend, under a key of its own."""
        indexed.key = "vsc_" + secrets.token_hex(12)
        vectors = None if indexed.vectors is None else base64.b64encode(indexed.vectors.tobytes()).decode()
        self.chunks.put(indexed.key, {"chunks": indexed.chunks, "vectors": vectors})
        self._remember(indexed)
        return indexed

    def _loaded(self, indexed: Indexed) -> Indexed:
        """The attachment with its chunks, vectors and words: read once per process."""
        with self.lock:  # searches run on worker threads
            known = self.read.get(indexed.key)
        if known is None:
            import numpy as np
            body = self.chunks.get(indexed.key) or {"chunks": [], "vectors": None}
            vectors = None if body["vectors"] is None else np.frombuffer(
                base64.b64decode(body["vectors"]), dtype=np.float32).reshape(-1, ranking.DIMENSIONS)
            known = self._remember(Indexed(indexed.object, indexed.filename, body["chunks"], vectors,
                                           [keywords.terms(chunk) for chunk in body["chunks"]], indexed.key))
        with self.lock:
            if indexed.key in self.read:
                self.read.move_to_end(indexed.key)
        return Indexed(indexed.object, indexed.filename, known.chunks, known.vectors, known.terms, indexed.key)

    def _remember(self, indexed: Indexed) -> Indexed:
        """Kept within the byte budget, the least recently used going first."""
        with self.lock:
            self.read[indexed.key] = indexed
            used = sum(i.object["usage_bytes"] for i in self.read.values())
            while used > self.budget and len(self.read) > 1:
                used -= self.read.popitem(last=False)[1].object["usage_bytes"]
        return indexed

    @staticmethod
    def _file_of(store: Store, file_id: str) -> Indexed:
        indexed = store.files.get(file_id)
        if indexed is None:
            raise file_not_in_store(file_id, store.id)
        return indexed

    def _indexed(self, store_id: str, file_id: str) -> Indexed:
        return self._file_of(self._store(store_id), file_id)


def _record(store: Store, active: int) -> dict[str, Any]:
    files = [{"object": f.object, "filename": f.filename, "key": f.key} for f in store.files.values()]
    return {"object": store.object, "files": files, "batches": store.batches, "active": active}


def _store(record: dict[str, Any]) -> Store:
    files = OrderedDict((f["object"]["id"], Indexed(f["object"], f["filename"], [], None, [], f["key"]))
                        for f in record["files"])
    batches = {k: (entry, ids) for k, (entry, ids) in record["batches"].items()}
    return Store(record["object"], files=files, batches=batches)
