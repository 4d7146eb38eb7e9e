"""/v1/vector_stores (stores, files, file batches, search) through the official SDK and raw HTTP."""
from __future__ import annotations

import asyncio
import io
import zipfile

import httpx
import openai
import pytest

from tests.conftest import sdk_client

DOCS = {
    "returns.md": "# Returns\n\nCustomers may send back any unworn item within 30 days of delivery for a full refund. "
                  "Refunds reach the original card within five business days.",
    "canteen.txt": "The office cafeteria serves lunch from noon to 2pm. Vegetarian meals are available every day.",
    "security.txt": "To change your password, open Settings, choose Security and click Forgot password. A reset "
                    "link is emailed to you.",
    "rocket.txt": "The first stage engine burns liquid oxygen and kerosene and produces 7,600 kN of thrust.",
}


@pytest.fixture(autouse=True)
def clean(admin: httpx.Client) -> None:
    """Every test starts with no files and no vector stores (the admin fixture resets before and after)."""


def upload(client: openai.OpenAI, name: str, text: str | bytes | None = None) -> str:
    data = text if isinstance(text, bytes) else (text or DOCS[name]).encode()
    return client.files.create(file=(name, data), purpose="assistants").id


@pytest.fixture
def library(client: openai.OpenAI) -> tuple[str, dict[str, str]]:
    """A store holding the four documents, each with attributes; returns its id and file ids by name."""
    ids = {name: upload(client, name) for name in DOCS}
    store = client.vector_stores.create(name="handbook")
    attributes = {"returns.md": {"team": "sales", "year": 2023, "public": True},
                  "canteen.txt": {"team": "facilities", "year": 2024, "public": True},
                  "security.txt": {"team": "it", "year": 2025, "public": False},
                  "rocket.txt": {"team": "engineering", "year": 2021, "public": False}}
    files = [{"file_id": ids[name], "attributes": attributes[name]} for name in DOCS]
    batch = client.vector_stores.file_batches.create_and_poll(vector_store_id=store.id, files=files)
    assert (batch.status, batch.file_counts.completed, batch.file_counts.total) == ("completed", 4, 4)
    return store.id, ids


def test_create_with_files_retrieve_update_delete(client: openai.OpenAI) -> None:
    file_id = upload(client, "returns.md")
    store = client.vector_stores.create(name="policies", file_ids=[file_id], metadata={"owner": "qa"},
                                        expires_after={"anchor": "last_active_at", "days": 7})
    assert store.id.startswith("vs_") and store.object == "vector_store" and store.status == "completed"
    assert (store.file_counts.completed, store.file_counts.total, store.metadata) == (1, 1, {"owner": "qa"})
    assert store.usage_bytes > len(DOCS["returns.md"])  # the chunk's text and its vector
    assert store.expires_at == store.last_active_at + 7 * 86400
    assert client.vector_stores.retrieve(store.id).id == store.id
    updated = client.vector_stores.update(store.id, name="renamed", expires_after=None)
    assert (updated.name, updated.expires_after, updated.expires_at) == ("renamed", None, None)
    deleted = client.vector_stores.delete(store.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (store.id, "vector_store.deleted", True)
    with pytest.raises(openai.NotFoundError):
        client.vector_stores.retrieve(store.id)
    assert client.files.retrieve(file_id).id == file_id  # the File outlives the store


def test_list_pages_with_after_before_limit_and_order(client: openai.OpenAI, http: httpx.Client) -> None:
    ids = [client.vector_stores.create(name=f"s{i}").id for i in range(5)]
    page = http.get("/v1/vector_stores", params={"limit": 2}).json()
    assert [s["id"] for s in page["data"]] == ids[::-1][:2] and page["has_more"] is True
    assert [s.id for s in client.vector_stores.list(limit=2)] == ids[::-1]  # auto-pagination follows `after`
    assert [s.id for s in client.vector_stores.list(order="asc", limit=10)] == ids
    before = http.get("/v1/vector_stores", params={"order": "asc", "before": ids[3], "limit": 2}).json()
    assert [s["id"] for s in before["data"]] == ids[1:3]


def test_poll_helpers_attach_and_upload(client: openai.OpenAI) -> None:
    store = client.vector_stores.create(name="helpers")
    attached = client.vector_stores.files.create_and_poll(file_id=upload(client, "canteen.txt"),
                                                          vector_store_id=store.id, attributes={"floor": 2})
    assert (attached.status, attached.vector_store_id, attached.attributes) == ("completed", store.id, {"floor": 2})
    assert attached.chunking_strategy.type == "static"
    uploaded = client.vector_stores.files.upload_and_poll(vector_store_id=store.id,
                                                          file=("rocket.txt", DOCS["rocket.txt"].encode()))
    assert uploaded.status == "completed"
    batch = client.vector_stores.file_batches.upload_and_poll(
        store.id, files=[("returns.md", DOCS["returns.md"].encode()), ("security.txt", DOCS["security.txt"].encode())])
    assert (batch.object, batch.status, batch.file_counts.completed) == ("vector_store.files_batch", "completed", 2)
    assert len(client.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id).data) == 2
    assert client.vector_stores.retrieve(store.id).file_counts.total == 4


