"""Files and uploads: the multipart form, purposes, the documented size limits, list queries and upload bodies."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from tornado.httputil import HTTPFile, HTTPHeaders, HTTPInputError, parse_body_arguments

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import bounded, invalid_type, missing, one_of, page_args, required, typed

# The purposes `POST /v1/files` accepts, in the order its refusal lists them.
PURPOSES = ("fine-tune", "assistants", "batch", "user_data", "responses", "vision", "evals")
MB = 1024 * 1024
MAX_FILE_BYTES = 512 * MB  # "Individual files can be up to 512 MB"
MAX_BATCH_BYTES = 200 * MB  # a batch input file "can be up to 200 MB in size"
MAX_UPLOAD_BYTES = 8 * 1024 * MB  # an Upload "can accept at most 8 GB in total"
MAX_PART_BYTES = 64 * MB  # "Each Part can be at most 64 MB"
JSONL_ONLY = {"batch": "Batch API", "fine-tune": "Fine-Tuning API"}


@dataclass
class Form:
    fields: dict[str, str]
    files: dict[str, tuple[str, bytes]]  # field name -> (file name, content)


def form_parts(body: bytes, headers: HTTPHeaders) -> tuple[dict[str, list[bytes]], dict[str, list[HTTPFile]]]:
    """The fields and files of a `multipart/form-data` body, every value sent under a name kept in order (one
    parse for files, uploads, images and audio)."""
    content_type = headers.get("Content-Type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise APIError(400, f"Invalid Content-Type header ({content_type or 'none'}), expected "
                            "multipart/form-data.")
    arguments: dict[str, list[bytes]] = {}
    uploaded: dict[str, list[HTTPFile]] = {}
    try:
        parse_body_arguments(content_type, body, arguments, uploaded, headers)
    except HTTPInputError:
        raise APIError(400, "Could not parse multipart form") from None
    return arguments, uploaded


def multipart(body: bytes, headers: HTTPHeaders) -> Form:
    """The fields and files of a `multipart/form-data` body (the first value of each)."""
    arguments, uploaded = form_parts(body, headers)
    fields = {k: v[0].decode("utf-8", "replace") for k, v in arguments.items() if v}
    files = {k: (v[0].filename, v[0].body) for k, v in uploaded.items() if v}
    return Form(fields, files)


def purpose(value: str | None) -> str:
    if value is None:
        raise missing("purpose")
    if value not in PURPOSES:
        listed = ", ".join(f"'{p}'" for p in PURPOSES)
        raise APIError(400, f"'{value}' is not one of [{listed}] - 'purpose'")
    return value


def file_upload(form: Form) -> tuple[str, bytes, str, int | None]:
    """(file name, content, purpose, expires_after seconds) of `POST /v1/files`."""
    chosen = purpose(form.fields.get("purpose"))
    if "file" not in form.files:
        raise missing("file")
    filename, data = form.files["file"]
    size_limit(chosen, filename, len(data))
    return filename, data, chosen, expires_after(form.fields)


def size_limit(chosen: str, filename: str, size: int) -> None:
    """The documented limits: 512 MB a file, 200 MB a batch file; batch and fine-tune files are JSON lines."""
    api = JSONL_ONLY.get(chosen)
    if api and not filename.lower().endswith(".jsonl"):
        raise APIError(400, f"Invalid file format for {api}. Must be .jsonl", param="file")
    limit = MAX_BATCH_BYTES if chosen == "batch" else MAX_FILE_BYTES
    if size > limit:
        raise APIError(400, f"File is too large ({size} bytes). The maximum size for purpose '{chosen}' is "
                            f"{limit // MB} MB.", param="file")


def expires_after(fields: dict[str, str]) -> int | None:
    """`expires_after[anchor]=created_at` and `expires_after[seconds]` (3600 to 2592000), as the SDK sends them."""
    seconds = fields.get("expires_after[seconds]")
    if seconds is None:
        return None
    try:
        value = int(seconds)
    except ValueError:
        raise invalid_type("expires_after.seconds", seconds, "integer") from None
    one_of({"anchor": fields.get("expires_after[anchor]", "created_at")}, "anchor", ("created_at",),
           param="expires_after.anchor")
    return bounded({"seconds": value}, "seconds", "integer", 3600, 2592000, param="expires_after.seconds")


def list_query(query: str) -> dict[str, Any]:
    """`GET /v1/files`: `after`, `limit` (1-10000, default 10000), `order` (default desc), `purpose`."""
    return page_args(dict(parse_qsl(query, keep_blank_values=True)), 10000, 10000, "desc")


def upload_create(body: dict[str, Any]) -> dict[str, Any]:
    """`POST /v1/uploads`: bytes, filename, mime_type, purpose."""
    size = required(body, "bytes", "integer")
    required(body, "filename", "string")
    required(body, "mime_type", "string")
    purpose(required(body, "purpose", "string"))
    bounded(body, "bytes", "integer", 0, MAX_UPLOAD_BYTES)
    size_limit(body["purpose"], body["filename"], size)
    return body


def upload_part(form: Form) -> bytes:
    if "data" not in form.files:
        raise missing("data")
    data = form.files["data"][1]
    if len(data) > MAX_PART_BYTES:
        raise APIError(400, f"Part is too large ({len(data)} bytes). Each part can be at most 64 MB.", param="data")
    return data


def upload_complete(body: dict[str, Any]) -> tuple[list[str], str | None]:
    part_ids = required(body, "part_ids", "array")
    for index, part in enumerate(part_ids):
        if not isinstance(part, str):
            raise invalid_type(f"part_ids[{index}]", part, "string")
    return part_ids, typed(body, "md5", "string")
