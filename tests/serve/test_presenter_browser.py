"""The presenter's tab in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright for Python pointed at that system browser (``executable_path``; no download).

Needs a ``chromium`` on PATH (the ``chromium`` fixture fails the test without it).
"""

from __future__ import annotations

import asyncio
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


def open_presenter(post: Path, view: str, chromium: str) -> dict[str, object]:
    """Open the presenter's URL in headless Chromium; what the browser saw."""

    async def main() -> dict[str, object]:
        server = p.presenter_server(post, "127.0.0.1", 0, p.new_token())
        await server.start()
        requests: list[str] = []
        errors: list[str] = []
        try:
            async with playwright.async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = await browser.new_page(viewport={"width": 1000, "height": 600})
                page.on("request", lambda request: requests.append(request.url))
                page.on("pageerror", lambda error: errors.append(str(error)))
                await page.add_init_script(WATCH_CSP)
                await page.goto(f"{server.url}?view={view}")
                # The app's first frame reached xterm.js (textual.js marks the first bytes).
                await page.wait_for_selector("body.-first-byte", timeout=30_000)
                classes = await page.evaluate("document.body.className")
                violations = await page.evaluate("window.__csp")
                await browser.close()
        finally:
            await server.stop()
        return {"requests": requests, "errors": errors, "classes": classes, "csp": violations}

    return asyncio.run(main())


@pytest.mark.parametrize("view", ["main", "speaker"])
def test_the_presenters_tab_draws_the_app_from_this_server_alone(
    tmp_path: Path, view: str, chromium: str
) -> None:
    post = tmp_path / "talk" / "index.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: Browser Deck\n---\n\n## One\n\nText.\n", encoding="utf-8")
    seen = open_presenter(post.parent, view, chromium)
    hosts = {urlsplit(str(url)).hostname for url in seen["requests"]}  # type: ignore[attr-defined]
    assert hosts == {"127.0.0.1"}
    assert "-first-byte" in str(seen["classes"])
    assert seen["csp"] == []
    assert seen["errors"] == []


def test_when_the_app_ends_the_tab_says_so_over_the_last_frame(
    tmp_path: Path, chromium: str
) -> None:
    """q in the presenter's tab ends its app: the words that say so (in the deck's
    language) are on top, not hidden under xterm.js's canvas with the last slide frozen."""
    post = tmp_path / "talk" / "index.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: 浏览器演示\n---\n\n## 第一页\n\n文字。\n", encoding="utf-8")

    async def main() -> tuple[str, str]:
        server = p.presenter_server(post.parent, "127.0.0.1", 0, p.new_token(), lang="zh")
        await server.start()
        try:
            async with playwright.async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = await browser.new_page(viewport={"width": 1000, "height": 600})
                await page.goto(server.url)
                await page.wait_for_selector("body.-first-byte", timeout=30_000)
                await page.focus(".xterm-helper-textarea")
                await page.keyboard.press("q")
                await page.wait_for_selector("body.-closed", timeout=30_000)
                on_top = await page.evaluate("document.elementFromPoint(500, 300).className")
                text = await page.inner_text(".closed")
                await browser.close()
        finally:
            await server.stop()
        return on_top, text

    on_top, text = asyncio.run(main())
    assert on_top == "closed"
    assert "刷新页面" in text
