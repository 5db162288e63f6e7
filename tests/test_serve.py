"""istio-deck serve, the audience's half: the HTML deck behind a token, and every viewer's
tab following the talk heard on the deck's link (plain HTTP clients, no browser)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import CORPUS, ROOT, SLIDES
from tests.serving import start_serve
from tui_deck.app.sync import Link, Position, deck_socket, socket_path
from tui_deck.deck import Options, load_deck
from tui_deck.export.text import html_document
from tui_deck.layout.page import Chrome, Size, layout_slide
from tui_deck.layout.theme import DEFAULT_THEME
from tui_deck.serve import audience as audience_module
from tui_deck.serve.audience import Audience, join_link
from tui_deck.serve.run import ServeOptions, serve, served_page


def _page(deck_path: Path = SLIDES) -> str:
    deck = load_deck(deck_path, Options(talk=True))
    return served_page(deck, ServeOptions(deck_path, Options(talk=True)))


async def _request(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    )
    data = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


class Viewer:
    """One audience tab's event stream (HTTP/1.1, chunked as the server sends it)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.buffer = b""

    @classmethod
    async def open(cls, port: int, target: str) -> Viewer:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert head.startswith(b"HTTP/1.1 200"), head
        assert b"text/event-stream" in head
        assert b"Transfer-Encoding: chunked" in head
        return cls(reader, writer)

    async def block(self, seconds: float = 5) -> bytes:
        """The next event block, up to its blank line."""
        while b"\n\n" not in self.buffer:
            size = int(await asyncio.wait_for(self.reader.readuntil(b"\r\n"), seconds), 16)
            if size == 0:
                raise ConnectionError("the stream ended")
            chunk = await asyncio.wait_for(self.reader.readexactly(size + 2), seconds)
            self.buffer += chunk[:-2]
        block, _, self.buffer = self.buffer.partition(b"\n\n")
        return block + b"\n\n"

    async def message(self, seconds: float = 5) -> dict[str, object]:
        """The next data message (comments, retry and other events skipped)."""
        while True:
            lines = (await self.block(seconds)).decode().strip().split("\n")
            if lines[0].startswith("data: "):
                data = json.loads(lines[0][6:])
                assert isinstance(data, dict)
                return data

    def close(self) -> None:
        self.writer.close()


def _run(test: Callable[[Audience, int], Awaitable[None]], page: str = "<p>deck</p>") -> None:
    async def main() -> None:
        audience = Audience(page)
        port = await audience.start("127.0.0.1", 0)
        try:
            await test(audience, port)
        finally:
            await audience.stop()

    asyncio.run(main())


def test_the_deck_and_its_stream_need_the_token() -> None:
    deck = load_deck(SLIDES, Options(talk=True))
    page = _page()

    async def test(audience: Audience, port: int) -> None:
        wrong = "x" * len(audience.token)
        for target in (
            "/a/",
            "/a//",
            f"/a/{wrong}/",
            f"/a/{audience.token[:-1]}/",
            f"/a/{audience.token}x/events",
            "/a//events",
            f"/a/{wrong}/events",
            f"/a/{wrong}/{audience.token}/",
        ):
            status, _headers, body = await _request(port, target)
            assert status == 403, target
            assert b"<svg" not in body and b"data:" not in body
        assert (await _request(port, f"/nowhere?token={audience.token}"))[0] == 404
        for target in (f"/a/{audience.token}/",):
            status, headers, body = await _request(port, target)
            assert status == 200
            assert "default-src 'none'" in headers["Content-Security-Policy"]
            text = body.decode()
            for slide in deck.slides:
                assert f'data-title="{escape(slide.title)}"' in text

    _run(test, page)


def test_the_served_deck_follows_the_stream_and_carries_no_notes() -> None:
    page = _page()
    assert "new EventSource(" in page
    assert "BroadcastChannel('istio-deck-'" in page  # the export's, switched off when served
    assert "const served = true;" in page
    assert '<template class="notes" data-n="0"></template>' in page
    deck = load_deck(SLIDES, Options(talk=True))
    assert any(slide.notes.strip() for slide in deck.slides)
    first_note = next(s.notes for s in deck.slides if s.notes.strip()).strip().split("\n")[0]
    assert escape(first_note[:20]) not in page


