"""Uploaded files on a shared backend: the objects in the `files` table, the contents beside them in
`file_contents` (as bytes), under the same byte budget as in memory (the oldest files go first).

Uploads in progress and batches stay with the process that has them (a batch's runner is a task of that
process); the files they read and write are shared.
"""
from __future__ import annotations

import time
from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.state.file_store import FileStore, file_not_found, new_id
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.table import Table

CONTENTS = "file_contents"


class SharedFileStore(FileStore):
    def __init__(self, backend: Backend, budget: int) -> None:
        super().__init__(budget)
        self.backend = backend
        self.table = Table(backend, "files")

    def reset(self) -> None:
        self.table.clear()
        self.backend.clear(CONTENTS)

    def add(self, filename: str, purpose: str, data: bytes, lifetime: int | None = None) -> dict[str, Any]:
        if len(data) > self.budget:
            raise APIError(413, f"File is too large: {len(data)} bytes; this server keeps at most {self.budget} "
                                "bytes of files (--files-budget-mb).", param="file")
        self._make_room(len(data))
        created = int(time.time())
        if purpose == "batch" and lifetime is None:
            lifetime = 30 * 86400
        file_id = new_id("file-")
        entry: dict[str, Any] = {"id": file_id, "object": "file", "bytes": len(data), "created_at": created,
                 "filename": filename, "purpose": purpose, "status": "processed"}
        if lifetime is not None:
            entry["expires_at"] = created + lifetime
        self.backend.put(CONTENTS, file_id, data)  # the content first: a listed file can always be read
        self.table.put(file_id, entry)
        return entry

    def _make_room(self, size: int) -> None:
        files = self.table.values()
        used = sum(f["bytes"] for f in files)
        for oldest in files:
            if used + size <= self.budget:
                return
            self.delete(oldest["id"])
            used -= oldest["bytes"]

    def get(self, file_id: str) -> dict[str, Any]:
        entry = self.table.get(file_id)
        if entry is None:
            raise file_not_found(file_id)
        return entry  # type: ignore[no-any-return]

    def content(self, file_id: str) -> bytes:
        if self.get(file_id)["purpose"] == "assistants":
            raise APIError(400, "Not allowed to download files of purpose: assistants")
        data = self.backend.get(CONTENTS, file_id)
        if data is None:
            raise file_not_found(file_id)
        return data

    def delete(self, file_id: str) -> dict[str, Any]:
        if not self.table.delete(file_id):
            raise file_not_found(file_id)
        self.backend.delete(CONTENTS, file_id)
        return {"id": file_id, "object": "file", "deleted": True}

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        purpose = args.get("purpose")
        items = [f for f in self.table.values() if not purpose or f["purpose"] == purpose]
        return paged(items, args, file_not_found)
