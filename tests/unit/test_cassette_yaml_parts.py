"""A cassette written from each interaction's YAML reads back as the cassette written whole, in vcrpy too."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.cassettes.formats.vcr import dumps_cassette, interaction_yaml, joined_cassette
from tests.cassette_factory import completion_json, interaction, stream_body
from tests.conftest import ROOT, chat_body

REAL = ROOT.parent / "shared" / "cassettes-real"


def samples() -> list:
    made = [interaction(chat_body(messages=[{"role": "user", "content": f"question {n}"}]),
                        completion_json(f"answer {n}")) for n in range(3)]
    made.append(interaction(chat_body(stream=True), stream_body(["a", "b"]), content_type="text/event-stream"))
    real = sorted(REAL.rglob("*.yaml"))[:40] if REAL.is_dir() else []
    for path in real:
        made.extend(read_cassette(path))
    return made


def test_joined_parts_load_as_the_whole(tmp_path: Path) -> None:
    items = samples()
    whole = yaml.safe_load(dumps_cassette(items))
    joined = joined_cassette([interaction_yaml(i) for i in items])
    assert yaml.safe_load(joined) == whole
    (tmp_path / "joined.yaml").write_text(joined)
    assert read_cassette(tmp_path / "joined.yaml") == read_cassette(_written(tmp_path / "whole.yaml", items))


def test_an_empty_cassette_is_vcrpys_empty_cassette() -> None:
    assert yaml.safe_load(joined_cassette([])) == {"interactions": [], "version": 1}


def test_vcrpy_reads_a_joined_cassette(tmp_path: Path) -> None:
    vcr_serialize = pytest.importorskip("vcr.serialize")
    from vcr.serializers import yamlserializer
    items = samples()[:4]
    text = joined_cassette([interaction_yaml(i) for i in items])
    requests, responses = vcr_serialize.deserialize(text, yamlserializer)
    assert len(requests) == len(responses) == 4 and requests[0].method == "POST"


def _written(path: Path, items: list) -> Path:
    path.write_text(dumps_cassette(items))
    return path
