"""The presenter's half of ``istio-deck serve``: the real app in a browser tab, through
textual-serve (xterm.js over a WebSocket; the optional extra ``istio-deck[serve]``).

What textual-serve does, and what is changed here:

- It starts the app with ``asyncio.create_subprocess_shell(command)`` — a shell string, one
  process per WebSocket, with ``TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver`` in its
  environment. Here ``ArgvAppService`` starts ``[python, -m, tui_deck, present, PATH, ...]``
  as an argument list (no shell), with ``--images blocks`` (xterm.js draws no Kitty graphics
  or Sixel, and the app must never write a terminal query into the web driver's pipe) and
  ``--presenter`` for the speaker's view (``?view=speaker``). ``cli.needs_terminal`` lets
  that web driver through the "presenting needs a terminal" check.
- Its page (``templates/app_index.html``) loads Roboto Mono from fonts.googleapis.com and
  builds absolute URLs from its ``public_url``; its ``textual.js`` hard-codes the font
  ``'Roboto Mono', Monaco, 'Courier New', monospace``. Here the page is our own (no URL to
  any host: every path is relative to the page), ``textual.js`` is served from
  textual-serve's own static files with the CJK font stack ``FONT_STACK`` put in place of
  that font (no web font is downloaded) and its cell width rounded (xterm.js floors a
  measured 9.99998 to 9 pixels, which squeezes every glyph), and ``xterm.css`` as it is. A
  Content-Security-Policy keeps the browser from loading anything from elsewhere.
- It has no authentication and no Origin check. Here every page, file and socket lives
  under ``/present/TOKEN/`` (a wrong or missing token is 403, compared in constant time),
  and a WebSocket whose ``Origin`` is not the host the page came from (the ``Host`` header,
  or the ``--public-url``) is refused with 403 before it is upgraded.
- Its file downloads (``/download/KEY``) are not offered (the deck never delivers files).

``presenter_server(...)`` returns a ``PresenterServer``: ``add_routes(app)`` puts it on the
serve command's one aiohttp application (run.py), beside the audience's half;
``start()``/``stop()`` serve it alone inside a running event loop (for tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import os
import secrets
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tui_deck.diagnostics import DeckError
from tui_deck.words import say

try:
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager
except ImportError:  # pragma: no cover - the message is tested through missing_extra()
    AVAILABLE = False
else:
    AVAILABLE = True

log = logging.getLogger("istio-deck.serve")

#: What the CLI prints when the web parts are not installed.
MISSING = 'serving needs the web parts: pip install "istio-deck[serve]"'

#: The browser's font for the terminal: CJK-capable monospace fonts the viewer has, never
#: a web font (a venue's network may reach nothing outside the room).
FONT_STACK = '"Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace'
#: The font textual-serve's textual.js asks xterm.js for (replaced by FONT_STACK).
TEXTUAL_JS_FONT = "fontFamily:\"'Roboto Mono', Monaco, 'Courier New', monospace\""
#: textual.js fetches a URL named by the page's ``?ping=`` (any host): not on our pages.
TEXTUAL_JS_PING = 'r=i.get("ping")'
#: xterm.js's cell width from the canvas's measureText("W"): Chromium says 9.99998 for a
#: 10-pixel glyph (the font at 20 px), and the renderer floors it to 9, so every glyph is
#: drawn a pixel narrower than it is wide and a Chinese character is squeezed into less
#: than its two cells. Rounded to 1/64 pixel, a whole width stays whole.
TEXTUAL_JS_MEASURE = "return this._validateAndSet(e.width,"
CELL_WIDTH = "return this._validateAndSet(Math.round(e.width*64)/64,"

VIEWS = ("main", "speaker")
#: At most this many app processes at once (each is a whole app, about 55 MB).
MAX_SESSIONS = 4
PREFIX = "/present"
#: How long an app has to quit when its tab closes.
QUIT_SECONDS = 5.0

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{title}</title>
<link rel="stylesheet" href="static/xterm.css">
<style>
html, body {{ margin: 0; height: 100%; background: #0c181f; overflow: hidden; }}
.textual-terminal {{ width: 100vw; height: 100vh; font-family: {font}; }}
.closed {{ display: none; position: fixed; inset: 0; z-index: 100; align-items: center;
  justify-content: center; color: #eee; background: #0c181ff2; font: 16px {font}; }}
body.-closed .closed {{ display: flex; }}
</style>
<script src="static/textual.js"></script>
</head>
<body>
<div class="closed">{ended}</div>
<div id="terminal" class="textual-terminal" data-socket-path="ws/{view}"
 data-font-size="{font_size}"></div>
<script src="static/boot.js"></script>
</body>
</html>
"""

