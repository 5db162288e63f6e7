"""``istio-deck serve PATH``: the audience's server of one deck, until Ctrl-C.

The HTML deck is made at start and again after every good save (app/reload.py: a broken
edit keeps the last good deck and is said on stderr); the talk's position comes from the
deck's link, so ``istio-deck PATH --presenter`` in a terminal moves every viewer.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tui_deck.app.reload import reload_deck, watch_folder
from tui_deck.app.sync import deck_socket
from tui_deck.deck import Deck, Options
from tui_deck.export.text import html_document
from tui_deck.layout.page import Size
from tui_deck.sanitize import clean_line
from tui_deck.serve.audience import Audience, join_link
from tui_deck.serve.follow import follow_script


@dataclass(frozen=True)
class ServeOptions:
    path: Path
    deck_options: Options
    host: str = "127.0.0.1"
    port: int = 8000
    #: The address viewers use (a proxy's, a tunnel's); default http://HOST:PORT.
    public_url: str = ""
    size: Size = field(default_factory=lambda: Size(100, 30))
    ambiguous_wide: bool = False
    backing: str = "auto"
    watch: bool = True
    link: bool = True


def served_page(deck: Deck, options: ServeOptions) -> str:
    """The HTML deck an audience is served: the export's, with the follow script."""
    return html_document(
        deck,
        options.size,
        ambiguous_wide=options.ambiguous_wide,
        backing=options.backing,
        served=follow_script(deck.lang),
    )


def audience_url(options: ServeOptions, port: int, token: str) -> str:
    base = options.public_url.rstrip("/")
    if not base:
        host = f"[{options.host}]" if ":" in options.host else options.host
        base = f"http://{host}:{port}"
    return f"{base}/a/{token}/"


async def serve(deck: Deck, options: ServeOptions, ready: asyncio.Event | None = None) -> None:
    """Serve until cancelled."""
    audience = Audience(served_page(deck, options))
    port = await audience.start(options.host, options.port)
    print(f"audience: {audience_url(options, port, audience.token)}", flush=True)
    loop = asyncio.get_running_loop()
    stop = threading.Event()
    saved = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    link = None
    if options.link:
        sources = [post.source for post in deck.posts]
        link = join_link(audience, lambda: deck_socket(options.path, sources))
        tasks.append(asyncio.create_task(link.run()))
    if options.watch:
        thread = threading.Thread(
            target=watch_folder,
            args=(options.path, stop, lambda: loop.call_soon_threadsafe(saved.set)),
            daemon=True,
        )
        thread.start()
    if ready is not None:
        ready.set()
    try:
        while True:
            await saved.wait()
            saved.clear()
            deck = await _remade(deck, options, audience)
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        if link is not None:
            link.close()
        audience.close()


async def _remade(deck: Deck, options: ServeOptions, audience: Audience) -> Deck:
    """The deck after a save: made again and sent to the viewers, or the last good one."""
    result = await asyncio.to_thread(reload_deck, options.path, options.deck_options, deck)
    if result.deck is None:
        print(f"not reloaded: {clean_line(result.problem)}", file=sys.stderr, flush=True)
        return deck
    try:
        page = await asyncio.to_thread(served_page, result.deck, options)
    except Exception as exc:  # a bad edit never stops the talk: the last good deck stays
        print(f"not reloaded: {clean_line(str(exc))[:200]}", file=sys.stderr, flush=True)
        return deck
    audience.new_page(page)
    print(f"reloaded: {len(result.deck.slides)} slides", file=sys.stderr, flush=True)
    return result.deck


def run(deck: Deck, options: ServeOptions) -> None:
    """Serve until Ctrl-C."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(deck, options))
