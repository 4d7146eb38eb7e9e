"""The project functions one request passes through, from the socket to its answer source, and how many it calls.

    python tests/benchmarks/trace_request.py                    # a synthetic chat completion
    python tests/benchmarks/trace_request.py --path /v1/models --method GET

Starts the real server in a thread (`BackgroundServer`) with a profiler on that thread (`threading.setprofile`),
sends one warm-up request and then the traced one over a real socket. It prints the chain: the project frames on
the server thread's stack when the first function of `generators/` is entered from a handler (the answer source:
the route's synthetic answer), or, for a route that calls no generator, the deepest chain of project frames seen. Then the
number of project function calls the request made in all (proxy/ alone, and proxy/ + generators/).
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dummy_openai_api.proxy.core.config import Mode, Settings  # noqa: E402
from dummy_openai_api.proxy.testing.background import BackgroundServer  # noqa: E402

PROXY, GENERATORS = str(ROOT / "proxy"), str(ROOT / "generators")
HANDLERS = "proxy/handlers/"
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello, how are you?"}]}


class Tracer:
    """Keeps the stack of project frames on the server thread while `armed`."""

    def __init__(self) -> None:
        self.armed = False
        self.stack: list[str] = []
        self.chain: list[str] | None = None
        self.deepest: list[str] = []
        self.calls = {"proxy": 0, "generators": 0}

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if not self.armed or event not in ("call", "return"):
            return
        filename = frame.f_code.co_filename
        package = "proxy" if filename.startswith(PROXY) else "generators" if filename.startswith(GENERATORS) else None
        if package is None:
            return
        if event == "return":
            if self.stack:
                self.stack.pop()
            return
        self.calls[package] += 1
        if package == "generators" and self.chain is None and any(f.startswith(HANDLERS) for f in self.stack):
            self.chain = list(self.stack)  # a generator called by (or below) the route's handler
        self.stack.append(f"{Path(filename).relative_to(ROOT)}:{frame.f_code.co_qualname}")
        if len(self.stack) > len(self.deepest):
            self.deepest = list(self.stack)


def to_source(stack: list[str]) -> list[str]:
    """The stack down to its last handler frame: the route's own answer (what lies below it is the generator's)."""
    ends = [i for i, name in enumerate(stack) if name.startswith(HANDLERS)]
    return stack[: ends[-1] + 1] if ends else stack


def send(port: int, method: str, path: str, body: bytes | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers={"Authorization": "Bearer sk-dummy",
                                                         "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", default="POST")
    parser.add_argument("--path", default="/v1/chat/completions")
    parser.add_argument("--body", default=json.dumps(CHAT), help="JSON body (POST); empty for none")
    args = parser.parse_args()
    body = args.body.encode() if args.method == "POST" and args.body else None
    tracer = Tracer()
    threading.setprofile(tracer)  # the server thread, started next, gets it
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, api_key="sk-dummy",
                        cassettes=str(ROOT / "tests" / "benchmarks" / "no-such-cassettes"))
    with BackgroundServer(settings) as server:
        threading.setprofile(None)  # type: ignore[arg-type]
        send(server.port, args.method, args.path, body)  # warm-up: the tokenizer, first-use caches
        tracer.armed = True
        status = send(server.port, args.method, args.path, body)
        tracer.armed = False
    chain = to_source(tracer.chain if tracer.chain is not None else tracer.deepest)
    print(f"{args.method} {args.path} -> {status}")
    print(f"chain from the socket to the answer source: {len(chain)} project functions")
    for depth, name in enumerate(chain, 1):
        print(f"  {depth:2d}. {name}")
    print(f"project calls in all: {tracer.calls['proxy']} in proxy/, "
          f"{tracer.calls['proxy'] + tracer.calls['generators']} with generators/")


if __name__ == "__main__":
    main()
