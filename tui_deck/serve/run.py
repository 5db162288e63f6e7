"""``istio-deck serve PATH``: the presenter's app and the audience's deck on one port.

One aiohttp application carries both halves, each behind its own random token:

- ``/present/TOKEN/``: the real app in a browser tab (presenter.py, textual-serve);
  ``?view=speaker`` is the speaker's view;
- ``/a/TOKEN/``: the HTML deck for any number of viewers (audience.py), following the talk.

The audience hears the talk on the deck's link (app/sync.py), which the presenter's app
joins like any view (so ``istio-deck PATH --presenter`` in a terminal drives it too); only
a view of the deck moves the talk, never a viewer. The HTML deck is made at start and
again after every good save (app/reload.py: a broken edit keeps the last good deck and is
said on stderr); the presenter's app reloads itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui_deck.app.reload import reload_deck, watch_folder
from tui_deck.app.sync import deck_socket
from tui_deck.deck import Deck, Options
from tui_deck.diagnostics import DeckError
from tui_deck.export.text import html_document
from tui_deck.layout.page import Size
from tui_deck.layout.theme import DEFAULT_THEME, Theme
from tui_deck.sanitize import clean_line
from tui_deck.serve.follow import follow_script
from tui_deck.serve.presenter import MISSING, missing_extra, url_host

if TYPE_CHECKING:
    from tui_deck.serve.audience import Audience


#: Seconds a server keeps a connection that sends no request (a browser's idle one, or one
#: held open to use up the server's sockets).
KEEPALIVE_SECONDS = 15.0
#: Seconds to wait after a save or the projector's resize before making the pages again.
SETTLE_SECONDS = 0.3


@dataclass(frozen=True)
class ServeOptions:
    path: Path
    deck_options: Options
    host: str = "127.0.0.1"
    port: int = 8000
    #: The address browsers use (a proxy's, a tunnel's); default http://HOST:PORT.
    public_url: str = ""
    size: Size = field(default_factory=lambda: Size(100, 30))
    ambiguous_wide: bool = False
    backing: str = "auto"
    watch: bool = True
    link: bool = True
    #: The presenter's app's own options (theme, slides, …), as ``present`` takes them.
    app_args: Sequence[str] = ()
    #: The audience's pages' theme (the presenter's app gets its name in ``app_args``).
    theme: Theme = DEFAULT_THEME


def served_page(deck: Deck, options: ServeOptions) -> str:
    """The HTML deck an audience is served: the export's, with the follow script."""
    return html_document(
        deck,
        options.size,
        ambiguous_wide=options.ambiguous_wide,
        theme=options.theme,
        backing=options.backing,
        served=follow_script(deck.lang),
    )


def base_url(options: ServeOptions, port: int) -> str:
    """http://HOST:PORT as a browser elsewhere would write it, or the public URL. A server
    on every address (0.0.0.0, ::) is named by this computer's address in the room."""
    if options.public_url:
        return options.public_url.rstrip("/")
    host = options.host
    if host in ("", "0.0.0.0", "::"):
        host = _room_address(host == "::")
    return f"http://{url_host(host)}:{port}"


def _room_address(six: bool) -> str:
    """This computer's address on its network (a UDP socket's route; nothing is sent): an
    IPv4 one when it has one (a server on :: takes IPv4 too), else IPv6 for ::."""
    probes = [(socket.AF_INET, "10.255.255.255")]
    if six:
        probes.append((socket.AF_INET6, "fd00::1"))
    for family, probe in probes:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                return str(udp.getsockname()[0])
        except OSError:
            continue
    return socket.gethostname()


