"""LlamaIndex against the server, unchanged: a VectorStoreIndex built with OpenAIEmbedding retrieves the document
a question is about, and its query engine answers from that document.

llama-index-llms-openai pins an older `openai` than the project's tests use, so it runs in a virtualenv of its
own (`.ci/run` builds it); elsewhere these tests are skipped."""
from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import KEY
from tests.offline import loopback_only

core = pytest.importorskip("llama_index.core", reason="llama-index-core is not installed")
embeddings_openai = pytest.importorskip("llama_index.embeddings.openai",
                                        reason="llama-index-embeddings-openai is not installed")
llms_openai = pytest.importorskip("llama_index.llms.openai", reason="llama-index-llms-openai is not installed")

DOCUMENTS = {
    "eiffel": "The Eiffel Tower in Paris was completed in 1889 and stands 330 metres tall.",
    "kilimanjaro": "Mount Kilimanjaro in Tanzania is the highest mountain in Africa, rising to 5,895 metres.",
    "reef": "The Great Barrier Reef off Queensland is the largest coral reef system on Earth.",
    "penicillin": "Alexander Fleming discovered penicillin in 1928 when mould killed bacteria in a dish.",
    "marathon": "Eliud Kipchoge ran a marathon in 1:59:40 in Vienna in October 2019.",
}


@pytest.fixture(scope="module")
def index(session_server: Any, admin_session: Any) -> Any:
    """Built once: the documents are embedded by the server, with LlamaIndex's default splitter and store (after a
    reset: this runs before the first test's own, and what a test before left on the server must not answer)."""
    admin_session.post("/_mock/reset").raise_for_status()
    monkeypatch = pytest.MonkeyPatch()
    loopback_only(monkeypatch)
    embed = embeddings_openai.OpenAIEmbedding(model="text-embedding-3-small", api_base=session_server.base_url,
                                              api_key=KEY, max_retries=0)
    documents = [core.Document(text=text, doc_id=name) for name, text in DOCUMENTS.items()]
    yield core.VectorStoreIndex.from_documents(documents, embed_model=embed)
    monkeypatch.undo()


@pytest.fixture
def llm(server, monkeypatch: pytest.MonkeyPatch) -> Any:
    loopback_only(monkeypatch)
    return llms_openai.OpenAI(model="gpt-4o-mini", api_base=server.base_url, api_key=KEY, max_retries=0)


@pytest.mark.parametrize(("question", "document", "fact"), [
    ("When was the Eiffel Tower finished?", "eiffel", "1889"),
    ("How high is the tallest peak on the African continent?", "kilimanjaro", "5,895"),
    ("Who found the first antibiotic?", "penicillin", "Fleming"),
    ("How fast did someone run 42 kilometres?", "marathon", "1:59:40"),
])
def test_query_is_answered_from_the_right_document(index: Any, llm: Any, question: str, document: str,
                                                   fact: str) -> None:
    response = index.as_query_engine(llm=llm, similarity_top_k=2).query(question)
    assert response.source_nodes[0].node.ref_doc_id == document
    answer = str(response)
    assert fact in answer, answer
    others = [text for name, text in DOCUMENTS.items() if name != document]
    assert not any(text in answer for text in others), answer


def test_retriever_ranks_the_document_by_meaning(index: Any) -> None:
    nodes = index.as_retriever(similarity_top_k=len(DOCUMENTS)).retrieve("underwater wildlife in Australia")
    assert nodes[0].node.ref_doc_id == "reef"
    assert nodes[0].score > nodes[1].score
