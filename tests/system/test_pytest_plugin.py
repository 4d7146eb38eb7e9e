"""The pytest plugin, run the way users run it: test suites of their own, through pytester."""
from __future__ import annotations

import importlib.metadata

import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import ROOT
from tests.plugin_runs import run

pytest_plugins = ["pytester"]


def test_fixtures_journal_and_environment(pytester: pytest.Pytester) -> None:
    result = run(pytester, """
        import asyncio, os, subprocess, sys
        import openai

        HI = [{"role": "user", "content": "Hi"}]

        def test_client_and_journal(openai_client, openai_mock):
            openai_client.chat.completions.create(model="gpt-4o-mini", messages=HI, temperature=0)
            openai_client.chat.completions.create(model="gpt-4o-mini", messages=HI, temperature=1,
                                                  tools=[{"type": "function", "function": {"name": "f"}}])
            first, second = openai_mock.journal
            assert first.body["temperature"] == 0 and second.body["tools"][0]["function"]["name"] == "f"
            assert second.last_message == "Hi" and second.status == 200 and second.source == "synthetic"
            assert openai_mock.mode == "synthetic" and openai_mock.journal.last.id == second.id

        def test_each_test_starts_clean(openai_mock):
            assert len(openai_mock.journal) == 0

        def test_environment_for_code_that_builds_its_own_client(openai_mock):
            assert os.environ["OPENAI_BASE_URL"] == openai_mock.base_url
            openai.OpenAI().models.list()
            code = "import openai; print(len(openai.OpenAI().models.list().data))"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
            assert int(out.stdout) > 10, out.stderr
            assert [e.path for e in openai_mock.journal] == ["/v1/models", "/v1/models"]

        def test_async_client(async_openai_client, openai_mock):
            async def ask():
                return await async_openai_client.chat.completions.create(model="gpt-4o-mini", messages=HI)
            assert asyncio.run(ask()).choices[0].message.content
            assert openai_mock.journal.filter(path="/v1/chat/completions")[0].method == "POST"

        def test_faults_and_answers(openai_client, openai_mock):
            openai_mock.fault("503", path="/v1/chat/completions", times=1, retry_after=0.01)
            openai_mock.answer("Canned.", contains="Hi")
            assert openai_client.chat.completions.create(model="gpt-4o-mini", messages=HI
                                                         ).choices[0].message.content == "Canned."
            assert [(e.status, e.source) for e in openai_mock.journal] == [(503, "fault:503"), (200, "rule:rule_2")]
    """)
    result.assert_outcomes(passed=5)


def test_record_then_replay_with_one_flag(pytester: pytest.Pytester, make_server, monkeypatch) -> None:
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-upstream-0123456789")  # stands in for the real API
    monkeypatch.setenv("DUMMY_OPENAI_UPSTREAM_KEY", "sk-upstream-0123456789")  # a user's real key, for the upstream
    source = """
        import openai
        import pytest

        @pytest.mark.openai_cassette("greetings")
        def test_sdk_client(openai_client, openai_mock):
            answer = openai_client.chat.completions.create(model="gpt-4o-mini",
                                                           messages=[{"role": "user", "content": "Hello"}])
            assert answer.choices[0].message.content
            assert openai_mock.journal.last.source in ("upstream", "cassette:greetings")

        @pytest.mark.openai_cassette
        def test_own_client(openai_mock):
            openai.OpenAI().embeddings.create(model="text-embedding-3-small", input="x", encoding_format="float")
            assert openai_mock.cassette == "test_app/test_own_client"
            assert openai_mock.journal.last.source in ("upstream", "cassette:test_app/test_own_client")
    """
    recorded = run(pytester, source, "--openai-mode", "record", "--openai-upstream", upstream.base_url)
    recorded.assert_outcomes(passed=2)
    assert {p.name for p in (pytester.path / "cassettes").rglob("*.yaml")} == {"greetings.yaml",
                                                                              "test_own_client.yaml"}
    upstream.stop()  # from now on, nothing but the cassettes
    replayed = run(pytester, source.replace('in ("upstream", ', 'in ('), "--openai-mode", "strict")
    replayed.assert_outcomes(passed=2)


