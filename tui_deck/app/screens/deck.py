"""The rooms a deck is shown in: what both share (keys, mouse, overlays, search, the link's
part), and the audience's slide (``SlideScreen``). The speaker's view is presenter.py."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.binding import Binding, BindingType

from tui_deck.app.clock import touch
from tui_deck.app.screens.live import LiveRoom
from tui_deck.app.screens.overlays import (
    CARD_HEIGHT,
    CARD_WIDTH,
    Cards,
    GridOverviewScreen,
    HelpScreen,
    OverviewScreen,
    ProblemsScreen,
    PromptScreen,
)
from tui_deck.app.screens.zoom import ZoomScreen
from tui_deck.app.search import Hit
from tui_deck.app.sync import Position, slide_id
from tui_deck.app.widgets import PictureLayer, SlideView, room_view
from tui_deck.layout.miniature import card
from tui_deck.layout.page import Page, same_place
from tui_deck.layout.zoom import first_picture, slide_pictures
from tui_deck.model import ImageRef
from tui_deck.sanitize import clean_line

if TYPE_CHECKING:
    from tui_deck.app.app import DeckApp


class DeckScreen(LiveRoom):
    """A room: one full-screen SlideView and the keys of the talk. Subclasses say what the
    view shows (``page_at``), at which size slides are paged (``page_size``), where this
    view is for the linked views (``position``) and what a blank screen means here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l,j,space,pagedown", "next", "next", show=False),
        Binding("left,h,k,backspace,pageup", "previous", "previous", show=False),
        Binding("enter", "enter", "next / go", show=False),
        Binding("home,g", "first", "first", show=False),
        Binding("end,G", "last", "last", show=False),
        Binding("colon", "jump", "jump", show=False),
        Binding("o", "overview", "overview", show=False),
        # Tab is Textual's focus key; here it opens the overview (which Tab closes).
        Binding("tab", "overview", "overview", show=False, priority=True),
        Binding("slash", "search", "search", show=False),
        Binding("n", "search_step(True)", "next hit", show=False),
        Binding("N", "search_step(False)", "previous hit", show=False),
        Binding("t", "timer", "timer", show=False),
        Binding("T", "timer_reset", "reset timer", show=False),
        Binding("b", "blank", "blank", show=False),
        Binding("z", "zoom", "zoom the picture", show=False),
        Binding("f", "footer", "footer", show=False),
        Binding("e", "exec", "run the live command", show=False),
        Binding("up", "live_scroll(-1)", "scroll the output", show=False),
        Binding("down", "live_scroll(1)", "scroll the output", show=False),
        Binding("r", "app.reload", "reload", show=False),
        Binding("question_mark", "help", "help", show=False),
        Binding("exclamation_mark", "problems", "problems", show=False),
        Binding("escape", "clear", "clear", show=False),
        Binding("q", "app.quit", "quit", show=False),
    ]

    #: T starts the clock again at once (the speaker's talk begins) or stops it (the footer's).
    RESTART_RUNNING = False

    def __init__(self) -> None:
        super().__init__()
        self.view = SlideView()
        #: The slide's picture full screen, while app.zoom says so (z).
        self.zoomed: ZoomScreen | None = None

    @property
    def deck_app(self) -> DeckApp:
        return cast("DeckApp", self.app)

    def compose(self) -> Iterator[SlideView]:
        yield room_view(self.view, self.deck_app, self.page_at)

    def on_mount(self) -> None:
        self.styles.background = self.deck_app.deck_theme.background
        self.styles.color = self.deck_app.deck_theme.foreground
        self.watch(self.app, "zoom", self.show_zoom, init=False)

    # ----------------------------------------------------------------- what a room says

    def page_at(self, width: int, height: int) -> Page:
        raise NotImplementedError

    def page_size(self) -> tuple[int, int]:
        """The screen the slides are paged for."""
        size = self.view.size
        return (max(1, size.width), max(1, size.height))

    def pages(self, slide: int) -> list[Page]:
        return self.deck_app.layout(slide, *self.page_size())

    def page_steps(self, slide: int, page: int) -> tuple[int, int]:
        """The first and last step page ``page`` of slide ``slide`` shows."""
        try:
            pages = self.pages(slide)
        except Exception:  # the slide shows its error panel; navigation goes on
            return (1, 1)
        shown = pages[min(max(page, 1), len(pages)) - 1]
        return (shown.first_step, shown.last_step)

    def page_count(self, slide: int | None = None) -> int:
        try:
            return len(self.pages(self.deck_app.slide if slide is None else slide))
        except Exception:  # the slide shows its error panel; navigation goes on
            return 1

    def position(self) -> Position:
        raise NotImplementedError

    def talk_position(self, width: int = 0, height: int = 0, speaker: bool = False) -> Position:
        """Where the talk is, as this room tells the linked views (its screen's size)."""
        app = self.deck_app
        pages = max(app.page, self.page_count())
        page = min(max(app.page, 1), pages)
        ident = slide_id(app.deck.slides, app.slide)
        return Position(
            app.slide,
            page,
            pages,
            0.0,
            width,
            height,
            app.blank,
            speaker,
            app.zoom,
            app.reveal,
            ident,
        )

    def on_seen(self, position: Position) -> None:
        """Whatever another view says (its screen size)."""

    def show_blank(self, blank: bool) -> None:
        """The audience's screen is (or is no longer) blank."""

    def slide_changed(self) -> None:
        """Another slide is shown."""

    def report_problems(self, lines: list[str]) -> None:
        """The deck's problems at start (the footer counts them in any case)."""

    def tells_problems(self) -> bool:
        """Whether a broken edit is told here in a notice (else the footer's ⚠ only)."""
        return True

    def tell_link_problem(self, problem: str) -> None:
        """Why the views are not linked, news: the projector is not told."""

    def tick(self) -> None:
        """A second passed: the footer's clock and timer."""
        if self.deck_app.show_footer:
            self.view.refresh()

    def beat(self) -> None:
        """The talk goes on: its time is kept while a view of it runs."""
        if self.deck_app.talk_file is not None:
            touch(self.deck_app.talk_file)

    # ----------------------------------------------------------------- keys and mouse

    def action_next(self) -> None:
        self.deck_app.step(self.deck_app.nav.next)

    def action_previous(self) -> None:
        self.deck_app.step(self.deck_app.nav.previous)

    def action_first(self) -> None:
        self.deck_app.step(self.deck_app.nav.first)

    def action_last(self) -> None:
        self.deck_app.step(self.deck_app.nav.last)

    def action_enter(self) -> None:
        app = self.deck_app
        number = app.nav.take_digits()
        if not number:
            self.action_next()
            return
        app.digits = ""
        found = app.deck.find(number)
        if found is None:
            count = len(app.deck.slides)
            app.notify(app.say("no_slide", number=number, count=count), severity="warning")
        else:
            app.go(found)

    def action_clear(self) -> None:
        """Escape stops a live command, and forgets a slide number being typed."""
        self.stop_live()
        self.deck_app.nav.take_digits()
        self.deck_app.digits = ""

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            self.deck_app.nav.type_digit(event.character)
            self.deck_app.digits = self.deck_app.nav.digits
            event.stop()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        picture = self._picture_at(event.screen_x, event.screen_y)
        if picture is not None:
            self.deck_app.step(partial(self.deck_app.nav.zoom_to, picture))
        elif event.screen_x >= self.size.width // 2:
            self.action_next()
        else:
            self.action_previous()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.action_next()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.action_previous()

    def action_blank(self) -> None:
        """b: blank the audience's screen (from the presenter: the projector's, not its own)."""
        self.deck_app.step(self.deck_app.nav.toggle_blank)

    def action_footer(self) -> None:
        self.deck_app.show_footer = not self.deck_app.show_footer

    def action_timer(self) -> None:
        self.deck_app.clock.toggle()
        self.view.refresh()

    def action_timer_reset(self) -> None:
        self.deck_app.clock.reset(running=self.RESTART_RUNNING)
        self.view.refresh()

    # ----------------------------------------------------------------- zoom

    def action_zoom(self) -> None:
        """z: the slide's picture full screen (the one on this page first)."""
        app = self.deck_app
        pages = self._slide_pages()
        if not slide_pictures(pages):
            app.notify(app.say("zoom_none"), severity="information", timeout=3)
            return
        app.step(partial(app.nav.zoom_to, first_picture(pages, app.page)))

    def show_zoom(self, zoom: int | None) -> None:
        """app.zoom changed (here or in a linked view): open or close the zoom screen."""
        screen, stack = self.zoomed, self.app.screen_stack
        if zoom is None:
            self.zoomed = None
            if screen is not None and screen in stack:
                while self.app.screen is not screen:  # whatever was opened over it
                    self.app.pop_screen()
                self.app.pop_screen()
        elif screen is None and self.pictures():
            # (a view of another version of the deck, without that picture, stays as it is)
            self.zoomed = ZoomScreen(self)
            self.app.push_screen(self.zoomed)

    def pictures(self) -> list[ImageRef]:
        """The pictures of the slide shown, in order (what the zoom steps through)."""
        return slide_pictures(self._slide_pages())

    def _slide_pages(self) -> list[Page]:
        try:
            return self.pages(self.deck_app.slide)
        except Exception:  # the slide shows its error panel
            return []

    def _picture_at(self, x: int, y: int) -> int | None:
        """Which of the slide's pictures has its box at a screen cell (None: no picture)."""
        page = self.view.last_view.page
        region = self.view.region
        for slot in page.images if page is not None and not self.view.blank else []:
            row, col = y - region.y - slot.row, x - region.x - slot.col
            if 0 <= row < slot.height and 0 <= col < slot.width:
                pictures = self.pictures()
                # (not one of this slide's: the next slide's, in the speaker's view)
                return pictures.index(slot.image) if slot.image in pictures else None
        return None

    # ----------------------------------------------------------------- overlays

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.deck_app.deck.lang))

    def action_problems(self) -> None:
        app = self.deck_app
        self.app.push_screen(ProblemsScreen(app.say("problems_title"), app.problem_lines()))

    def action_overview(self) -> None:
        def opened(choice: int | None) -> None:
            if choice is not None:
                self.deck_app.go(choice)

        # Live previews when at least two fit side by side and one fits in height;
        # otherwise (a small terminal) a list of titles and first lines.
        app = self.deck_app
        columns = (self.size.width - 4) // (CARD_WIDTH + 4)
        if columns >= 2 and self.size.height >= CARD_HEIGHT + 4:
            app.push_screen(GridOverviewScreen(self._cards(), app.slide, columns), opened)
        else:
            app.push_screen(OverviewScreen(app.deck, app.slide), opened)

    def _cards(self) -> Cards:
        app = self.deck_app
        aw, aspect = app.options.ambiguous_wide, app.options.cell_aspect

        def page(index: int, width: int, height: int) -> Page:
            return card(app.deck, index, width, height, app.deck_theme, aw, aspect)

        pictures = app.pictures if app.method != "none" else None
        return Cards(app.deck, page, app.deck_theme, pictures, app.options.picture_backing)

    def action_jump(self) -> None:
        app = self.deck_app
        suggestions = [s.id for s in app.deck.slides] + [s.title for s in app.deck.slides]

        def chosen(value: str | None) -> None:
            if not value:
                return
            found = app.deck.find(value)
            if found is None:
                app.notify(app.say("no_match", value=repr(clean_line(value))), severity="warning")
            else:
                app.go(found)

        app.push_screen(PromptScreen(app.say("go_prompt"), suggestions), chosen)

    # ----------------------------------------------------------------- search

    def action_search(self) -> None:
        app = self.deck_app

        def searched(value: str | None) -> None:
            query = value or ""
            self.view.query_text = query
            here = Hit(app.slide, app.page)
            hit = app.search.find(query, app.deck, self.pages, here) if query else None
            if query and hit is None:
                app.search.clear()
                app.notify(app.say("not_found", value=clean_line(query)), severity="warning")
            elif not query:
                app.search.clear()
            self._show_hit(hit)

        self.app.push_screen(PromptScreen(self.deck_app.say("search_prompt")), searched)

    def action_search_step(self, forward: bool) -> None:
        app = self.deck_app
        if app.search.query:
            self._show_hit(app.search.step(forward))

    def _show_hit(self, hit: Hit | None) -> None:
        app = self.deck_app
        app.status = app.search.status()
        self.view.current_hit = app.search.ordinal()
        if hit is not None:
            app.go(hit.slide, hit.page)
        self.view.refresh()

    # ----------------------------------------------------------------- neighbours

    def prefetch(self) -> None:
        """Lay out the neighbouring slides in a worker thread, then start the next slide's
        pictures, while the speaker talks about this one: the next key press finds its page
        in the cache."""
        size = self.view.size
        if size.width <= 0 or size.height <= 0:
            return
        work = partial(self._lay_out_neighbours, self.deck_app.slide, size.width, size.height)
        self.run_worker(work, thread=True, group="neighbours", exclusive=True, exit_on_error=False)

    def _lay_out_neighbours(self, index: int, width: int, height: int) -> None:
        app = self.deck_app
        chrome = app.chrome()
        for neighbour in (index + 1, index - 1, index + 2):
            if 0 <= neighbour < len(app.deck.slides):
                with contextlib.suppress(Exception):  # its error panel shows when visited
                    app.layout(neighbour, width, height, chrome)
        if self.view.pictures is not None and index + 1 < len(app.deck.slides):
            with contextlib.suppress(Exception):  # the app may be closing
                app.call_from_thread(self._request_pictures, index + 1, width, height)

    def _request_pictures(self, index: int, width: int, height: int) -> None:
        try:
            pages = self.deck_app.layout(index, width, height)
        except Exception:
            return
        from tui_deck.pictures import Pictures

        for slot in pages[0].images:
            app = self.deck_app
            key = Pictures.key(slot, app.deck_theme.background, app.options.picture_backing)
            if key is not None:
                self.view.request_picture(key)


