"""The dashboard with a full journal (1,000 entries: hits, replay misses, faults): what the page's refresh
costs the server, what opening a flow costs, and how long the page takes to draw in headless Chromium.

    python tests/benchmarks/bench_dashboard.py            # about 30 s
    python tests/benchmarks/bench_dashboard.py --screenshot full-journal.png

What it measures:
  * SERVER: GET /_mock/dashboard (the page's once-a-second refresh: cassettes, the newest rows and the timeline
    over the whole journal), median and max of 50 calls, and its size; GET /_mock/journal/<id>/flow for a miss
    (the closest recording among the cassette's) median of 20;
  * HOT PATH: keeping an answer in the journal (`proxy.state.answers.Answer`), per request, in a tight loop;
  * PAGE (when Chromium is installed): navigation to charts drawn, and one full redraw (table rows, three
    charts) measured in the page with performance.now().

Targets (PASS/MISS): refresh < 20 ms; flow < 50 ms; page drawn < 1.5 s; redraw < 50 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dummy_openai_api.proxy.state.answers import Answer  # noqa: E402
from dummy_openai_api.proxy.testing.background import BackgroundServer  # noqa: E402
from dummy_openai_api.proxy.core.config import Mode, Settings  # noqa: E402
from dummy_openai_api.proxy.core.http import Reply  # noqa: E402
from tests.browser import Browser, Page, chromium_binary, until  # noqa: E402
from tests.cassette_factory import completion_json, interaction, write  # noqa: E402
from tests.conftest import KEY, chat_body  # noqa: E402

ENTRIES = 1000
TARGETS = {"refresh": 20.0, "flow": 50.0, "page": 1500.0, "redraw": 50.0}  # milliseconds


def fill(api: httpx.Client) -> int:
    """1,000 requests: mostly hits, every 10th a replay miss, every 25th a fault; the id of a miss."""
    miss = 0
    for index in range(ENTRIES):
        if index % 25 == 0:
            api.post("/chat/completions", json=chat_body(), headers={"X-Mock-Fault": "429"})
        elif index % 10 == 0:
            api.post("/chat/completions", json=chat_body(messages=[{"role": "user", "content": f"new {index}"}]))
            miss = index + 1
        else:
            api.post("/chat/completions", json=chat_body(), headers={"X-Cassette": f"c{index % 12}"})
    return miss


def timed(call, times: int) -> list[float]:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        found.append((time.perf_counter() - start) * 1000)
    return found


async def page_times(root: str, screenshot: str | None) -> tuple[float, float]:
    with Browser() as browser:
        page = await Page.open(browser.page_url())
        await page.call("Page.enable")
        start = time.perf_counter()
        await page.call("Page.navigate", url=f"{root}/#key={KEY}")
        await page.evaluate(until("document.querySelectorAll('#chart-outcomes rect').length"))
        drawn = (time.perf_counter() - start) * 1000
        redraw = await page.evaluate(
            "fetch('/_mock/dashboard?since=0', {headers: authorization()}).then(r => r.json()).then(data => {"
            " document.getElementById('journal').replaceChildren(); drawn = '';"
            " const start = performance.now(); show(data); return performance.now() - start; })")
        if screenshot:
            shot = await page.call("Page.captureScreenshot", format="png")
            Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
        page.close()
        return drawn, redraw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screenshot", metavar="PNG", help="save the page, drawn with the full journal")
    screenshot = parser.parse_args().screenshot
    with tempfile.TemporaryDirectory() as folder:
        for number in range(12):
            write(Path(folder), f"c{number}", [interaction(chat_body(), completion_json(f"from c{number}"))] * 100)
        settings = Settings(port=0, mode=Mode.REPLAY, access_log=False, cassettes=folder, journal_size=ENTRIES)
        with BackgroundServer(settings) as server, \
                httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as api:
            miss = fill(api)
            admin = lambda path: api.get(server.root_url + path).raise_for_status()  # noqa: E731
            refresh = timed(lambda: admin("/_mock/dashboard"), 50)
            size = len(api.get(server.root_url + "/_mock/dashboard").content)
            flow = timed(lambda: admin(f"/_mock/journal/{miss}/flow"), 20)
            page = asyncio.run(page_times(server.root_url, screenshot)) if chromium_binary() else None
    reply = Reply.json(completion_json("x"))
    keep_us = timeit.timeit(lambda: Answer(reply, "Content-Type: application/json\r\n", 65536), number=100_000) * 10
    rows = [("refresh GET /_mock/dashboard", statistics.median(refresh), max(refresh), f"{size / 1024:.1f} KiB"),
            ("flow GET /_mock/journal/<id>/flow", statistics.median(flow), max(flow), "a miss, 12 cassettes"),
            ("keep an answer (per request)", keep_us / 1000, keep_us / 1000, f"{keep_us:.2f} µs")]
    if page:
        rows += [("page: navigate to charts drawn", page[0], page[0], "headless Chromium"),
                 ("page: full redraw", page[1], page[1], "the 50 newest rows, 3 charts")]
    print(f"| {ENTRIES}-entry journal | median ms | max ms | note |\n|---|---|---|---|")
    for name, median, top, note in rows:
        print(f"| {name} | {median:.2f} | {top:.2f} | {note} |")
    measured = {"refresh": statistics.median(refresh), "flow": statistics.median(flow)}
    if page:
        measured.update(page=page[0], redraw=page[1])
    for name, value in measured.items():
        print(f"{'PASS' if value < TARGETS[name] else 'MISS'} {name}: {value:.1f} ms (target < {TARGETS[name]:.0f})")


if __name__ == "__main__":
    main()