#: Turns the page-relative socket path into the ws:// (wss:// behind https) URL textual.js
#: wants (it appends ``?width=…``), before textual.js connects at window.onload.
BOOT_JS = """(function () {
  var element = document.getElementById("terminal");
  var url = new URL(element.dataset.socketPath, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  url.hash = "";
  element.dataset.sessionWebsocketUrl = url.href;
})();
"""


def new_token() -> str:
    """A random token for a URL (128 bits)."""
    return secrets.token_urlsafe(16)


def missing_extra() -> str:
    """Empty when the web parts are installed, else the one line that says how to get them."""
    return "" if AVAILABLE else MISSING


def textual_js(source: str) -> str:
    """textual-serve's textual.js with our font stack, whole cell widths kept whole, and
    without the ``?ping=`` fetch."""
    if TEXTUAL_JS_FONT not in source:
        raise DeckError("textual-serve's textual.js changed: cannot set the font (is it 1.1?)")
    if source.count(TEXTUAL_JS_MEASURE) != 1:
        raise DeckError("textual-serve's textual.js changed: cannot set the cell width")
    font = f"fontFamily:{FONT_STACK!r}"  # a JavaScript string in single quotes
    source = source.replace(TEXTUAL_JS_FONT, font).replace(TEXTUAL_JS_PING, "r=null")
    return source.replace(TEXTUAL_JS_MEASURE, CELL_WIDTH)


def app_command(
    path: Path, speaker: bool, extra: Sequence[str] = (), python: str = sys.executable
) -> list[str]:
    """The app's argument list (never a shell string)."""
    view = ["--presenter"] if speaker else []
    return [python, "-m", "tui_deck", "present", *extra, *view, "--images", "blocks", str(path)]


def origin_allowed(origin: str | None, host: str | None, public_url: str | None = None) -> bool:
    """A WebSocket may come only from a page of this server: its Origin's host and port are
    the Host the browser asked for (or the public URL's, behind a proxy)."""
    if not origin or not host:
        return False
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    allowed = {_netloc(host, parts.scheme)}
    if public_url:
        public = urlsplit(public_url)
        allowed.add(_netloc(public.netloc, public.scheme))
    return _netloc(parts.netloc, parts.scheme) in allowed


def _netloc(netloc: str, scheme: str) -> str:
    """host:port, lower case, with the scheme's default port written out."""
    netloc = netloc.lower().rsplit("@", 1)[-1]
    if netloc.endswith("]") or ":" not in netloc.rsplit("]", 1)[-1]:
        netloc += ":443" if scheme == "https" else ":80"
    return netloc


