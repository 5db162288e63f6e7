"""The audience's server: the HTML deck and the talk's position for any number of viewers.

One asyncio HTTP server (standard library streams, HTTP/1.1 GET only):

- ``GET /?token=T`` or ``GET /a/T/``: the HTML deck (made in memory, see
  export.text.html_document), with the script that follows the talk (follow.py);
- ``GET /events?token=T`` or ``GET /a/T/events``: server-sent events; the talk's position
  first, then every move as one ``data:`` line of JSON (slide, id, page, pages, step, blank,
  zoom), and ``event: reload`` when the deck was made again.

Any other request, or a token that is not the server's (compared in constant time), is
refused (403 for a page or a stream, 404 for an unknown path). Each viewer has a bounded
queue: a viewer that falls that far behind is dropped (its browser reconnects and lands
where the talk is), so a slow viewer never grows the server's memory.

The talk's position is what the deck's link says (app/sync.py): the server is one more
view that listens and never moves the talk (see join_link).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tui_deck.app.sync import Position, ViewLink

#: How many messages a viewer may be behind before it is dropped.
QUEUE = 32
#: The most viewers one server carries at once (more are told 503, their browser retries).
MAX_VIEWERS = 20_000
#: The longest request line or header line, and the most header lines.
MAX_LINE = 8192
MAX_HEADERS = 64
#: Seconds a client has to send its request; between keep-alive comments on a stream.
REQUEST_SECONDS = 10.0
KEEPALIVE_SECONDS = 20.0

_PATH = re.compile(r"/a/([A-Za-z0-9_-]{1,100})(/|/events)?")

#: What the page may load: nothing from anywhere but itself (pictures are inline data).
_PAGE_HEADERS = (
    "Content-Type: text/html; charset=utf-8\r\n"
    "Cache-Control: no-store\r\n"
    "Content-Security-Policy: default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; font-src 'none'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "X-Content-Type-Options: nosniff\r\n"
)


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
    def __init__(self, writer: asyncio.StreamWriter, size: int) -> None:
        self.writer = writer
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(size)
        #: The task writing to this viewer (cancelled when the viewer is dropped).
        self.task = asyncio.current_task()


class Audience:
    """The server of one deck's audience: ``start()``, ``follow()`` the talk, ``new_page()``
    after a good save, ``close()``."""

    def __init__(self, page: str, token: str | None = None, queue: int = QUEUE) -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.page = page.encode()
        self.queue = queue
        self.talk = Position(0)
        self._talk_at = -1.0
        self.viewers: set[_Viewer] = set()
        #: Viewers dropped for being too far behind (for the log and the benchmark).
        self.dropped = 0
        self.server: asyncio.Server | None = None

    # ------------------------------------------------------------------ the talk

    def follow(self, position: Position) -> None:
        """A position heard on the link: the newest move is the talk's (ties: the one heard
        last, so a view that joins without having moved still shows where it is)."""
        if position.moved_at < self._talk_at:
            return
        self._talk_at = position.moved_at
        if position_data(position) == position_data(self.talk):
            return
        self.talk = position
        self._tell(_event(position_data(position)))

    def new_page(self, page: str) -> None:
        """The deck was made again: new viewers get it, open tabs load it again."""
        self.page = page.encode()
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
        viewer.writer.transport.abort()
        if viewer.task is not None and viewer.task is not asyncio.current_task():
            viewer.task.cancel()

    # ------------------------------------------------------------------ serving

    async def start(self, host: str = "127.0.0.1", port: int = 8000) -> int:
        """Listen; return the port (an ephemeral one for ``port=0``)."""
        self.server = await asyncio.start_server(
            self._handle, host, port, limit=MAX_LINE, backlog=1024
        )
        return int(self.server.sockets[0].getsockname()[1])

    def close(self) -> None:
        for viewer in list(self.viewers):
            self._drop(viewer)
        if self.server is not None:
            self.server.close()

    def token_ok(self, given: str | None) -> bool:
        if not given:
            return False
        return hmac.compare_digest(given.encode(errors="replace"), self.token.encode())

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(_read_request(reader), REQUEST_SECONDS)
            if request is None:
                await _reply(writer, 400, "bad request")
                return
            method, target = request
            if method not in ("GET", "HEAD"):
                await _reply(writer, 405, "only GET")
                return
            where, token = _route(target)
            if where == "":
                await _reply(writer, 404, "not found")
            elif not self.token_ok(token):
                await _reply(writer, 403, "forbidden")
            elif where == "page":
                head = f"HTTP/1.1 200 OK\r\n{_PAGE_HEADERS}Content-Length: {len(self.page)}\r\n"
                writer.write((head + "Connection: close\r\n\r\n").encode())
                if method == "GET":
                    writer.write(self.page)
                await writer.drain()
            else:
                await self._stream(writer)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:  # a viewer dropped, or the server closing: its end
            pass
        finally:
            writer.close()

    async def _stream(self, writer: asyncio.StreamWriter) -> None:
        if len(self.viewers) >= MAX_VIEWERS:
            await _reply(writer, 503, "too many viewers")
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
            b"X-Accel-Buffering: no\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n"
            + _event(position_data(self.talk))  # where the talk is, first
        )
        viewer = _Viewer(writer, self.queue)
        self.viewers.add(viewer)
        try:
            await writer.drain()
            while viewer in self.viewers:
                try:
                    message = await asyncio.wait_for(viewer.queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    message = b": still here\n\n"
                writer.write(message)
                await writer.drain()
        finally:
            self.viewers.discard(viewer)


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str] | None:
    """The method and target of a request (its headers are read and not needed)."""
    try:
        line = await reader.readline()
        parts = line.decode("latin-1").split()
        for _ in range(MAX_HEADERS + 1):
            header = await reader.readline()
            if header in (b"\r\n", b"\n", b""):
                break
        else:
            return None
    except ValueError:  # a line over the limit
        return None
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        return None
    return parts[0], parts[1]


def _route(target: str) -> tuple[str, str | None]:
    """("page" or "events", the token given) for a known path; ("", None) else."""
    split = urlsplit(target)
    found = _PATH.fullmatch(split.path)
    if found:
        return ("events" if found.group(2) == "/events" else "page"), found.group(1)
    tokens = parse_qs(split.query).get("token", [])
    token = tokens[0] if len(tokens) == 1 else None
    if split.path == "/":
        return "page", token
    if split.path == "/events":
        return "events", token
    return "", None


async def _reply(writer: asyncio.StreamWriter, status: int, text: str) -> None:
    reasons = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}
    reason = reasons.get(status, "Service Unavailable")
    body = (text + "\n").encode()
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()


def join_link(
    audience: Audience, socket: Callable[[], Path], problem: Callable[[str], None] | None = None
) -> ViewLink:
    """The server as one view on the deck's link: it hears every position and follows the
    newest; it tells the others a position that never wins (slide 1 at time 0), so it never
    moves the talk. ``await link.run()`` joins (and tries again while refused)."""

    def said(text: str, news: bool) -> None:
        if news and text:
            (problem or _stderr)(f"the talk's link: {text}")

    return ViewLink(
        socket,
        lambda: Position(0, speaker=True),
        lambda position: False,
        audience.follow,
        said,
    )


def _stderr(text: str) -> None:
    print(text, file=sys.stderr)