def test_the_page_loads_nothing_from_another_host() -> None:
    """Pictures inline, no font, script or style from elsewhere (the external-authz post
    has several diagrams, and URLs in its text, which are words, not requests)."""
    for deck_path in (SLIDES, *sorted(CORPUS.glob("*/*external-authz*"))):
        page = _page(deck_path)
        loads = re.findall(r"""\b(?:src|href|xlink:href)\s*=\s*["']([^"']*)""", page)
        assert all(value.startswith(("data:", "#")) for value in loads), loads
        assert not re.search(r"<(?:link|iframe|object|embed|base)\b", page)
        assert "@import" not in page and "url(" not in page
        assert "EventSource(base + 'events'" in page  # the stream: the server's own path
        assert deck_path == SLIDES or any(v.startswith("data:image/") for v in loads)


def test_a_viewer_gets_the_talk_first_and_again_after_reconnecting() -> None:
    async def test(audience: Audience, port: int) -> None:
        audience.follow(Position(2, 2, 3, moved_at=10.0, step=1, id="two"))
        viewer = await Viewer.open(port, f"/a/{audience.token}/events")
        first = await viewer.message()
        assert first == {
            "slide": 2,
            "id": "two",
            "page": 2,
            "pages": 3,
            "step": 1,
            "blank": False,
            "zoom": None,
        }
        viewer.close()
        audience.follow(Position(4, moved_at=11.0, blank=True, zoom=1, id="four"))
        audience.follow(Position(1, moved_at=9.0, id="old"))  # an older move: not the talk
        again = await Viewer.open(port, f"/a/{audience.token}/events")
        landed = await again.message()
        assert (landed["slide"], landed["id"], landed["blank"], landed["zoom"]) == (
            4,
            "four",
            True,
            1,
        )
        again.close()

    _run(test)


def test_a_move_on_the_link_reaches_every_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A presenter on the deck's link (as `istio-deck slides/ --presenter` joins it) moves
    three viewers; the server itself never moves the presenter."""
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    path = socket_path(SLIDES, "", folder)
    moved: list[Position] = []

    async def test(audience: Audience, port: int) -> None:
        link = join_link(audience, lambda: path)
        joined = asyncio.create_task(link.run())
        viewers = [await Viewer.open(port, f"/a/{audience.token}/events") for _ in range(3)]
        for viewer in viewers:
            assert (await viewer.message())["slide"] == 0
        presenter = Link(path, moved.append, lambda: Position(0, speaker=True))
        await presenter.start()
        for _ in range(200):
            if presenter.role == "client" and link.link and link.link.role == "server":
                break
            await asyncio.sleep(0.01)
        assert presenter.role == "client"
        presenter.send(Position(3, 1, 1, time.time(), speaker=True, id="s3"))
        start = time.monotonic()
        for viewer in viewers:
            message = await viewer.message(seconds=1)
            assert (message["slide"], message["id"]) == (3, "s3")
        assert time.monotonic() - start < 1
        await asyncio.sleep(0.1)
        assert moved == []  # the server's own position never wins
        presenter.close_now()
        link.close()
        joined.cancel()
        for viewer in viewers:
            viewer.close()

    _run(test)


def test_a_view_that_joins_later_lands_where_the_talk_is(tmp_path: Path) -> None:
    """serve started first, so it listens on the deck's socket: a presenter's terminal that
    joins after the talk moved is told the talk's newest move (and follows it), and the
    server still never moves the view that made the talk's moves."""
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    path = socket_path(SLIDES, "", folder)
    first_moved: list[Position] = []
    late_moved: list[Position] = []

    async def joined(view: Link) -> None:
        for _ in range(200):
            if view.role == "client":
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the view never joined the link")

    async def test(audience: Audience, port: int) -> None:
        link = join_link(audience, lambda: path)
        running = asyncio.create_task(link.run())
        for _ in range(200):
            if link.link is not None and link.link.role == "server":
                break
            await asyncio.sleep(0.01)
        first = Link(path, first_moved.append, lambda: Position(0, speaker=True))
        await first.start()
        await joined(first)
        moved_at = time.time()
        first.send(Position(2, 1, 1, moved_at, id="two"))
        viewer = await Viewer.open(port, f"/a/{audience.token}/events")
        assert (await viewer.message())["slide"] == 2  # the server heard the move
        late = Link(path, late_moved.append, lambda: Position(0, speaker=True))
        await late.start()
        await joined(late)
        for _ in range(100):
            if late_moved:
                break
            await asyncio.sleep(0.01)
        assert [(p.slide, p.id, p.moved_at) for p in late_moved] == [(2, "two", moved_at)]
        told = late_moved[0]  # the served tabs' screen, as an audience's view says its own
        assert not told.speaker and (told.width, told.height) == audience.size
        await asyncio.sleep(0.1)
        assert first_moved == []
        assert audience.talk.slide == 2  # the late view's own position (time 0) did not win
        viewer.close()
        late.close_now()
        first.close_now()
        link.close()
        running.cancel()

    _run(test)


