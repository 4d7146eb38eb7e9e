"""LangChain's OpenAI integration (`langchain-openai`) against the server, offline, with default settings."""
from __future__ import annotations

import pytest

from dummy_openai_api.proxy.launch.tiktoken_cache import write_cache
from tests.conftest import KEY

langchain_openai = pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")


@pytest.fixture(autouse=True)
def offline_tiktoken(tmp_path_factory, monkeypatch) -> None:
    """OpenAIEmbeddings tokenizes client-side with tiktoken: give it the files instead of the network."""
    directory = tmp_path_factory.getbasetemp() / "tiktoken-cache"
    write_cache(directory)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(directory))


@pytest.fixture
def chat(server):
    return langchain_openai.ChatOpenAI(model="gpt-4o-mini", base_url=server.base_url, api_key=KEY, max_retries=0)


def test_invoke(chat) -> None:
    message = chat.invoke("What is the capital of France?")
    assert "Paris" in message.content
    assert message.usage_metadata["total_tokens"] > 0


def test_stream(chat) -> None:
    pieces = [chunk.content for chunk in chat.stream("Tell me a short story")]
    assert len(pieces) > 3 and "".join(pieces)


def test_embeddings_with_default_settings(server) -> None:
    embeddings = langchain_openai.OpenAIEmbeddings(model="text-embedding-3-small", base_url=server.base_url,
                                                   api_key=KEY, max_retries=0)
    vectors = embeddings.embed_documents(["cats purr", "dogs bark"])
    query = embeddings.embed_query("do cats purr?")
    assert len(vectors) == 2 and len(query) == 1536
    assert (sum(a * b for a, b in zip(query, vectors[0], strict=True))
            > sum(a * b for a, b in zip(query, vectors[1], strict=True)))


def test_embeddings_find_a_paraphrase_through_token_arrays(server) -> None:
    """LangChain sends token arrays: they are decoded, so meaning, not shared words, ranks the documents."""
    embeddings = langchain_openai.OpenAIEmbeddings(model="text-embedding-3-small", base_url=server.base_url,
                                                   api_key=KEY, max_retries=0)
    documents = ["The physician prescribed antibiotics for the infection.",
                 "The striker scored twice in the championship final.",
                 "The senator proposed legislation on immigration."]
    vectors = embeddings.embed_documents(documents)
    query = embeddings.embed_query("Which doctor gave medicine to cure a disease?")
    scores = [sum(a * b for a, b in zip(query, vector, strict=True)) for vector in vectors]
    assert scores.index(max(scores)) == 0, scores


def test_with_structured_output(chat) -> None:
    from pydantic import BaseModel

    class Person(BaseModel):
        name: str
        age: int

    person = chat.with_structured_output(Person).invoke("Extract: John is 32 years old.")
    assert isinstance(person, Person) and person.name == "John" and person.age == 32


def test_bind_tools(chat) -> None:
    from langchain_core.tools import tool

    @tool
    def get_weather(city: str) -> str:
        """Current weather for a city."""
        return f"Sunny in {city}"

    message = chat.bind_tools([get_weather]).invoke("What's the weather in Paris?")
    assert message.tool_calls and message.tool_calls[0]["name"] == "get_weather"
    assert message.tool_calls[0]["args"] == {"city": "Paris"}


@pytest.mark.parametrize(("text", "expected"), [
    ("John lives in Berlin.", {"name": "John", "city": "Berlin"}),
    ("Return JSON with fields name and city for: Maria lives in Madrid.", {"name": "Maria", "city": "Madrid"}),
])
def test_with_structured_output_json_mode(chat, text: str, expected: dict[str, str]) -> None:
    """json_mode sends only `response_format: json_object`: the keys come from the prompt, the values too."""
    from pydantic import BaseModel

    class Resident(BaseModel):
        name: str
        city: str

    structured = chat.with_structured_output(Resident, method="json_mode")
    resident = structured.invoke([("system", "Extract the person as JSON with the keys `name` and `city`."),
                                  ("user", text)])
    assert isinstance(resident, Resident) and resident.model_dump() == expected
    raw = chat.with_structured_output(None, method="json_mode").invoke(
        f"Answer in JSON with the fields name and city: {text}")
    assert raw == expected
