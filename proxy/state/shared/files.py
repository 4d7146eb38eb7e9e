"""Uploaded files on a shared backend: the objects in the `files` table, the contents beside them in
`file_contents` (as bytes), under the same byte budget as in memory (the oldest files go first).

Uploads in progress are shared the same way: their objects in `uploads`, their parts' bytes in `upload_parts`.
"""
from __future__ import annotations

import secrets
import time
from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.state.file_store import (UPLOAD_SECONDS, FileStore, Upload, UploadStore, file_not_found,
                                                     new_id, upload_not_found)
from dummy_openai_api.proxy.state.image_urls import DEFAULT_COUNT, EXTENSIONS, LIFETIME_SECONDS, ImageUrls
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.table import Table

CONTENTS, PARTS, IMAGES = "file_contents", "upload_parts", "image_urls"


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
        return self.data(file_id)

    def data(self, file_id: str) -> bytes:
        data = self.backend.get(CONTENTS, file_id)
        if data is None:
            raise file_not_found(file_id)
        return data

    def delete(self, file_id: str) -> dict[str, Any]:
        if not self.table.delete(file_id):
            raise file_not_found(file_id)
        self.backend.delete(CONTENTS, file_id)
        for listener in self.on_delete:
            listener(file_id)
        return {"id": file_id, "object": "file", "deleted": True}

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        purpose = args.get("purpose")
        items = [f for f in self.table.values() if not purpose or f["purpose"] == purpose]
        return paged(items, args, file_not_found)


class SharedUploadStore(UploadStore):
    """Uploads in the `uploads` table (`{object, parts: {part id: bytes}}`), their parts' bytes in `upload_parts`:
    parts may be added on any process, and `complete` joins them wherever it is called."""

    def __init__(self, backend: Backend, files: FileStore, limit: int = 100) -> None:
        super().__init__(files, limit)
        self.backend = backend
        self.table = Table(backend, "uploads", limit)

    def reset(self) -> None:
        self.table.clear()
        self.backend.clear(PARTS)

    def held(self) -> int:
        return sum(size for row in self.table.values() for size in row["parts"].values())

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        created = int(time.time())
        entry = {"id": "upload_" + secrets.token_hex(12), "object": "upload", "bytes": body["bytes"],
                 "created_at": created, "expires_at": created + UPLOAD_SECONDS, "filename": body["filename"],
                 "purpose": body["purpose"], "status": "pending", "file": None}
        self.table.put(entry["id"], {"object": entry, "parts": {}})
        return entry

    def add_part(self, upload_id: str, data: bytes) -> dict[str, Any]:
        self._pending_row(upload_id)
        if self.held() + len(data) > self.files.budget:
            raise APIError(413, f"This server holds at most {self.files.budget} bytes of files and pending upload "
                                "parts (--files-budget-mb).", param="data")
        part_id = "part_" + secrets.token_hex(12)
        refused: list[APIError] = []

        def change(row: dict[str, Any] | None) -> dict[str, Any] | None:
            received = sum(row["parts"].values()) + len(data) if row else 0
            if row is None or row["object"]["status"] != "pending":
                refused.append(upload_not_found(upload_id) if row is None else _not_pending(upload_id, row))
            elif received > row["object"]["bytes"]:
                refused.append(APIError(400, f"Upload {upload_id} would exceed its declared size of "
                                             f"{row['object']['bytes']} bytes with this part ({received} bytes in "
                                             "all).", param="data"))
            else:
                row["parts"][part_id] = len(data)
                return row
            return None
        self.backend.put(PARTS, part_id, data)  # the bytes first: a listed part can always be read
        self.table.update(upload_id, change)
        if refused:
            self.backend.delete(PARTS, part_id)
            raise refused[0]
        return {"id": part_id, "object": "upload.part", "created_at": int(time.time()), "upload_id": upload_id}

    def complete(self, upload_id: str, part_ids: list[str], md5: str | None) -> dict[str, Any]:
        row = self._pending_row(upload_id)
        upload = Upload(row["object"], {p: self.backend.get(PARTS, p) or b"" for p in row["parts"]})
        self.uploads[upload_id] = upload  # the memory store's checks and joining, on this copy
        try:
            entry = super().complete(upload_id, part_ids, md5)
        finally:
            del self.uploads[upload_id]
        self._close(upload_id, row, entry)
        return entry

    def cancel(self, upload_id: str) -> dict[str, Any]:
        row = self._pending_row(upload_id)
        row["object"]["status"] = "cancelled"
        self._close(upload_id, row, row["object"])
        return row["object"]  # type: ignore[no-any-return]

    def _close(self, upload_id: str, row: dict[str, Any], entry: dict[str, Any]) -> None:
        self.table.update(upload_id, lambda _: {"object": entry, "parts": {}})
        for part_id in row["parts"]:
            self.backend.delete(PARTS, part_id)

    def _pending_row(self, upload_id: str) -> dict[str, Any]:
        row = self.table.get(upload_id)
        if row is None:
            raise upload_not_found(upload_id)
        if row["object"]["status"] == "pending" and row["object"]["expires_at"] <= time.time():
            row["object"]["status"] = "expired"
            self._close(upload_id, row, row["object"])
        if row["object"]["status"] != "pending":
            raise _not_pending(upload_id, row)
        return row  # type: ignore[no-any-return]


def _not_pending(upload_id: str, row: dict[str, Any]) -> APIError:
    return APIError(400, f"Cannot modify upload {upload_id} with status '{row['object']['status']}'. The upload "
                         "must be pending.", param="upload_id")


class SharedImageUrls(ImageUrls):
    """The pictures of `response_format: url` answers, readable on any process: bytes in `image_urls`, media type
    and expiry in `image_url_meta`, bounded by count (the oldest go first)."""

    def __init__(self, backend: Backend, count: int = DEFAULT_COUNT) -> None:
        super().__init__(count=count)
        self.backend = backend
        self.meta = Table(backend, "image_url_meta", count)

    def add(self, data: bytes, media_type: str) -> str:
        name = f"img-{secrets.token_hex(12)}.{EXTENSIONS.get(media_type, 'png')}"
        self.backend.put(IMAGES, name, data, self.count)
        self.meta.put(name, [media_type, self.clock() + LIFETIME_SECONDS])
        return name

    def get(self, name: str) -> tuple[bytes, str] | None:
        meta = self.meta.get(name)
        data = self.backend.get(IMAGES, name) if meta is not None and meta[1] > self.clock() else None
        return None if data is None else (data, meta[0])

    def reset(self) -> None:
        self.meta.clear()
        self.backend.clear(IMAGES)