async def serve(
    deck: Deck,
    options: ServeOptions,
    ready: asyncio.Event | None = None,
    say: Callable[[str], None] | None = None,
) -> None:
    """Serve until cancelled; ``say`` gets the lines the presenter reads (the URLs)."""
    if missing_extra():
        raise DeckError(MISSING)
    from aiohttp import web

    from tui_deck.serve.audience import Audience, bound_port, join_link
    from tui_deck.serve.presenter import presenter_server

    tell = say or (lambda line: print(line, flush=True))
    quiet_server_logs()
    more_open_files()
    size = (options.size.width, options.size.height)
    audience = Audience(served_page(deck, options), size=size)
    presenter = presenter_server(
        options.path,
        options.host,
        options.port,
        extra_args=options.app_args,
        public_url=options.public_url or None,
        lang=deck.lang,
    )
    app = web.Application()
    presenter.add_routes(app)
    audience.add_routes(app)
    runner = web.AppRunner(
        app, access_log=None, shutdown_timeout=2.0, keepalive_timeout=KEEPALIVE_SECONDS
    )
    await runner.setup()
    loop = asyncio.get_running_loop()
    stop = threading.Event()
    remake = asyncio.Event()  # a save, or the projector's size: the pages made again
    saved = False

    def on_save() -> None:
        nonlocal saved
        saved = True
        remake.set()

    audience.on_size = remake.set
    link = None
    joined: asyncio.Task[None] | None = None
    try:
        await web.TCPSite(runner, options.host, options.port, backlog=1024).start()
        port = presenter.port = bound_port(runner, options.port)
        base = base_url(options, port)
        tell(f"presenter: {presenter.url_at(base)}")  # the tokens: only on this terminal
        tell(f"speaker:   {presenter.url_at(base)}?view=speaker")
        tell(f"audience:  {audience.url(base)}")
        if options.link:
            sources = [post.source for post in deck.posts]
            link = join_link(audience, lambda: deck_socket(options.path, sources))
            joined = asyncio.create_task(link.run())
        if options.watch:
            thread = threading.Thread(
                target=watch_folder,
                args=(options.path, stop, lambda: loop.call_soon_threadsafe(on_save)),
                daemon=True,
            )
            thread.start()
        if ready is not None:
            ready.set()
        while True:
            await remake.wait()
            await asyncio.sleep(SETTLE_SECONDS)  # a burst of saves or resizes: once
            remake.clear()
            reread, saved = saved, False
            deck = await _remade(deck, options, audience, reread)
            if link is not None:
                link.announce()  # a speaker's view learns the size the tabs page at
    finally:
        stop.set()
        if joined is not None:
            joined.cancel()
        if link is not None:
            link.close()
        audience.close()
        await runner.cleanup()


async def _remade(deck: Deck, options: ServeOptions, audience: Audience, reread: bool) -> Deck:
    """The deck after a save (``reread``) or at the projector's new size: made again and
    sent to the viewers; after a broken save, the last good one (said on stderr)."""
    if reread:
        result = await asyncio.to_thread(reload_deck, options.path, options.deck_options, deck)
        if result.deck is None:
            print(f"not reloaded: {clean_line(result.problem)}", file=sys.stderr, flush=True)
            if not audience.wanted:
                return deck
        else:
            deck = result.deck
            print(f"reloaded: {len(deck.slides)} slides", file=sys.stderr, flush=True)
    size = audience.wanted or audience.size
    try:
        page = await asyncio.to_thread(
            served_page, deck, replace(options, size=Size(size[0], size[1]))
        )
    except Exception as exc:  # a bad edit never stops the talk: the last good pages stay
        print(f"not reloaded: {clean_line(str(exc))[:200]}", file=sys.stderr, flush=True)
        return deck
    audience.new_page(page, size)
    return deck


def more_open_files(wanted: int = 65_536) -> None:
    """Every viewer holds a socket: the soft limit on open files (often 1,024, 256 on macOS)
    raised as far as the hard limit lets, so a large audience is not refused."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class _OneLineAWhile(logging.Filter):
    """A server error said as one line, at most once in ten seconds for the same kind (a
    malformed request is refused with 400 anyway; a flood must not fill the terminal)."""

    def __init__(self) -> None:
        super().__init__()
        self.said: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        kind = type(error).__name__ if error else record.getMessage()[:40]
        now = time.monotonic()
        if now - self.said.get(kind, -1e9) >= 10:
            self.said[kind] = now
            # the message, never the request itself (it may carry a token)
            why = record.getMessage().split("\n")[0][:80] + (f" ({kind})" if error else "")
            print(f"serve: {clean_line(why)}", file=sys.stderr, flush=True)
        return False


def quiet_server_logs() -> None:
    """aiohttp's and asyncio's errors (a bad request, too many connections) as short lines
    on stderr, never a traceback per request."""
    once = _OneLineAWhile()
    for name in ("aiohttp.server", "aiohttp.web", "asyncio"):
        logger = logging.getLogger(name)
        logger.addFilter(once)
        logger.propagate = False
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def run(deck: Deck, options: ServeOptions) -> None:
    """Serve until Ctrl-C (or SIGTERM, SIGHUP): the presenter's apps are stopped first."""

    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await serve(deck, options)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
