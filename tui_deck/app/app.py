"""The presenter app: keys, timer, hot reload, autoplay. Layout comes from tui_deck.layout."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import json
import re
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from tui_deck.app.pictures import SLOW_SECONDS, PictureKey, Pictures
from tui_deck.app.screens import (
    CARD_HEIGHT,
    CARD_WIDTH,
    GridOverviewScreen,
    HelpScreen,
    OverviewScreen,
    PromptScreen,
)
from tui_deck.app.themes import deck_theme
from tui_deck.app.widgets import SlideView
from tui_deck.deck import Deck, Options, load_deck
from tui_deck.diagnostics import DeckError
from tui_deck.layout.blocks import CELL_ASPECT
from tui_deck.layout.page import Chrome, Page, layout_slide
from tui_deck.layout.presenter import Talk, clock_text, layout_presenter, notes_length
from tui_deck.layout.theme import Theme
from tui_deck.sanitize import clean_line

Clock = Callable[[], dt.datetime]

if TYPE_CHECKING:
    from tui_deck.app.sync import Link, Position

MESSAGES = {
    "no_slide": ("no slide {number} (1-{count})", "没有第 {number} 张（1-{count}）"),
    "no_match": ("no slide matches {value}", "没有匹配 {value} 的幻灯片"),
    "not_found": ("not found: {value}", "未找到：{value}"),
    "go_prompt": ("go to: number, id or title", "跳转到：编号、id 或标题"),
    "search_prompt": ("search", "搜索"),
    "reload_failed": ("reload failed", "重新加载失败"),
    "not_reloaded": ("not reloaded", "未重新加载"),
    "kept": ("the last good version stays on screen", "屏幕上保留最后一个正确的版本"),
    "problems": ("+{more} more: istio-deck check", "另有 {more} 个：istio-deck check"),
    "not_linked": ("views not linked: {why}", "视图未联动：{why}"),
    "alone": ("⚠ not linked", "⚠ 未联动"),
    "blanked": ("■ audience screen blank (b)", "■ 观众屏幕已黑屏（b）"),
}


@dataclass
class AppOptions:
    path: Path
    deck_options: Options = field(default_factory=Options)
    theme: str = "dark"
    start: str | None = None
    autoplay: float | None = None
    loop: bool = False
    watch: bool = True
    ambiguous_wide: bool = False
    #: "auto" or "blocks": colour half-blocks; "kitty", "sixel": pixel protocols; "none":
    #: image boxes show frames only.
    images: str = "auto"
    #: A terminal cell's width divided by its height, for the shape of pictures.
    cell_aspect: float = CELL_ASPECT
    #: The wall clock shown in the footer; None hides it (tests and exports).
    clock: Clock | None = dt.datetime.now
    #: The monotonic time the talk timer counts with (tests pass a fake).
    monotonic: Callable[[], float] = time.monotonic
    #: Start from the parsed deck kept by the last run when nothing changed (tui_deck.cache).
    cache: bool = False
    #: The speaker's view: current and next slide, notes, elapsed time and countdown.
    presenter: bool = False
    #: The talk's planned length in seconds (the presenter's countdown).
    duration: float | None = None
    #: Keep every view of this deck in step through a per-user socket (tui_deck.app.sync).
    link: bool = False


#: A view whose link was refused tries again this often (the folder may have been fixed).
LINK_RETRY_SECONDS = 5.0
#: Full garbage collections wait until no key has been pressed for this long.
IDLE_GC_SECONDS = 3.0


class DeckApp(App[int]):
    CSS_PATH = "deck.tcss"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l,j,space,pagedown", "next", "next", show=False),
        Binding("left,h,k,backspace,pageup", "previous", "previous", show=False),
        Binding("enter", "enter", "next / go", show=False),
        Binding("home,g", "first", "first", show=False),
        Binding("end,G", "last", "last", show=False),
        Binding("colon", "jump", "jump", show=False),
        Binding("o", "overview", "overview", show=False),
        # Tab is Textual's focus key; here it opens (and closes) the overview.
        Binding("tab", "overview", "overview", show=False, priority=True),
        Binding("slash", "search", "search", show=False),
        Binding("n", "search_next", "next hit", show=False),
        Binding("N", "search_previous", "previous hit", show=False),
        Binding("t", "timer", "timer", show=False),
        Binding("T", "timer_reset", "reset timer", show=False),
        Binding("b", "blank", "blank", show=False),
        Binding("f", "footer", "footer", show=False),
        Binding("r", "reload", "reload", show=False),
        Binding("question_mark", "help", "help", show=False),
        Binding("escape", "clear", "clear", show=False),
        Binding("up", "notes(-3)", "scroll notes up", show=False),
        Binding("down", "notes(3)", "scroll notes down", show=False),
        Binding("q", "quit", "quit", show=False),
        Binding("ctrl+c", "quit", "quit", show=False, priority=True),
    ]

    def __init__(self, deck: Deck, options: AppOptions) -> None:
        super().__init__()
        self.deck = deck
        self.options = options
        self.slide = 0
        self.page = 1
        self.digits = ""
        self.search_query = ""
        self.show_footer = True
        self.timer_started: float | None = None
        self.timer_elapsed = 0.0
        self.deck_theme: Theme = deck_theme(options.theme)
        self._stop_watch = threading.Event()
        self.pictures = Pictures()
        #: The slide on the screen (held, not queried: it is asked for on every key).
        self._view = SlideView()
        #: blocks (half-blocks in the slide's text), kitty or sixel (pixel widgets laid over
        #: the image boxes), none (frames only). The CLI resolves "auto" before the app runs.
        self.method = options.images if options.images in ("kitty", "sixel", "none") else "blocks"
        self._pixel_signature: tuple[object, ...] = ()
        self._last_input = 0.0
        #: The presenter's notes scroll; the audience's page counts, as its view reports.
        self.notes_offset = 0
        #: The audience's screen, as its view reports it (the presenter's pages follow it).
        self.audience_size: tuple[int, int] | None = None
        #: The presenter's record of the audience's screen being blanked (b).
        self.audience_blank = False
        #: Why the views are not linked ("" when they are, or are not asked to be).
        self.link_problem = ""
        #: The link to the other views of this deck, and when this view last moved.
        self.link: Link | None = None
        self.moved_at = 0.0
        self._gc_threshold = gc.get_threshold()
        self._gc_frozen = False
        #: Keep this deck for the next start (make_app parsed it; the cache had none).
        self.store_in_cache = False
        if options.start:
            found = deck.find(options.start)
            if found is not None:
                self.slide = found

    # ----------------------------------------------------------------- composition

    def compose(self) -> ComposeResult:
        view = self._view
        view.source = self.presenter_page if self.options.presenter else self.current_page
        view.theme_colors = self.deck_theme
        if self.method == "blocks":
            view.pictures = self.pictures
            view.request_picture = self.request_picture
        elif self.method in ("kitty", "sixel"):
            view.on_page = self._sync_pixels
        yield view

    # ----------------------------------------------------------------- pictures

    def request_picture(self, key: PictureKey) -> None:
        """Render a picture in a worker thread; the slide refreshes when it is ready."""
        if self.pictures.claim(key):
            self.run_worker(
                partial(self._produce_picture, key),
                thread=True,
                group="pictures",
                exit_on_error=False,
            )
            # If it is slow, say so in its frame (the picture still replaces it when done).
            self.set_timer(SLOW_SECONDS + 0.2, self.refresh_slide)

    def _produce_picture(self, key: PictureKey) -> None:
        self.pictures.produce(key)
        with contextlib.suppress(Exception):  # the app may be closing
            self.call_from_thread(self.refresh_slide)

    def _sync_pixels(self) -> None:
        """Kitty/Sixel: lay a pixel widget over each image box of the page on screen."""
        if self.method not in ("kitty", "sixel"):
            return
        page = None if self.view.blank else self.view.last_view.page
        wanted = []
        for slot in page.images if page is not None else []:
            key = Pictures.key(slot, self.deck_theme.background)
            if key is None:
                continue
            image = self.pictures.decoded(key)
            if image is None:
                if self.pictures.claim_decode(key):
                    self.run_worker(
                        partial(self._decode_then_sync, key),
                        thread=True,
                        group="pictures",
                        exit_on_error=False,
                    )
            elif not isinstance(image, str):
                wanted.append((slot, key, image))
        signature = tuple((key, slot.row, slot.col) for slot, key, _ in wanted)
        if signature == self._pixel_signature:
            return
        self._pixel_signature = signature
        base = self.screen_stack[0]
        for old in base.query(".pixels"):
            old.remove()
        if not wanted:
            return
        from textual_image.widget import SixelImage, TGPImage

        widget_class = TGPImage if self.method == "kitty" else SixelImage
        for slot, _key, image in wanted:
            widget = widget_class(image, classes="pixels")
            widget.styles.layer = "overlay"
            widget.styles.position = "absolute"
            widget.styles.offset = (slot.col, slot.row)
            widget.styles.width = slot.width
            widget.styles.height = slot.height
            base.mount(widget)

    def _decode_then_sync(self, key: PictureKey) -> None:
        self.pictures.decode(key)
        with contextlib.suppress(Exception):  # the app may be closing
            self.call_from_thread(self._sync_pixels)

    def _store_in_cache(self) -> None:
        from tui_deck import cache

        deck = self.deck
        store = partial(cache.store, self.options.path, self.options.deck_options, deck)
        self.run_worker(store, thread=True, group="cache", exit_on_error=False)

    def _prefetch_next(self) -> None:
        """Lay out the neighbouring slides in a worker thread, then start the next slide's
        pictures, while the speaker talks about this one: the next key press finds its page
        in the cache."""
        size = self.view.size
        if size.width <= 0 or size.height <= 0:
            return
        self.run_worker(
            partial(self._lay_out_neighbours, self.slide, size.width, size.height),
            thread=True,
            group="neighbours",
            exclusive=True,
            exit_on_error=False,
        )

    def _lay_out_neighbours(self, index: int, width: int, height: int) -> None:
        chrome = self.chrome()
        for neighbour in (index + 1, index - 1, index + 2):
            if 0 <= neighbour < len(self.deck.slides):
                with contextlib.suppress(Exception):  # its error panel shows when visited
                    self.layout(neighbour, width, height, chrome)
        if self.method == "blocks" and index + 1 < len(self.deck.slides):
            with contextlib.suppress(Exception):  # the app may be closing
                self.call_from_thread(self._request_pictures, index + 1, width, height)

    def _request_pictures(self, index: int, width: int, height: int) -> None:
        try:
            pages = self.layout(index, width, height)
        except Exception:
            return
        for slot in pages[0].images:
            key = Pictures.key(slot, self.deck_theme.background)
            if key is not None:
                self.request_picture(key)

    def on_mount(self) -> None:
        if self.options.theme not in ("dark", "light", "istio"):
            self.theme = self.options.theme
        self.screen.styles.background = self.deck_theme.background
        self.screen.styles.color = self.deck_theme.foreground
        if self.options.presenter and not self._restore_talk():
            self.timer_started = self.options.monotonic()  # the talk starts now
            self._save_talk()
        if self.options.clock is not None or self.options.presenter:
            self.set_interval(1.0, self._tick)
        if self.options.link:  # after the first paint: the talk's start does not wait for it
            self.call_after_refresh(
                lambda: self.run_worker(self._start_link(), group="link", exit_on_error=False)
            )
        if self.options.autoplay:
            self.set_interval(self.options.autoplay, self._autoplay)
        if self.options.watch:
            self._watch()
        self._notify_problems()
        self.call_after_refresh(self._prefetch_next)
        if self.store_in_cache:  # for the next start; after this one's first paint
            self.call_after_refresh(self._store_in_cache)
        # Python's full garbage collection stops the app for 30-100 ms: with many laid-out
        # pages alive, it was the slowest slide changes. Full collections run when nobody
        # is pressing keys instead; what start-up built is frozen out of them.
        gc.set_threshold(self._gc_threshold[0], self._gc_threshold[1], 1_000_000)
        self.set_interval(IDLE_GC_SECONDS, self._collect_when_idle)
        # SIGTERM (a closed laptop lid, `kill`) quits like q: the terminal is restored.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit, 0)

    @property
    def view(self) -> SlideView:
        return self._view

    def say(self, key: str, **values: object) -> str:
        """A message in the language of the deck."""
        english, chinese = MESSAGES[key]
        return (chinese if self.deck.lang.startswith("zh") else english).format(**values)

    def chrome(self) -> Chrome:
        clock = self.options.clock
        return Chrome(
            footer=self.show_footer,
            clock=clock().strftime("%H:%M") if clock is not None else "",
            timer=self._timer_text(),
            status=f"→ {self.digits}" if self.digits else "",
        )

    def layout(
        self, index: int, width: int, height: int, chrome: Chrome | None = None
    ) -> list[Page]:
        """The pages of slide ``index`` at a size, with this app's theme and options."""
        return layout_slide(
            self.deck,
            index,
            width,
            height,
            self.deck_theme,
            self.chrome() if chrome is None else chrome,
            self.options.ambiguous_wide,
            self.options.cell_aspect,
        )

    def _audience(self) -> tuple[int, int]:
        """The audience's screen size; until it has said, the speaker's own."""
        if self.audience_size is not None:
            return self.audience_size
        size = self.view.size
        return (max(1, size.width), max(1, size.height))

    def presenter_page(self, width: int, height: int) -> Page:
        """The speaker's view at this size, paged as the audience's screen is."""
        pages = self._page_count()
        self.page = min(max(self.page, 1), pages)
        clock = self.options.clock
        notes = [self.say("blanked")] if self.audience_blank else []
        if self.link_problem:
            notes.append(self.say("alone"))
        talk = Talk(
            elapsed=float(int(self._elapsed())),
            duration=self.options.duration,
            paused=self.timer_started is None,
            clock=clock().strftime("%H:%M") if clock is not None else "",
            note="  ".join(notes),
        )
        return layout_presenter(
            self.deck,
            self.slide,
            self.page,
            pages,
            width,
            height,
            self.deck_theme,
            talk,
            self.notes_offset,
            self.options.ambiguous_wide,
            self.options.cell_aspect,
            self._audience(),
        )

    def pages_at(self, width: int, height: int) -> list[Page]:
        return self.layout(self.slide, width, height)

    def current_page(self, width: int, height: int) -> Page:
        pages = self.pages_at(width, height)
        self.page = min(max(self.page, 1), len(pages))
        return pages[self.page - 1]

    def _page_count(self) -> int:
        size = self.view.size
        width, height = self._audience() if self.options.presenter else (size.width, size.height)
        try:
            return len(self.pages_at(max(1, width), max(1, height)))
        except Exception:  # the slide shows its error panel; navigation goes on
            return 1

    def refresh_slide(self) -> None:
        self.view.refresh()

    # ----------------------------------------------------------------- navigation

    def go(self, slide: int, page: int = 1, announce: bool = True) -> None:
        """Show a slide (page -1: its last page); ``announce`` tells the linked views."""
        self._last_input = time.monotonic()
        slide = min(max(slide, 0), len(self.deck.slides) - 1)
        if slide != self.slide:
            self.notes_offset = 0
        self.slide = slide
        self.page = page if page > 0 else self._page_count()
        self.refresh_slide()
        self.call_after_refresh(self._prefetch_next)
        if announce:
            self.announce(moved=True)

    def announce(self, moved: bool = False) -> None:
        """Tell the linked views where this view is (``moved``: as a new move, which they
        follow; else only what it shows, such as its size after a resize)."""
        if self.link is None:
            return
        if moved:
            self.moved_at = time.time()
        self.link.send(self.position())

    def position(self) -> Position:
        """Where this view is, for the linked views (with its screen and page count)."""
        from tui_deck.app.sync import Position

        pages = max(self.page, self._page_count())
        page = min(max(self.page, 1), pages)
        if self.options.presenter:
            return Position(
                self.slide, page, pages, self.moved_at, blank=self.audience_blank, speaker=True
            )
        size = self.view.size
        return Position(
            self.slide, page, pages, self.moved_at, size.width, size.height, self.view.blank
        )

    def _seen(self, position: Position) -> None:
        """Whatever another view says: the presenter learns the audience's screen."""
        size = (position.width, position.height)
        if self.options.presenter and not position.speaker and size[0] > 0:
            changed, self.audience_size = size != self.audience_size, size
            if changed:
                self.refresh_slide()

    def _remote_move(self, position: Position) -> None:
        """Another view of this deck moved: follow it (without telling it back)."""
        if position.slide >= len(self.deck.slides):
            return  # that view has another version of the deck (an edit not reloaded yet)
        self.moved_at = position.moved_at
        if self.options.presenter:
            self.audience_blank = position.blank
        elif self.view.blank != position.blank:
            self.view.blank = position.blank
            self._sync_pixels()
        self.go(position.slide, position.page, announce=False)

    async def _start_link(self) -> None:
        from tui_deck.app.sync import Link, SyncRefused

        try:
            link = Link(self._socket_path(), self._remote_move, self.position, self._seen)
            await link.start()
        except (SyncRefused, OSError) as exc:
            problem = clean_line(str(exc))
            if problem != self.link_problem and self.options.presenter:
                # The speaker is told (the projector is not); the footer keeps saying it.
                self.notify(self.say("not_linked", why=problem), severity="warning", timeout=8)
            self.link_problem = problem
            self.refresh_slide()
            self.set_timer(LINK_RETRY_SECONDS, self._retry_link)
            return
        self.link = link
        if self.link_problem:
            self.link_problem = ""
            self.refresh_slide()
        self.announce()  # the others learn this view's screen

    def _retry_link(self) -> None:
        self.run_worker(self._start_link(), group="link", exit_on_error=False)

    def action_notes(self, rows: int) -> None:
        """↑ ↓ in the presenter: scroll the notes."""
        if not self.options.presenter:
            return
        size = self.view.size
        length = notes_length(self.deck, self.slide, max(1, size.width), self.deck_theme)
        self.notes_offset = min(max(0, self.notes_offset + rows), max(0, length - 1))
        self.refresh_slide()

    def _unblank(self) -> bool:
        """While the screen is blank, a navigation key only brings the slide back (from the
        presenter: the audience's screen)."""
        if self.options.presenter and self.audience_blank:
            self.audience_blank = False
        elif not self.options.presenter and self.view.blank:
            self.view.blank = False
            self._sync_pixels()
        else:
            return False
        self.refresh_slide()
        self.announce(moved=True)
        return True

    def action_next(self) -> None:
        if self._unblank():
            return
        self.digits = ""
        if self.page < self._page_count():
            self.go(self.slide, self.page + 1)
        elif self.slide < len(self.deck.slides) - 1:
            self.go(self.slide + 1)

    def action_previous(self) -> None:
        if self._unblank():
            return
        self.digits = ""
        if self.page > 1:
            self.go(self.slide, self.page - 1)
        elif self.slide > 0:
            self.go(self.slide - 1, page=-1)

    def action_first(self) -> None:
        if not self._unblank():
            self.go(0)

    def action_last(self) -> None:
        if not self._unblank():
            self.go(len(self.deck.slides) - 1)

    def action_clear(self) -> None:
        """Escape forgets a slide number being typed."""
        self.digits = ""
        self.refresh_slide()

    def action_enter(self) -> None:
        if self.digits:
            number, self.digits = self.digits, ""
            found = self.deck.find(number)
            if found is None:
                self.notify(
                    self.say("no_slide", number=number, count=len(self.deck.slides)),
                    severity="warning",
                )
            else:
                self.go(found)
        else:
            self.action_next()

    def on_key(self, event: events.Key) -> None:
        self._last_input = time.monotonic()
        if event.character and event.character.isdigit() and self.screen is self.screen_stack[0]:
            self.digits = (self.digits + event.character)[-4:]
            self.refresh_slide()
            event.stop()

    def on_click(self, event: events.Click) -> None:
        if self.screen is not self.screen_stack[0]:
            return
        if event.screen_x >= self.size.width // 2:
            self.action_next()
        else:
            self.action_previous()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.action_next()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.action_previous()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_slide()
        self.call_after_refresh(self.announce)  # the presenter pages as this screen does
        # Keep the slide; keep the page that shows the same text as before, if it moved.
        self.call_after_refresh(self._keep_place, self.view.last_view.page)

    def _keep_place(self, old: Page | None) -> None:
        if old is None or old.slide != self.slide or old.page == 1:
            return
        body = [line.plain.strip() for line in old.lines[old.body_top :] if line.plain.strip()]
        if not body:
            return
        anchor = re.sub(r"\s+", "", body[0])[:24]
        size = self.view.size
        try:
            pages = self.pages_at(size.width, size.height)
        except Exception:
            return
        for page in pages:
            text = re.sub(r"\s+", "", "".join(line.plain for line in page.lines[page.body_top :]))
            if anchor and anchor in text:
                if page.page != self.page:
                    self.go(self.slide, page.page)
                return

    # ----------------------------------------------------------------- overlays

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.deck.lang))

    def action_overview(self) -> None:
        if isinstance(self.screen, OverviewScreen | GridOverviewScreen):
            self.screen.dismiss(None)
            return
        if self.screen is not self.screen_stack[0]:
            return

        def opened(choice: int | None) -> None:
            if choice is not None:
                self.go(choice)

        # Live previews when at least two fit side by side and one fits in height;
        # otherwise (a small terminal) a list of titles and first lines.
        columns = (self.size.width - 4) // (CARD_WIDTH + 4)
        if columns >= 2 and self.size.height >= CARD_HEIGHT + 4:
            self.push_screen(GridOverviewScreen(self._previews(), self.slide, columns), opened)
        else:
            self.push_screen(OverviewScreen(self.deck, self.slide), opened)

    def _previews(self) -> list[Text]:
        previews = []
        chrome = Chrome(footer=False)
        for index, slide in enumerate(self.deck.slides):
            try:
                page = self.layout(index, CARD_WIDTH, CARD_HEIGHT, chrome)[0]
                preview = Text("\n").join(page.lines)
            except Exception:
                preview = Text(slide.title)
            preview.no_wrap = True
            preview.overflow = "crop"
            previews.append(preview)
        return previews

    def action_jump(self) -> None:
        suggestions = [s.id for s in self.deck.slides] + [s.title for s in self.deck.slides]

        def chosen(value: str | None) -> None:
            if not value:
                return
            found = self.deck.find(value)
            if found is None:
                self.notify(self.say("no_match", value=repr(clean_line(value))), severity="warning")
            else:
                self.go(found)

        prompt = self.say("go_prompt")
        self.push_screen(PromptScreen(prompt, suggestions), chosen)

    def action_search(self) -> None:
        def searched(value: str | None) -> None:
            self.search_query = value or ""
            self.view.query_text = self.search_query
            if self.search_query:
                self._find_hit(forward=True, include_current=True)
            self.refresh_slide()

        prompt = self.say("search_prompt")
        self.push_screen(PromptScreen(prompt), searched)

    def action_search_next(self) -> None:
        self._find_hit(forward=True)

    def action_search_previous(self) -> None:
        self._find_hit(forward=False)

    def _find_hit(self, forward: bool, include_current: bool = False) -> None:
        query = self.search_query.casefold()
        if not query:
            return
        count = len(self.deck.slides)
        step = 1 if forward else -1
        start = 0 if include_current else 1
        for offset in range(start, count + start):
            candidate = (self.slide + step * offset) % count
            if query in self.deck.slides[candidate].text().casefold():
                self.go(candidate, self._page_with(candidate, query))
                return
        self.notify(self.say("not_found", value=clean_line(self.search_query)), severity="warning")

    def _page_with(self, slide: int, query: str) -> int:
        size = self.view.size
        try:
            pages = self.layout(slide, size.width, size.height)
        except Exception:
            return 1
        for page in pages:
            if query in page.text().casefold():
                return page.page
        return 1

    # ----------------------------------------------------------------- talk tools

    def action_blank(self) -> None:
        """b: blank the audience's screen (from the presenter: the projector's, not its own)."""
        if self.options.presenter:
            self.audience_blank = not self.audience_blank
        else:
            self.view.blank = not self.view.blank
            self._sync_pixels()
        self.refresh_slide()
        self.announce(moved=True)

    def action_footer(self) -> None:
        self.show_footer = not self.show_footer
        self.refresh_slide()

    def action_timer(self) -> None:
        now = self.options.monotonic()
        if self.timer_started is None:
            self.timer_started = now
        else:
            self.timer_elapsed += now - self.timer_started
            self.timer_started = None
        self._save_talk()
        self.refresh_slide()

    def action_timer_reset(self) -> None:
        # The presenter's clock starts again at once (the talk begins); the footer's timer
        # waits for t.
        self.timer_started = self.options.monotonic() if self.options.presenter else None
        self.timer_elapsed = 0.0
        self._save_talk()
        self.refresh_slide()

    # The presenter's clock outlives the view: a speaker's terminal that crashed or was
    # closed comes back with the talk's time, from a small file beside the deck's socket.

    def _socket_path(self) -> Path:
        """Where the views of this deck meet (raises SyncRefused for an unsafe folder)."""
        from tui_deck.app.sync import deck_key, socket_path

        key = deck_key([post.source for post in self.deck.posts])
        return socket_path(self.options.path, key)

    def _talk_file(self) -> Path | None:
        if not self.options.presenter or not self.options.link:
            return None
        from tui_deck.app.sync import SyncRefused

        try:
            return self._socket_path().with_suffix(".talk")
        except (SyncRefused, OSError):
            return None

    def _save_talk(self) -> None:
        file = self._talk_file()
        if file is None:
            return
        running = self.timer_started is not None
        data = {"elapsed": self._elapsed(), "running": running, "saved": time.time()}
        with contextlib.suppress(OSError):
            partial_file = file.with_suffix(".talk-new")
            partial_file.write_text(json.dumps(data), encoding="utf-8")
            partial_file.replace(file)

    def _restore_talk(self) -> bool:
        """The talk's time from the last presenter of this deck (within 12 hours)."""
        file = self._talk_file()
        if file is None:
            return False
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            elapsed, running, saved = data["elapsed"], data["running"], data["saved"]
            since = time.time() - float(saved)
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if not 0 <= since <= 12 * 3600 or not isinstance(running, bool):
            return False
        self.timer_elapsed = float(elapsed) + (since if running else 0.0)
        self.timer_started = self.options.monotonic() if running else None
        return True

    def _elapsed(self) -> float:
        """Seconds on the talk timer (paused time left out)."""
        elapsed = self.timer_elapsed
        if self.timer_started is not None:
            elapsed += self.options.monotonic() - self.timer_started
        return elapsed

    def _timer_text(self) -> str:
        elapsed = self._elapsed()
        if self.timer_started is None and not elapsed:
            return ""
        text = clock_text(elapsed)
        return text if self.timer_started is not None else f"{text} ⏸"

    def _tick(self) -> None:
        if self.show_footer:
            self.refresh_slide()

    def _autoplay(self) -> None:
        at_end = self.slide == len(self.deck.slides) - 1 and self.page >= self._page_count()
        if not at_end:
            self.action_next()
        elif self.options.loop:
            self.go(0)
        else:
            self.exit(0)

    # ----------------------------------------------------------------- reloading

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Load the deck again; a broken edit keeps the last good deck on screen."""
        try:
            deck = load_deck(self.options.path, self.options.deck_options)
        except DeckError as exc:
            self.notify(
                clean_line(str(exc)), title=self.say("reload_failed"), severity="error", timeout=8
            )
            return
        except Exception as exc:  # never let a reload take the talk down
            self.notify(clean_line(f"{type(exc).__name__}: {exc}")[:200], severity="error")
            return
        old_errors = {(d.file, d.message) for d in self.deck.errors}
        new_errors = [d for d in deck.errors if (d.file, d.message) not in old_errors]
        if new_errors:
            shown = new_errors[0].format()
            self.notify(
                f"{shown}\n{self.say('kept')}",
                title=self.say("not_reloaded"),
                severity="error",
                timeout=10,
            )
            return
        current_id = self.deck.slides[self.slide].id
        self.deck = deck
        found = deck.find(current_id)
        self.slide = found if found is not None else min(self.slide, len(deck.slides) - 1)
        self.refresh_slide()

    @work(thread=True, exclusive=True, group="watch")
    def _watch(self) -> None:
        try:
            from watchfiles import watch
        except ImportError:
            return
        root = self.options.path
        folder = root if root.is_dir() else root.parent
        try:
            for _changes in watch(folder, stop_event=self._stop_watch, debounce=300):
                self.call_from_thread(self.reload)
        except Exception:  # the folder went away; the deck on screen stays
            return

    def _notify_problems(self) -> None:
        errors = self.deck.errors
        if errors:
            more = f" ({self.say('problems', more=len(errors) - 1)})" if len(errors) > 1 else ""
            self.notify(errors[0].format() + more, severity="warning", timeout=6)

    async def action_quit(self) -> None:
        self._stop_watch.set()
        self.exit(0)

    def _collect_when_idle(self) -> None:
        if time.monotonic() - self._last_input < IDLE_GC_SECONDS:
            return
        gc.collect()
        if not self._gc_frozen:
            gc.freeze()  # start-up's objects (Textual, the deck): never scanned again
            self._gc_frozen = True

    def on_unmount(self) -> None:
        self._stop_watch.set()
        if self.link is not None:
            self.link.close_now()
        gc.set_threshold(*self._gc_threshold)
        if self._gc_frozen:
            gc.unfreeze()
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
