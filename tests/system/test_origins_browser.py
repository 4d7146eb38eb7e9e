"""The attacks of a web page, run by a real browser (headless Chromium): a page on another site, and a page on a
name that resolves to 127.0.0.1 (DNS rebinding), try to switch the mode, read the journal and spend the key."""
from __future__ import annotations

import asyncio
import http.server
import json
import threading
from typing import Any, Iterator

import httpx
import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests.browser import Browser, Page, chromium_binary
from tests.conftest import KEY, chat_body
from tests.upstreams import Scenario, ScenarioServer

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Chromium is not installed "
                                "(apt-get install -y chromium); the browser attacks need it")

UPSTREAM_KEY = "sk-proj-BROWSERupstream0123456789abcdef"
# Each attempt: what the page could observe ("opaque" for a no-cors answer, "blocked" when the browser refused).
ATTACK = """(async (target, key, chat) => {
  const out = {};
  const attempt = async (name, path, options) => {
    try { const r = await fetch(target + path, options); out[name] = r.type === "opaque" ? "opaque" : r.status; }
    catch (e) { out[name] = "blocked"; }
  };
  const json = {"Content-Type": "application/json", "Authorization": "Bearer " + key};
  await attempt("switch_simple", "/_mock/mode", {method: "POST", mode: "no-cors", body: '{"mode": "record"}'});
  await attempt("switch_preflighted", "/_mock/mode", {method: "POST", headers: json, body: '{"mode": "record"}'});
  await attempt("read_journal", "/_mock/journal", {headers: json});
  await attempt("spend_simple", "/v1/chat/completions", {method: "POST", mode: "no-cors", body: chat});
  await attempt("spend_preflighted", "/v1/chat/completions", {method: "POST", headers: json, body: chat});
  return out;
})"""


def attack(target: str) -> str:
    return f"{ATTACK}({json.dumps(target)}, {json.dumps(KEY)}, {json.dumps(json.dumps(chat_body()))})"


class _Blank(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>another site</title>")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def other_site() -> Iterator[str]:
    """A page on another site: localhost is not the same site as 127.0.0.1."""
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Blank)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://localhost:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


@pytest.fixture
def upstream() -> Iterator[ScenarioServer]:
    Scenario.seen.clear()
    with ScenarioServer() as running:
        yield running


async def run_in_page(url: str, script: str, *flags: str) -> dict[str, Any]:
    with Browser(*flags) as browser:
        page = await Page.open(browser.page_url())
        await page.call("Page.enable")
        await page.call("Page.navigate", url=url)
        await page.evaluate("new Promise(r => document.readyState === 'complete' ? r() : addEventListener('load', r))")
        result = await page.evaluate(script)
        page.close()
        return result


def test_a_page_on_another_site_cannot_switch_the_mode_or_spend_the_key(make_server, other_site: str,
                                                                        upstream: ScenarioServer) -> None:
    """The worst case: auth off; first in replay mode, then after the developer switched to record."""
    mock = make_server(mode=Mode.REPLAY, auth=False, upstream=upstream.base_url, upstream_key=UPSTREAM_KEY)
    mode = mock.root_url + "/_mock/mode"
    seen = asyncio.run(run_in_page(other_site, attack(mock.root_url)))
    assert httpx.get(mode).json() == {"mode": "replay"}, seen
    assert seen["switch_preflighted"] == seen["read_journal"] == "blocked"
    assert httpx.post(mode, json={"mode": "record"}).status_code == 200  # the developer records
    httpx.delete(mock.root_url + "/_mock/journal")  # outside record modes the page may use /v1, as web apps do
    seen = asyncio.run(run_in_page(other_site, attack(mock.root_url)))
    assert Scenario.seen == [], seen  # nothing reached the upstream
    assert seen["spend_preflighted"] == "blocked" and httpx.get(mode).json() == {"mode": "record"}
    journal = httpx.get(mock.root_url + "/_mock/journal").json()["data"]
    assert [e["status"] for e in journal] == [403]  # the simple POST; the preflighted one never left the browser


def test_a_rebound_name_reaches_nothing_in_a_real_browser(make_server, upstream: ScenarioServer) -> None:
    """rebind.test resolves to 127.0.0.1: its page is same-origin with the server and knows the public key."""
    mock = make_server(mode=Mode.RECORD, upstream=upstream.base_url, upstream_key=UPSTREAM_KEY)
    rebound = f"http://rebind.test:{mock.port}"
    script = f"""(async () => {{
      const r = await fetch("/_mock/mode", {{method: "POST", body: '{{"mode": "synthetic"}}',
        headers: {{"Content-Type": "application/json", "Authorization": "Bearer {KEY}"}}}});
      const spend = await fetch("/v1/chat/completions", {{method: "POST", body: {json.dumps(json.dumps(chat_body()))},
        headers: {{"Content-Type": "application/json", "Authorization": "Bearer {KEY}"}}}});
      return {{mode: r.status, spend: spend.status, page: document.body.innerText.slice(0, 300)}};
    }})()"""
    seen = asyncio.run(run_in_page(rebound + "/health", script, "--host-resolver-rules=MAP rebind.test 127.0.0.1"))
    assert seen["mode"] == seen["spend"] == 403, seen
    assert "host_not_allowed" in seen["page"]
    admin = httpx.get(mock.root_url + "/_mock/mode", headers={"Authorization": f"Bearer {KEY}"})
    assert admin.json() == {"mode": "record"} and Scenario.seen == []
