"""The presenter's tab in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright for Python pointed at that system browser (``executable_path``; no download).

Needs a ``chromium`` on PATH (the ``chromium`` fixture fails the test without it).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright import async_api as playwright

from tui_deck.serve import presenter as p

#: Reports Content-Security-Policy violations to the test (our CSP must not break xterm.js).
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
"""


@contextlib.asynccontextmanager
async def presenter_tab(
    deck: Path,
    chromium: str,
    query: str = "",
    lang: str = "en",
    watch: Callable[[playwright.Page], None] | None = None,
) -> AsyncIterator[playwright.Page]:
    """The presenter's half alone, its URL (with ``query``) open in headless Chromium until
    the app's first frame reached xterm.js (textual.js marks the first bytes); ``watch``
    sees the page before it loads."""
    server = p.presenter_server(deck, "127.0.0.1", 0, p.new_token(), lang=lang)
    await server.start()
    try:
        async with playwright.async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                page = await browser.new_page(viewport={"width": 1000, "height": 600})
                if watch is not None:
                    watch(page)
                await page.add_init_script(WATCH_CSP)
                await page.goto(server.url + query)
                await page.wait_for_selector("body.-first-byte", timeout=30_000)
                yield page
            finally:
                await browser.close()
    finally:
        await server.stop()


@pytest.mark.parametrize("view", ["main", "speaker"])
def test_the_presenters_tab_draws_the_app_from_this_server_alone(
    write_post: Callable[..., Path], view: str, chromium: str
) -> None:
    post = write_post("---\ntitle: Browser Deck\n---\n\n## One\n\nText.\n")
    requests: list[str] = []
    errors: list[str] = []

    def watch(page: playwright.Page) -> None:
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))

    async def main() -> tuple[str, list[str]]:
        async with presenter_tab(post.parent, chromium, f"?view={view}", watch=watch) as page:
            return await page.evaluate("document.body.className"), await page.evaluate(
                "window.__csp"
            )

    classes, violations = asyncio.run(main())
    hosts = {urlsplit(url).hostname for url in requests}
    assert hosts == {"127.0.0.1"}
    assert "-first-byte" in classes
    assert violations == []
    assert errors == []


def test_when_the_app_ends_the_tab_says_so_over_the_last_frame(
    write_post: Callable[..., Path], chromium: str
) -> None:
    """q in the presenter's tab ends its app: the words that say so (in the deck's
    language) are on top, not hidden under xterm.js's canvas with the last slide frozen."""
    post = write_post("---\ntitle: 浏览器演示\n---\n\n## 第一页\n\n文字。\n")

    async def main() -> tuple[str, str]:
        async with presenter_tab(post.parent, chromium, lang="zh") as page:
            await page.focus(".xterm-helper-textarea")
            await page.keyboard.press("q")
            await page.wait_for_selector("body.-closed", timeout=30_000)
            on_top = await page.evaluate("document.elementFromPoint(500, 300).className")
            return on_top, await page.inner_text(".closed")

    on_top, text = asyncio.run(main())
    assert on_top == "closed"
    assert "刷新页面" in text
