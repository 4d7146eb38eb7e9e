"""Loading a cassette directory: in worker processes it builds the index a single process builds; progress only
on a terminal."""
from __future__ import annotations

import gc
import io
from pathlib import Path

import httpx
import pytest

from dummy_openai_api.proxy.cassettes import loading
from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.cassettes.formats import write_cassette
from dummy_openai_api.proxy.cassettes.store import CassetteStore
from tests.cassette_factory import completion_json, interaction, stream_body, write
from tests.conftest import KEY, chat_body, sdk_client
from tests.unit.test_cassette_format import sample

SSE = "text/event-stream; charset=utf-8"


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
    seen = store.persister.seen
    return index, store.errors, store.skipped, seen, sorted(store.by_cassette), sorted(store.by_endpoint)


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


def test_the_garbage_collector_is_paused_while_files_are_read_and_on_again_after(tmp_path: Path) -> None:
    states = []

    def prepare(name: str, path: Path) -> loading.Loaded:
        states.append(gc.isenabled())
        if name == "c2":
            raise OSError("the file went away")
        return ready(name, path)

    assert gc.isenabled()
    with pytest.raises(OSError):
        list(loading.load_files(FILES, prepare, io.StringIO()))
    assert states == [False, False, False] and gc.isenabled()
    assert CassetteStore(directory(tmp_path)).load().size == 11 and gc.isenabled()


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


def test_a_server_replays_what_workers_loaded(make_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real server and the SDK: files read in worker processes (fast YAML path, a stream, a
    `!!binary` body for the safe loader) answer byte for byte, and a strict miss still names its closest."""
    cassettes = tmp_path / "cassettes"
    for n in range(3):
        write(cassettes, f"chat{n}", [interaction(chat_body(messages=[{"role": "user", "content": f"q{n}-{i}"}]),
                                                  completion_json(f"answer {n}-{i}")) for i in range(4)])
    streamed = chat_body(messages=[{"role": "user", "content": "stream it"}], stream=True)
    write(cassettes, "stream", [interaction(streamed, stream_body(["Hel", "lo"]), content_type=SSE)])
    binary = sample(uri="https://api.openai.com/v1/chat/completions", request_body=b'{"model":"gpt-4o","messages":[{"role":"user","content":"\\u00ff"}]}',
                    response_body=b'{"id":"bin","object":"chat.completion","note":"\xff"}')
    write_cassette(cassettes / "binary.yaml", [binary])
    assert b"!!binary" in (cassettes / "binary.yaml").read_bytes()
    monkeypatch.setattr(loading, "PARALLEL_BYTES", 0)
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client:
        completion = client.chat.completions.create(**chat_body(messages=[{"role": "user", "content": "q2-3"}]))
        assert completion.choices[0].message.content == "answer 2-3"
        chunks = [c.choices[0].delta.content for c in client.chat.completions.create(**streamed) if c.choices]
        assert "".join(filter(None, chunks)) == "Hello"
    raw = httpx.post(server.base_url + "/chat/completions", content=binary.request_body,
                     headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}, timeout=30)
    assert raw.content == binary.response_body
    missed = httpx.post(server.base_url + "/chat/completions", json=chat_body(messages=[{"role": "user",
                                                                                       "content": "q1-9"}]),
                        headers={"Authorization": f"Bearer {KEY}"}, timeout=30)
    message = missed.json()["error"]["message"]
    assert missed.status_code == 404 and "Closest recording: chat" in message, message
    assert 'differing in: messages[0].content (recorded "q' in message  # the recorded body, parsed on demand


def test_where_workers_cannot_start_this_process_reads_the_files(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cassettes = directory(tmp_path)
    alone = snapshot(CassetteStore(cassettes).load())

    class NoWorkers:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no /dev/shm here")

    monkeypatch.setattr(loading, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(loading, "ProcessPoolExecutor", NoWorkers)
    assert snapshot(CassetteStore(cassettes).load()) == alone
