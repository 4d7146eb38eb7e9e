"""Uploaded files (`/v1/files`) and multi-part uploads (`/v1/uploads`): their objects, contents and limits.

Contents live in memory, or in a directory when one is set, under one byte budget: a new file beyond it
pushes out the oldest files first, so a long test run never grows without bound. Metadata stays in memory.
"""
from __future__ import annotations

import hashlib
import secrets
import string
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.atomic import atomic_write

_BASE62 = string.ascii_letters + string.digits
UPLOAD_SECONDS = 3600  # an Upload expires an hour after it was created (API reference, "Create upload")


def new_id(prefix: str, length: int = 22) -> str:
    """IDs in the API's style: `file-` and 22 base62 characters."""
    return prefix + "".join(secrets.choice(_BASE62) for _ in range(length))


def file_not_found(file_id: str) -> APIError:
    return APIError(404, f"No such File object: {file_id}", param="id")


@dataclass
class StoredFile:
    object: dict[str, Any]  # the FileObject as the API shows it
    content: bytes | None  # None when the content is on disk


class FileStore:
    def __init__(self, budget: int, directory: str = "") -> None:
        self.budget = budget
        self.directory = Path(directory) if directory else None
        self.files: OrderedDict[str, StoredFile] = OrderedDict()  # oldest first
        self.used = 0
        self.on_delete: list[Callable[[str], None]] = []  # told each deleted file's id (vector stores drop it)

    def reset(self) -> None:
        for file_id in list(self.files):
            self.delete(file_id)

    def add(self, filename: str, purpose: str, data: bytes, lifetime: int | None = None) -> dict[str, Any]:
        """Keep a file; `lifetime` seconds set its `expires_at` (batch files: 30 days unless told otherwise)."""
        if len(data) > self.budget:
            raise APIError(413, f"File is too large: {len(data)} bytes; this server keeps at most {self.budget} "
                                "bytes of files (--files-budget-mb).", param="file")
        while self.used + len(data) > self.budget and self.files:
            self.delete(next(iter(self.files)))
        file_id = new_id("file-")
        created = int(time.time())
        if purpose == "batch" and lifetime is None:
            lifetime = 30 * 86400
        entry = {"id": file_id, "object": "file", "bytes": len(data), "created_at": created,
                 "filename": filename, "purpose": purpose, "status": "processed"}
        if lifetime is not None:  # optional and never null in the API's description
            entry["expires_at"] = created + lifetime
        if self.directory is not None:
            atomic_write(self.directory / file_id, data, fsync=False)
        self.files[file_id] = StoredFile(entry, None if self.directory is not None else data)
        self.used += len(data)
        return entry

    def get(self, file_id: str) -> dict[str, Any]:
        return self._stored(file_id).object

    def content(self, file_id: str) -> bytes:
        stored = self._stored(file_id)
        if stored.object["purpose"] == "assistants":  # the API keeps what was uploaded for assistants to itself
            raise APIError(400, "Not allowed to download files of purpose: assistants")
        return self.data(file_id)

    def data(self, file_id: str) -> bytes:
        """The bytes as uploaded, whatever the purpose: what the server itself reads (vector stores)."""
        stored = self._stored(file_id)
        if stored.content is not None:
            return stored.content
        return (self.directory / file_id).read_bytes()  # type: ignore[operator]

    def delete(self, file_id: str) -> dict[str, Any]:
        stored = self.files.pop(file_id, None)
        if stored is None:
            raise file_not_found(file_id)
        self.used -= stored.object["bytes"]
        if self.directory is not None:
            (self.directory / file_id).unlink(missing_ok=True)
        for listener in self.on_delete:
            listener(file_id)
        return {"id": file_id, "object": "file", "deleted": True}

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        """Files by creation, optionally of one purpose; `after` names the last file of the previous page."""
        purpose = args.get("purpose")
        items = [f.object for f in self.files.values() if not purpose or f.object["purpose"] == purpose]
        return paged(items, args, file_not_found)

    def _stored(self, file_id: str) -> StoredFile:
        stored = self.files.get(file_id)
        if stored is None:
            raise file_not_found(file_id)
        return stored