@pytest.mark.parametrize("question,expected", [
    ("How long do I have to give back something I bought?", "returns.md"),
    ("When can I eat at work?", "canteen.txt"),
    ("I forgot my login credentials", "security.txt"),
    ("How powerful is the propulsion system?", "rocket.txt"),
])
def test_search_finds_the_file_a_paraphrase_means(client: openai.OpenAI, library: tuple[str, dict[str, str]],
                                                  question: str, expected: str) -> None:
    store_id, _ = library
    results = client.vector_stores.search(store_id, query=question).data
    assert results[0].filename == expected
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert results[0].content[0].type == "text" and results[0].content[0].text == DOCS[expected]


def test_search_options(client: openai.OpenAI, http: httpx.Client, library: tuple[str, dict[str, str]]) -> None:
    store_id, _ = library
    page = http.post(f"/v1/vector_stores/{store_id}/search", json={
        "query": "What are the opening hours of the cafeteria?", "rewrite_query": True, "max_num_results": 2}).json()
    assert page["object"] == "vector_store.search_results.page"
    assert page["search_query"] == ["opening hours of the cafeteria"]
    assert len(page["data"]) == 2
    plain = http.post(f"/v1/vector_stores/{store_id}/search", json={"query": ["lunch", "password"]}).json()
    assert plain["search_query"] == ["lunch", "password"]
    assert {r["filename"] for r in plain["data"][:2]} == {"canteen.txt", "security.txt"}
    strict = client.vector_stores.search(store_id, query="lunch break food",
                                         ranking_options={"score_threshold": 0.3}).data
    assert [r.filename for r in strict] == ["canteen.txt"]


def test_keyword_matches_lift_exact_identifiers(client: openai.OpenAI) -> None:
    """Search is hybrid, as the API's is: sharing the query's rare words (an invoice number) raises a chunk's
    score; `hybrid_search` with no text weight leaves the embedding score alone."""
    invoices = {"paid.txt": "The invoice INV-20931 was paid on March 3rd by ACME Corp.",
                "overdue.txt": "The invoice INV-55120 is overdue since January."}
    store = client.vector_stores.create(file_ids=[upload(client, name, text) for name, text in invoices.items()])
    hybrid = client.vector_stores.search(store.id, query="INV-20931 status").data
    semantic = client.vector_stores.search(store.id, query="INV-20931 status", ranking_options={
        "hybrid_search": {"embedding_weight": 1, "text_weight": 0}}).data
    assert hybrid[0].filename == "paid.txt" and hybrid[0].score > hybrid[1].score + 0.05
    by_name = {r.filename: r.score for r in semantic}
    assert hybrid[0].score > by_name["paid.txt"] and hybrid[1].score == pytest.approx(by_name["overdue.txt"])


