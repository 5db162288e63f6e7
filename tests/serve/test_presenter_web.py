"""The presenter's half of ``istio-deck serve``: the real app in a browser tab (textual-serve).

They need the ``serve`` extra (textual-serve, aiohttp), which the ``test`` extra installs.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver

from tui_deck.cli import needs_terminal
from tui_deck.serve import presenter as p

TOKEN = "right-token-0123456789"

Check = Callable[[p.PresenterServer, aiohttp.ClientSession], Awaitable[None]]


def serve(post: Path, check: Check, **options: object) -> None:
    """Start the presenter's server on a free loopback port, run ``check``, stop it."""

    async def main() -> None:
        server = p.presenter_server(post, "127.0.0.1", 0, TOKEN, **options)  # type: ignore[arg-type]
        await server.start()
        try:
            async with aiohttp.ClientSession() as session:
                await check(server, session)
        finally:
            await server.stop()

    asyncio.run(main())


@pytest.fixture
def post(write_post: Callable[..., Path]) -> Path:
    return write_post(
        "---\ntitle: Served Deck\n---\n\n## Opening slide\n\nWelcome to the venue.\n\n"
        "## Second slide\n\nMore words.\n"
    ).parent


def base(server: p.PresenterServer) -> str:
    return f"http://127.0.0.1:{server.port}{p.PREFIX}"


def test_the_page_with_the_token_is_ours_and_names_no_other_host(post: Path) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        assert server.url == f"{base(server)}/{TOKEN}/"
        async with session.get(server.url) as response:
            assert response.status == 200
            page = await response.text()
            assert "'self'" in response.headers["Content-Security-Policy"]
        assert re.findall(r"(?:https?:|wss?:)?//[\w.-]+", page) == []  # no CDN, no font site
        assert "fonts.googleapis" not in page
        assert p.FONT_STACK in page
        assert 'data-socket-path="ws/main"' in page
        # Every file the page loads comes from this server, under the token, and the
        # terminal asks for the CJK font stack, not textual-serve's Roboto Mono.
        names = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert names == ["data:,", "static/xterm.css", "static/textual.js", "static/boot.js"]
        for name in names[1:]:
            async with session.get(server.url + name) as response:
                assert response.status == 200, name
                body = await response.text()
            assert "googleapis" not in body
            if name.endswith("textual.js"):
                assert 'fontFamily:\'"Noto Sans Mono CJK SC"' in body
                assert "Roboto Mono" not in body
                assert 'i.get("ping")' not in body

    serve(post, check)


def test_the_speaker_view_is_asked_for_in_the_url(post: Path) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        async with session.get(server.speaker_url) as response:
            assert 'data-socket-path="ws/speaker"' in await response.text()
        async with session.get(server.url + "?view=nonsense") as response:
            assert response.status == 404

    serve(post, check)


@pytest.mark.parametrize("token", ["", "wrong-token", TOKEN + "x", TOKEN[:-1], TOKEN.upper()])
def test_no_page_file_or_socket_without_the_right_token(post: Path, token: str) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        for path in ("/", "/?view=speaker", "/static/textual.js", "/static/xterm.css"):
            async with session.get(f"{base(server)}/{token}{path}") as response:
                assert response.status == 403, path
                assert TOKEN not in await response.text()
        url = f"{base(server)}/{token}/ws/main"
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url, headers=origin)
        assert refused.value.status == 403
        async with session.get(base(server)) as response:  # no token at all
            assert response.status == 403

    serve(post, check)


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://127.0.0.1:1", "null", "http://localhost.evil.example", None],
)
def test_a_socket_from_another_origin_is_refused(post: Path, origin: str | None) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        headers = {"Origin": origin} if origin else {}
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"{server.url}ws/main", headers=headers)
        assert refused.value.status == 403

    serve(post, check)


def test_the_socket_runs_the_real_app_and_keys_move_it(post: Path) -> None:
    """From the page's own origin: the app starts (through the tty check, from an argument
    list) and draws the deck; a key from the browser turns the slide."""

    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        async with session.ws_connect(
            f"{server.url}ws/main?width=80&height=24", headers=origin
        ) as socket:
            await socket.send_json(["resize", {"width": 80, "height": 24}])
            assert "1 / 3" in await screen_until(socket, "1 / 3")  # the title slide
            await socket.send_json(["stdin", "\x1b[C"])  # →
            screen = await screen_until(socket, "2 / 3")
            assert "Opening slide" in screen and "2 / 3" in screen

    serve(post, check)


