"""Prototype speed-ups, applied to our server at start-up so they can be measured side by side.

    python variants.py --patch uvloop,keycache -- --mode synthetic --access-log false --port 8000

Starts `main.py` with the named patches applied first (none of them changes the project's files). Each
patch is a candidate change to the core, kept here so its effect can be measured against the unpatched
server in the same benchmark run (bench.py `--variants`). The numbers decide which ones move into the core;
those that did (pre-rendered headers, ready-made streams in one write, one timeout sweep, `--workers`) are
no longer patches.

Patches:
  accesslog  no change: the access log switched on (the default), to price it
  uvloop     run Tornado on uvloop's event loop (what `--event-loop auto` picks where uvloop is installed)
  fastlog    the access log as one preformatted line written to a buffered stderr (flushed each second)
             instead of a `logging` call, and switched on
  keycache   cassette lookups remember raw request bytes -> request key (bounded), skipping the JSON
             parse, canonical re-serialization and sha256 for a repeated request
  fasttokens `tokens.count`/`encoding_for` through a lock-free model -> Encoding dict, and plain text-only
             chat prompts counted in one expression (generators/tokens.py)
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PATCHES: dict[str, Callable[[], None]] = {}


def patch(function: Callable[[], None]) -> Callable[[], None]:
    PATCHES[function.__name__] = function
    return function


@patch
def accesslog() -> None:
    """The setting as it is: one `logging` call per request (main() turns --access-log on)."""


@patch
def uvloop() -> None:
    import uvloop as uv
    asyncio.set_event_loop_policy(uv.EventLoopPolicy())


# --- fastlog -----------------------------------------------------------------------------------------------

@patch
def fastlog() -> None:
    from tornado.ioloop import PeriodicCallback

    from dummy_openai_api.proxy.server import app as app_module

    out = open(sys.stderr.fileno(), "w", buffering=1 << 16, closefd=False)
    started: list[PeriodicCallback] = []

    def log(self: Any, request: Any, status: int, source: str) -> None:
        if not started:
            started.append(PeriodicCallback(out.flush, 1000))
            started[0].start()
        elapsed = (time.perf_counter() - request.started) * 1000
        out.write(f"{time.strftime('%H:%M:%S')} {request.method} {request.path} {status} {source} {elapsed:.1f}ms\n")

    app_module.App.log = log


# --- keycache ----------------------------------------------------------------------------------------------

@patch
def keycache() -> None:
    from dummy_openai_api.proxy.cassettes import store as cassettes

    original = cassettes.CassetteStore.request_key
    limit = 4096

    def request_key(self: Any, request: Any) -> tuple[str, str, Any]:
        cache = self.__dict__.setdefault("_key_cache", {})
        memo = (request.method, request.path, request.query, request.body)
        found = cache.get(memo)
        if found is None:
            found = original(self, request)
            if len(cache) >= limit:
                cache.pop(next(iter(cache)))
            cache[memo] = found
        return found

    cassettes.CassetteStore.request_key = request_key


# --- fasttokens ---------------------------------------------------------------------------------------------

@patch
def fasttokens() -> None:
    from dummy_openai_api.generators import tokens

    by_model: dict[str, Any] = {}  # model -> Encoding, without the lock once loaded

    def encoding_for(model: str) -> Any:
        found = by_model.get(model)
        if found is None:
            found = tokens.encoding(tokens.encoding_name_for(model))
            if len(by_model) < 4096:
                by_model[model] = found
        return found

    def count(text: str, model: str) -> int:
        return len((by_model.get(model) or encoding_for(model)).encode_ordinary(text))

    general = tokens.count_chat_prompt

    def count_chat_prompt(messages: list[dict[str, Any]], model: str, tools: list[dict] | None = None) -> int:
        """Plain {role, content: str} messages without tools in one expression; anything else the general way."""
        if tools or not all(len(m) == 2 and type(m.get("content")) is str and type(m.get("role")) is str
                            for m in messages):
            return general(messages, model, tools)
        encode = encoding_for(model).encode_ordinary
        return sum(len(encode(m["role"])) + len(encode(m["content"])) for m in messages) + 3 * len(messages) + 3

    tokens.encoding_for, tokens.count, tokens.count_chat_prompt = encoding_for, count, count_chat_prompt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patch", default="", help="comma-separated patch names: " + ", ".join(PATCHES))
    parser.add_argument("server_args", nargs=argparse.REMAINDER, help="-- then main.py's arguments")
    args = parser.parse_args()
    for name in filter(None, (n.strip() for n in args.patch.split(","))):
        if name not in PATCHES:
            parser.error(f"unknown patch {name!r}; known: {', '.join(PATCHES)}")
        PATCHES[name]()
    os.chdir(ROOT)
    from dummy_openai_api.proxy.launch import cli as server_main
    logging.getLogger("dummy_openai").info("patches: %s", args.patch or "(none)")
    server_args = args.server_args[1:] if args.server_args[:1] == ["--"] else args.server_args
    if {"accesslog", "fastlog"} & set(args.patch.split(",")):
        server_args = [*server_args, "--access-log", "true"]  # the last occurrence of a flag wins
    return server_main.main(server_args)


if __name__ == "__main__":
    sys.exit(main())
