"""/v1/files and /v1/uploads: upload, list, retrieve, content and delete; multi-part uploads.

Files are this server's own state in every mode (proxy.state.file_store), never forwarded or replayed: what
applications do with them (batches) is answered line by line through the answer pipeline, so that a batch records
and replays as the single calls it is made of, whatever IDs the upstream would have given its files.
"""
from __future__ import annotations

import mimetypes

from dummy_openai_api.proxy.state.file_store import FileStore, UploadStore
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.validation import files as checks


class FileHandler(Handler):
    @property
    def files(self) -> FileStore:
        return self.services.files

    @property
    def uploads(self) -> UploadStore:
        return self.services.uploads

    def form(self) -> checks.Form:
        return checks.multipart(self.request.body, self.request.headers)


class Files(FileHandler):
    """/v1/files"""

    def post(self) -> Reply:
        filename, data, purpose, lifetime = checks.file_upload(self.form())
        return Reply.json(self.files.add(filename, purpose, data, lifetime))

    def get(self) -> Reply:
        return Reply.json(self.files.page(checks.list_query(self.request.query)))


class FileEntry(FileHandler):
    """/v1/files/{file_id}"""

    def get(self) -> Reply:
        return Reply.json(self.files.get(self.request.path_args["file_id"]))

    def delete(self) -> Reply:
        return Reply.json(self.files.delete(self.request.path_args["file_id"]))


class FileContent(FileHandler):
    """/v1/files/{file_id}/content: the bytes as uploaded, typed by the file name."""

    def get(self) -> Reply:
        file_id = self.request.path_args["file_id"]
        data = self.files.content(file_id)
        guessed = mimetypes.guess_type(self.files.get(file_id)["filename"])[0]
        return Reply(body=data, content_type=guessed or "application/octet-stream")


class Uploads(FileHandler):
    """/v1/uploads"""

    def post(self) -> Reply:
        return Reply.json(self.uploads.create(checks.upload_create(self.body())))


class UploadParts(FileHandler):
    """/v1/uploads/{upload_id}/parts"""

    def post(self) -> Reply:
        data = checks.upload_part(self.form())
        return Reply.json(self.uploads.add_part(self.request.path_args["upload_id"], data))


class UploadComplete(FileHandler):
    """/v1/uploads/{upload_id}/complete"""

    def post(self) -> Reply:
        part_ids, md5 = checks.upload_complete(self.body())
        return Reply.json(self.uploads.complete(self.request.path_args["upload_id"], part_ids, md5))


class UploadCancel(FileHandler):
    """/v1/uploads/{upload_id}/cancel"""

    def post(self) -> Reply:
        return Reply.json(self.uploads.cancel(self.request.path_args["upload_id"]))
