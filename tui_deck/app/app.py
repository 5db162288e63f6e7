"""The presenter app: the deck, where the talk is, and the rooms that show it.

``DeckApp`` holds the deck and the talk's state (a ``Navigator`` mirrored in reactives whose
watchers repaint, a ``TalkClock``, a ``Search``, the ``ViewLink``) and lends them to its
room: ``SlideScreen`` for the audience or ``PresenterScreen`` for the speaker (screens/).
Layout comes from tui_deck.layout; nothing here draws.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import var

from tui_deck.app.clock import BEAT_SECONDS, TalkClock
from tui_deck.app.idle import IdleCollector
from tui_deck.app.navigator import Navigator
from tui_deck.app.options import AppOptions
from tui_deck.app.protocols import METHODS
from tui_deck.app.reload import problem_lines, reload_deck, watch_folder
from tui_deck.app.screens import DeckScreen, PresenterScreen, SlideScreen
from tui_deck.app.search import Search
from tui_deck.app.sync import Link, Position, SyncRefused, ViewLink, deck_socket
from tui_deck.app.themes import deck_theme
from tui_deck.app.widgets import SlideView
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.page import Chrome, Page, layout_slide
from tui_deck.layout.theme import Theme
from tui_deck.pictures import Pictures
from tui_deck.words import say

__all__ = ["AppOptions", "DeckApp", "make_app"]

#: A view whose link was refused tries again this often (the folder may have been fixed).
LINK_RETRY_SECONDS = 5.0
#: Full garbage collections wait until no key has been pressed for this long.
IDLE_GC_SECONDS = 3.0


class DeckApp(App[int]):
    CSS_PATH = "deck.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", "quit", show=False, priority=True)
    ]

    # Where the talk is, mirrored from the navigator: the watchers repaint the room.
    slide = var(0, init=False)
    page = var(1, init=False)
    #: The step of a slide revealed step by step (nav.step).
    reveal = var(1, init=False)
    blank = var(False, init=False)
    #: The slide's picture shown full screen (z; the room opens and closes the zoom).
    zoom: var[int | None] = var(None, init=False)
    digits = var("", init=False)
    show_footer = var(True, init=False)
    #: The footer's search count ("2/5").
    status = var("", init=False)
    #: Why the last edit was not loaded ("" after a good save): ⚠ in the footer until then.
    edit_problem = var("", init=False)

    def __init__(self, deck: Deck, options: AppOptions) -> None:
        super().__init__()
        self.deck = deck
        self.options = options
        self.deck_theme: Theme = replace(deck_theme(options.theme), live=options.allow_exec)
        self.pictures = Pictures()
        #: How pictures are drawn (protocols.METHODS, else half-blocks); the CLI resolves auto.
        self.method = options.images if options.images in METHODS else "blocks"
        start = deck.find(options.start) if options.start else None
        self.nav = Navigator(
            len(deck.slides),
            lambda index: self.room.page_count(index),
            start or 0,
            lambda index, page: self.room.page_steps(index, page),
        )
        self.set_reactive(DeckApp.slide, self.nav.slide)
        self.search = Search()
        #: The talk's place beside the deck's socket (linked views only).
        self.talk_file = self._talk_file() if options.link else None
        keep = self.talk_file if options.presenter else None
        self.clock = TalkClock(options.monotonic, file=keep)
        self.views: ViewLink | None = None
        if options.link:
            self.views = ViewLink(
                self._socket_path,
                lambda: self.room.position(),
                self._remote_move,
                lambda position: self.room.on_seen(position),
                self._link_problem,
                LINK_RETRY_SECONDS,
                lambda news: self.room.live_news(news),
            )
        self.room: DeckScreen = PresenterScreen() if options.presenter else SlideScreen()
        self._stop_watch = threading.Event()
        self.idle = IdleCollector(IDLE_GC_SECONDS)
        #: Keep this deck for the next start (make_app parsed it; the cache had none).
        self.store_in_cache = False

    def get_default_screen(self) -> DeckScreen:
        return self.room

    def on_mount(self) -> None:
        if self.options.theme not in ("dark", "light", "istio"):
            self.theme = self.options.theme
        if self.options.clock is not None or self.options.presenter:
            self.set_interval(1.0, lambda: self.room.tick())
        if self.views is not None:  # after the first paint: the talk does not wait for it
            self.call_after_refresh(self._start_link)
            self.set_interval(BEAT_SECONDS, lambda: self.room.beat())
        if self.options.autoplay:
            self.set_interval(self.options.autoplay, self._autoplay)
        if self.options.watch:
            self._watch()
        if self.deck.errors or any(d.key.startswith("diag_talk") for d in self.deck.diagnostics):
            self.room.report_problems(self.problem_lines())  # a bad talk file too: its picks
        self.call_after_refresh(self.room.prefetch)
        if self.store_in_cache:  # for the next start; after this one's first paint
            self.call_after_refresh(self._store_in_cache)
        self.idle.start()  # full garbage collections wait for a pause in the talk
        self.set_interval(self.idle.seconds, self.idle.collect)
        # SIGTERM (a closed laptop lid, `kill`) quits like q: the terminal is restored.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit, 0)

    # ----------------------------------------------------------------- what rooms ask

    @property
    def view(self) -> SlideView:
        return self.room.view

    @property
    def link(self) -> Link | None:
        return self.views.link if self.views is not None else None

    def say(self, key: str, **values: object) -> str:
        return say(self.deck.lang, key, **values)

    def chrome(self) -> Chrome:
        clock = self.options.clock
        count = self.problem_count()
        typed = f"→ {self.digits}" if self.digits else ""
        status = [typed, self.status, f"⚠ {count}" if count else ""]
        return Chrome(
            footer=self.show_footer,
            clock=clock().strftime("%H:%M") if clock is not None else "",
            timer=self.clock.text(),
            status="  ".join(part for part in status if part),
        )

    def layout(
        self, index: int, width: int, height: int, chrome: Chrome | None = None, step: int = 0
    ) -> list[Page]:
        """The pages of slide ``index`` at a size, with this app's theme and options (at
        ``step``; 0: whole)."""
        return layout_slide(
            self.deck,
            index,
            width,
            height,
            self.deck_theme,
            self.chrome() if chrome is None else chrome,
            self.options.ambiguous_wide,
            self.options.cell_aspect,
            step,
        )

    def problem_count(self) -> int:
        return len(self.deck.errors) + bool(self.edit_problem)

    def problem_lines(self) -> list[str]:
        return problem_lines(self.deck, self.edit_problem, self.options.path)

    # ----------------------------------------------------------------- moving

    def step(self, move: Callable[[], None], announce: bool = True) -> None:
        """A move of the navigator, shown (the watchers repaint) and told to the others."""
        self.idle.touch()
        nav = self.nav
        before = (nav.slide, nav.page, nav.step, nav.blank, nav.zoom)
        move()
        self.slide, self.page, self.blank, self.zoom = nav.slide, nav.page, nav.blank, nav.zoom
        self.reveal, self.digits = nav.step, nav.digits
        if announce and (nav.slide, nav.page, nav.step, nav.blank, nav.zoom) != before:
            self.announce(moved=True)

    def go(self, slide: int, page: int = 1, announce: bool = True) -> None:
        """Show a slide (page -1: its last page); ``announce`` tells the linked views."""
        self.step(partial(self.nav.go, slide, page), announce)

    def watch_slide(self) -> None:
        self.room.slide_changed()
        self.view.refresh()
        self.call_after_refresh(self.room.prefetch)

    def watch_blank(self, blank: bool) -> None:
        self.room.show_blank(blank)
        self.view.refresh()

    def _repaint(self) -> None:
        self.view.refresh()

    watch_page = watch_reveal = watch_digits = watch_show_footer = watch_status = (
        watch_edit_problem
    ) = _repaint

    def refresh_slide(self) -> None:
        """Repaint now (a test's fake clock moved)."""
        self.view.refresh()

    def _autoplay(self) -> None:
        if not self.nav.at_end():
            self.step(self.nav.next)
        elif self.options.loop:
            self.go(0)
        else:
            self.exit(0)

    # ----------------------------------------------------------------- the link

    def announce(self, moved: bool = False) -> None:
        if self.views is not None:
            self.views.announce(moved)

    def _remote_move(self, position: Position) -> bool:
        """Another view of this deck moved: follow it (without telling it back)."""
        slides = self.deck.slides
        if position.id and not (
            position.slide < len(slides) and slides[position.slide].id == position.id
        ):
            # That view picks other slides of the post (--slides, the talk file): follow the
            # slide itself; one this view leaves out is not followed.
            found = [n for n, slide in enumerate(slides) if slide.id == position.id]
            if not found:
                return False
            position = replace(position, slide=found[0])
        if position.slide >= len(slides):
            return False  # that view has another version of the deck (an edit not reloaded)

        where = (position.slide, position.page, position.blank, position.zoom, position.step or -1)
        self.step(partial(self.nav.follow, *where), announce=False)
        return True

    def _link_problem(self, problem: str, new: bool) -> None:
        if problem and new:
            self.room.tell_link_problem(problem)
        self.view.refresh()

    def _start_link(self) -> None:
        if self.views is not None:
            self.run_worker(self.views.run(), group="link", exit_on_error=False)

    def _socket_path(self) -> Path:
        return deck_socket(self.options.path, [post.source for post in self.deck.posts])

    def _talk_file(self) -> Path | None:
        try:
            return self._socket_path().with_suffix(".talk")
        except (SyncRefused, OSError):
            return None

    # ----------------------------------------------------------------- reloading

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Load the deck again; a broken edit keeps the last good deck on screen and a ⚠ in
        the footer until a good save."""
        result = reload_deck(self.options.path, self.options.deck_options, self.deck)
        self.edit_problem = result.problem
        if result.deck is None:
            if self.room.tells_problems():  # not on the projector while a speaker's view runs
                message = "\n".join(part for part in (result.problem, result.note) if part)
                timeout = 10 if result.note else 8
                self.notify(message, title=result.title, severity="error", timeout=timeout)
            return
        current_id = self.deck.slides[self.slide].id
        self.deck = result.deck
        found = self.deck.find(current_id)
        self.nav.recount(len(self.deck.slides), found if found is not None else self.slide)
        self.step(lambda: None, announce=False)
        self.view.refresh()

    @work(thread=True, exclusive=True, group="watch")
    def _watch(self) -> None:
        watch_folder(
            self.options.path, self._stop_watch, lambda: self.call_from_thread(self.reload)
        )

    def _store_in_cache(self) -> None:
        from tui_deck import cache

        store = partial(cache.store, self.options.path, self.options.deck_options, self.deck)
        self.run_worker(store, thread=True, group="cache", exit_on_error=False)

    # ----------------------------------------------------------------- the process

    def on_key(self, event: events.Key) -> None:
        self.idle.touch()

    async def action_quit(self) -> None:
        self._stop_watch.set()
        self.exit(0)

    def on_unmount(self) -> None:
        self._stop_watch.set()
        if self.views is not None:
            self.views.close()
        self.idle.stop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)


def make_app(options: AppOptions) -> DeckApp:
    """The one app factory the CLI and the tests share."""
    if options.cache:
        from tui_deck import cache

        deck = cache.load(options.path, options.deck_options)
        if deck is not None:
            return DeckApp(deck, options)
    app = DeckApp(load_deck(options.path, options.deck_options), options)
    app.store_in_cache = options.cache
    return app