@pytest.mark.parametrize("rule,expected", [
    ({"type": "eq", "key": "team", "value": "it"}, {"security.txt"}),
    ({"type": "ne", "key": "team", "value": "it"}, {"returns.md", "canteen.txt", "rocket.txt"}),
    ({"type": "gte", "key": "year", "value": 2024}, {"canteen.txt", "security.txt"}),
    ({"type": "lt", "key": "year", "value": 2023}, {"rocket.txt"}),
    ({"type": "in", "key": "team", "value": ["sales", "it"]}, {"returns.md", "security.txt"}),
    ({"type": "nin", "key": "team", "value": ["sales", "it"]}, {"canteen.txt", "rocket.txt"}),
    ({"type": "eq", "key": "public", "value": True}, {"returns.md", "canteen.txt"}),
    ({"type": "eq", "key": "missing", "value": "x"}, set()),
    ({"type": "and", "filters": [{"type": "eq", "key": "public", "value": False},
                                 {"type": "gt", "key": "year", "value": 2022}]}, {"security.txt"}),
    ({"type": "or", "filters": [{"type": "eq", "key": "team", "value": "sales"},
                                {"type": "lte", "key": "year", "value": 2021}]}, {"returns.md", "rocket.txt"}),
])
def test_filters_keep_the_files_whose_attributes_match(client: openai.OpenAI, library: tuple[str, dict[str, str]],
                                                       rule: dict, expected: set[str]) -> None:
    store_id, _ = library
    found = client.vector_stores.search(store_id, query="anything at all", filters=rule, max_num_results=50).data
    assert {r.filename for r in found} == expected


def test_files_list_update_content_and_delete(client: openai.OpenAI, library: tuple[str, dict[str, str]]) -> None:
    store_id, ids = library
    listed = client.vector_stores.files.list(store_id, filter="completed", order="asc")
    assert [f.id for f in listed] == list(ids.values())
    assert client.vector_stores.files.list(store_id, filter="failed").data == []
    changed = client.vector_stores.files.update(ids["rocket.txt"], vector_store_id=store_id,
                                                attributes={"team": "it"})
    assert changed.attributes == {"team": "it"}
    found = client.vector_stores.search(store_id, query="thrust", filters={"type": "eq", "key": "team", "value": "it"})
    assert "rocket.txt" in {r.filename for r in found.data}
    content = list(client.vector_stores.files.content(ids["canteen.txt"], vector_store_id=store_id))
    assert [(c.type, c.text) for c in content] == [("text", DOCS["canteen.txt"])]
    gone = client.vector_stores.files.delete(ids["canteen.txt"], vector_store_id=store_id)
    assert (gone.object, gone.deleted) == ("vector_store.file.deleted", True)
    assert client.vector_stores.retrieve(store_id).file_counts.total == 3
    with pytest.raises(openai.NotFoundError, match="No file found with id"):
        client.vector_stores.files.retrieve(ids["canteen.txt"], vector_store_id=store_id)


def test_static_chunks_overlap_by_the_requested_tokens(client: openai.OpenAI) -> None:
    words = " ".join(f"word{i}" for i in range(1000))  # about 3000 tokens
    file_id = upload(client, "long.txt", words)
    store = client.vector_stores.create(name="chunks", file_ids=[file_id], chunking_strategy={
        "type": "static", "static": {"max_chunk_size_tokens": 1000, "chunk_overlap_tokens": 200}})
    chunks = [c.text for c in client.vector_stores.files.content(file_id, vector_store_id=store.id)]
    assert len(chunks) >= 3
    assert chunks[0].startswith("word0 ") and chunks[-1].endswith("word999")
    assert chunks[1][:40] in chunks[0]  # each chunk starts inside the one before it
    attached = client.vector_stores.files.retrieve(file_id, vector_store_id=store.id)
    assert attached.chunking_strategy.static.max_chunk_size_tokens == 1000


