"""Cassettes come from other people's pull requests: a hostile one is refused, named, and costs next to nothing.

Alias and compression bombs of a few KB against a real server process (at start-up and on reload), broken
statuses and header lines, symbolic links that lead out of the cassette directory, a tampered parse cache,
cassette names the file system cannot hold, recorded pages, and a corrupt cassette that recording must not
overwrite.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import Iterator

import httpx
import orjson
import pytest

from dummy_openai_api.proxy.cassettes.parse_cache import CACHE_DIRECTORY
from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode
from tests import bombs
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess, rss_mib
from tests.upstreams import Scenario, ScenarioServer
from tests.wire import exchange, parse, request

AUTH = {"Authorization": f"Bearer {KEY}"}
CHAT = "/v1/chat/completions"


def good_cassette(directory: Path, name: str = "good", content: str = "replayed from the good cassette") -> Path:
    return write(directory, name, [interaction(chat_body(), completion_json(content))])


def replays_good(base_url: str) -> bool:
    answer = httpx.post(base_url + "/chat/completions", json=chat_body(), headers=AUTH, timeout=30)
    return answer.status_code == 200 and answer.json()["choices"][0]["message"]["content"] == \
        "replayed from the good cassette"


def unreadable(root_url: str) -> list[str]:
    return httpx.get(root_url + "/_mock/counters", headers=AUTH, timeout=30).json()["unreadable"]


def assert_refused(errors: list[str], path: Path, reason: str) -> None:
    named = [e for e in errors if e.startswith(str(path) + ":")]
    assert len(named) == 1 and reason in named[0], errors


# --- alias bombs -------------------------------------------------------------------------------------------

def test_alias_bombs_are_refused_at_start_up_naming_each_file(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    good_cassette(cassettes)
    for name, bomb in bombs.YAML_BOMBS.items():
        (cassettes / f"{name}.yaml").write_text(bomb())
    with ServerProcess(tmp_path, "--mode", "replay", "--cassettes", str(cassettes)) as server:  # hung before
        errors = unreadable(server.root_url)
        for name in bombs.YAML_BOMBS:
            assert_refused(errors, cassettes / f"{name}.yaml", "YAML alias")
            assert f"{cassettes / name}.yaml" in server.output()  # the start-up log names it too
        assert len(errors) == len(bombs.YAML_BOMBS)
        assert replays_good(server.base_url)


def test_an_alias_bomb_added_later_is_refused_on_reload(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    good_cassette(cassettes)
    with ServerProcess(tmp_path, "--mode", "replay", "--cassettes", str(cassettes)) as server:
        (cassettes / "bomb.yaml").write_text(bombs.bomb_in_headers())
        reloaded = httpx.post(server.root_url + "/_mock/cassettes/reload", headers=AUTH, timeout=60)
        assert reloaded.status_code == 200
        assert_refused(reloaded.json()["unreadable"], cassettes / "bomb.yaml", "YAML aliases expand it")
        assert replays_good(server.base_url)
        assert httpx.get(server.root_url + "/_mock/health", headers=AUTH, timeout=60).status_code == 200


def test_anchors_that_real_cassettes_use_still_load(tmp_path: Path) -> None:
    """A shared header block, named by an anchor and used by every interaction, is not a bomb."""
    path = good_cassette(tmp_path)
    text = path.read_text().replace("interactions:", "shared: &shared {openai-version: ['2020-10-01']}\ninteractions:", 1)
    path.write_text(text.replace("    headers:\n      content-type:", "    headers:\n      <<: *shared\n"
                                 "      content-type:"))
    interactions = read_cassette(path)
    assert interactions and interactions[0].response_headers["openai-version"] == ["2020-10-01"]


# --- compression bombs and the parse cache -----------------------------------------------------------------

def test_compression_bombs_are_refused_and_cost_little_memory_or_disk(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    good_cassette(cassettes)
    write(cassettes, "brotli", [bombs.compressed_answer(bombs.BROTLI_GIB, "br")])
    write(cassettes, "gzip", [bombs.compressed_answer(bombs.gzip_bomb(), "gzip")])
    (cassettes / "whole.yaml.gz").write_bytes(bombs.gzip_bomb())
    with ServerProcess(tmp_path, "--mode", "replay", "--cassettes", str(cassettes)) as server:
        errors = unreadable(server.root_url)
        assert_refused(errors, cassettes / "whole.yaml.gz", "the file decompresses to more than")
        assert_refused(errors, cassettes / "brotli.yaml", "body limit of 67108864 bytes")
        assert_refused(errors, cassettes / "gzip.yaml", "body limit of 67108864 bytes")
        assert replays_good(server.base_url)
        assert rss_mib(server.pid) < 600  # 3 GB and more when each body was inflated whole
    sources = sum(p.stat().st_size for p in cassettes.glob("*.yaml*"))
    cached = sum(p.stat().st_size for p in (cassettes / CACHE_DIRECTORY).glob("*.json"))
    assert cached <= 2 * sources


def test_a_body_of_countless_empty_gzip_members_costs_little(tmp_path: Path) -> None:
    """Each member costs a copy of the rest: 100,000 of them (2 MB) took hours to read whole."""
    cassettes = tmp_path / "cassettes"
    good_cassette(cassettes)
    write(cassettes, "members", [bombs.compressed_answer(gzip.compress(b"", mtime=0) * 100_000, "gzip")])
    with ServerProcess(tmp_path, "--mode", "replay", "--cassettes", str(cassettes)) as server:
        assert unreadable(server.root_url) == []  # kept as the bytes it is, like any body that does not decode
        assert replays_good(server.base_url)


def test_a_smaller_body_limit_is_a_setting(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    good_cassette(cassettes)
    write(cassettes, "big", [bombs.compressed_answer(bombs.gzip_bomb(members=1, size=3 * 2**20), "gzip")])
    with ServerProcess(tmp_path, "--cassettes", str(cassettes), "--cassette-body-mb", "2") as server:
        assert_refused(unreadable(server.root_url), cassettes / "big.yaml", "body limit of 2097152 bytes")
        assert replays_good(server.base_url)


def test_the_parse_cache_is_never_larger_than_its_cassette(make_server, tmp_path: Path) -> None:
    """A compressible body is kept compressed in the cassette: its inflated parse is not worth the disk."""
    cassettes = tmp_path / "cassettes"
    answer = orjson.dumps(completion_json("word " * 100_000))
    write(cassettes, "gzipped", [bombs.compressed_answer(gzip.compress(answer, mtime=0), "gzip")])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    assert unreadable(server.root_url) == []
    entries = list((cassettes / CACHE_DIRECTORY).glob("*.json"))
    assert all(entry.stat().st_size <= 2 * (cassettes / "gzipped.yaml").stat().st_size for entry in entries)


def _tamper(entry: Path, outside: Path, how: str) -> None:
    data = orjson.loads(entry.read_bytes())
    response = data["interactions"][0]
    if how == "status":
        response["status"] = -5
    elif how == "status-text":
        response["status"] = "200 OK\r\nSet-Cookie: pwned=1"
    elif how == "header":
        response["response_headers"]["content-type"] = ["application/json\r\nSet-Cookie: pwned=1"]
    elif how == "types":
        response["response_headers"] = ["not", "a", "mapping"]
    if how in ("symlink", "directory-link"):
        forged = outside / (entry.name if how == "directory-link" else "forged.json")
        response["response_body"] = {"text": json.dumps(completion_json("forged through a link"))}
        forged.write_bytes(orjson.dumps(data))
        entry.unlink()
        if how == "directory-link":
            shutil.rmtree(entry.parent)  # its .gitignore too
            entry.parent.symlink_to(outside, target_is_directory=True)
        else:
            entry.symlink_to(forged)
    elif how == "fifo":
        entry.unlink()
        os.mkfifo(entry)
    elif how == "huge":
        entry.write_bytes(entry.read_bytes() + b" " * (3 * entry.stat().st_size))
    else:
        entry.write_bytes(orjson.dumps(data))


@pytest.mark.parametrize("how", ["status", "status-text", "header", "types", "symlink", "directory-link", "fifo",
                                 "huge"])
def test_a_tampered_parse_cache_entry_is_not_believed(make_server, tmp_path: Path, how: str) -> None:
    cassettes, outside = tmp_path / "cassettes", tmp_path / "outside"
    outside.mkdir()
    good_cassette(cassettes)
    make_server(mode=Mode.REPLAY, cassettes=str(cassettes)).stop()  # writes the cache entry
    (entry,) = (cassettes / CACHE_DIRECTORY).glob("*.json")
    _tamper(entry, outside, how)
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    answer = parse(exchange(server.port, request("POST", CHAT, orjson.dumps(chat_body()),
                                                 Content_Type="application/json")))
    assert answer.status == 200 and answer.headers.get("Set-Cookie") is None
    assert answer.json()["choices"][0]["message"]["content"] == "replayed from the good cassette"
    if how == "directory-link":  # neither read nor written through the link
        assert len(list(outside.iterdir())) == 1
        return
    (entry,) = (cassettes / CACHE_DIRECTORY).glob("*.json")  # parsed again, and written again as it should be
    assert entry.is_file() and not entry.is_symlink()
    assert entry.stat().st_size <= 2 * (cassettes / "good.yaml").stat().st_size


# --- statuses and header lines -----------------------------------------------------------------------------

def recorded(status: object = 200, headers: str = "{content-type: [application/json]}",
             body: str = "'{\"object\": \"chat.completion\"}'") -> str:
    return ("interactions:\n"
            f"- request: {{method: POST, uri: '{bombs.CHAT_URI}', body: '{json.dumps(chat_body())}', headers: {{}}}}\n"
            f"  response: {{status: {{code: {status}, message: OK}}, headers: {headers}, body: {{string: {body}}}}}\n")


@pytest.mark.parametrize("status", [-5, 0, 99, 600, 2000000000])
def test_a_recorded_status_outside_100_599_refuses_the_cassette(make_server, tmp_path: Path, status: int) -> None:
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    (cassettes / "broken.yaml").write_text(recorded(status))
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    assert_refused(unreadable(server.root_url), cassettes / "broken.yaml", f"status {status} is not an HTTP status")
    raw = exchange(server.port, request("POST", CHAT, orjson.dumps(chat_body()), Content_Type="application/json"))
    assert raw.startswith(b"HTTP/1.1 200 OK\r\n")  # the synthetic answer: the recording was never served


@pytest.mark.parametrize("status", [100, 101, 103])
def test_a_recorded_interim_status_is_not_served(make_server, tmp_path: Path, status: int) -> None:
    """A 1xx is not an answer: a client reading one waits on for the real answer, or switches protocols."""
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    (cassettes / "interim.yaml").write_text(recorded(status))
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    counters = httpx.get(server.root_url + "/_mock/counters", headers=AUTH).json()
    assert counters["unreadable"] == [] and counters["skipped"] == 1
    raw = exchange(server.port, request("POST", CHAT, orjson.dumps(chat_body()), Content_Type="application/json"))
    assert raw.startswith(b"HTTP/1.1 200 OK\r\n") and b'"object":"chat.completion"' in raw  # synthetic


@pytest.mark.parametrize("status", [204, 205, 304])
def test_a_recorded_status_without_content_is_replayed_without_its_body(make_server, tmp_path: Path,
                                                                       status: int) -> None:
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    (cassettes / "empty.yaml").write_text(recorded(status))
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    twice = request("POST", CHAT, orjson.dumps(chat_body()), Content_Type="application/json", Connection="keep-alive")
    raw = exchange(server.port, twice + request("POST", CHAT, orjson.dumps(chat_body()),
                                                Content_Type="application/json"))
    assert raw.count(f"HTTP/1.1 {status} ".encode()) == 2 and b"chat.completion" not in raw


def test_recorded_headers_that_would_break_the_framing_are_not_replayed(make_server, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    headers = ('{content-type: ["application/json\\r\\nSet-Cookie: pwned=0"], '
               'x-request-id: ["req_1\\r\\nSet-Cookie: pwned=1"], '
               '"openai-x\\r\\nInjected": [yes], openai-version: ["2020-10-01"], '
               'openai-processing-ms: ["1\\u0000"], x-ratelimit-limit-requests: ["10\\nInjected: 2"]}')
    (cassettes / "headers.yaml").write_text(recorded(headers=headers))
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    raw = exchange(server.port, request("POST", CHAT, orjson.dumps(chat_body()), Content_Type="application/json"))
    answer = parse(raw)
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert answer.status == 200 and answer.json() == {"object": "chat.completion"}
    assert b"pwned" not in head and b"Injected" not in head and b"\x00" not in head and b"\n\n" not in head
    assert answer.headers["openai-version"] == "2020-10-01"


# --- symbolic links and names ------------------------------------------------------------------------------

def test_a_cassette_that_links_outside_the_directory_is_not_read(make_server, tmp_path: Path) -> None:
    cassettes, outside = tmp_path / "cassettes", tmp_path / "outside"
    good_cassette(outside, "secret", "read through a link")
    good_cassette(cassettes / "real", "kept", "replayed from the good cassette")
    (cassettes / "link.yaml").symlink_to(outside / "secret.yaml")
    (cassettes / "inner.yaml").symlink_to(cassettes / "real" / "kept.yaml")  # inside: allowed
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    assert_refused(unreadable(server.root_url), cassettes / "link.yaml", "outside the cassette directory")
    for cassette in ("link", None):
        headers = {**AUTH, **({"X-Cassette": cassette} if cassette else {})}
        answer = httpx.post(server.base_url + "/chat/completions", json=chat_body(), headers=headers)
        assert "read through a link" not in answer.text
    assert replays_good(server.base_url)


@pytest.fixture
def upstream() -> Iterator[ScenarioServer]:
    with ScenarioServer() as running:
        Scenario.seen.clear()
        yield running


def record_into(server_url: str, cassette: str) -> httpx.Response:
    return httpx.post(server_url + "/chat/completions", json=chat_body(), timeout=30,
                      headers={**AUTH, "X-Cassette": cassette, "X-Scenario": "ok"})


@pytest.mark.parametrize("mode", [Mode.RECORD, Mode.RECORD_ALL])
def test_recording_through_a_link_that_leads_outside_is_refused(make_server, upstream, tmp_path: Path,
                                                                mode: Mode) -> None:
    cassettes, outside = tmp_path / "cassettes", tmp_path / "outside"
    victim = good_cassette(outside, "victim", "the victim's own recording")
    before = victim.read_bytes()
    cassettes.mkdir()
    (cassettes / "dir").symlink_to(outside, target_is_directory=True)
    (cassettes / "file.yaml").symlink_to(victim)
    server = make_server(mode=mode, cassettes=str(cassettes), upstream=upstream.base_url, upstream_key="sk-up")
    for cassette in ("dir/x", "dir/victim", "file"):
        answer = record_into(server.base_url, cassette)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["code"] == "cassette_outside_directory"
    assert Scenario.seen == []  # refused before the upstream was paid
    assert sorted(p.name for p in outside.iterdir()) == ["victim.yaml"] and victim.read_bytes() == before


@pytest.mark.parametrize("mode", [Mode.RECORD, Mode.RECORD_ALL])
@pytest.mark.parametrize("name", ["a" * 300, "d/" + "b" * 240, "c" * 256 + "/x", ".cassette-cache/x", "ok/.hidden"])
def test_a_cassette_name_the_directory_cannot_hold_is_refused_before_the_upstream_call(
        make_server, upstream, tmp_path: Path, mode: Mode, name: str) -> None:
    cassettes = tmp_path / "cassettes"
    server = make_server(mode=mode, cassettes=str(cassettes), upstream=upstream.base_url, upstream_key="sk-up")
    answer = record_into(server.base_url, name)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_cassette_name" and error["param"] == "X-Cassette"
    assert error["type"] == "invalid_request_error" and len(error["message"]) < 600
    assert Scenario.seen == []
    assert not cassettes.exists() or not any(p.is_file() and p.suffix == ".yaml" for p in cassettes.rglob("*"))


@pytest.mark.parametrize("name", ["notes/x", "taken"])
def test_a_cassette_whose_place_is_taken_is_refused_before_the_upstream_call(make_server, upstream, tmp_path: Path,
                                                                            name: str) -> None:
    cassettes = tmp_path / "cassettes"
    (cassettes / "taken.yaml").mkdir(parents=True)
    (cassettes / "notes").write_text("a file where a directory would go")
    server = make_server(mode=Mode.RECORD_ALL, cassettes=str(cassettes), upstream=upstream.base_url,
                         upstream_key="sk-up")
    answer = record_into(server.base_url, name)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_cassette_name", answer.text
    assert Scenario.seen == []


def test_a_name_part_of_up_to_the_limit_records(make_server, upstream, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=upstream.base_url, upstream_key="sk-up")
    answer = record_into(server.base_url, "d" * 255 + "/" + "e" * 232)
    assert answer.status_code == 200, answer.text
    assert len(list(cassettes.rglob("*.yaml"))) == 1


# --- recorded pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "image/svg+xml", "text/plain", None])
def test_a_replayed_page_cannot_run_on_the_servers_origin(make_server, tmp_path: Path, content_type: str | None) -> None:
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    headers = f"{{content-type: ['{content_type}']}}" if content_type else "{}"
    page = "'<html><script>fetch(\"/_mock/mode\", {method: \"POST\"})</script></html>'"
    (cassettes / "page.yaml").write_text(recorded(headers=headers, body=page))
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    answer = httpx.post(server.base_url + "/chat/completions", json=chat_body(), headers=AUTH)
    assert answer.status_code == 200 and "<script>" in answer.text
    if content_type is None:  # recorded without a type: replayed as the API's JSON, which no browser runs
        assert answer.headers["content-type"].startswith("application/json")
        return
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"].startswith("sandbox")


def test_a_replayed_api_answer_is_sent_as_recorded(make_server, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    good_cassette(cassettes)
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    answer = httpx.post(server.base_url + "/chat/completions", json=chat_body(), headers=AUTH)
    assert answer.json()["choices"][0]["message"]["content"] == "replayed from the good cassette"
    assert "content-security-policy" not in answer.headers


# --- a corrupt target --------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["record", "record-all"])
def test_a_corrupt_target_cassette_is_named_and_kept(upstream, tmp_path: Path, mode: str) -> None:
    cassettes = tmp_path / "cassettes"
    good = good_cassette(cassettes, "recorded")
    corrupt = good.read_bytes()[:-40] + b"\n  - [unclosed\n"
    good.write_bytes(corrupt)
    with ServerProcess(tmp_path, "--mode", mode, "--cassettes", str(cassettes), "--upstream", upstream.base_url,
                       env={"OPENAI_API_KEY": "sk-up"}) as server:
        for _ in range(2):
            answer = record_into(server.base_url, "recorded")
            assert answer.status_code == 409, answer.text
            error = answer.json()["error"]
            assert error["code"] == "cassette_unreadable" and str(good) in error["message"]
            assert set(error) == {"message", "type", "param", "code"}
        assert Scenario.seen == []
        assert "Traceback" not in server.output()
    assert good.read_bytes() == corrupt