class SlideScreen(DeckScreen):
    """The audience's room: the current page at this screen's size, pixel pictures over
    its image boxes (Kitty/Sixel), its own screen blanked by b."""

    def __init__(self) -> None:
        super().__init__()
        self.pixels: PictureLayer | None = None
        #: A speaker's view is linked: notices go there, never over the audience's slide.
        self.speaker_seen = False

    def on_mount(self) -> None:
        super().on_mount()
        app = self.deck_app
        if app.method in ("kitty", "sixel"):
            self.pixels = PictureLayer(
                self,
                app.method,
                app.pictures,
                app.deck_theme.background,
                app.options.picture_backing,
            )

    def page_at(self, width: int, height: int) -> Page:
        app = self.deck_app
        pages = app.layout(app.slide, width, height, step=app.reveal)
        page = min(max(app.page, 1), len(pages))
        if page != app.page:
            app.nav.page = page
            app.page = page
        return pages[page - 1]

    def position(self) -> Position:
        return self.talk_position(self.view.size.width, self.view.size.height)

    def on_seen(self, position: Position) -> None:
        self.speaker_seen = self.speaker_seen or position.speaker

    def tells_problems(self) -> bool:
        return not self.speaker_seen

    def show_blank(self, blank: bool) -> None:
        self.view.blank = blank
        if self.pixels is not None:
            self.pixels.sync()

    def on_slide_view_page_shown(self) -> None:
        if self.pixels is not None:
            self.pixels.sync()

    def on_slide_view_resized(self, message: SlideView.Resized) -> None:
        # The linked views learn this screen's new size (the speaker pages as it does).
        self.deck_app.announce()
        # Keep the slide; keep the page that shows the same text as before, if it moved.
        self.call_after_refresh(self._keep_place, self.view.last_view.page)

    def _keep_place(self, old: Page | None) -> None:
        app = self.deck_app
        if old is None or old.slide != app.slide or old.page == 1:
            return
        try:
            pages = self.pages(app.slide)
        except Exception:
            return
        page = same_place(pages, old)
        if page.page != app.page:  # the step shown stays (within the new page's steps)
            app.step(partial(app.nav.go, app.slide, page.page, app.reveal))
