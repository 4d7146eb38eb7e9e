"""/v1/files and /v1/uploads through the official SDK (strict response validation) and raw HTTP."""
from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import openai
import pytest

from tests.conftest import sdk_client


@pytest.fixture(autouse=True)
def clean(admin: httpx.Client) -> None:
    """Every test starts with no files (the admin fixture resets before and after)."""


def test_upload_retrieve_content_delete(client: openai.OpenAI) -> None:
    created = client.files.create(file=("notes.txt", b"hello files"), purpose="user_data")
    assert (created.object, created.bytes, created.filename, created.purpose) == ("file", 11, "notes.txt",
                                                                                  "user_data")
    assert created.id.startswith("file-")
    assert client.files.retrieve(created.id) == created
    assert client.files.content(created.id).read() == b"hello files"
    deleted = client.files.delete(created.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (created.id, "file", True)
    with pytest.raises(openai.NotFoundError):
        client.files.retrieve(created.id)


@pytest.mark.parametrize("method,path", [("GET", "/v1/files/file-nope"), ("DELETE", "/v1/files/file-nope"),
                                         ("GET", "/v1/files/file-nope/content")])
def test_an_unknown_file_is_the_apis_404(http: httpx.Client, method: str, path: str) -> None:
    answer = http.request(method, path)
    assert answer.status_code == 404
    assert answer.json() == {"error": {"message": "No such File object: file-nope",
                                       "type": "invalid_request_error", "param": "id", "code": None}}


def test_list_pages_with_after_and_limit_newest_first(client: openai.OpenAI, http: httpx.Client) -> None:
    ids = [client.files.create(file=(f"f{i}.jsonl", b'{"a": 1}\n'), purpose="batch").id for i in range(5)]
    page = http.get("/v1/files", params={"limit": 2}).json()
    assert [f["id"] for f in page["data"]] == ids[::-1][:2]
    assert (page["object"], page["has_more"], page["first_id"], page["last_id"]) == (
        "list", True, ids[4], ids[3])
    assert [f.id for f in client.files.list(limit=2)] == ids[::-1]  # auto-pagination follows `after`
    assert [f.id for f in client.files.list(order="asc", limit=3)] == ids


def test_list_filters_by_purpose(client: openai.OpenAI) -> None:
    batch = client.files.create(file=("in.jsonl", b"{}\n"), purpose="batch")
    client.files.create(file=("doc.txt", b"text"), purpose="user_data")
    assert [f.id for f in client.files.list(purpose="batch")] == [batch.id]


def test_an_unknown_purpose_is_refused_in_the_apis_words(http: httpx.Client) -> None:
    answer = http.post("/v1/files", files={"file": ("a.txt", b"x")}, data={"purpose": "answers"})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == (
        "'answers' is not one of ['fine-tune', 'assistants', 'batch', 'user_data', 'responses', 'vision', "
        "'evals'] - 'purpose'")


@pytest.mark.parametrize("files,data,param", [
    ({}, {"purpose": "assistants"}, "file"),
    ({"file": ("a.txt", b"x")}, {}, "purpose"),
])
def test_a_missing_field_is_named(http: httpx.Client, files: dict, data: dict, param: str) -> None:
    answer = http.post("/v1/files", files=files or {"other": ("b", b"y")}, data=data)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == param


def test_batch_files_must_be_json_lines(http: httpx.Client) -> None:
    answer = http.post("/v1/files", files={"file": ("in.csv", b"a,b")}, data={"purpose": "batch"})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Invalid file format for Batch API. Must be .jsonl"


def test_a_json_body_is_not_an_upload(http: httpx.Client) -> None:
    answer = http.post("/v1/files", json={"purpose": "batch"})
    assert answer.status_code == 400
    assert "multipart/form-data" in answer.json()["error"]["message"]


def test_expires_after_sets_the_expiry(client: openai.OpenAI) -> None:
    created = client.files.create(file=("a.txt", b"x"), purpose="user_data",
                                  expires_after={"anchor": "created_at", "seconds": 7200})
    assert created.expires_at == created.created_at + 7200


def test_the_byte_budget_deletes_the_oldest_files(make_server) -> None:
    server = make_server(files_budget_mb=1.0)
    with sdk_client(server) as client:
        first = client.files.create(file=("a.txt", b"a" * 600_000), purpose="user_data")
        second = client.files.create(file=("b.txt", b"b" * 600_000), purpose="user_data")
        assert [f.id for f in client.files.list()] == [second.id]
        with pytest.raises(openai.NotFoundError):
            client.files.retrieve(first.id)
        with pytest.raises(openai.APIStatusError) as refused:
            client.files.create(file=("c.txt", b"c" * 1_100_000), purpose="user_data")
        assert refused.value.status_code == 413


def test_contents_can_live_in_a_directory(make_server, tmp_path: Path) -> None:
    server = make_server(files_dir=str(tmp_path / "files"))
    with sdk_client(server) as client:
        created = client.files.create(file=("a.txt", b"on disk"), purpose="user_data")
        assert (tmp_path / "files" / created.id).read_bytes() == b"on disk"
        assert client.files.content(created.id).read() == b"on disk"
        client.files.delete(created.id)
        assert not (tmp_path / "files" / created.id).exists()


def test_a_chunked_upload_becomes_a_file(client: openai.OpenAI, tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"".join(b'{"line": %d}\n' % i for i in range(20000)))
    upload = client.uploads.upload_file_chunked(file=path, mime_type="application/jsonl", purpose="fine-tune",
                                                part_size=64 * 1024)
    assert upload.status == "completed" and upload.file is not None
    assert (upload.file.bytes, upload.file.filename, upload.file.purpose) == (path.stat().st_size, "train.jsonl",
                                                                              "fine-tune")
    assert client.files.content(upload.file.id).read() == path.read_bytes()


def test_parts_are_joined_in_part_ids_order(client: openai.OpenAI) -> None:
    upload = client.uploads.create(bytes=6, filename="a.txt", mime_type="text/plain", purpose="user_data")
    first = client.uploads.parts.create(upload.id, data=b"abc")
    second = client.uploads.parts.create(upload.id, data=b"def")
    assert (first.object, first.upload_id) == ("upload.part", upload.id)
    done = client.uploads.complete(upload.id, part_ids=[second.id, first.id],
                                   md5=hashlib.md5(b"defabc").hexdigest())
    assert client.files.content(done.file.id).read() == b"defabc"


def test_complete_checks_the_size_and_the_md5(client: openai.OpenAI) -> None:
    upload = client.uploads.create(bytes=4, filename="a.txt", mime_type="text/plain", purpose="user_data")
    part = client.uploads.parts.create(upload.id, data=b"abc")
    with pytest.raises(openai.BadRequestError, match="does not match"):
        client.uploads.complete(upload.id, part_ids=[part.id])
    more = client.uploads.parts.create(upload.id, data=b"d")
    with pytest.raises(openai.BadRequestError, match="md5"):
        client.uploads.complete(upload.id, part_ids=[part.id, more.id], md5="0" * 32)
    assert client.uploads.complete(upload.id, part_ids=[part.id, more.id]).status == "completed"


def test_a_cancelled_upload_takes_no_more_parts(client: openai.OpenAI) -> None:
    upload = client.uploads.create(bytes=3, filename="a.txt", mime_type="text/plain", purpose="user_data")
    assert client.uploads.cancel(upload.id).status == "cancelled"
    with pytest.raises(openai.BadRequestError, match="cancelled"):
        client.uploads.parts.create(upload.id, data=b"abc")
    with pytest.raises(openai.BadRequestError):
        client.uploads.complete(upload.id, part_ids=[])


def test_an_unknown_upload_is_a_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.uploads.cancel("upload_nope")


def test_a_malformed_multipart_body_is_a_400(http: httpx.Client) -> None:
    broken = b'--x\r\nContent-Disposition: form-data; name="data"\r\n\r\nno final boundary'
    for path in ("/v1/files", "/v1/uploads/upload_x/parts"):
        answer = http.post(path, content=broken, headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert answer.status_code == 400 and set(answer.json()["error"]) == {"message", "type", "param", "code"}


def test_pending_parts_count_against_the_budget(make_server) -> None:
    server = make_server(files_budget_mb=1.0)
    with sdk_client(server) as client:
        upload = client.uploads.create(bytes=1_500_000, filename="a.txt", mime_type="text/plain",
                                       purpose="user_data")
        client.uploads.parts.create(upload.id, data=b"a" * 800_000)
        with pytest.raises(openai.APIStatusError) as refused:
            client.uploads.parts.create(upload.id, data=b"b" * 700_000)
        assert refused.value.status_code == 413


def test_assistants_files_cannot_be_downloaded(client: openai.OpenAI) -> None:
    created = client.files.create(file=("notes.txt", b"private"), purpose="assistants")
    with pytest.raises(openai.BadRequestError, match="Not allowed to download files of purpose: assistants"):
        client.files.content(created.id)
