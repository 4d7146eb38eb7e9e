"""Vector stores (`/v1/vector_stores`), the files attached to them and their file batches.

A file is read, chunked and embedded when it is attached (proxy.state.vector_files), so every file and batch
is `completed` (or `failed`) by the time the request that attached it is answered: the SDK's poll helpers
return at once. Stores are bounded twice: by count, and by the bytes their chunks and vectors take
(`usage_bytes`); a new one beyond either pushes out the least recently active stores first.
"""
from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from dummy_openai_api.generators.vector_search import keywords, ranking
from dummy_openai_api.generators.vector_search.file_search import Hit
from dummy_openai_api.generators.vector_search.filters import matches
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.file_store import FileStore
from dummy_openai_api.proxy.state.vector_files import Indexed, index_file

DAY = 86400


def store_not_found(store_id: str) -> APIError:
    return APIError(404, f"No vector store found with id '{store_id}'.")


def file_not_in_store(file_id: str, store_id: str) -> APIError:
    return APIError(404, f"No file found with id '{file_id}' in vector store '{store_id}'.")


def batch_not_found(batch_id: str, store_id: str) -> APIError:
    return APIError(404, f"No file batch found with id '{batch_id}' in vector store '{store_id}'.")


@dataclass
class Store:
    object: dict[str, Any]
    order: int = 0  # its place in the order of creation
    files: OrderedDict[str, Indexed] = field(default_factory=OrderedDict)  # by attachment, oldest first
    batches: dict[str, tuple[dict[str, Any], list[str]]] = field(default_factory=dict)  # id -> (object, file ids)

    @property
    def id(self) -> str:
        return self.object["id"]