def test_subprocess_server_and_settings(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nopenai_server = subprocess\nopenai_settings =\n    chaos_rate=1\n"
                     "    chaos_faults=503\n")
    pytester.makepyfile(main="raise SystemExit('the project under test has a main.py of its own')")
    result = run(pytester, """
        import openai, os, pytest

        def test_chaos_from_the_settings(openai_mock):
            client = openai.OpenAI(max_retries=0)
            with pytest.raises(openai.InternalServerError):
                client.models.list()
            assert openai_mock.journal.last.status == 503 and openai_mock.mode == "synthetic"
    """, "--openai-mode", "synthetic")
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize("args, message", [
    (["--openai-setting", "chaos_rate"], "ERROR: --openai-setting expects NAME=VALUE, got 'chaos_rate'"),
    (["--openai-setting", "chaos_rat=0.1"], "ERROR: --openai-setting: unknown setting 'chaos_rat'"),  # no prefixes
    (["--openai-setting", "no_such=1"], "ERROR: --openai-setting: unknown setting 'no_such'"),
    (["--openai-setting", "chaos_rate=2"], "ERROR: --openai-setting: invalid chaos_rate='2': must be between 0 and 1"),
    (["--openai-upstream", "ftp://x"], "ERROR: --openai-setting: invalid upstream='ftp://x': expected an http"),
    (["--openai-mode", "replya"], "ERROR: invalid --openai-mode='replya': expected one of synthetic, replay"),
])
def test_bad_options_are_one_line_usage_errors(pytester: pytest.Pytester, args: list[str], message: str) -> None:
    result = run(pytester, "def test_x(openai_mock):\n    pass\n\ndef test_y(openai_mock):\n    pass\n", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0].startswith(message) and len(result.stderr.lines) <= 2, result.stderr.lines
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_settings_from_the_ini_file_are_checked_too(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nopenai_settings =\n    chaos_rat=1\n")
    result = run(pytester, "def test_x(openai_mock):\n    pass\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == "ERROR: --openai-setting: unknown setting 'chaos_rat'"


def test_a_server_that_cannot_start_fails_only_the_tests_that_use_it(pytester: pytest.Pytester, tmp_path) -> None:
    replies = tmp_path / "replies.yaml"
    replies.write_text("- this: [is not\n")
    result = run(pytester, """
        def test_uses_the_server(openai_mock):
            pass

        def test_uses_the_client(openai_client):
            pass

        def test_unrelated():
            assert 1 + 1 == 2
    """, "--openai-setting", f"replies={replies}")
    result.assert_outcomes(passed=1, errors=2)
    errors = [line for line in result.stdout.lines if line.startswith("the Dummy OpenAI API server did not start")]
    assert len(errors) == 2 and "replies.yaml: invalid YAML at line 2" in errors[0], result.stdout.str()
    assert "Traceback" not in result.stdout.str() and "INTERNALERROR" not in result.stdout.str()


def test_registered_as_a_pytest11_entry_point() -> None:
    assert '"pytest11": ["dummy_openai_api.proxy.testing.pytest_plugin = dummy_openai_api.proxy.testing.pytest_plugin"]' in (ROOT / "setup.py").read_text()
    installed = [e for e in importlib.metadata.entry_points(group="pytest11") if e.value == "dummy_openai_api.proxy.testing.pytest_plugin"]
    if installed:  # where the package is installed (CI), its metadata says the same
        assert installed[0].name == "dummy_openai_api.proxy.testing.pytest_plugin"


def test_client_side_tiktoken_works_offline_in_the_session(pytester: pytest.Pytester, monkeypatch) -> None:
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    source = """
        import os
        import tiktoken

        def test_tiktoken_offline():
            assert os.environ["TIKTOKEN_CACHE_DIR"]
            assert tiktoken.get_encoding("cl100k_base").encode("hello world") == [15339, 1917]
    """
    result = run(pytester, source, "-p", "dummy_openai_api.proxy.testing.pytest_plugin")
    result.assert_outcomes(passed=1)


def test_a_users_own_tiktoken_cache_dir_is_kept(pytester: pytest.Pytester, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "mine"))
    source = f"""
        import os

        def test_kept():
            assert os.environ["TIKTOKEN_CACHE_DIR"] == {str(tmp_path / "mine")!r}
    """
    run(pytester, source, "-p", "dummy_openai_api.proxy.testing.pytest_plugin").assert_outcomes(passed=1)


def test_no_port_to_listen_on_fails_only_the_tests_that_use_the_server(pytester: pytest.Pytester) -> None:
    result = run(pytester, """
        def test_uses_the_server(openai_mock):
            pass

        def test_unrelated():
            pass
    """, "--openai-setting", "host=192.0.2.1")  # TEST-NET-1: no interface of this machine has it
    result.assert_outcomes(passed=1, errors=1)
    assert "the Dummy OpenAI API server did not start: no port free on 192.0.2.1" in result.stdout.str()


@pytest.mark.parametrize("subprocess", [False, True])
def test_mock_server_without_pytest(tmp_path, subprocess: bool) -> None:
    """`MockServer.start` as docs/pytest.md shows it: settings by field name, typed or as text."""
    import openai
    from dummy_openai_api.proxy.core.config import Mode as ServerMode
    from dummy_openai_api.proxy.testing.mock_server import MockServer

    with MockServer.start(subprocess=subprocess, mode="replay", cassettes=str(tmp_path), any_model=True,
                          ignore_fields="user,metadata", upstream_key="sk-upstream") as mock:
        assert mock.mode == ServerMode.REPLAY.value
        client = openai.OpenAI(base_url=mock.base_url, api_key=mock.api_key, max_retries=0)
        client.chat.completions.create(model="my-own-model", messages=[{"role": "user", "content": "Hi"}])
        assert mock.journal.last.model == "my-own-model" and mock.journal.last.status == 200


def test_a_subprocess_server_whose_port_was_taken_meanwhile_starts_on_another(monkeypatch: pytest.MonkeyPatch) -> None:
    """The port is chosen free, then bound by the new process: one that another process took in between (as on a
    busy machine) is chosen again, rather than failing the start."""
    import socket
    from dummy_openai_api.proxy.testing import mock_server

    with socket.create_server(("127.0.0.1", 0)) as taken:
        first = [taken.getsockname()[1]]
        choose = mock_server.free_port
        monkeypatch.setattr(mock_server, "free_port", lambda host="127.0.0.1": first.pop() if first else choose(host))
        with mock_server.MockServer.start(subprocess=True) as mock:
            assert not first and mock.root_url != f"http://127.0.0.1:{taken.getsockname()[1]}"
            assert mock.mode == Mode.REPLAY.value  # the default: it answers
