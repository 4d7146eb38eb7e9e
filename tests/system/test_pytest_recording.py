"""A cassette recorded with pytest-recording in a user's project replays through this server with no edits."""
from __future__ import annotations

import httpx
import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import KEY, chat_body

pytest.importorskip("pytest_recording", reason="pytest-recording is not installed")

USER_TEST = """
import httpx
import pytest

@pytest.mark.vcr
def test_chat_and_embeddings():
    headers = {{"Authorization": "Bearer {key}"}}
    chat = httpx.post("{base}/chat/completions", json={chat}, headers=headers)
    embed = httpx.post("{base}/embeddings", json={{"model": "text-embedding-3-small", "input": "hi"}},
                       headers=headers)
    assert chat.status_code == 200 and embed.status_code == 200
    stream = httpx.post("{base}/chat/completions", json={{**{chat}, "stream": True}}, headers=headers)
    assert stream.text.endswith("data: [DONE]\\n\\n")
"""


def test_record_with_pytest_recording_then_replay_strict(pytester, server, make_server) -> None:
    body = chat_body(messages=[{"role": "user", "content": "Recorded by pytest-recording"}])
    pytester.makepyfile(test_user=USER_TEST.format(key=KEY, base=server.base_url, chat=body))
    result = pytester.runpytest("-p", "pytest_recording", "--record-mode=once")
    result.assert_outcomes(passed=1)
    cassettes = pytester.path / "cassettes"
    assert list(cassettes.rglob("*.yaml"))

    strict = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    headers = {"Authorization": f"Bearer {KEY}"}
    replayed = httpx.post(strict.base_url + "/chat/completions", json=body, headers=headers)
    synthetic = httpx.post(server.base_url + "/chat/completions", json=body, headers=headers)
    assert replayed.status_code == 200
    assert replayed.json()["choices"] == synthetic.json()["choices"]
    stream = httpx.post(strict.base_url + "/chat/completions", json={**body, "stream": True}, headers=headers)
    assert stream.headers["content-type"].startswith("text/event-stream") and "data: [DONE]" in stream.text
    embed = httpx.post(strict.base_url + "/embeddings", json={"model": "text-embedding-3-small", "input": "hi"},
                       headers=headers)
    assert embed.status_code == 200 and embed.json()["data"][0]["embedding"]


SDK_TEST = """
import openai
import pytest

@pytest.mark.vcr
def test_sdk_from_the_environment():
    client = openai.OpenAI(max_retries=0)
    assert client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}]).choices
"""


def test_tests_that_pytest_recording_records_keep_the_users_variables(pytester, server, monkeypatch) -> None:
    """With this package installed too, a `vcr` test's client still goes where the user's OPENAI_BASE_URL says
    (here this suite's server stands in for the real API), so the cassette holds that URL and replays."""
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    pytester.makepyfile(test_user=SDK_TEST)
    pytester.runpytest("-p", "pytest_recording", "--record-mode=once").assert_outcomes(passed=1)
    (cassette,) = (pytester.path / "cassettes").rglob("*.yaml")
    assert f"uri: {server.base_url}/chat/completions" in cassette.read_text()
    pytester.runpytest("-p", "pytest_recording", "--record-mode=none").assert_outcomes(passed=1)
