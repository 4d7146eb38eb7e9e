"""`python main.py cassettes list|check|key`."""
from __future__ import annotations

import io

from proxy import cassette_tools
from proxy.config import Mode
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
    assert run("check", "--cassettes", str(tmp_path))[0] == 0


def test_key_matches_what_the_server_computes(tmp_path, make_server) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "tools"}]}')
    status, out = run("key", str(body))
    assert status == 0
    server = make_server(mode=Mode.STRICT, cassettes=str(tmp_path / "none"))
    import httpx
    miss = httpx.post(server.base_url + "/chat/completions", json=HELLO, headers={"Authorization": f"Bearer {KEY}"})
    assert out.split()[0][:16] in miss.json()["error"]["message"]
