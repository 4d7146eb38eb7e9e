"""Loading a cassette directory: in worker processes it builds the index a single process builds; progress only
on a terminal."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from dummy_openai_api.proxy.cassettes import loading
from dummy_openai_api.proxy.cassettes.formats import write_cassette
from dummy_openai_api.proxy.cassettes.store import CassetteStore
from tests.test_cassette_format import sample


def directory(tmp_path: Path) -> Path:
    """Three cassettes (one in a subdirectory, one repeating a request of another), a broken one, and a
    recording of a host that is not an API (skipped)."""
    body = b'{"model":"gpt-4o","messages":[{"role":"user","content":"%d"}]}'
    write_cassette(tmp_path / "a.yaml", [sample(request_body=body % n) for n in range(5)])
    write_cassette(tmp_path / "sub" / "b.yaml", [sample(request_body=body % n, response_body=b'{"b": %d}' % n)
                                                 for n in range(3, 8)])
    write_cassette(tmp_path / "c.yaml", [sample(uri="https://example.com/page"), sample(status=500, reason="x")])
    (tmp_path / "broken.yaml").write_text("interactions: [\n")
    return tmp_path


def snapshot(store: CassetteStore) -> tuple:
    index = {key: [(r.cassette, r.index, r.body, r.canonical) for r in queue.items]
             for key, queue in store.index.items()}
    return index, store.errors, store.skipped, store.seen, sorted(store.by_cassette), sorted(store.by_endpoint)


def test_workers_build_the_index_one_process_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cassettes = directory(tmp_path)
    alone = snapshot(CassetteStore(cassettes).load())
    assert alone[2] == 1 and len(alone[1]) == 1 and sum(map(len, alone[0].values())) == 11
    monkeypatch.setattr(loading, "PARALLEL_BYTES", 0)
    assert loading._workers(1, 4) == min(4, len(loading.os.sched_getaffinity(0)))
    assert snapshot(CassetteStore(cassettes).load()) == alone


def test_a_recording_parses_its_request_on_demand(tmp_path: Path) -> None:
    store = CassetteStore(directory(tmp_path)).load()
    recording = store.index[next(iter(store.index))].items[0]
    assert isinstance(recording.request_body, bytes)
    assert recording.canonical == {"model": "gpt-4o", "messages": [{"role": "user", "content": "0"}]}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def ready(name: str, path: Path) -> loading.Loaded:
    return loading.Loaded(name, count=2, rows=[("key", None), ("key", None)])


FILES = [(f"c{n}", Path(f"/nonexistent/c{n}.yaml")) for n in range(3)]


def test_a_terminal_sees_one_updating_line_and_a_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "PROGRESS_AFTER_S", 0.0)
    stream = Terminal()
    assert [loaded.name for loaded in loading.load_files(FILES, ready, stream)] == ["c0", "c1", "c2"]
    text = stream.getvalue()
    assert text.startswith("\r\x1b[2Kcassettes: ") and text.count("\n") == 1
    assert text.endswith("cassettes: 6 recordings from 3 files in 0.0 s\n")


def test_no_progress_off_a_terminal_or_for_a_short_load(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(loading, "PROGRESS_AFTER_S", 0.0)
    list(loading.load_files(FILES, ready, stream))
    monkeypatch.setattr(loading, "PROGRESS_AFTER_S", 60.0)
    terminal = Terminal()
    list(loading.load_files(FILES, ready, terminal))
    assert stream.getvalue() == "" and terminal.getvalue() == ""
