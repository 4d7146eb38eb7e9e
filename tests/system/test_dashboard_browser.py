"""The dashboard in a real browser (headless Chromium): it loads, shows SDK requests live, logs no errors."""
from __future__ import annotations

import asyncio

import pytest

from tests.browser import Browser, Page, chromium_binary, until
from tests.conftest import KEY, chat_body

pytestmark = pytest.mark.skipif(chromium_binary() is None, reason="Chromium is not installed "
                                "(apt-get install -y chromium); the dashboard's browser test needs it")


def journal_rows(path: str) -> str:
    return (f"[...document.querySelectorAll('#journal tr')].filter(r => r.textContent.includes('{path}'))"
            ".map(r => [...r.cells].map(c => c.textContent))")


def test_dashboard_shows_sdk_requests_live_without_errors(admin, server, client) -> None:
    client.chat.completions.create(**chat_body())  # made before the page loads

    async def visit() -> tuple[dict, list, list[str], bool]:
        with Browser() as browser:
            page = await Page.open(browser.page_url())
            for domain in ("Runtime", "Log", "Page"):
                await page.call(f"{domain}.enable")
            await page.call("Page.navigate", url=f"{server.root_url}/#key={KEY}")
            await page.evaluate(until("document.body.dataset.loaded === 'true'"))
            shown = await page.evaluate(
                "({mode: document.getElementById('mode').textContent, title: document.title,"
                " models: document.querySelectorAll('#models li').length})")
            rows = await page.evaluate(until(journal_rows("/v1/chat/completions") + ".length && " +
                                             journal_rows("/v1/chat/completions")))
            await asyncio.get_running_loop().run_in_executor(None, lambda: client.embeddings.create(
                model="text-embedding-3-small", input="live", encoding_format="float"))
            live = await page.evaluate(until(journal_rows("/v1/embeddings") + ".length && " +
                                             journal_rows("/v1/embeddings")))
            errors = page.errors()
            await page.call("Page.navigate", url=f"{server.root_url}/?again")  # no key this time
            asked = await page.evaluate(until("!document.getElementById('login').hidden"))
            page.close()
            return shown, rows + live, errors, asked

    shown, rows, errors, asked_for_key = asyncio.run(visit())
    assert shown["mode"] == "synthetic" and shown["title"] == "Dummy OpenAI API" and shown["models"] > 10
    chat, embeddings = rows
    assert chat[2:7] == ["POST", "/v1/chat/completions", "gpt-4o-mini", "200", "synthetic"]
    assert embeddings[3:7] == ["/v1/embeddings", "text-embedding-3-small", "200", "synthetic"]
    assert errors == []
    assert asked_for_key
