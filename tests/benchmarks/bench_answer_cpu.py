"""CPU per answer of the project's own code, without sockets: `App.handle`, `App.finalize` and `App.log` for a
synthetic chat completion, a replayed one (`--mode strict`), a synthetic Responses API answer (plain, and
one with a function tool, structured output and reasoning settings) and the model list. Best of 15 runs of 1,000 each.

    python tests/benchmarks/bench_answer_cpu.py

Tornado's HTTP layer is left out (it costs the same whatever the application does), so the numbers move with
nothing but the project's code, and stay comparable on a busy machine where bench.py's wrk rounds do not. To
compare two versions, run this file against each (alternating, several times) with PYTHONPATH pointing at a
directory whose `dummy_openai_api/` links `proxy` and `generators` to the version's tree.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tornado.httputil import HTTPHeaders

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dummy_openai_api.generators import tokens  # noqa: E402
from dummy_openai_api.proxy.core.config import Mode, Settings  # noqa: E402
from dummy_openai_api.proxy.core.http import Reply, Request  # noqa: E402
from dummy_openai_api.proxy.server.app import App, make_app  # noqa: E402
from tests.cassette_factory import completion_json, interaction, write  # noqa: E402

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello, how are you?"}]}
REPLAY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Replay: how are you?"}]}
RESPONSES = {"model": "gpt-4o-mini", "input": "Hello, how are you?"}
WEATHER = {"type": "function", "name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
RESPONSES_SET = {"model": "gpt-5-mini", "input": "What's the weather in Paris?", "instructions": "Be brief.",
                 "tools": [WEATHER], "reasoning": {"effort": "low", "summary": "auto"}, "metadata": {"run": "1"},
                 "text": {"verbosity": "low"}, "store": False}
KEY = "sk-dummy"
LOOP = asyncio.new_event_loop()


def per_answer(app: App, method: str, path: str, body: dict[str, Any] | None, count: int) -> float:
    """Microseconds of CPU per answer over `count` requests (a worker thread's included, for offloaded ones)."""
    raw = json.dumps(body).encode() if body else b""
    started = time.process_time()
    for _ in range(count):
        request = Request(method, path, HTTPHeaders({"Authorization": f"Bearer {KEY}",
                                                     "Content-Type": "application/json"}), raw)
        reply = app.handle(request)
        if inspect.isawaitable(reply):  # an answer made on a worker thread, or one awaiting its turn
            reply = LOOP.run_until_complete(reply)
        assert isinstance(reply, Reply) and reply.status == 200, reply
        app.finalize(request, reply)
        app.log(request, reply.status, reply.source)
    return (time.process_time() - started) / count * 1e6


def main() -> None:
    cassettes = Path(tempfile.mkdtemp())
    write(cassettes, "recorded", [interaction(REPLAY, completion_json("Recorded."))])
    settings = Settings(port=0, access_log=False, api_key=KEY, cassettes=str(cassettes))
    synthetic = make_app(settings.replace(mode=Mode.SYNTHETIC))
    strict = make_app(settings.replace(mode=Mode.STRICT))
    tokens.preload()
    while tokens.pending() is not None:
        time.sleep(0.05)
    scenarios = (("chat", synthetic, "POST", "/v1/chat/completions", CHAT),
                 ("replay-chat", strict, "POST", "/v1/chat/completions", REPLAY),
                 ("responses", synthetic, "POST", "/v1/responses", RESPONSES),
                 ("responses-settings", synthetic, "POST", "/v1/responses", RESPONSES_SET),
                 ("models", synthetic, "GET", "/v1/models", None))
    results = {}
    for name, app, method, path, body in scenarios:
        per_answer(app, method, path, body, 300)  # warm caches
        results[name] = round(min(per_answer(app, method, path, body, 1000) for _ in range(15)), 1)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
