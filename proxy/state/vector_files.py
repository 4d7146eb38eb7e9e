"""A file as a vector store holds it: read, cut into chunks, each chunk embedded and its words kept.

Indexing happens outside the stores' lock: a large file takes seconds, and the event loop must not wait for it
to look at a store. Unknown files and extensions file search does not read are refused before anything
changes; a file whose text cannot be read is kept `failed`, with the reason in its `last_error`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dummy_openai_api.generators.vector_search import chunking, keywords, ranking
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.file_store import FileStore, file_not_found

if TYPE_CHECKING:
    import numpy as np

VECTOR_BYTES = 4 * ranking.DIMENSIONS  # one float32 vector per chunk
SUPPORTED_FILES = "https://platform.openai.com/docs/assistants/tools/file-search#supported-files"


@dataclass
class Indexed:
    """A file in a store: the VectorStoreFile object, and its chunks with one vector and one set of words each."""

    object: dict[str, Any]
    filename: str
    chunks: list[str]
    vectors: np.ndarray | None
    terms: list[frozenset[str]] = field(default_factory=list)
    key: str = ""  # where a shared store keeps its chunks (proxy.state.shared.vector_stores)


def index_file(files: FileStore, file_id: str, attributes: dict[str, Any], strategy: dict[str, Any] | None,
               param: str) -> Indexed:
    """The File `file_id` read, chunked as `strategy` says and embedded; `param` names it in a refusal."""
    filename, data = _readable(files, file_id, param)
    sizes = chunking.static_sizes(strategy)
    entry: dict[str, Any] = {"id": file_id, "object": "vector_store.file", "usage_bytes": 0,
                             "created_at": int(time.time()), "vector_store_id": "", "status": "completed",
                             "last_error": None, "attributes": attributes,
                             "chunking_strategy": {"type": "static", "static": sizes}}
    try:
        chunks = chunking.chunks(chunking.text_of(filename, data), sizes["max_chunk_size_tokens"],
                                 sizes["chunk_overlap_tokens"])
    except chunking.Unreadable as error:
        entry.update(status="failed", last_error={"code": error.code, "message": str(error)})
        return Indexed(entry, filename, [], None)
    entry["usage_bytes"] = sum(len(c.encode()) for c in chunks) + VECTOR_BYTES * len(chunks)
    return Indexed(entry, filename, chunks, ranking.embed(chunks) if chunks else None,
                   [keywords.terms(chunk) for chunk in chunks])


def _readable(files: FileStore, file_id: str, param: str) -> tuple[str, bytes]:
    """(file name, bytes) of a File whose extension file search reads."""
    try:
        filename, data = files.get(file_id)["filename"], files.data(file_id)
    except APIError:
        raise APIError(404, file_not_found(file_id).message, param=param) from None
    if not chunking.supported(filename):
        kind = chunking.extension(filename) or "none"
        raise APIError(400, f"Files with extensions [{kind}] are not supported for retrieval. See "
                            f"{SUPPORTED_FILES}", param=param, code="unsupported_file")
    return filename, data