def test_office_documents_are_read(client: openai.OpenAI) -> None:
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as archive:
        archive.writestr("word/document.xml", '<w:document><w:body><w:p><w:r><w:t>Parking is free for '
                                              'visitors on weekends.</w:t></w:r></w:p></w:body></w:document>')
    store = client.vector_stores.create(file_ids=[upload(client, "notes.docx", body.getvalue())])
    found = client.vector_stores.search(store.id, query="Where can guests leave their car?").data
    assert found[0].content[0].text == "Parking is free for visitors on weekends."


def test_html_is_read_as_its_visible_text(client: openai.OpenAI) -> None:
    page = (b"<html><head><style>p {color: red}</style><script>track()</script></head><body>"
            b"<h1>Caf&eacute; hours</h1><p>Open <b>nine</b> to five.</p></body></html>")
    file_id = upload(client, "hours.html", page)
    store = client.vector_stores.create(file_ids=[file_id])
    chunks = [c.text for c in client.vector_stores.files.content(file_id, vector_store_id=store.id)]
    assert chunks == ["Café hours\nOpen nine to five."]


def test_a_file_that_is_not_text_fails_with_its_error(client: openai.OpenAI) -> None:
    store = client.vector_stores.create(name="bad")
    attached = client.vector_stores.files.create(vector_store_id=store.id,
                                                 file_id=upload(client, "blob.txt", b"\xff\xfe\x00\x81binary"))
    assert attached.status == "failed" and attached.last_error and attached.last_error.code == "invalid_file"
    assert client.vector_stores.retrieve(store.id).file_counts.failed == 1
    assert client.vector_stores.search(store.id, query="binary").data == []


@pytest.mark.parametrize("method,path,status,message", [
    ("GET", "/v1/vector_stores/vs_nope", 404, "No vector store found with id 'vs_nope'."),
    ("DELETE", "/v1/vector_stores/vs_nope", 404, "No vector store found with id 'vs_nope'."),
    ("GET", "/v1/vector_stores/nope", 400, "Invalid 'vector_store_id': 'nope'. Expected an ID that begins with 'vs'."),
    ("POST", "/v1/vector_stores/vs_nope/search", 404, "No vector store found with id 'vs_nope'."),
])
def test_unknown_ids_are_the_apis_errors(http: httpx.Client, method: str, path: str, status: int,
                                         message: str) -> None:
    answer = http.request(method, path, json={"query": "x"} if method == "POST" else None)
    assert answer.status_code == status
    assert answer.json()["error"]["message"] == message


def test_attaching_errors(client: openai.OpenAI, http: httpx.Client) -> None:
    store = client.vector_stores.create(name="errors")
    files = f"/v1/vector_stores/{store.id}/files"
    answer = http.post(files, json={"file_id": upload(client, "table.csv", "a,b\n1,2\n")})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "unsupported_file"
    assert answer.json()["error"]["message"].startswith("Files with extensions [.csv] are not supported for retrieval.")
    unknown = http.post(files, json={"file_id": "file-nope"})
    assert (unknown.status_code, unknown.json()["error"]["message"]) == (404, "No such File object: file-nope")
    missing = http.get(f"{files}/file-nope")
    assert missing.json()["error"]["message"] == f"No file found with id 'file-nope' in vector store '{store.id}'."
    assert client.vector_stores.retrieve(store.id).file_counts.total == 0  # nothing half attached


