"""The audience's half of ``istio-deck serve``: the HTML deck and the talk's position for
any number of viewers, on the serve command's one aiohttp application (``add_routes``):

- ``GET /a/TOKEN/``: the HTML deck (made in memory, see export.text.html_document), with the
  script that follows the talk (follow.py);
- ``GET /a/TOKEN/events``: server-sent events; the talk's position first, then every move
  as one ``data:`` line of JSON (slide, id, page, pages, step, blank, zoom), and
  ``event: reload`` when the deck was made again.

A token that is not this half's (compared in constant time) is refused with 403, for the
page and the stream alike. Each viewer has a bounded queue: a viewer that falls that far
behind is dropped (its browser reconnects and lands where the talk is), so a slow viewer
never grows the server's memory. Viewers only listen: nothing they send moves the talk.

The talk's position is what the deck's link says (app/sync.py): the server is one more
view that listens and never moves the talk (see join_link).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from tui_deck.app.sync import Position, ViewLink
from tui_deck.layout.page import MIN_HEIGHT, MIN_WIDTH

#: How many messages a viewer may be behind before it is dropped.
QUEUE = 32
#: The most viewers one server carries at once (more are told 503, their browser retries).
MAX_VIEWERS = 20_000
#: The largest projector screen the served pages follow (cells).
MAX_SIZE = (400, 200)
#: Seconds between keep-alive comments on a quiet stream.
KEEPALIVE_SECONDS = 20.0
PREFIX = "/a"

#: What the page may load: nothing from anywhere but itself (pictures are inline data).
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; font-src 'none'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
STREAM_HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
    "X-Content-Type-Options": "nosniff",
}


def position_data(position: Position) -> dict[str, object]:
    """What a viewer's tab is told of a position: data only."""
    return {
        "slide": position.slide,
        "id": position.id,
        "page": position.page,
        "pages": position.pages,
        "step": position.step,
        "blank": position.blank,
        "zoom": position.zoom,
    }


def _event(data: dict[str, object], kind: str = "") -> bytes:
    head = f"event: {kind}\n" if kind else ""
    return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class _Viewer:
    def __init__(self, request: web.Request, size: int) -> None:
        self.request = request
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(size)
        #: The task writing to this viewer (cancelled when the viewer is dropped).
        self.task = asyncio.current_task()


