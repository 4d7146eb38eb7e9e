"""`python main.py`: settings files checked before start-up, the cassette directory, the start-up summary and the
exit report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from dummy_openai_api.proxy.testing.background import BackgroundServer
from dummy_openai_api.proxy.core.config import Mode, Settings
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, ROOT, chat_body
from tests.processes import ServerProcess

HELLO = chat_body(messages=[{"role": "user", "content": "start-up"}])


def refused(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", "--port", "0", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_a_broken_replies_file_is_one_line_before_start_up(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - when: [unclosed\n")
    result = refused("--replies", str(rules))
    assert result.returncode == 2
    assert result.stderr.startswith("main.py: invalid --replies: ") and str(rules) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "Dummy OpenAI API on" not in result.stderr


def test_strict_mode_refuses_a_missing_or_empty_cassette_directory(tmp_path: Path) -> None:
    result = refused("--mode", "strict", "--cassettes", str(tmp_path / "typo"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"invalid --cassettes='{tmp_path / 'typo'}': no such directory" in result.stderr
    (tmp_path / "empty").mkdir()
    result = refused("--mode", "strict", "--cassettes", str(tmp_path / "empty"))
    assert result.returncode == 2 and "no recordings in it" in result.stderr


def test_replay_mode_warns_of_a_missing_cassette_directory(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, "--mode", "replay", "--cassettes", str(tmp_path / "typo")) as server:
        assert httpx.get(server.root_url + "/health").status_code == 200
        output = server.output()
    assert "warning: --cassettes=" in output and "no such directory; every answer will be synthetic" in output


def test_start_up_summary_says_where_what_and_how_much(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    write(cassettes, "greetings", [interaction(HELLO, completion_json("hi")), interaction(HELLO, completion_json("2"))])
    with ServerProcess(tmp_path, "--mode", "strict", "--cassettes", str(cassettes)) as server:
        lines = [line.split(" ", 1)[1] for line in server.output().splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("Dummy OpenAI API on "))
    assert lines[first].startswith(f"Dummy OpenAI API on {server.base_url} (mode strict, key required, ")
    summary = "\n".join(lines[first:first + 6])
    assert "mode:      strict: recorded answers only" in summary
    assert "key:       clients send Authorization: Bearer <key>, the default key" in summary
    assert f"cassettes: 2 interaction(s) from 1 file(s) in {cassettes}" in summary
    assert f"dashboard: {server.root_url}/ " in summary


def test_start_up_summary_never_shows_the_key(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, "--mode", "synthetic", "--api-key", "sk-my-own-key-123456") as server:
        output = server.output()
    assert "the key set by --api-key" in output and "sk-my-own" not in output and "3456" not in output


def test_exit_report_counts_recordings_as_recordings(tmp_path: Path) -> None:
    upstream_key = "sk-upstream-startup"
    with BackgroundServer(Settings(port=0, mode=Mode.SYNTHETIC, api_key=upstream_key, access_log=False,
                                   cassettes=str(tmp_path / "none"))) as upstream:
        server = ServerProcess(tmp_path, "--mode", "record", "--cassettes", str(tmp_path / "cassettes"),
                               "--upstream", upstream.base_url, env={"DUMMY_OPENAI_UPSTREAM_KEY": upstream_key})
        with server:
            for _ in range(2):  # recorded, then replayed
                answer = httpx.post(server.base_url + "/chat/completions", json=HELLO, timeout=60,
                                    headers={"Authorization": f"Bearer {KEY}"})
                assert answer.status_code == 200
        assert server.process is not None and server.process.returncode == 0
    report = server.output().split("Dummy OpenAI API on", 1)[1]
    assert "recorded POST /chat/completions: 1 replayed, 1 recorded" in report
    assert "in all: 1 replayed, 1 recorded" in report
    assert "miss" not in report


def test_exit_report_in_strict_mode_counts_misses(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    write(cassettes, "greetings", [interaction(HELLO, completion_json("hi"))])
    with ServerProcess(tmp_path, "--mode", "strict", "--cassettes", str(cassettes)) as server:
        for body in (HELLO, chat_body(messages=[{"role": "user", "content": "never recorded"}])):
            httpx.post(server.base_url + "/chat/completions", json=body, headers={"Authorization": f"Bearer {KEY}"},
                       timeout=60)
    assert "in all: 1 replayed, 1 missed (cassette_miss)" in server.output()


def test_exit_report_speaks_each_modes_terms() -> None:
    from dummy_openai_api.proxy.launch.startup import exit_report
    counters = {"(none)": {"POST /chat/completions": {"hit": 0, "miss": 3, "record": 0}},
                "recorded": {"POST /chat/completions": {"hit": 2, "miss": 0, "record": 2}}}
    assert exit_report(Mode.RECORD, counters) == [
        "recorded POST /chat/completions: 2 replayed, 2 recorded",
        "in all: 2 replayed, 2 recorded, 1 forwarded without recording"]  # an upstream error, not recorded
    assert exit_report(Mode.REPLAY, counters)[0] == "(none) POST /chat/completions: 3 not recorded (answered " \
                                                   "synthetically)"
    assert exit_report(Mode.SYNTHETIC, {}) == []
