"""The plugin's per-test control, the pytest-recording way: only marked tests replay and record, each in its own
cassette, in vcrpy's record modes (from the marker, else the command line); unmarked tests stay synthetic."""
from __future__ import annotations

from pathlib import Path

import pytest

from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.testing.mock_server import MockServer
from tests.plugin_runs import run

pytest_plugins = ["pytester"]

REAL_KEY = "sk-upstream-real-key"  # the user's key for the real API: not the mock's

ASK = """
import openai, pytest

def ask(text):
    return openai.OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
"""


@pytest.fixture
def upstream(make_server, monkeypatch) -> MockServer:
    """A server standing in for the real API, which only takes the user's own key, and its journal."""
    running = make_server(mode=Mode.SYNTHETIC, api_key=REAL_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", REAL_KEY)
    return MockServer(running.root_url, REAL_KEY)


def run_with(pytester: pytest.Pytester, upstream: MockServer, tests: str, *args: str) -> pytest.RunResult:
    return run(pytester, ASK + tests, "--openai-upstream", upstream.base_url, *args)


def cassettes(pytester: pytest.Pytester) -> set[str]:
    root = pytester.path / "cassettes"
    return {p.relative_to(root).as_posix() for p in root.rglob("*.yaml")} if root.is_dir() else set()


def test_unmarked_tests_stay_synthetic_whatever_the_mode(pytester, upstream) -> None:
    marked = """
@pytest.mark.openai_cassette("shared")
def test_marked(openai_mock):
    ask("Hello")
    assert openai_mock.journal.last.source == "upstream"
"""
    run_with(pytester, upstream, marked, "--openai-record-mode=once").assert_outcomes(passed=1)
    unmarked = """
def test_unmarked(openai_mock):
    ask("Hello")  # recorded in cassette "shared": still not replayed here
    assert openai_mock.journal.last.source == "synthetic" and openai_mock.mode == "synthetic"
"""
    for options in (["--openai-record-mode=all"], ["--openai-mode", "record"], ["--openai-mode", "replay"]):
        run_with(pytester, upstream, unmarked, *options).assert_outcomes(passed=1)
    assert len(upstream.journal) == 1 and cassettes(pytester) == {"shared.yaml"}


def test_a_cassette_per_test_named_as_pytest_recording_names_it(pytester, upstream) -> None:
    tests = """
@pytest.mark.openai_cassette
class TestChat:
    def test_ask(self, openai_mock):
        ask("From a class")

@pytest.mark.openai_cassette
@pytest.mark.parametrize("text", ["a/b", "c:d"])
def test_param(openai_mock, text):
    ask(text)

@pytest.mark.openai_cassette
def test_module_client():  # no fixture of ours: the marker alone sets the cassette
    ask("No fixture")
"""
    run_with(pytester, upstream, tests, "--openai-record-mode=once").assert_outcomes(passed=4)
    assert cassettes(pytester) == {"test_app/TestChat.test_ask.yaml", "test_app/test_param[a-b].yaml",
                                   "test_app/test_param[c-d].yaml", "test_app/test_module_client.yaml"}
    assert len(upstream.journal) == 4
    run_with(pytester, upstream, tests).assert_outcomes(passed=4)  # default `none`: replayed
    assert len(upstream.journal) == 4


def test_none_replays_only_and_says_how_to_record(pytester, upstream) -> None:
    result = run_with(pytester, upstream, """
@pytest.mark.openai_cassette
def test_never_recorded():
    ask("Hello")
""")
    result.assert_outcomes(failed=1)
    assert "--openai-record-mode=once" in result.stdout.str() and len(upstream.journal) == 0


def test_once_records_a_missing_cassette_then_replays_it(pytester, upstream) -> None:
    tests = """
@pytest.mark.openai_cassette("greeting")
def test_greeting(openai_mock):
    ask("Hello")
    assert openai_mock.journal.last.source == {source!r}
"""
    run_with(pytester, upstream, tests.format(source="upstream"), "--openai-record-mode=once").assert_outcomes(
        passed=1)
    run_with(pytester, upstream, tests.format(source="cassette:greeting"), "--openai-record-mode=once"
             ).assert_outcomes(passed=1)
    assert len(upstream.journal) == 1


def test_new_episodes_and_all(pytester, upstream) -> None:
    tests = """
@pytest.mark.openai_cassette("talk")
def test_talk(openai_mock):
    ask("First")
    first = openai_mock.journal.last.source
    ask("Second")
    assert (first, openai_mock.journal.last.source) == {sources!r}
"""
    first = """
@pytest.mark.openai_cassette("talk")
def test_talk(openai_mock):
    ask("First")
"""
    run_with(pytester, upstream, first, "--openai-record-mode=once").assert_outcomes(passed=1)
    run_with(pytester, upstream, tests.format(sources=("cassette:talk", "upstream")),
             "--openai-record-mode=new_episodes").assert_outcomes(passed=1)
    assert len(upstream.journal) == 2
    run_with(pytester, upstream, tests.format(sources=("upstream", "upstream")), "--openai-record-mode=all"
             ).assert_outcomes(passed=1)
    assert len(upstream.journal) == 4


def test_the_marker_sets_one_tests_mode(pytester, upstream) -> None:
    tests = """
@pytest.mark.openai_cassette("fixed", record_mode="none")
def test_replay_only(openai_mock):
    assert openai_mock.mode == "strict"

@pytest.mark.openai_cassette(record_mode="new_episodes")
def test_records(openai_mock):
    ask("Hello")
    assert openai_mock.mode == "record" and openai_mock.journal.last.source == "upstream"

@pytest.mark.openai_cassette(record_mode="sometimes")
def test_bad_mode():
    pass
"""
    result = run_with(pytester, upstream, tests, "--openai-record-mode=all")
    result.assert_outcomes(passed=2, errors=1)
    assert "invalid openai_cassette record_mode='sometimes': expected one of none, once" in result.stdout.str()


def test_bad_record_mode_on_the_command_line(pytester) -> None:
    result = run(pytester, "def test_x():\n    pass\n", "--openai-record-mode=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "invalid --openai-record-mode='sometimes'" in result.stderr.str()


def test_the_record_mode_from_the_ini_file(pytester, upstream) -> None:
    pytester.makeini("[pytest]\nopenai_record_mode = once\n")
    run_with(pytester, upstream, """
@pytest.mark.openai_cassette
def test_x(openai_mock):
    ask("Hello")
    assert openai_mock.journal.last.source == "upstream"
""").assert_outcomes(passed=1)
    assert Path(pytester.path / "cassettes" / "test_app" / "test_x.yaml").is_file()
