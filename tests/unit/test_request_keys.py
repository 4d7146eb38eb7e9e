"""The request key is made in one place and never changes for a recording: every interaction of the real
cassettes and of cassettes/ keeps the key it had (tests/data/request_keys.json, computed before the key was
made in one place), and a live request, a recorded one and the command line agree."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from tornado.httputil import HTTPHeaders

from dummy_openai_api.proxy.cassettes import commands
from dummy_openai_api.proxy.cassettes.formats import Interaction, read_cassette
from dummy_openai_api.proxy.cassettes.store import CassetteStore, StoreOptions, cassette_files
from dummy_openai_api.proxy.core import keys
from dummy_openai_api.proxy.core.config import Matching
from dummy_openai_api.proxy.core.http import Request
from tests.conftest import ROOT, SHARED

EXPECTED = json.loads((ROOT / "tests" / "data" / "request_keys.json").read_text())
RULES = (  # the columns of request_keys.json, then the loose key
    keys.KeyRules(),
    keys.KeyRules(ignored=("user", "stream_options.include_obfuscation", "metadata.run"), volatile=("uuid", "timestamp"),
                  path_map=(("/inference", "/v1"),)),
)
SOURCES = [(root, label) for root, label in ((SHARED / "cassettes-real", "real"), (ROOT / "cassettes", "repo"))
           if root.is_dir()]


def recorded() -> list[tuple[str, Interaction]]:
    return [(f"{label}:{name}#{index}", interaction) for root, label in SOURCES
            for name, path in cassette_files(root) for index, interaction in enumerate(read_cassette(path))]


def columns(interaction: Interaction) -> list[str | None]:
    found = [keys.recorded_key(interaction, rules) for rules in RULES]
    loose = keys.recorded_key(interaction, replace(RULES[0], loose=True))
    return [k.key[:16] if k.api else None for k in found] + [loose.key if loose.api else None]


@pytest.mark.skipif(not (SHARED / "cassettes-real").is_dir(), reason="the shared real cassettes are absent")
def test_every_recorded_interaction_keeps_its_key() -> None:
    interactions = recorded()
    assert len(interactions) == len(EXPECTED) >= 140
    changed = {name: (columns(i), EXPECTED[name]) for name, i in interactions if columns(i) != EXPECTED[name]}
    assert changed == {}


def live(interaction: Interaction) -> Request:
    path = keys.api_path(interaction.uri)
    headers = HTTPHeaders({k: v[-1] for k, v in interaction.request_headers.items()})
    query = interaction.uri.partition("?")[2]
    return Request(interaction.method, "/v1" + str(path) + (f"?{query}" if query else ""), headers,
                   interaction.request_body)


@pytest.mark.parametrize("matching", list(Matching))
def test_a_live_request_gets_the_key_of_its_recording(matching: Matching) -> None:
    store = CassetteStore(ROOT / "cassettes", StoreOptions(matching=matching))
    for _, interaction in recorded():
        keyed = keys.recorded_key(interaction, store.rules)
        if keyed.api:
            assert store.request_key(live(interaction)) == keyed


def test_the_command_line_prints_the_servers_key(tmp_path) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(b'{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "user": "u1"}')
    out = io.StringIO()
    assert commands.main(["key", str(body), "--ignore-fields", "user"], out) == 0
    request = Request("POST", "/v1/chat/completions", HTTPHeaders({"Content-Type": "application/json"}),
                      body.read_bytes())
    rules = keys.KeyRules(ignored=("user",))
    assert out.getvalue().splitlines()[0] == keys.request_key(
        request.method, request.path, request.query, request.body, "application/json", rules).key


def test_the_command_line_keys_a_form_as_the_server_does(tmp_path) -> None:
    body = tmp_path / "form.bin"
    body.write_bytes(b'--x1\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n'
                     b'--x1\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n'
                     b"Content-Type: audio/wav\r\n\r\nRIFF\r\n--x1--\r\n")
    content_type = "multipart/form-data; boundary=x1"
    expected = keys.request_key("POST", "/v1/audio/transcriptions", "", body.read_bytes(), content_type,
                                keys.KeyRules())
    for given in (["--content-type", content_type], []):  # without it, the first line names the boundary
        out = io.StringIO()
        assert commands.main(["key", str(body), "--path", "/v1/audio/transcriptions", *given], out) == 0
        key, canonical = out.getvalue().splitlines()
        assert key == expected.key and json.loads(canonical)["file"]["filename"] == "a.wav"
