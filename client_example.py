"""Walk through the API of a running Dummy OpenAI API server and print what each call took.

    python main.py &            # in one terminal
    python client_example.py    # in another (--base-url and --api-key to point elsewhere)

Covers model listing, chat, streaming, embeddings, error handling and the official `openai` client; exits
non-zero if any step fails.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Callable

import openai


class Walkthrough:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.failures = 0

    def http(self, method: str, path: str, body: Any = None, key: str | None = None) -> tuple[int, Any]:
        """Plain HTTP, as curl or a browser would call the API."""
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key or self.api_key}"}
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def step(self, title: str, action: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            outcome = action()
            mark = "ok  "
        except Exception as exc:  # noqa: BLE001 - report and go on to the next step
            outcome, mark = f"{type(exc).__name__}: {exc}", "FAIL"
            self.failures += 1
        elapsed = (time.perf_counter() - started) * 1000
        print(f"[{mark}] {title:<34} {elapsed:8.1f} ms  {outcome}")

    def models(self) -> str:
        status, body = self.http("GET", "/models")
        assert status == 200, body
        return f"{len(body['data'])} models, e.g. {', '.join(m['id'] for m in body['data'][:4])}"

    def chat(self) -> str:
        status, body = self.http("POST", "/chat/completions", {
            "model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "Hello!"}], "max_tokens": 100})
        assert status == 200, body
        return f"{body['choices'][0]['message']['content'][:60]!r} ({body['usage']['total_tokens']} tokens)"

    def code(self) -> str:
        status, body = self.http("POST", "/chat/completions", {
            "model": "gpt-4o", "messages": [{"role": "user", "content": "Write a Python function to reverse a string"}]})
        assert status == 200, body
        return body["choices"][0]["message"]["content"].splitlines()[0][:70]

    def embeddings(self) -> str:
        status, body = self.http("POST", "/embeddings", {
            "model": "text-embedding-ada-002", "input": ["First text", "Second text", "Third text"]})
        assert status == 200, body
        return f"{len(body['data'])} vectors of {len(body['data'][0]['embedding'])} dimensions"

    def errors(self) -> str:
        wrong_key, body = self.http("GET", "/models", key="sk-wrong")
        assert wrong_key == 401, body
        no_messages, body = self.http("POST", "/chat/completions", {"model": "gpt-4"})
        assert no_messages == 400 and body["error"]["param"] == "messages", body
        no_model, body = self.http("POST", "/chat/completions", {
            "model": "gpt-nope", "messages": [{"role": "user", "content": "hi"}]})
        assert no_model == 404 and body["error"]["code"] == "model_not_found", body
        return "401 wrong key, 400 missing messages, 404 unknown model"

    def official_client(self) -> str:
        client = openai.OpenAI(base_url=self.base_url, api_key=self.api_key)
        completion = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "How do I make tea?"}])
        vectors = client.embeddings.create(model="text-embedding-3-small", input="tea")
        return f"{completion.choices[0].message.content[:50]!r}, {len(vectors.data[0].embedding)}-dim vector"

    def streaming(self) -> str:
        client = openai.OpenAI(base_url=self.base_url, api_key=self.api_key)
        started, first, pieces = time.perf_counter(), None, []
        stream = client.chat.completions.create(model="gpt-4o", stream=True,
                                                messages=[{"role": "user", "content": "Tell me a story"}])
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                first = first or time.perf_counter() - started
                pieces.append(chunk.choices[0].delta.content)
        return f"{len(pieces)} chunks, first after {(first or 0) * 1000:.1f} ms"

    def legacy_completion(self) -> str:
        status, body = self.http("POST", "/completions", {"model": "gpt-3.5-turbo-instruct",
                                                          "prompt": "Say this is a test", "max_tokens": 7})
        assert status == 200 and body["object"] == "text_completion", body
        return f"{body['choices'][0]['text'].strip()!r} ({body['usage']['completion_tokens']} tokens)"

    def moderation(self) -> str:
        status, body = self.http("POST", "/moderations", {"input": ["I want to kill them.", "Have a nice day"]})
        assert status == 200, body
        flagged = [r["flagged"] for r in body["results"]]
        assert flagged == [True, False], body
        return f"flagged {flagged} by {body['model']}"

    def stored(self) -> str:
        status, created = self.http("POST", "/chat/completions", {
            "model": "gpt-4o-mini", "store": True, "metadata": {"example": "client"},
            "messages": [{"role": "user", "content": "Remember this answer"}]})
        assert status == 200, created
        status, listed = self.http("GET", "/chat/completions?metadata[example]=client&limit=5")
        assert status == 200 and created["id"] in [c["id"] for c in listed["data"]], listed
        status, deleted = self.http("DELETE", f"/chat/completions/{created['id']}")
        assert status == 200 and deleted["deleted"], deleted
        return f"stored, listed and deleted {created['id']}"

    def throughput(self) -> str:
        started, count = time.perf_counter(), 50
        for _ in range(count):
            self.http("POST", "/chat/completions", {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]})
        per_second = count / (time.perf_counter() - started)
        return f"{per_second:.0f} sequential chat requests/s from this client"

    def run(self) -> int:
        print(f"Dummy OpenAI API at {self.base_url}\n")
        for title, action in [("list models", self.models), ("chat completion", self.chat),
                              ("code request", self.code), ("streaming", self.streaming),
                              ("embeddings", self.embeddings), ("error handling", self.errors),
                              ("official openai client", self.official_client),
                              ("legacy completion", self.legacy_completion), ("moderation", self.moderation),
                              ("stored chat completions", self.stored), ("performance", self.throughput)]:
            self.step(title, action)
        print(f"\n{'all steps passed' if not self.failures else f'{self.failures} step(s) failed'}")
        return 1 if self.failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000/v1")
    parser.add_argument("--api-key", default="sk-dummy")
    args = parser.parse_args(argv)
    return Walkthrough(args.base_url, args.api_key).run()


if __name__ == "__main__":
    sys.exit(main())