@pytest.mark.parametrize("body,param", [
    ({"chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 5000,
                                                         "chunk_overlap_tokens": 0}}},
     "chunking_strategy.static.max_chunk_size_tokens"),
    ({"chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800,
                                                         "chunk_overlap_tokens": 401}}},
     "chunking_strategy.static.chunk_overlap_tokens"),
    ({"chunking_strategy": {"type": "fixed"}}, "chunking_strategy.type"),
    ({"expires_after": {"anchor": "created_at", "days": 3}}, "expires_after.anchor"),
    ({"expires_after": {"anchor": "last_active_at", "days": 366}}, "expires_after.days"),
    ({"file_ids": "file-1"}, "file_ids"),
    ({"colour": "red"}, "colour"),
])
def test_create_refuses_bad_bodies(http: httpx.Client, body: dict, param: str) -> None:
    answer = http.post("/v1/vector_stores", json=body)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == param


def nested(levels: int) -> dict:
    rule: dict = {"type": "eq", "key": "a", "value": 1}
    for _ in range(levels):
        rule = {"type": "and", "filters": [rule]}
    return rule


@pytest.mark.parametrize("body,param", [
    ({"query": "x", "max_num_results": 51}, "max_num_results"),
    ({"query": "x", "max_num_results": 0}, "max_num_results"),
    ({"query": []}, "query"),
    ({}, "query"),
    ({"query": "x", "filters": {"type": "like", "key": "a", "value": "b"}}, "filters.type"),
    ({"query": "x", "filters": {"type": "in", "key": "a", "value": "b"}}, "filters.value"),
    ({"query": "x", "filters": {"type": "and", "filters": [{"type": "eq", "key": "a"}]}}, "filters.filters[0].value"),
    ({"query": "x", "ranking_options": {"score_threshold": 1.5}}, "ranking_options.score_threshold"),
    ({"query": "x", "ranking_options": {"ranker": "best"}}, "ranking_options.ranker"),
    ({"query": "x", "ranking_options": {"hybrid_search": {"text_weight": 1}}},
     "ranking_options.hybrid_search.embedding_weight"),
    ({"query": ["x"] * 101}, "query"),  # this server's bounds on a search's work
    ({"query": ["x", "y" * 20001]}, "query[1]"),
    ({"query": "x", "filters": nested(40)}, "filters" + ".filters[0]" * 33),
])
def test_search_refuses_bad_bodies(client: openai.OpenAI, http: httpx.Client, body: dict, param: str) -> None:
    store = client.vector_stores.create(name="search errors")
    answer = http.post(f"/v1/vector_stores/{store.id}/search", json=body)
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == param


def test_batches_take_file_ids_or_files_and_cannot_be_cancelled_once_done(
        client: openai.OpenAI, http: httpx.Client) -> None:
    store = client.vector_stores.create(name="batches")
    ids = [upload(client, "canteen.txt"), upload(client, "rocket.txt")]
    batch = client.vector_stores.file_batches.create(store.id, file_ids=ids, attributes={"kind": "doc"})
    assert client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id).status == "completed"
    assert all(f.attributes == {"kind": "doc"} for f in client.vector_stores.files.list(store.id))
    refused = http.post(f"/v1/vector_stores/{store.id}/file_batches/{batch.id}/cancel")
    assert refused.status_code == 400
    both = http.post(f"/v1/vector_stores/{store.id}/file_batches",
                     json={"file_ids": ids, "files": [{"file_id": ids[0]}]})
    assert both.status_code == 400
    unknown = http.get(f"/v1/vector_stores/{store.id}/file_batches/vsfb_nope")
    assert unknown.status_code == 404
    extra = http.post(f"/v1/vector_stores/{store.id}/file_batches", json={"files": [{"file_id": ids[0], "x": 1}]})
    assert (extra.status_code, extra.json()["error"]["param"]) == (400, "files[0].x")


def test_reset_clears_vector_stores(client: openai.OpenAI, admin: httpx.Client) -> None:
    store = client.vector_stores.create(name="temporary")
    admin.post("/_mock/reset").raise_for_status()
    with pytest.raises(openai.NotFoundError):
        client.vector_stores.retrieve(store.id)


