"""`python main.py cassettes list|check|key`."""
from __future__ import annotations

import io

from dummy_openai_api.proxy.cassettes import commands as cassette_tools
from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body

HELLO = chat_body(messages=[{"role": "user", "content": "tools"}])


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cassette_tools.main(list(argv), out), out.getvalue()


def test_list_counts_interactions_per_endpoint(tmp_path) -> None:
    write(tmp_path, "a", [interaction(HELLO, completion_json("x")), interaction(HELLO, completion_json("y")),
                          interaction(None, {"data": []}, path="/models", method="GET")])
    status, out = run("list", "--cassettes", str(tmp_path))
    assert status == 0
    assert "a: 3 interaction(s)" in out and "2  POST /chat/completions" in out and "1  GET /models" in out


def test_check_finds_unreadable_files_secrets_and_repeats(tmp_path) -> None:
    leaky = interaction(HELLO, completion_json("x"))
    leaky.request_headers["authorization"] = ["Bearer sk-proj-abcdefghijklmnop1234"]
    write(tmp_path, "leaky", [leaky, interaction(HELLO, completion_json("y"))])
    (tmp_path / "broken.yaml").write_text("interactions: [")
    status, out = run("check", "--cassettes", str(tmp_path))
    assert status == 1
    assert "unreadable:" in out and "broken.yaml" in out
    assert "secret: leaky #0: request header authorization" in out
    assert "recorded 2 times" in out


def test_check_passes_clean_cassettes(tmp_path) -> None:
    write(tmp_path, "clean", [interaction(HELLO, completion_json("x"))])
    status, out = run("check", "--cassettes", str(tmp_path))
    assert status == 0 and out.splitlines()[-1].startswith("OK: 1 interaction(s) in 1 cassette file(s)")


def test_check_summary_says_failed_with_what_it_found(tmp_path) -> None:
    leaky = interaction(HELLO, completion_json("x"))
    leaky.request_headers["authorization"] = ["Bearer sk-proj-abcdefghijklmnop1234"]
    write(tmp_path, "leaky", [leaky, interaction(HELLO, completion_json("y"))])
    status, out = run("check", "--cassettes", str(tmp_path))
    assert status == 1
    assert out.splitlines()[-1] == "FAILED: 1 repeated key, 1 secret (2 interaction(s) in 1 cassette file(s))"


def test_check_reports_repeated_keys_as_a_warning_not_ok(tmp_path) -> None:
    write(tmp_path, "retries", [interaction(HELLO, completion_json("first")), interaction(HELLO, completion_json("2"))])
    status, out = run("check", "--cassettes", str(tmp_path))
    assert status == 0
    assert "recorded 2 times (retries #0, #1)" in out
    assert out.splitlines()[-1].startswith("WARNING: 1 repeated key (2 interaction(s) in 1 cassette file(s))")
    assert "OK" not in out
    assert run("check", "--strict", "--cassettes", str(tmp_path))[0] == 1


def test_check_of_a_missing_directory_fails(tmp_path) -> None:
    status, out = run("check", "--cassettes", str(tmp_path / "typo"))
    assert status == 1
    assert "missing directory" in out and out.splitlines()[-1].startswith("FAILED")
    (tmp_path / "empty").mkdir()
    status, out = run("check", "--cassettes", str(tmp_path / "empty"))
    assert status == 0 and out.splitlines()[-1].startswith("WARNING: 1 empty directory")


def test_key_matches_what_the_server_computes(tmp_path, make_server) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "tools"}]}')
    status, out = run("key", str(body))
    assert status == 0
    server = make_server(mode=Mode.STRICT, cassettes=str(tmp_path / "none"))
    import httpx
    miss = httpx.post(server.base_url + "/chat/completions", json=HELLO, headers={"Authorization": f"Bearer {KEY}"})
    assert out.split()[0][:16] in miss.json()["error"]["message"]


def test_prune_drops_what_a_run_never_served(tmp_path, make_server) -> None:
    other = chat_body(messages=[{"role": "user", "content": "never asked"}])
    write(tmp_path, "a", [interaction(HELLO, completion_json("served")), interaction(other, completion_json("x"))])
    write(tmp_path, "b", [interaction(other, completion_json("unused file"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(tmp_path))
    import httpx
    httpx.post(server.base_url + "/chat/completions", json=HELLO, headers={"Authorization": f"Bearer {KEY}",
                                                                          "X-Cassette": "a"})
    usage = tmp_path / "usage.json"
    usage.write_text(httpx.get(server.root_url + "/_mock/counters", headers={"Authorization": f"Bearer {KEY}"}).text)
    assert run("prune", "--cassettes", str(tmp_path), "--usage", str(usage), "--dry-run")[0] == 0
    assert len(read_cassette(tmp_path / "a.yaml")) == 2
    status, out = run("prune", "--cassettes", str(tmp_path), "--usage", str(usage))
    assert status == 0 and "removed 2 interaction(s)" in out
    assert [i.response_body for i in read_cassette(tmp_path / "a.yaml")] == [interaction(
        HELLO, completion_json("served")).response_body]
    assert not (tmp_path / "b.yaml").exists()


def test_usage_file_is_written_at_shutdown(tmp_path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT
    write(tmp_path / "c", "a", [interaction(HELLO, completion_json("x"))])
    proc = subprocess.Popen([sys.executable, "main.py", "--port", "0", "--mode", "strict", "--cassettes",
                             str(tmp_path / "c"), "--usage-file", str(tmp_path / "usage.json")], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if "Dummy OpenAI API on" in line:
            break
    proc.terminate()
    proc.wait(30)
    import json
    assert json.loads((tmp_path / "usage.json").read_text()) == {"served": {"a": []}}


def test_rekey_reports_shared_keys_and_strips_ignored_fields(tmp_path) -> None:
    write(tmp_path, "r", [interaction({**HELLO, "user": "a"}, completion_json("1")),
                          interaction({**HELLO, "user": "b"}, completion_json("2"))])
    status, out = run("rekey", "--cassettes", str(tmp_path))
    assert "2 key(s), 0 sharing" in out
    status, out = run("rekey", "--cassettes", str(tmp_path), "--ignore-fields", "user", "--write")
    assert "1 key(s), 2 sharing" in out
    import json
    assert all("user" not in json.loads(i.request_body) for i in read_cassette(tmp_path / "r.yaml"))


def test_merge_and_convert(tmp_path) -> None:
    write(tmp_path, "one", [interaction(HELLO, completion_json("1"))])
    write(tmp_path, "two", [interaction(HELLO, completion_json("1")), interaction(HELLO, completion_json("2"))])
    status, out = run("merge", str(tmp_path / "all.yaml"), str(tmp_path / "one.yaml"), str(tmp_path / "two.yaml"))
    assert status == 0 and len(read_cassette(tmp_path / "all.yaml")) == 2
    assert run("convert", str(tmp_path / "all.yaml"), str(tmp_path / "all.har"))[0] == 0
    import json
    har = json.loads((tmp_path / "all.har").read_text())
    assert len(har["log"]["entries"]) == 2
    assert read_cassette(tmp_path / "all.har") == read_cassette(tmp_path / "all.yaml") or [
        i.response_body for i in read_cassette(tmp_path / "all.har")] == [
        i.response_body for i in read_cassette(tmp_path / "all.yaml")]
    assert run("convert", str(tmp_path / "all.har"), str(tmp_path / "back.yaml"))[0] == 0
    assert [i.response_body for i in read_cassette(tmp_path / "back.yaml")] == [
        i.response_body for i in read_cassette(tmp_path / "all.yaml")]
