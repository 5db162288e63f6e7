"""The zoom (z): the current slide's pictures one at a time, full screen.

The picture fills the terminal with its aspect kept, centred above its caption; ← → step
through the slide's pictures (all its pages), ``2/3`` beside the caption; z or Escape
goes back to the slide as it was. Which picture is zoomed is part of the talk's state
(``Navigator.zoom``, the app's ``zoom``), so the linked views zoom with the speaker. The
picture comes from the same cache as the slide's: half-blocks made in a worker thread
for a box of the screen's size (its frame shows meanwhile), or the Kitty/Sixel widget.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui_deck import model as m
from tui_deck.app.widgets import PictureLayer, SlideView, room_view
from tui_deck.layout.page import Page
from tui_deck.layout.zoom import zoom_page

if TYPE_CHECKING:
    from tui_deck.app.app import DeckApp
    from tui_deck.app.screens.deck import DeckScreen


def step_zoom(app: DeckApp, room: DeckScreen, by: int) -> None:
    """← → (a clicker's keys) in the zoom: the slide's next or previous picture; past the
    last one, back to the slide and on to what follows it (a clicker has no z); before the
    first, back to the slide. Home/End (±10000) stop at the first and last picture."""
    count = len(room.pictures())
    target = (app.zoom or 0) + by
    if by == 1 and target >= count:
        app.step(partial(app.nav.zoom_to, None))
        room.action_next()
    elif by == -1 and target < 0:
        app.step(partial(app.nav.zoom_to, None))
    else:
        picture = min(max(target, 0), max(0, count - 1))
        if picture != app.zoom:
            app.step(partial(app.nav.zoom_to, picture))


class ZoomScreen(Screen[None]):
    """The zoomed picture of the room's slide: ``app.zoom`` says which (the room opens
    and closes this screen as it changes; this screen redraws as it steps)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l,j,space,pagedown,enter", "step(1)", "next picture", show=False),
        Binding("left,h,k,backspace,pageup", "step(-1)", "previous picture", show=False),
        Binding("home,g", "step(-10000)", "first picture", show=False),
        Binding("end,G", "step(10000)", "last picture", show=False),
        Binding("z,escape", "close", "back to the slide", show=False),
        Binding("q", "app.quit", "quit", show=False),
    ]

    def __init__(self, room: DeckScreen) -> None:
        super().__init__()
        self.room = room
        self.view = SlideView()
        self.pixels: PictureLayer | None = None
        self._page: tuple[tuple[object, ...], Page] | None = None

    @property
    def deck_app(self) -> DeckApp:
        return cast("DeckApp", self.app)

    def compose(self) -> Iterator[SlideView]:
        self.view.blank = self.room.view.blank
        yield room_view(self.view, self.deck_app, self.page_at)

    def on_mount(self) -> None:
        app = self.deck_app
        self.styles.background = app.deck_theme.background
        self.styles.color = app.deck_theme.foreground
        if app.method in ("kitty", "sixel"):
            background, backing = app.deck_theme.background, app.options.picture_backing
            self.pixels = PictureLayer(self, app.method, app.pictures, background, backing)
        for name in ("slide", "zoom", "blank"):
            self.watch(app, name, self._changed, init=False)

    def pictures(self) -> list[m.ImageRef]:
        return self.room.pictures()

    def page_at(self, width: int, height: int) -> Page:
        app = self.deck_app
        pictures = self.pictures()
        if not pictures:  # the deck was reloaded without them: the slide again
            self.call_later(self.action_close)
            return Page(app.slide, 1, 1, [Text() for _ in range(height)])
        index = min(max(app.zoom or 0, 0), len(pictures) - 1)
        key = (id(app.deck), app.slide, index, len(pictures), width, height)
        if self._page is None or self._page[0] != key:
            page = zoom_page(
                pictures[index],
                width,
                height,
                app.deck_theme,
                app.deck.lang,
                index + 1,
                len(pictures),
                app.options.ambiguous_wide,
                app.options.cell_aspect,
            )
            self._page = (key, replace(page, slide=app.slide))
        return self._page[1]

    def _changed(self) -> None:
        self.view.blank = self.room.view.blank
        self.view.refresh()

    def action_step(self, by: int) -> None:
        step_zoom(self.deck_app, self.room, by)

    def action_close(self) -> None:
        app = self.deck_app
        app.step(partial(app.nav.zoom_to, None))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_close()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.action_step(1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.action_step(-1)

    def on_slide_view_page_shown(self) -> None:
        if self.pixels is not None:
            self.pixels.sync()
