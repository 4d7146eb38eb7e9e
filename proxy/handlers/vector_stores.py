"""/v1/vector_stores: stores, their files and file batches, file contents, and search.

Vector stores are this server's own state in every mode (proxy.state.vector_stores), like the files they are
made of: never forwarded or replayed. Work that reads and embeds files, or embeds queries, runs on a worker
thread so that a large file does not hold up other clients.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable

from dummy_openai_api.generators.vector_search import ranking
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.core.offload import on_thread
from dummy_openai_api.proxy.validation import vector_stores as checks

if TYPE_CHECKING:  # built on first use (Services.vector_stores)
    from dummy_openai_api.proxy.state.vector_stores import VectorStores


class VectorStoreHandler(Handler):
    @property
    def stores(self) -> VectorStores:
        return self.services.vector_stores

    def store_id(self) -> str:
        return checks.object_id(self.request.path_args["vector_store_id"], "vector_store_id")

    def file_id(self) -> str:
        return self.request.path_args["file_id"]

    def batch_id(self) -> str:
        return checks.object_id(self.request.path_args["batch_id"], "batch_id")

    def list_args(self) -> dict[str, Any]:
        return checks.list_query(self.request.query)

    def threaded(self, work: Callable[[], dict[str, Any]]) -> Awaitable[Reply]:
        return on_thread(lambda: Reply.json(work()))


class VectorStoreList(VectorStoreHandler):
    """/v1/vector_stores"""

    def post(self) -> Awaitable[Reply]:
        body = checks.create_body(self.body())
        return self.threaded(lambda: self.stores.create(body))

    def get(self) -> Reply:
        return Reply.json(self.stores.page(self.list_args()))


class VectorStoreEntry(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}"""

    def get(self) -> Reply:
        return Reply.json(self.stores.get(self.store_id()))

    def post(self) -> Reply:
        store_id = self.store_id()
        return Reply.json(self.stores.update(store_id, checks.update_body(self.body())))

    def delete(self) -> Reply:
        return Reply.json(self.stores.delete(self.store_id()))


class VectorStoreFiles(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/files"""

    def post(self) -> Awaitable[Reply]:
        store_id = self.store_id()
        file_id, attributes, strategy = checks.attach_body(self.body())
        return self.threaded(lambda: self.stores.attach(store_id, file_id, attributes, strategy))

    def get(self) -> Reply:
        store_id = self.store_id()
        return Reply.json(self.stores.files_page(store_id, self.list_args()))


class VectorStoreFileEntry(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/files/{file_id}"""

    def get(self) -> Reply:
        return Reply.json(self.stores.file(self.store_id(), self.file_id()))

    def post(self) -> Reply:
        store_id = self.store_id()
        return Reply.json(self.stores.update_file(store_id, self.file_id(), checks.attributes_body(self.body())))

    def delete(self) -> Reply:
        return Reply.json(self.stores.detach(self.store_id(), self.file_id()))


class VectorStoreFileContent(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/files/{file_id}/content: the parsed text, chunk by chunk."""

    def get(self) -> Reply:
        return Reply.json(self.stores.content(self.store_id(), self.file_id()))


class FileBatches(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/file_batches"""

    def post(self) -> Awaitable[Reply]:
        store_id = self.store_id()
        entries = checks.batch_body(self.body())
        return self.threaded(lambda: self.stores.create_batch(store_id, entries))


class FileBatchEntry(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/file_batches/{batch_id}"""

    def get(self) -> Reply:
        return Reply.json(self.stores.batch(self.store_id(), self.batch_id()))


class FileBatchCancel(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel"""

    def post(self) -> Reply:
        return Reply.json(self.stores.cancel_batch(self.store_id(), self.batch_id()))


class FileBatchFiles(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/files"""

    def get(self) -> Reply:
        store_id, batch_id = self.store_id(), self.batch_id()
        return Reply.json(self.stores.files_page(store_id, self.list_args(), batch_id))


class VectorStoreSearch(VectorStoreHandler):
    """/v1/vector_stores/{vector_store_id}/search: the best chunks, a page of results with the search query."""

    def post(self) -> Awaitable[Reply]:
        store_id = self.store_id()
        ask = checks.search_body(self.body())
        return self.threaded(lambda: search_page(self.stores, store_id, ask))


def search_page(stores: VectorStores, store_id: str, ask: dict[str, Any]) -> dict[str, Any]:
    """The results as the API pages them: one page, `search_query` the queries searched (rewritten if asked)."""
    queries = [ranking.rewrite(q) for q in ask["queries"]] if ask["rewrite_query"] else ask["queries"]
    hits = stores.search([store_id], queries, ask["filters"], ask["max_num_results"], ask["ranking_options"])
    data = [{"file_id": h.file_id, "filename": h.filename, "score": h.score, "attributes": h.attributes,
             "content": [{"type": "text", "text": h.text}]} for h in hits]
    return {"object": "vector_store.search_results.page", "search_query": queries, "data": data,
            "has_more": False, "next_page": None}