def test_a_file_over_the_token_limit_fails(client: openai.OpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's limit is 5,000,000 tokens a file; lowered here so the file stays small (the server runs in this
    process)."""
    from dummy_openai_api.generators.vector_search import chunking
    monkeypatch.setattr(chunking, "MAX_FILE_TOKENS", 50)
    store = client.vector_stores.create(file_ids=[upload(client, "long.txt", "word " * 60)])
    attached = client.vector_stores.files.list(store.id).data[0]
    assert attached.status == "failed" and attached.last_error.code == "invalid_file"
    assert "at most 50" in attached.last_error.message


def test_an_expired_store_says_so_and_refuses_search(client: openai.OpenAI, server) -> None:
    """A store whose `expires_after` days have passed since it was last active is `expired` (the clock is moved
    by setting the store's `last_active_at` two days back: the server runs in this process)."""
    store = client.vector_stores.create(name="old", expires_after={"anchor": "last_active_at", "days": 1})
    server.app.services.extras["vector_stores"].stores[store.id].object["last_active_at"] -= 2 * 86400
    assert client.vector_stores.retrieve(store.id).status == "expired"
    with pytest.raises(openai.BadRequestError, match="has expired"):
        client.vector_stores.search(store.id, query="anything")


def test_stores_stay_within_the_budget_least_recently_active_first(make_server) -> None:
    """Chunks and vectors share --files-budget-mb: a new store pushes out the least recently active ones, and a
    store that could never fit is refused with nothing kept."""
    with sdk_client(make_server(files_budget_mb=0.04)) as small:  # 41,943 bytes
        text = " ".join(f"fact{i}" for i in range(1000))  # ~3,000 tokens: usage about 17 KB
        first, second = (small.vector_stores.create(file_ids=[upload(small, f"{n}.txt", text)]) for n in "ab")
        small.vector_stores.search(first.id, query="fact")  # `first` is now the more recently active
        third = small.vector_stores.create(file_ids=[upload(small, "c.txt", text)])
        assert {s.id for s in small.vector_stores.list()} == {first.id, third.id}
        assert first.usage_bytes + third.usage_bytes <= 41943
        too_big = upload(small, "d.txt", " ".join(f"fact{i}" for i in range(3000)))
        with pytest.raises(openai.APIStatusError, match="at most 41943 bytes") as refused:
            small.vector_stores.create(file_ids=[too_big])
        assert refused.value.status_code == 413
        assert len(small.vector_stores.list().data) == 2


def test_deleting_a_file_removes_it_from_every_store(client: openai.OpenAI) -> None:
    file_id, kept = upload(client, "canteen.txt"), upload(client, "rocket.txt")
    stores = [client.vector_stores.create(file_ids=[file_id, kept]).id for _ in range(2)]
    client.files.delete(file_id)
    for store_id in stores:
        assert [f.id for f in client.vector_stores.files.list(store_id)] == [kept]
        assert {r.file_id for r in client.vector_stores.search(store_id, query="lunch").data} == {kept}


def test_the_async_client_attaches_in_parallel_and_searches(async_client: openai.AsyncOpenAI) -> None:
    """Files attached concurrently (each embedded on a worker thread) all land in the store."""
    async def run() -> tuple[openai.types.VectorStore, list[str]]:
        async with async_client:
            store = await async_client.vector_stores.create(name="async")
            uploads = [async_client.files.create(file=(name, text.encode()), purpose="assistants")
                       for name, text in DOCS.items()]
            files = await asyncio.gather(*uploads)
            await asyncio.gather(*(async_client.vector_stores.files.create_and_poll(file_id=f.id,
                                                                                    vector_store_id=store.id)
                                   for f in files))
            found = await async_client.vector_stores.search(store.id, query="What time is lunch?")
            return await async_client.vector_stores.retrieve(store.id), [r.filename async for r in found]
    store, names = asyncio.run(run())
    assert store.file_counts.completed == len(DOCS) and names[0] == "canteen.txt"