class Audience:
    """The audience of one deck: ``add_routes(app)`` (or ``start()`` alone), ``follow()``
    the talk, ``new_page()`` after a good save, ``close()``."""

    def __init__(
        self,
        page: str,
        token: str | None = None,
        queue: int = QUEUE,
        size: tuple[int, int] = (100, 30),
    ) -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.page = page.encode()
        #: The screen size (cells) the served pages are laid out at.
        self.size = size
        #: The projector's screen size, heard on the link, when it differs from ``size``:
        #: the pages are to be laid out again at it (``on_size`` is told).
        self.wanted: tuple[int, int] | None = None
        self.on_size: Callable[[], None] | None = None
        self.queue = queue
        self.talk = Position(0)
        self._talk_at = -1.0
        self.viewers: set[_Viewer] = set()
        #: Viewers dropped for being too far behind (for the log and the benchmark).
        self.dropped = 0
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ the talk

    def follow(self, position: Position) -> None:
        """A position heard on the link: the newest move is the talk's (ties: the one heard
        last, so a view that joins without having moved still shows where it is)."""
        self._hear_size(position)
        if position.moved_at < self._talk_at:
            return
        self._talk_at = position.moved_at
        if position_data(position) == position_data(self.talk):
            return
        self.talk = position
        self._tell(_event(position_data(position)))

    def _hear_size(self, position: Position) -> None:
        """The projector's screen (a view that is not the speaker's says its size): the
        served pages are laid out at it, so a viewer sees the pages the room sees, each
        one in turn (pages of another size would skip or repeat some of the text)."""
        if position.speaker or position.width <= 0 or position.height <= 0:
            return
        size = (
            min(max(position.width, MIN_WIDTH), MAX_SIZE[0]),
            min(max(position.height, MIN_HEIGHT), MAX_SIZE[1]),
        )
        if size != (self.wanted or self.size):
            self.wanted = None if size == self.size else size
            if self.on_size is not None:
                self.on_size()

    def new_page(self, page: str, size: tuple[int, int] | None = None) -> None:
        """The deck was made again (at ``size``): new viewers get it, open tabs load it
        again."""
        self.page = page.encode()
        if size is not None:
            self.size = size
            if self.wanted == size:
                self.wanted = None
        self._tell(_event({}, "reload"))

    def _tell(self, message: bytes) -> None:
        for viewer in list(self.viewers):
            try:
                viewer.queue.put_nowait(message)
            except asyncio.QueueFull:  # too far behind: dropped, its browser reconnects
                self._drop(viewer)

    def _drop(self, viewer: _Viewer) -> None:
        if viewer in self.viewers:
            self.viewers.discard(viewer)
            self.dropped += 1
        if viewer.request.transport is not None:
            viewer.request.transport.abort()
        if viewer.task is not None and viewer.task is not asyncio.current_task():
            viewer.task.cancel()

    # ------------------------------------------------------------------ serving

    def url(self, base: str) -> str:
        """The audience's URL under ``base`` (http://HOST:PORT or the public URL)."""
        return f"{base.rstrip('/')}{PREFIX}/{self.token}/"

    def add_routes(self, app: web.Application) -> None:
        """The audience's routes, all under ``/a/{token}/`` (anything else there: 403)."""
        app.add_routes(
            [
                web.get(PREFIX + "/{token}/", self.handle_page),
                web.get(PREFIX + "/{token}", self.handle_no_slash),
                web.get(PREFIX + "/{token}/events", self.handle_events, allow_head=False),
                web.route("*", PREFIX + "{tail:.*}", self.handle_other),
            ]
        )
        app.on_shutdown.append(self._on_shutdown)

    async def start(self, host: str = "127.0.0.1", port: int = 8000) -> int:
        """Serve this half alone (tests, the benchmark); return the port (0: a free one)."""
        app = web.Application()
        self.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, backlog=1024)
        await site.start()
        return bound_port(self._runner, port)

    async def stop(self) -> None:
        self.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def close(self) -> None:
        for viewer in list(self.viewers):
            self._drop(viewer)

    async def _on_shutdown(self, app: web.Application) -> None:
        self.close()

    def token_ok(self, given: str | None) -> bool:
        if not given:
            return False
        return hmac.compare_digest(given.encode(errors="replace"), self.token.encode())

    def _check(self, request: web.Request) -> None:
        if not self.token_ok(request.match_info.get("token")):
            raise web.HTTPForbidden(text="forbidden", headers=PAGE_HEADERS)

    async def handle_page(self, request: web.Request) -> web.Response:
        self._check(request)
        return web.Response(
            body=self.page, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
        )

    async def handle_no_slash(self, request: web.Request) -> web.Response:
        """The URL typed off the projector without its last ``/``: to the page."""
        self._check(request)
        raise web.HTTPPermanentRedirect(f"{PREFIX}/{self.token}/", headers=PAGE_HEADERS)

    async def handle_other(self, request: web.Request) -> web.Response:
        raise web.HTTPForbidden(text="forbidden", headers=PAGE_HEADERS)

    async def handle_events(self, request: web.Request) -> web.StreamResponse:
        self._check(request)
        if len(self.viewers) >= MAX_VIEWERS:
            raise web.HTTPServiceUnavailable(text="too many viewers")
        response = web.StreamResponse(headers=STREAM_HEADERS)
        viewer = _Viewer(request, self.queue)
        self.viewers.add(viewer)
        try:
            await response.prepare(request)
            # where the talk is, first
            await response.write(b"retry: 1000\n\n" + _event(position_data(self.talk)))
            while viewer in self.viewers:
                try:
                    async with asyncio.timeout(KEEPALIVE_SECONDS):
                        message = await viewer.queue.get()
                except TimeoutError:
                    message = b": still here\n\n"
                await response.write(message)
        except (ConnectionError, asyncio.CancelledError):
            pass  # the viewer went, was dropped, or the server is closing: its end
        finally:
            self.viewers.discard(viewer)
        return response


def bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port a runner's first site listens on (the one asked for, or the free one)."""
    for site in runner.sites:
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or ():
            return int(sock.getsockname()[1])
    return asked


def join_link(
    audience: Audience, socket: Callable[[], Path], problem: Callable[[str], None] | None = None
) -> ViewLink:
    """The server as one view on the deck's link: it hears every position and follows the
    newest. It never makes a move of its own: what it tells a view that joins later (the
    server listens on the deck's socket when it started first) is the talk's newest move as
    heard, with that move's time, so the newcomer lands where the talk is (slide 1 at time 0
    before anyone moved, which never wins). It says the size its pages are laid out at, as an
    audience's screen does, so a speaker's view with no projector in the room pages as the
    served tabs do. ``await link.run()`` joins (and tries again while refused)."""

    def said(text: str, news: bool) -> None:
        if news and text:
            (problem or _stderr)(f"the talk's link: {text}")

    def width() -> int:
        return audience.size[0]

    def height() -> int:
        return audience.size[1]

    return ViewLink(
        socket,
        lambda: replace(
            audience.talk, speaker=False, width=audience.size[0], height=audience.size[1]
        ),
        lambda position: True,  # heard: its time is the one told to a newcomer
        audience.follow,
        said,
    )


def _stderr(text: str) -> None:
    print(text, file=sys.stderr)