if AVAILABLE:

    class ArgvAppService(AppService):
        """textual-serve's AppService, the app started from an argument list, not a shell."""

        def __init__(self, argv: Sequence[str], **kwargs: object) -> None:
            super().__init__(" ".join(argv), **kwargs)  # type: ignore[arg-type]
            self.argv = list(argv)

        async def _open_app_process(
            self, width: int = 80, height: int = 24
        ) -> asyncio.subprocess.Process:
            environment = self._build_environment(width=width, height=height)
            self._process = process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            return process

        async def run(self) -> None:
            """textual-serve's reader, then the tab is told the app has gone (textual-serve
            leaves the socket open when the app fails to start: a blank page for ever)."""
            await super().run()
            with contextlib.suppress(Exception):
                await self.remote_close()

        async def stop(self) -> None:
            """Ask the app to quit (textual-serve's way), then wait for it (textual-serve
            never does), and end its process group if it has not gone in a few seconds."""
            await super().stop()
            process = self._process
            if process is None:
                return
            try:
                await asyncio.wait_for(process.wait(), QUIT_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
            self._process = None


@dataclass
class PresenterServer:
    """The presenter's pages and socket, on ``host:port`` (127.0.0.1 unless told)."""

    path: Path
    token: str
    host: str = "127.0.0.1"
    port: int = 8000
    speaker: bool = False
    extra_args: Sequence[str] = ()
    public_url: str | None = None
    python: str = sys.executable
    max_sessions: int = MAX_SESSIONS
    #: The deck's language: the words the page says.
    lang: str = "en"
    #: The open presenter tabs (each with its app process), counted against max_sessions.
    _sockets: set[web.WebSocketResponse] = field(default_factory=set)
    _runner: web.AppRunner | None = None
    _script: str = ""
    _css: str = ""

    @property
    def url(self) -> str:
        """The presenter's URL (the default view), with its token."""
        return self.url_at(self.public_url or f"http://{url_host(self.host)}:{self.port}")

    def url_at(self, base: str) -> str:
        """The presenter's URL under ``base`` (http://HOST:PORT, or the public URL)."""
        return f"{base.rstrip('/')}{PREFIX}/{self.token}/"

    @property
    def speaker_url(self) -> str:
        return f"{self.url}?view=speaker"

    def add_routes(self, app: web.Application) -> None:
        """The presenter's routes, all under ``/present/{token}/``."""
        static = Path(_textual_serve_dir()) / "static"
        self._script = textual_js((static / "js" / "textual.js").read_text("utf-8"))
        self._css = (static / "css" / "xterm.css").read_text("utf-8")
        app.add_routes(
            [
                web.get(PREFIX + "/{token}/", self.handle_page),
                web.get(PREFIX + "/{token}", self.handle_no_slash),
                web.get(PREFIX + "/{token}/static/{name}", self.handle_static),
                web.get(PREFIX + "/{token}/ws/{view}", self.handle_socket),
                web.get(PREFIX + "{tail:.*}", self.handle_other),  # no token: 403
            ]
        )
        app.on_shutdown.append(self._close_sockets)

    def make_app(self) -> web.Application:
        app = web.Application()
        self.add_routes(app)
        return app

    async def start(self) -> int:
        """Serve inside the running loop; the port it listens on (0 picks a free one)."""
        self._runner = web.AppRunner(self.make_app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        from tui_deck.serve.audience import bound_port

        self.port = bound_port(self._runner, self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _check_token(self, request: web.Request) -> None:
        given = request.match_info.get("token", "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise web.HTTPForbidden(text="forbidden", headers=SECURITY_HEADERS)

    async def handle_page(self, request: web.Request) -> web.Response:
        self._check_token(request)
        if len(self._sockets) >= self.max_sessions:  # said here: a refused socket says nothing
            full = say(self.lang, "serve_full", count=self.max_sessions)
            raise web.HTTPServiceUnavailable(text=full, headers=SECURITY_HEADERS)
        view = request.query.get("view", "speaker" if self.speaker else "main")
        if view not in VIEWS:
            raise web.HTTPNotFound(text=f"no view {view!r}: main or speaker")
        page = PAGE.format(
            title=html.escape(f"istio-deck · {self.path.name}"),
            font=html.escape(FONT_STACK, quote=False),
            ended=html.escape(say(self.lang, "serve_ended")),
            lang="zh-CN" if self.lang == "zh" else "en",
            view=view,
            font_size=_font_size(request.query.get("fontsize", "")),
        )
        return web.Response(text=page, content_type="text/html", headers=SECURITY_HEADERS)

    async def handle_no_slash(self, request: web.Request) -> web.Response:
        """The URL typed without its last ``/``: to the page, with its query."""
        self._check_token(request)
        query = f"?{request.query_string}" if request.query_string else ""
        location = f"{PREFIX}/{self.token}/{query}"
        raise web.HTTPPermanentRedirect(location, headers=SECURITY_HEADERS)

    async def handle_other(self, request: web.Request) -> web.Response:
        raise web.HTTPForbidden(text="forbidden", headers=SECURITY_HEADERS)

    async def handle_static(self, request: web.Request) -> web.Response:
        self._check_token(request)
        files = {
            "textual.js": (self._script, "application/javascript"),
            "boot.js": (BOOT_JS, "application/javascript"),
            "xterm.css": (self._css, "text/css"),
        }
        found = files.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound(text="not found")
        text, kind = found
        return web.Response(text=text, content_type=kind, headers=SECURITY_HEADERS)

    async def handle_socket(self, request: web.Request) -> web.StreamResponse:
        self._check_token(request)
        view = request.match_info["view"]
        if view not in VIEWS:
            raise web.HTTPNotFound(text="no such view")
        if not origin_allowed(request.headers.get("Origin"), request.host, self.public_url):
            raise web.HTTPForbidden(text="forbidden: the page is not this server's")
        if len(self._sockets) >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text="too many presenter tabs open")
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        self._sockets.add(socket)
        width = _int(request.query.get("width", ""), 80, 10, 1000)
        height = _int(request.query.get("height", ""), 24, 5, 500)
        argv = app_command(self.path, view == "speaker", self.extra_args, self.python)
        service = ArgvAppService(
            argv,
            write_bytes=socket.send_bytes,
            write_str=socket.send_str,
            close=socket.close,
            download_manager=DownloadManager(),
        )
        try:
            await service.start(width, height)
            await _pump(socket, service)
        except asyncio.CancelledError:
            await socket.close()
        except Exception:  # one broken tab never stops the server
            log.exception("presenter socket")
        finally:
            with contextlib.suppress(Exception):
                await service.stop()
            self._sockets.discard(socket)  # its app has gone: its place is free
        return socket

    async def _close_sockets(self, app: web.Application) -> None:
        for socket in list(self._sockets):
            await socket.close()


async def _pump(socket: web.WebSocketResponse, service: AppService) -> None:
    """Keys, sizes and focus from the browser to the app (textual-serve's messages)."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind = envelope[0]
        data = envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width = _int(str(data.get("width", "")), 80, 10, 1000)
            height = _int(str(data.get("height", "")), 24, 5, 500)
            await service.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, str):
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def presenter_server(
    path: Path | str,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    speaker: bool = False,
    extra_args: Sequence[str] = (),
    public_url: str | None = None,
    lang: str = "en",
) -> PresenterServer:
    """The presenter's half for the deck at ``path`` (serve's run.py mounts its routes);
    ``speaker`` makes the speaker's view the page's default (``?view=main`` still shows
    the audience's). Raises DeckError with the one-line install hint without the extra."""
    if not AVAILABLE:
        raise DeckError(MISSING)
    return PresenterServer(
        Path(path),
        token or new_token(),
        host,
        port,
        speaker,
        tuple(extra_args),
        public_url,
        lang=lang,
    )


def _textual_serve_dir() -> str:
    import textual_serve

    return str(Path(textual_serve.__file__).parent)


def url_host(host: str) -> str:
    """A host as a URL writes it (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _font_size(text: str) -> int:
    return _int(text, 16, 8, 48)


def _int(text: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text), low), high)
    except ValueError:
        return default