def test_a_viewer_too_far_behind_is_dropped() -> None:
    """A viewer that never reads is dropped once its queue is full; the others go on."""

    async def test(audience: Audience, port: int) -> None:
        slow = await Viewer.open(port, f"/a/{audience.token}/events")
        quick = await Viewer.open(port, f"/a/{audience.token}/events")
        await quick.message()
        await asyncio.sleep(0.05)
        assert len(audience.viewers) == 2
        where = slow.writer.get_extra_info("sockname")
        slow_viewer = next(
            v
            for v in audience.viewers
            if v.request.transport is not None
            and v.request.transport.get_extra_info("peername") == where
        )
        # The slow one's queue is filled without its task running (as if its socket were stuck).
        for _ in range(audience.queue):
            slow_viewer.queue.put_nowait(b": filler\n\n")
        audience.follow(Position(5, moved_at=1.0))
        assert slow_viewer not in audience.viewers
        assert audience.dropped == 1
        assert (await quick.message())["slide"] == 5
        with contextlib.suppress(ConnectionError):  # its connection is ended (reset)
            await asyncio.wait_for(slow.reader.read(), 5)
        assert slow.reader.at_eof()
        slow.close()
        quick.close()

    _run(test)


def test_a_quiet_stream_is_kept_alive_and_a_viewer_gone_quietly_is_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the talk stays on one slide, each stream gets a keep-alive comment (so a proxy
    keeps it open) and still gets the next move after it; a viewer whose tab closed in the
    quiet is forgotten at the next keep-alive, not kept until the talk moves."""
    monkeypatch.setattr(audience_module, "KEEPALIVE_SECONDS", 0.2)

    async def test(audience: Audience, port: int) -> None:
        staying = await Viewer.open(port, f"/a/{audience.token}/events")
        going = await Viewer.open(port, f"/a/{audience.token}/events")
        for viewer in (staying, going):
            assert (await viewer.message())["slide"] == 0
        assert len(audience.viewers) == 2
        going.close()
        assert await staying.block(seconds=2) == b": still here\n\n"
        assert await staying.block(seconds=2) == b": still here\n\n"
        await asyncio.sleep(0.1)
        assert len(audience.viewers) == 1
        audience.follow(Position(2, moved_at=1.0))
        assert (await staying.message(seconds=2))["slide"] == 2
        staying.close()

    _run(test)


def test_a_new_deck_reloads_every_tab() -> None:
    async def test(audience: Audience, port: int) -> None:
        viewer = await Viewer.open(port, f"/a/{audience.token}/events")
        await viewer.message()
        audience.new_page("<p>new deck</p>")
        block = await viewer.block()
        assert block.startswith(b"event: reload\n")
        status, _headers, body = await _request(port, f"/a/{audience.token}/")
        assert (status, body) == (200, b"<p>new deck</p>")
        viewer.close()

    _run(test)


def test_serve_prints_the_audience_url_and_serves_it(tmp_path: Path) -> None:
    """The command itself: binds 127.0.0.1, prints the presenter's, the speaker's and the
    audience's URLs on one port, each half with its own token, and never loads Textual."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(tmp_path)}
    script = (
        "import sys, runpy; sys.argv = ['istio-deck', 'serve', sys.argv[1], '--port', '0', "
        "'--no-watch'];\n"
        "import threading, os\n"
        "def check():\n"
        "    import time; time.sleep(3)\n"
        "    print(any(m.split('.')[0] == 'textual' for m in sys.modules), flush=True)\n"
        "    os._exit(0)\n"
        "threading.Thread(target=check, daemon=True).start()\n"
        "from tui_deck.cli import main; main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(SLIDES)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    words = result.stdout.split()
    assert words[0::2][:3] == ["presenter:", "speaker:", "audience:"], result
    presenter, speaker, audience = words[1:6:2]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/present/[A-Za-z0-9_-]{22}/", presenter)
    assert speaker == presenter + "?view=speaker"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/a/[A-Za-z0-9_-]{32}/", audience)
    assert presenter.split("/")[2] == audience.split("/")[2]  # one port
    assert presenter.split("/")[4] != audience.split("/")[4]  # each its own token
    assert words[-1] == "False", result


def test_the_served_deck_has_a_full_screen_page_for_every_picture() -> None:
    """What the talk's z shows the audience: each of the seed's two photos alone, wider than
    on its slide (the exported deck, which nobody zooms, has none of these pages)."""
    page = _page()
    sections = re.findall(r'<section class="(page|zoom)"([^>]*)>(.*?)</section>', page, re.S)

    def widths(kind: str) -> dict[str, float]:
        found = {}
        for name, attributes, svg in sections:
            image = re.search(r'<image[^>]*?width="([\d.]+)"', svg)
            if name == kind and image:
                found[re.findall(r'data-slide="(\d+)"', attributes)[0]] = float(image.group(1))
        return found

    on_slides, zoomed = widths("page"), widths("zoom")
    assert sorted(zoomed) == sorted(on_slides) == ["1", "3"]
    assert all(zoomed[slide] > on_slides[slide] * 1.3 for slide in zoomed)
    assert all(' data-zoom="0" hidden>' in a + ">" for n, a, _ in sections if n == "zoom")
    deck = load_deck(SLIDES, Options(talk=True))
    assert '<section class="zoom"' not in html_document(deck, Size(100, 30))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_the_presenters_app(tmp_path: Path, stop: signal.Signals) -> None:
    """A presenter's tab has its app running; SIGTERM (a service manager) or Ctrl-C ends the
    server within seconds, with no app process left behind and no traceback."""
    deck = tmp_path / "deck"
    shutil.copytree(SLIDES, deck)
    server = start_serve(tmp_path, deck, "--no-watch")

    def apps() -> list[str]:
        found = subprocess.run(["pgrep", "-f", f"tui_deck present.*{deck}"], capture_output=True)
        return found.stdout.decode().split()

    async def open_tab() -> None:
        assert server.stdout is not None
        url = server.stdout.readline().split()[1]
        host = url.split("/")[2]
        async with aiohttp.ClientSession() as session:
            socket = await session.ws_connect(
                url + "ws/main?width=100&height=30", headers={"Origin": f"http://{host}"}
            )
            while (await socket.receive(timeout=30)).type != aiohttp.WSMsgType.BINARY:
                pass  # the app's first frame
            assert len(apps()) == 1
            server.send_signal(stop)
            assert server.wait(15) == 0
            await socket.close()

    try:
        asyncio.run(open_tab())
        for _ in range(20):
            if not apps():
                break
            time.sleep(0.1)
        assert apps() == []
        assert server.stderr is not None
        assert "Traceback" not in server.stderr.read()
    finally:
        server.kill()
        for pid in apps():
            os.kill(int(pid), signal.SIGKILL)


def test_the_served_pages_follow_the_projectors_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The projector (the presenter's tab or a terminal, a view that is not the speaker's)
    is 60x20: the served deck is laid out again at 60x20, so each slide has the pages the
    room sees, one for one (at 100x30 a viewer would miss the text of the pages the
    projector has and the tabs lack); open tabs are told to load it; a speaker's view is
    not a screen and changes nothing."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    deck = load_deck(SLIDES, Options(talk=True))
    small = [len(layout_slide(deck, n, 60, 20, DEFAULT_THEME, Chrome())) for n in range(4)]
    large = [len(layout_slide(deck, n, 100, 30, DEFAULT_THEME, Chrome())) for n in range(4)]
    assert small != large

    async def joined(view: Link) -> None:
        for _ in range(300):
            if view.role == "client":
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the view never joined the link")

    def pages_of(page: bytes) -> list[int]:
        slides = re.findall(rb'<section class="page" data-n="\d+" data-slide="(\d+)"', page)
        return [slides.count(str(n).encode()) for n in range(4)]

    async def main() -> None:
        lines: list[str] = []
        ready = asyncio.Event()
        options = ServeOptions(SLIDES, Options(talk=True), port=0, watch=False)
        server = asyncio.create_task(serve(deck, options, ready, lines.append))
        await asyncio.wait_for(ready.wait(), 30)
        audience_url = lines[2].split()[1]
        port = int(audience_url.split(":")[2].split("/")[0])
        target = audience_url.split(str(port), 1)[1]
        assert pages_of((await _request(port, target))[2]) == large
        viewer = await Viewer.open(port, target + "events")
        await viewer.message()
        path = deck_socket(SLIDES, [post.source for post in deck.posts])
        for _ in range(300):  # the server is on the link (it listens: it started first)
            if path.exists():
                break
            await asyncio.sleep(0.01)
        speaker = Link(path, lambda p: None, lambda: Position(0, speaker=True))
        await speaker.start()
        await joined(speaker)
        speaker.send(Position(1, 1, 1, time.time(), 200, 60, speaker=True, id="x"))
        projector = Link(path, lambda p: None, lambda: Position(0))
        await projector.start()
        await joined(projector)
        projector.send(Position(1, 1, small[1], time.time(), 60, 20, id=str(deck.slides[1].id)))
        while not (await viewer.block(10)).startswith(b"event: reload"):
            pass
        assert pages_of((await _request(port, target))[2]) == small
        viewer.close()
        speaker.close_now()
        projector.close_now()
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server

    asyncio.run(main())


def test_the_url_without_its_last_slash_goes_to_the_page() -> None:
    """Typed off the projector without the final /: the page, not "forbidden"; a wrong
    token still is."""

    async def test(audience: Audience, port: int) -> None:
        status, headers, _ = await _request(port, f"/a/{audience.token}")
        assert (status, headers["Location"]) == (308, f"/a/{audience.token}/")
        assert (await _request(port, f"/a/{audience.token[:-1]}"))[0] == 403

    _run(test)


def test_the_audiences_pages_take_the_talks_theme(tmp_path: Path) -> None:
    """--theme light (or the talk file's theme) colours the audience's tabs as it does the
    presenter's app, not only the presenter's."""
    from tui_deck.cli import _layout_theme

    deck = load_deck(SLIDES, Options(talk=True))
    light = _layout_theme("light")
    page = served_page(deck, ServeOptions(SLIDES, Options(talk=True), theme=light))
    dark = served_page(deck, ServeOptions(SLIDES, Options(talk=True)))
    assert f"background: {light.background}" in page
    assert f"background: {light.background}" not in dark
    assert light.background != DEFAULT_THEME.background


def test_serve_says_the_decks_problems_before_the_talk(tmp_path: Path) -> None:
    """A missing picture and an unclosed shortcode: the presenter reads them where they
    started serve, with file and line, before anyone opens a tab."""
    post = tmp_path / "talk" / "index.md"
    post.parent.mkdir()
    post.write_text(
        '---\ntitle: Bad\n---\n\n## One\n\n{{< image link="./gone.png" caption="x" >}}\n\n'
        "{{< tip >}}\nunclosed\n",
        encoding="utf-8",
    )
    server = start_serve(tmp_path, post.parent)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith("presenter: http://127.0.0.1:")
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=15)
    assert "talk/index.md:7: error: image ./gone.png not found" in err  # (from its folder)
    assert "talk/index.md:9: error: shortcode {{< tip >}} is never closed" in err
    assert "Traceback" not in err