async def screen_until(socket: aiohttp.ClientWebSocketResponse, text: str) -> str:
    """What the app has drawn, until ``text`` appears (or 30 s pass)."""
    seen = ""

    async def read() -> None:
        nonlocal seen
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
                if text in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen):
                    return

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(read(), 30)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen)


def test_an_app_that_cannot_start_closes_the_tab_instead_of_leaving_it_blank(
    tmp_path: Path,
) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        async with session.ws_connect(f"{server.url}ws/main", headers=origin) as socket:
            # (receive's own timeout restarts on every heartbeat ping: bound the whole wait)
            message = await asyncio.wait_for(socket.receive(), 20)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

    serve(tmp_path / "no-such-deck", check)


def test_the_app_is_started_from_an_argument_list(post: Path) -> None:
    argv = p.app_command(post, speaker=True, extra=["--theme", "light; rm -rf /"])
    assert argv[:4] == [sys.executable, "-m", "tui_deck", "present"]
    assert argv[-1] == str(post)
    assert "--presenter" in argv and "--images" in argv
    assert "light; rm -rf /" in argv  # one argument, never read by a shell
    assert "--presenter" not in p.app_command(post, speaker=False)


def test_origin_must_be_the_host_the_page_came_from() -> None:
    assert p.origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert p.origin_allowed("http://LOCALHOST:8000", "localhost:8000")
    assert p.origin_allowed("http://deck.example", "deck.example:80")
    assert p.origin_allowed("https://talk.example", "127.0.0.1:8000", "https://talk.example/")
    assert not p.origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not p.origin_allowed("http://evil.example", "127.0.0.1:8000")
    assert not p.origin_allowed(None, "127.0.0.1:8000")
    assert not p.origin_allowed("null", "127.0.0.1:8000")
    assert not p.origin_allowed("file://", "127.0.0.1:8000")


def test_the_web_driver_is_let_through_the_terminal_check_and_nothing_else() -> None:
    assert not needs_terminal(WebDriver)
    assert needs_terminal(LinuxDriver)


def test_binds_loopback_unless_told(post: Path) -> None:
    server = p.presenter_server(post, token=TOKEN)
    assert server.host == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:8000/present/{TOKEN}/"
    assert len(p.new_token()) >= 22 and p.new_token() != p.new_token()


def test_a_changed_textual_js_is_a_clear_error() -> None:
    with pytest.raises(p.DeckError, match="cannot set the font"):
        p.textual_js("new Terminal({fontFamily:'Other'})")
    with pytest.raises(p.DeckError, match="cannot set the cell width"):
        p.textual_js(p.TEXTUAL_JS_FONT + "measure(){return this._validateAndSet(w,h)}")


def test_without_the_extra_the_cli_gets_one_line_that_says_what_to_install(
    post: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(p, "AVAILABLE", False)
    assert p.missing_extra() == 'serving needs the web parts: pip install "istio-deck[serve]"'
    with pytest.raises(p.DeckError) as refused:
        p.presenter_server(post)
    assert str(refused.value) == p.MISSING


def test_a_presenter_reloading_the_tab_is_never_locked_out(post: Path) -> None:
    """Every reload of the tab opens a new socket and app; a closed tab's app ends and frees
    its place, so reloading more times than the cap allows tabs still draws the deck."""

    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        server.max_sessions = 2
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        for _ in range(4):
            async with session.ws_connect(
                f"{server.url}ws/main?width=80&height=24", headers=origin
            ) as socket:
                assert "1 / 3" in await screen_until(socket, "1 / 3")
            for _ in range(100):  # the app quits once its tab has closed
                if not server._sockets:
                    break
                await asyncio.sleep(0.1)
            assert not server._sockets

    serve(post, check)


def test_a_tab_past_the_cap_says_why_instead_of_staying_blank(post: Path) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        server.max_sessions = 1
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        async with session.ws_connect(f"{server.url}ws/main", headers=origin) as socket:
            assert "1 / 3" in await screen_until(socket, "1 / 3")
            async with session.get(server.url) as response:
                assert response.status == 503
                assert "1 presenter tabs are open" in await response.text()
                assert "close one" in await response.text()

    serve(post, check)


def test_the_presenters_url_without_its_last_slash_goes_to_the_page(post: Path) -> None:
    async def check(server: p.PresenterServer, session: aiohttp.ClientSession) -> None:
        bare = server.url.rstrip("/")
        async with session.get(bare + "?view=speaker", allow_redirects=False) as response:
            assert response.status == 308
            assert response.headers["Location"] == f"{p.PREFIX}/{TOKEN}/?view=speaker"
        async with session.get(bare[:-1], allow_redirects=False) as response:
            assert response.status == 403

    serve(post, check)