class VectorStores:
    def __init__(self, files: FileStore, budget: int, limit: int = 1000) -> None:
        self.files = files
        self.budget = budget
        self.limit = limit
        self.stores: OrderedDict[str, Store] = OrderedDict()  # least recently active first
        self.created = itertools.count()  # lists are in creation order, whatever the activity since
        files.on_delete.append(self.forget)  # "Delete a file and remove it from all vector stores."
        self.lock = threading.RLock()  # attaching and searching run on worker threads

    def reset(self) -> None:
        with self.lock:
            self.stores.clear()

    def forget(self, file_id: str) -> None:
        """A deleted File leaves every store (batches keep its id, as a batch's history)."""
        with self.lock:
            for store in self.stores.values():
                store.files.pop(file_id, None)

    # Stores

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """A new store with its `file_ids` attached (validated body)."""
        indexed = [index_file(self.files, file_id, {}, body.get("chunking_strategy"), "file_ids")
                   for file_id in body.get("file_ids") or []]
        now = int(time.time())
        entry = {"id": "vs_" + secrets.token_hex(16), "object": "vector_store", "created_at": now,
                 "name": body.get("name") or "", "usage_bytes": 0,
                 "file_counts": {}, "status": "completed", "last_active_at": now,
                 "metadata": body.get("metadata") or {}, "expires_at": None}
        if body.get("expires_after"):  # absent, not null, without a policy (the API's description)
            entry["expires_after"] = body["expires_after"]
        with self.lock:
            while len(self.stores) >= self.limit:
                self.stores.popitem(last=False)
            store = Store(entry, order=next(self.created))
            self._keep(store, indexed)  # first: a store too large for the budget is not kept at all
            self.stores[store.id] = store
            return self._view(store)

    def get(self, store_id: str) -> dict[str, Any]:
        with self.lock:
            return self._view(self._store(store_id))

    def update(self, store_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """`name`, `metadata` and `expires_after` (null removes the policy)."""
        with self.lock:
            store = self._store(store_id)
            updated(store, body)
            return self._view(store)

    def delete(self, store_id: str) -> dict[str, Any]:
        with self.lock:
            if self.stores.pop(store_id, None) is None:
                raise store_not_found(store_id)
        return {"id": store_id, "object": "vector_store.deleted", "deleted": True}

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            stores = sorted(self.stores.values(), key=lambda s: s.order)
            return paged([self._view(s) for s in stores], args, store_not_found)

    # Files

    def attach(self, store_id: str, file_id: str, attributes: dict[str, Any] | None,
               strategy: dict[str, Any] | None) -> dict[str, Any]:
        self.get(store_id)  # an unknown store is refused before the file is read
        indexed = index_file(self.files, file_id, attributes or {}, strategy, "file_id")
        with self.lock:
            self._keep(self._store(store_id), [indexed])
            return indexed.object

    def file(self, store_id: str, file_id: str) -> dict[str, Any]:
        with self.lock:
            return self._indexed(store_id, file_id).object

    def update_file(self, store_id: str, file_id: str, attributes: dict[str, Any] | None) -> dict[str, Any]:
        with self.lock:
            indexed = self._indexed(store_id, file_id)
            indexed.object["attributes"] = attributes or {}
            return indexed.object

    def detach(self, store_id: str, file_id: str) -> dict[str, Any]:
        """The file leaves the store; the File itself stays (as the API documents)."""
        with self.lock:
            self._indexed(store_id, file_id)
            del self.stores[store_id].files[file_id]
        return {"id": file_id, "object": "vector_store.file.deleted", "deleted": True}

    def content(self, store_id: str, file_id: str) -> dict[str, Any]:
        """The file's parsed text, chunk by chunk."""
        with self.lock:
            chunks = self._indexed(store_id, file_id).chunks
        return {"object": "vector_store.file_content.page", "data": [{"type": "text", "text": c} for c in chunks],
                "has_more": False, "next_page": None}

    def files_page(self, store_id: str, args: dict[str, Any], batch_id: str | None = None) -> dict[str, Any]:
        """The store's files (or one batch's), optionally of one status (`filter`)."""
        with self.lock:
            store = self._store(store_id)
            chosen = list(store.files.values())
            if batch_id is not None:
                wanted = set(self._batch(store, batch_id)[1])
                chosen = [f for f in chosen if f.object["id"] in wanted]
            status = args.get("filter")
            items = [f.object for f in chosen if not status or f.object["status"] == status]
            return paged(sorted(items, key=lambda f: f["created_at"]), args, lambda i: file_not_in_store(i, store_id))

    # File batches

    def create_batch(self, store_id: str, entries: list[tuple[str, dict[str, Any], dict[str, Any] | None]]
                     ) -> dict[str, Any]:
        """Attach each (file id, attributes, chunking strategy); the batch is done when this returns."""
        self.get(store_id)
        indexed = [index_file(self.files, file_id, attributes, strategy, "file_ids")
                   for file_id, attributes, strategy in entries]
        with self.lock:
            store = self._store(store_id)
            self._keep(store, indexed)
            entry: dict[str, Any] = {"id": "vsfb_" + secrets.token_hex(16), "object": "vector_store.files_batch",
                                     "created_at": int(time.time()), "vector_store_id": store_id,
                                     "status": "completed", "file_counts": {}}
            ids = list(dict.fromkeys(file_id for file_id, _, _ in entries))
            store.batches[entry["id"]] = (entry, ids)
            return self._batch_view(store, entry["id"])

    def batch(self, store_id: str, batch_id: str) -> dict[str, Any]:
        with self.lock:
            return self._batch_view(self._store(store_id), batch_id)

    def cancel_batch(self, store_id: str, batch_id: str) -> dict[str, Any]:
        """Files are processed as they are attached, so there is nothing left to cancel: a finished batch
        is refused as the API refuses cancelling what has ended."""
        with self.lock:
            view = self._batch_view(self._store(store_id), batch_id)
        raise APIError(400, f"Cannot cancel vector store file batch {batch_id} with status '{view['status']}'.",
                       param="batch_id")

    # Search

    def search(self, store_ids: list[str], queries: list[str], rule: dict[str, Any] | None, most: int,
               options: dict[str, Any] | None = None) -> list[Hit]:
        """The `most` best chunks of the stores' completed files that pass the filter, best first, at or above
        `options`' `score_threshold` (validated `ranking_options`: its `hybrid_search` weighs keywords)."""
        options = options or {}
        import numpy as np
        with self.lock:
            stores = [self._active(store_id) for store_id in store_ids]
            files = [f for s in stores for f in s.files.values()
                     if f.vectors is not None and matches(rule, f.object["attributes"] or {})]
        if not files:
            return []
        chunk_of = [(f, i) for f in files for i in range(len(f.chunks))]
        semantic = ranking.scores(ranking.embed(queries), np.concatenate([f.vectors for f in files]))
        found = ranking.fused(semantic, keywords.scores(queries, [t for f in files for t in f.terms]),
                              options.get("hybrid_search"))
        best = sorted(range(len(chunk_of)), key=lambda i: -float(found[i]))
        threshold = options.get("score_threshold") or 0.0
        hits = [_hit(chunk_of[i], float(found[i])) for i in best if found[i] >= threshold]
        return hits[:most]

    # Internals

    def _store(self, store_id: str) -> Store:
        store = self.stores.get(store_id)
        if store is None:
            raise store_not_found(store_id)
        return store

    def _active(self, store_id: str) -> Store:
        """A store about to be used: refused when expired, otherwise its `last_active_at` moves to now."""
        store = self._store(store_id)
        if self._view(store)["status"] == "expired":
            raise APIError(400, f"Vector store '{store_id}' has expired.", param="vector_store_id")
        store.object["last_active_at"] = int(time.time())
        self.stores.move_to_end(store_id)
        return store

    def _indexed(self, store_id: str, file_id: str) -> Indexed:
        indexed = self._store(store_id).files.get(file_id)
        if indexed is None:
            raise file_not_in_store(file_id, store_id)
        return indexed

    def _batch(self, store: Store, batch_id: str) -> tuple[dict[str, Any], list[str]]:
        found = store.batches.get(batch_id)
        if found is None:
            raise batch_not_found(batch_id, store.id)
        return found

    def _keep(self, store: Store, indexed: list[Indexed]) -> None:
        """Files join the store (a file attached again replaces itself), within the byte budget."""
        replaced = [store.files[i.object["id"]] for i in indexed if i.object["id"] in store.files]
        self._make_room(store, sum(i.object["usage_bytes"] for i in indexed)
                        - sum(r.object["usage_bytes"] for r in replaced))
        for item in indexed:
            item.object["vector_store_id"] = store.id
            store.files[item.object["id"]] = item
            store.files.move_to_end(item.object["id"])
        store.object["last_active_at"] = int(time.time())

    def _make_room(self, keep: Store, needed: int) -> None:
        """Room for `needed` more bytes within the budget: the least recently active other stores go first;
        refused, with nothing changed, when even `keep` alone would not fit."""
        if self._size(keep) + needed > self.budget:
            raise APIError(413, f"Vector stores hold at most {self.budget} bytes of chunks and vectors on this "
                                "server (--files-budget-mb).", param="file_id")
        others = [s for s in self.stores.values() if s is not keep]  # least recently active first
        total = sum(map(self._size, others)) + self._size(keep) + needed
        while total > self.budget:
            victim = others.pop(0)
            total -= self._size(victim)
            del self.stores[victim.id]

    @staticmethod
    def _size(store: Store) -> int:
        return sum(f.object["usage_bytes"] for f in store.files.values())

    def _view(self, store: Store) -> dict[str, Any]:
        """The store as the API shows it: counts, usage and expiry worked out now."""
        entry = store.object
        entry["file_counts"] = counts(f.object["status"] for f in store.files.values())
        entry["usage_bytes"] = self._size(store)
        policy = entry.get("expires_after")
        entry["expires_at"] = entry["last_active_at"] + policy["days"] * DAY if policy else None
        expired = entry["expires_at"] is not None and entry["expires_at"] <= time.time()
        entry["status"] = "expired" if expired else "completed"
        return entry

    def _batch_view(self, store: Store, batch_id: str) -> dict[str, Any]:
        entry, ids = self._batch(store, batch_id)
        entry["file_counts"] = counts(store.files[i].object["status"] for i in ids if i in store.files)
        return entry


def updated(store: Store, body: dict[str, Any]) -> None:
    """The store's `name`, `metadata` and `expires_after` as an update body sets them (null removes the policy)."""
    if "name" in body:
        store.object["name"] = body["name"] or ""
    if "metadata" in body:
        store.object["metadata"] = body["metadata"] or {}
    if body.get("expires_after"):
        store.object["expires_after"] = body["expires_after"]
    elif "expires_after" in body:
        store.object.pop("expires_after", None)


def counts(statuses: Any) -> dict[str, int]:
    tally = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0}
    for status in statuses:
        tally[status] += 1
        tally["total"] += 1
    return tally


def _hit(place: tuple[Indexed, int], score: float) -> Hit:
    indexed, index = place
    return Hit(indexed.object["id"], indexed.filename, round(score, 6), indexed.chunks[index],
               dict(indexed.object["attributes"] or {}))


def paged(items: list[dict[str, Any]], args: dict[str, Any], missing: Callable[[str], APIError]) -> dict[str, Any]:
    """Cursor pagination with `after` and `before` (both name an object of the list in its `order`)."""
    if args.get("order") == "desc":
        items = items[::-1]
    for cursor in ("after", "before"):
        name = args.get(cursor)
        if name:
            position = next((i for i, item in enumerate(items) if item["id"] == name), None)
            if position is None:
                raise missing(name)
            items = items[position + 1:] if cursor == "after" else items[:position]
    if args.get("before") and not args.get("after"):
        page, more = items[-args["limit"]:], len(items) > args["limit"]
    else:
        page, more = items[:args["limit"]], len(items) > args["limit"]
    return {"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None, "has_more": more}
