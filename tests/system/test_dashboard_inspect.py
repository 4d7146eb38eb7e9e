"""The dashboard's charts and flow view in a real browser (headless Chromium): after hits, a strict miss and a
fault the charts show them; a click on a row opens the request and the answer; a miss shows the closest
recording with the differing values marked; no secret reaches the page. Screenshots go to
$DASHBOARD_SCREENSHOTS (or the test's temporary directory) for a person to look at."""
from __future__ import annotations

import asyncio
import base64
import os
from pathlib import Path

import httpx
import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests.browser import Browser, Page, chromium_binary, until
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import chat_body
from tests.api.test_dashboard_flows import ADMIN_KEY, CLIENT_KEY, RECORDED, SENT

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Chromium is not installed "
                                "(apt-get install -y chromium); the dashboard's browser test needs it")
SECRETS = (CLIENT_KEY, "leaked0123456789", "plain-secret-value")
EMBEDDING = {"model": "text-embedding-3-small", "input": "capitals"}


@pytest.fixture
def strict(make_server, tmp_path):
    """A strict server with two cassettes, after some traffic: hits, strict misses and a fault."""
    cassettes = tmp_path / "cassettes"
    write(cassettes, "capitals", [interaction(RECORDED, completion_json("Paris."))])
    write(cassettes, "embeddings/small", [interaction(EMBEDDING, {"object": "list", "data": [], "model":
                                                                  "text-embedding-3-small"}, path="/embeddings")])
    running = make_server(mode=Mode.STRICT, cassettes=str(cassettes), api_key=CLIENT_KEY, admin_key=ADMIN_KEY)
    with httpx.Client(base_url=running.base_url, headers={"Authorization": f"Bearer {CLIENT_KEY}"},
                      timeout=30) as api:
        for _ in range(3):
            assert api.post("/chat/completions", json=RECORDED).status_code == 200
        assert api.post("/embeddings", json=EMBEDDING).status_code == 200
        assert api.post("/chat/completions", json=chat_body(model="gpt-4o")).status_code == 404
        assert api.post("/chat/completions", json=RECORDED, headers={"X-Mock-Fault": "500"}).status_code == 500
        assert api.post("/chat/completions", json=SENT).status_code == 404
    return running


def screenshots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


async def screenshot(page: Page, path: Path) -> None:
    shot = await page.call("Page.captureScreenshot", format="png")
    path.write_bytes(base64.b64decode(shot["data"]))


def count(selector: str) -> str:
    return f"document.querySelectorAll({selector!r}).length"


def open_row(status: str) -> str:
    """Click the newest chat row with this status."""
    return ("[...document.querySelectorAll('#journal tr')].find(r => r.cells[3].textContent === "
            f"'/v1/chat/completions' && r.cells[5].textContent === '{status}').click()")


def test_charts_and_flows_in_a_browser(strict, tmp_path) -> None:
    folder = screenshots(tmp_path)

    async def visit() -> dict:
        seen: dict = {}
        with Browser() as browser:
            page = await Page.open(browser.page_url())
            for domain in ("Runtime", "Log", "Page", "Network"):
                await page.call(f"{domain}.enable")
            await page.call("Page.navigate", url=f"{strict.root_url}/#key={ADMIN_KEY}")
            await page.evaluate(until(f"{count('#chart-outcomes rect[data-kind=miss]')} && "
                                      f"{count('#chart-cassettes rect')}"))
            seen["bars"] = await page.evaluate(
                "Object.fromEntries(['hit', 'miss', 'fault'].map(k => [k, [...document.querySelectorAll("
                "`#chart-outcomes rect[data-kind=${k}]`)].map(r => r.textContent)]))")
            seen["latency"] = await page.evaluate(count("#chart-latency circle"))
            seen["cassettes"] = await page.evaluate(
                "[...document.querySelectorAll('#chart-cassettes rect')].map(r => r.textContent)")
            seen["legend"] = await page.evaluate("document.getElementById('legend-outcomes').textContent")
            await screenshot(page, folder / "dashboard-overview.png")

            await page.evaluate(open_row("200"))
            await page.evaluate(until("document.getElementById('detail').dataset.tab === 'request'"))
            seen["request"] = await page.evaluate("document.getElementById('detail-body').textContent")
            await screenshot(page, folder / "dashboard-request.png")
            await page.evaluate("document.querySelector('#detail-tabs [data-tab=response]').click()")
            seen["response"] = await page.evaluate("document.getElementById('detail-body').textContent")
            await screenshot(page, folder / "dashboard-response.png")

            await page.evaluate(open_row("404"))  # the newest miss: SENT
            await page.evaluate(until("document.getElementById('detail').dataset.tab === 'closest'"))
            seen["marked"] = await page.evaluate(
                "[...document.querySelectorAll('#detail-body .sides > div')].map(side => "
                "[...side.querySelectorAll('div.diff')].map(line => line.dataset.path))")
            seen["differences"] = await page.evaluate(
                "[...document.querySelectorAll('table.diffs tbody tr')].map(r => [...r.cells].map(c => c.textContent))")
            await screenshot(page, folder / "dashboard-closest.png")
            seen["dom"] = await page.evaluate("document.documentElement.outerHTML")
            for tab in ("request", "response"):
                await page.evaluate(f"document.querySelector('#detail-tabs [data-tab={tab}]').click()")
                seen["dom"] += await page.evaluate("document.documentElement.outerHTML")
            await page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
            seen["closed"] = await page.evaluate("document.getElementById('detail').hidden")
            seen["errors"] = page.errors()
            seen["fetched"] = {event["params"]["request"]["url"] for event in page.events
                               if event.get("method") == "Network.requestWillBeSent"}
            page.close()
        return seen

    seen = asyncio.run(visit())
    assert sum(int(t.split()[0]) for t in seen["bars"]["hit"]) == 4
    assert sum(int(t.split()[0]) for t in seen["bars"]["miss"]) == 2
    assert sum(int(t.split()[0]) for t in seen["bars"]["fault"]) == 1
    assert "4 hits" in seen["legend"] and "2 misses" in seen["legend"] and "1 fault" in seen["legend"]
    assert seen["latency"] > 0
    assert set(seen["cassettes"]) == {"capitals: 3 hits", "embeddings/small: 1 hit", "(none): 2 misses"}
    assert "What is the capital of France?" in seen["request"] and "content-type" in seen["request"]
    assert '"Paris."' in seen["response"] and "x-request-id" in seen["response"]
    recorded, received = seen["marked"]
    assert {"temperature", "messages[0].content"} <= set(recorded) and "user" not in recorded
    assert {"temperature", "messages[0].content", "user", "metadata", "metadata.api_key"} <= set(received)
    assert ["temperature", "0.2", "0.7"] in seen["differences"]
    assert ["user", "(absent)", '"sk-REDACTED"'] in seen["differences"]
    for secret in SECRETS:
        assert secret not in seen["dom"]
    assert seen["closed"] and seen["errors"] == []
    assert any("/_mock/journal/" in url for url in seen["fetched"])
    assert all(url.startswith(strict.root_url + "/") for url in seen["fetched"])  # charts need no network