@dataclass
class Upload:
    object: dict[str, Any]
    parts: dict[str, bytes] = field(default_factory=dict)


def upload_not_found(upload_id: str) -> APIError:
    return APIError(404, f"Upload with id '{upload_id}' not found.", param="upload_id")


class UploadStore:
    """Uploads in progress: their parts are held until `complete` joins them into a file (or `cancel` drops them)."""

    def __init__(self, files: FileStore, limit: int = 100) -> None:
        self.files = files
        self.limit = limit
        self.uploads: OrderedDict[str, Upload] = OrderedDict()

    def reset(self) -> None:
        self.uploads.clear()

    def held(self) -> int:
        """Bytes of parts waiting for their upload to complete (they count against the files' budget)."""
        return sum(len(p) for u in self.uploads.values() for p in u.parts.values())

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        while len(self.uploads) >= self.limit:
            self.uploads.popitem(last=False)
        created = int(time.time())
        entry = {"id": "upload_" + secrets.token_hex(12), "object": "upload", "bytes": body["bytes"],
                 "created_at": created, "expires_at": created + UPLOAD_SECONDS, "filename": body["filename"],
                 "purpose": body["purpose"], "status": "pending", "file": None}
        self.uploads[entry["id"]] = Upload(entry)
        return entry

    def add_part(self, upload_id: str, data: bytes) -> dict[str, Any]:
        upload = self._pending(upload_id)
        received = sum(len(p) for p in upload.parts.values()) + len(data)
        if received > upload.object["bytes"]:
            raise APIError(400, f"Upload {upload_id} would exceed its declared size of {upload.object['bytes']} "
                                f"bytes with this part ({received} bytes in all).", param="data")
        if self.held() + len(data) > self.files.budget:
            raise APIError(413, f"This server holds at most {self.files.budget} bytes of files and pending upload "
                                "parts (--files-budget-mb).", param="data")
        part_id = "part_" + secrets.token_hex(12)
        upload.parts[part_id] = data
        return {"id": part_id, "object": "upload.part", "created_at": int(time.time()), "upload_id": upload_id}

    def complete(self, upload_id: str, part_ids: list[str], md5: str | None) -> dict[str, Any]:
        upload = self._pending(upload_id)
        unknown = [p for p in part_ids if p not in upload.parts]
        if unknown:
            raise APIError(400, f"Part with id '{unknown[0]}' not found for upload {upload_id}.", param="part_ids")
        data = b"".join(upload.parts[p] for p in part_ids)
        if len(data) != upload.object["bytes"]:
            raise APIError(400, f"The number of bytes uploaded ({len(data)}) does not match the number of bytes "
                                f"specified when creating the upload ({upload.object['bytes']}).", param="bytes")
        if md5 and hashlib.md5(data).hexdigest() != md5.lower():
            raise APIError(400, "The md5 checksum of the uploaded parts does not match the provided md5.",
                           param="md5")
        upload.object["file"] = self.files.add(upload.object["filename"], upload.object["purpose"], data)
        upload.object["status"] = "completed"
        upload.parts.clear()
        return upload.object

    def cancel(self, upload_id: str) -> dict[str, Any]:
        upload = self._pending(upload_id)
        upload.object["status"] = "cancelled"
        upload.parts.clear()
        return upload.object

    def _pending(self, upload_id: str) -> Upload:
        upload = self.uploads.get(upload_id)
        if upload is None:
            raise upload_not_found(upload_id)
        status = upload.object["status"]
        if status == "pending" and upload.object["expires_at"] <= time.time():
            status = upload.object["status"] = "expired"
            upload.parts.clear()
        if status != "pending":
            raise APIError(400, f"Cannot modify upload {upload_id} with status '{status}'. The upload must be "
                                "pending.", param="upload_id")
        return upload
