"""The plugin's guard against real traffic: clients made at import time talk to the mock, and a test that is not
recording cannot reach the real API, even with the URL written out, even when the code swallows the error."""
from __future__ import annotations

import pytest

from tests.plugin_runs import run

pytest_plugins = ["pytester"]


@pytest.fixture
def no_openai_environment(monkeypatch) -> None:
    """A newcomer's shell: no key, no base URL (the SDK refuses to build a client without a key)."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_clients_made_at_import_time_use_the_mock(pytester, no_openai_environment) -> None:
    result = run(pytester, """
        import os
        import openai

        client = openai.OpenAI()  # at import: before any fixture runs
        azure = openai.AzureOpenAI(api_version="2024-10-21")

        def test_module_client(openai_mock):
            answer = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])
            assert answer.choices[0].message.content and openai_mock.journal.last.source == "synthetic"
            assert client.base_url.host == "127.0.0.1" and os.environ["OPENAI_API_KEY"] == openai_mock.api_key

        def test_azure_module_client(openai_mock):
            azure.embeddings.create(model="text-embedding-3-small", input="Hi")
            assert openai_mock.journal.last.status == 200  # the Azure path, served as /v1/embeddings

        def test_without_any_fixture():  # the session's server runs: another test uses it
            assert client.models.list().data
    """)
    result.assert_outcomes(passed=3)


def test_tests_without_our_fixtures_use_an_import_time_client(pytester, no_openai_environment) -> None:
    result = run(pytester, """
        from openai import OpenAI

        client = OpenAI()

        def summarize(text):  # the application's code
            answer = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
            return answer.choices[0].message.content

        def test_summary():
            assert summarize("Cats sleep a lot.")
    """)
    result.assert_outcomes(passed=1)


REAL_CALLS = """
    import openai
    import pytest

    def test_explicit_real_url_swallowed():
        client = openai.OpenAI(base_url="https://api.openai.com/v1", api_key="sk-real", max_retries=0)
        try:
            client.models.list()
        except openai.APIConnectionError:
            pass  # the application's fallback: without the guard this test would pass

    def test_explicit_azure_endpoint(openai_mock):
        client = openai.AzureOpenAI(azure_endpoint="https://my-resource.openai.azure.com", api_key="k",
                                    api_version="2024-10-21", max_retries=0)
        client.embeddings.create(model="text-embedding-3-small", input="x")

    def test_other_hosts_are_left_alone():
        import socket
        assert socket.getaddrinfo("localhost", 80)
"""


def test_a_test_that_reaches_for_the_real_api_fails_and_says_how_to_fix_it(pytester) -> None:
    result = run(pytester, REAL_CALLS)
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert "tried to reach the real OpenAI API (api.openai.com)" in out
    assert "blocked a connection to my-resource.openai.azure.com" in out
    assert "--openai-record-mode=once" in out and "OPENAI_BASE_URL points at the mock" in out


def test_recording_tests_may_reach_the_real_api(pytester) -> None:
    result = run(pytester, """
        import socket
        import pytest
        from dummy_openai_api.proxy.testing.traffic_guard import RealAPIBlocked

        @pytest.mark.openai_cassette(record_mode="all")
        def test_recording():
            try:
                socket.getaddrinfo("api.openai.com", 443)
            except OSError as exc:  # offline: the lookup itself may fail, but not because of the guard
                assert not isinstance(exc, RealAPIBlocked)

        def test_not_recording():
            with pytest.raises(RealAPIBlocked):
                socket.getaddrinfo("api.openai.com", 443)
    """)
    result.assert_outcomes(passed=1, failed=1)  # the second one tried, so it fails even though it caught it
    assert "tried to reach the real OpenAI API" in result.stdout.str()


def test_an_attempt_at_import_time_is_a_warning_not_a_failure_of_the_first_test(pytester) -> None:
    result = run(pytester, """
        import socket

        try:
            socket.getaddrinfo("api.openai.com", 443)
        except OSError:
            pass

        def test_first():
            pass
    """, "-W", "default")
    result.assert_outcomes(passed=1)
    assert "collecting the tests tried to reach the real OpenAI API (api.openai.com)" in result.stdout.str()
