"""The slide widget: one page of the deck, laid out by the layout engine at its size."""

from __future__ import annotations

import contextlib
import os
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui_deck.app.kitty_placeholders import PlaceholderPictures
from tui_deck.images import Problem
from tui_deck.layout.blocks import ImageSlot
from tui_deck.layout.page import Page
from tui_deck.layout.theme import Theme
from tui_deck.pictures import (
    SLOW_SECONDS,
    PictureKey,
    Pictures,
    Shown,
    overlay,
    picture_rows,
    shown,
)
from tui_deck.sanitize import clean_line
from tui_deck.words import say

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual_image.widget import SixelImage, TGPImage

PageSource = Callable[[int, int], Page]
#: Kitty placeholders are sent again this long after the app regains focus.
RESEND_SECONDS = 0.5


@dataclass
class View:
    """What the slide widget shows: the laid-out page, or why it cannot."""

    page: Page | None
    error: str = ""


class SlideView(Widget):
    """Renders the current page. A slide that fails to lay out shows an error panel instead.

    It asks its ``source`` for the page at its size, requests the pictures the page needs
    (half-blocks, drawn when ready), and tells its screen when it shows another page and
    when its size changed (with the new size, for the linked views)."""

    class PageShown(Message):
        """Another page is on the screen (the pixel pictures follow it)."""

    class Resized(Message):
        """The widget has a new size (posted once it has it)."""

        def __init__(self, size: Size) -> None:
            super().__init__()
            self.size = size

    DEFAULT_CSS = """
    SlideView { width: 1fr; height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.source: PageSource | None = None
        self.blank = False
        self.query_text = ""
        #: Which hit of the page is the search's current one (-1: none): marked apart.
        self.current_hit = -1
        self.theme_colors: Theme | None = None
        #: The deck's language, for what the view says itself (a picture's problem, an error).
        self.lang = "en"
        #: What pictures with transparency are laid on (--picture-backing).
        self.backing = "auto"
        self.last_view = View(None)
        #: Where pictures come from; None shows image boxes as frames only (--images none).
        self.pictures: Pictures | None = None
        self._frame: list[Strip] | None = None
        self._strip_cache: OrderedDict[tuple[object, ...], tuple[object, list[Strip]]] = (
            OrderedDict()
        )

    # Textual's Line API: the page's rows go to the screen as strips of segments, made here
    # once per frame. (Returning a rich Text from render() sends every span of a picture
    # through Textual's Content styling: ~200 ms for one slide of half-blocks.)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._make_frame()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        if frame is None:
            frame = self._frame = self._make_frame()
        return frame[y] if 0 <= y < len(frame) else Strip.blank(self.size.width, self.rich_style)

    def _make_frame(self) -> list[Strip]:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0 or self.blank or self.source is None:
            return []
        try:
            page = self.source(width, height)
        except Exception as exc:  # one broken slide never stops the talk
            self.last_view = View(None, _describe(exc))
            panel = self._error_panel(self.last_view.error)
            options = self.app.console.options.update(width=width, height=height)
            return [Strip(row, width) for row in self.app.console.render_lines(panel, options)]
        previous = self.last_view.page
        self.last_view = View(page)
        if page is not previous:
            self.post_message(self.PageShown())
        pictures = self._pictures_of(page)
        if self.query_text:  # search hits: the rare path, through rich Text
            lines = list(page.lines)
            for slot, picture, warning in pictures:
                overlay(lines, slot, picture, warning)
            current = Style(reverse=True, bold=True, underline=True)
            if self.theme_colors is not None:
                current += Style(color=self.theme_colors.warning)
            lines = highlight(lines, self.query_text, page.body_top, self.current_hit, current)
            return [self._strip(line, width) for line in lines]
        # The common path: the page's rows as strips (made once per page), each picture's
        # rows (made once per picture) spliced into its box.
        strips = list(self._cached(("page", id(page)), page, lambda: self._strips(page.lines)))
        for slot, picture, warning in pictures:
            key = ("picture", slot.width, slot.height, id(picture))
            rows = self._cached(key, picture, partial(self._picture_strips, slot, picture, warning))
            for offset, row in enumerate(rows[: slot.height]):
                y = slot.row + offset
                if y >= len(strips):
                    break
                line = strips[y]
                end = slot.col + slot.width
                strips[y] = Strip.join([line.crop(0, slot.col), row, line.crop(end, width)])
        return strips

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized(event.size))

    def on_mount(self) -> None:
        if isinstance(self.pictures, PlaceholderPictures):
            self.watch(self.app, "app_focus", self._focused, init=False)

    def on_unmount(self) -> None:
        if isinstance(self.pictures, PlaceholderPictures):
            self.pictures.delete_all()  # the terminal frees what this view sent it

    def _focused(self, focus: bool) -> None:
        # Back in focus (tmux reports it with focus-events on): perhaps in another terminal,
        # a tmux session attached from elsewhere, which has none of the pictures yet. Sent
        # a moment later: tmux drops what a client gets while it is still attaching.
        if focus:
            self.set_timer(RESEND_SECONDS, self._resend)

    def _resend(self) -> None:
        if isinstance(self.pictures, PlaceholderPictures):
            self.pictures.resend()
            self.refresh()

    def request_picture(self, key: PictureKey) -> None:
        """Render a picture in a worker thread; the slide refreshes when it is ready."""
        pictures = self.pictures
        if pictures is None or not pictures.claim(key):
            return

        def produce() -> None:
            pictures.produce(key)
            with contextlib.suppress(Exception):  # the app may be closing
                self.app.call_from_thread(self.refresh)

        self.run_worker(produce, thread=True, group="pictures", exit_on_error=False)
        # If it is slow, say so in its frame (the picture still replaces it when done).
        self.set_timer(SLOW_SECONDS + 0.2, self.refresh)

    def _cached(
        self, key: tuple[object, ...], owner: object, make: Callable[[], list[Strip]]
    ) -> list[Strip]:
        """Strips made once for an object (kept alive beside them, so its id stays its own)."""
        found = self._strip_cache.get(key)
        if found is not None and found[0] is owner:
            self._strip_cache.move_to_end(key)
            return found[1]
        strips = make()
        self._strip_cache[key] = (owner, strips)
        while len(self._strip_cache) > 48:
            self._strip_cache.popitem(last=False)
        return strips

    def _picture_strips(self, slot: ImageSlot, picture: Shown, warning: str) -> list[Strip]:
        # Exactly the box's width: what stands right of the box (a frame) stays in place.
        return [self._strip(row, slot.width) for row in picture_rows(slot, picture, warning)]

    def _strips(self, lines: list[Text]) -> list[Strip]:
        width = self.size.width
        return [self._strip(line, width) for line in lines]

    def _strip(self, line: Text, width: int) -> Strip:
        # The deck's colours under the text, as the terminal shows them.
        return (
            to_strip(line, self.app.console)
            .crop_extend(0, width, None)
            .apply_style(self.rich_style)
        )

    def _pictures_of(self, page: Page) -> list[tuple[ImageSlot, Shown, str]]:
        """The pictures ready for the page's image boxes (the others are requested)."""
        if self.pictures is None or not page.images:
            return []
        theme = self.theme_colors
        background = theme.background if theme else "#000000"
        warning = theme.warning if theme else "yellow"
        out: list[tuple[ImageSlot, Shown, str]] = []
        for slot in page.images:
            key = Pictures.key(slot, background, self.backing)
            if key is None:
                continue  # missing or remote: the layout's frame already says so
            picture = self.pictures.get(key)
            if picture is None:
                self.request_picture(key)  # the frame shows until the worker is done
                if self.pictures.waiting(key) > SLOW_SECONDS:
                    loading = Problem("pic_loading", f"{SLOW_SECONDS:.0f}")
                    out.append((slot, loading.text(self.lang), warning))
            else:
                out.append((slot, shown(picture, self.lang), warning))
        return out

    def _error_panel(self, message: str) -> RenderableType:
        body = Text.assemble(
            (say(self.lang, "slide_failed") + "\n\n", Style(bold=True)),
            message,
            "\n\n" + say(self.lang, "slide_failed_hint"),
        )
        return Panel(body, title=say(self.lang, "error"), border_style="red")


class PictureLayer:
    """Kitty/Sixel: pixel widgets laid exactly over the image boxes of the page on screen.

    Not a container: a widget over the whole slide would hide its text (Textual draws no
    see-through layers), so each picture is its own absolutely placed widget on the screen's
    overlay layer, and this layer keeps them in step with the page."""

    def __init__(
        self,
        screen: Screen[None],
        method: str,
        pictures: Pictures,
        background: str,
        backing: str = "auto",
    ):
        self.screen = screen
        self.method = method
        self.pictures = pictures
        self.background = background
        self.backing = backing
        self._signature: tuple[object, ...] = ()

    def show(self, page: Page | None) -> None:
        """The pictures of ``page`` (None: a blank screen, no pictures)."""
        wanted = []
        for slot in page.images if page is not None else []:
            key = Pictures.key(slot, self.background, self.backing)
            if key is None:
                continue
            image = self.pictures.decoded(key)
            if image is None:
                if self.pictures.claim_decode(key):
                    self.screen.run_worker(
                        partial(self._decode, key),
                        thread=True,
                        group="pictures",
                        exit_on_error=False,
                    )
            elif not isinstance(image, Problem):
                wanted.append((slot, key, image))
        signature = tuple((key, slot.row, slot.col) for slot, key, _ in wanted)
        if signature == self._signature:
            return
        self._signature = signature
        for old in self.screen.query(".pixels"):
            old.remove()
        if not wanted:
            return
        from textual_image.widget import SixelImage, TGPImage

        widget_class: type[TGPImage | SixelImage] = (
            TGPImage if self.method == "kitty" else SixelImage
        )
        for slot, _key, image in wanted:
            widget = widget_class(image, classes="pixels")
            widget.styles.layer = "overlay"
            widget.styles.position = "absolute"
            widget.styles.offset = (slot.col, slot.row)
            widget.styles.width = slot.width
            widget.styles.height = slot.height
            self.screen.mount(widget)

    def _decode(self, key: PictureKey) -> None:
        self.pictures.decode(key)
        with contextlib.suppress(Exception):  # the app may be closing
            self.screen.app.call_from_thread(self.sync)

    def sync(self) -> None:
        """Again, for the page the slide shows now (a decode finished)."""
        view = self.screen.query_one(SlideView)
        self.show(None if view.blank else view.last_view.page)


def room_view(view: SlideView, app: Any, source: Callable[[int, int], Page]) -> SlideView:
    """``view`` made to draw ``source``'s pages as the deck app draws its rooms: the deck's
    theme, language and picture backing, and its pictures (half-blocks from the app's cache,
    or Kitty placeholders inside tmux; pixel protocols draw in a PictureLayer instead)."""
    view.source = source
    view.theme_colors = app.deck_theme
    view.lang = app.deck.lang
    view.backing = app.options.picture_backing
    if app.method == "blocks":
        view.pictures = app.pictures
    elif app.method == "placeholders":  # Kitty graphics as cells (inside tmux)
        view.pictures = placeholder_pictures(app)
    return view


def placeholder_pictures(app: App[Any]) -> PlaceholderPictures:
    """Pictures as Kitty unicode placeholders, their pixels written where Textual writes to
    the terminal (its driver, so they never cut into a frame), wrapped for tmux inside it."""

    def write(data: str) -> None:
        driver = app._driver
        if driver is not None:
            driver.write(data)

    return PlaceholderPictures(write, tmux=bool(os.environ.get("TMUX")))


def to_strip(line: Text, console: Console) -> Strip:
    """A row of the page as Textual draws it (the line's own style under its spans)."""
    if not line.spans:  # rich's Text.render leaves out the line's style when it has no spans
        style = console.get_style(line.style) if line.style else None
        return Strip([Segment(line.plain, style)], line.cell_len)
    return Strip(line.render(console, end=""), line.cell_len)


def highlight(
    lines: list[Text],
    query: str,
    top: int = 0,
    current: int = -1,
    current_style: Style | None = None,
) -> list[Text]:
    """Highlight every hit of ``query`` in the rows from ``top`` on, also across wrapped lines;
    hit number ``current`` (from 0) in ``current_style``.

    Matching ignores case and white space, so a phrase broken by the line breaker (and its
    margins) is still found.
    """
    needle = "".join(query.casefold().split())
    if not needle:
        return lines
    places: list[tuple[int, int]] = []
    chars: list[str] = []
    for row in range(top, len(lines)):
        for col, char in enumerate(lines[row].plain):
            if not char.isspace():
                places.append((row, col))
                chars.append(char.casefold())
    haystack = "".join(chars)
    hits: dict[int, list[tuple[int, bool]]] = {}
    start = haystack.find(needle)
    number = 0
    while start >= 0:
        for row, col in places[start : start + len(needle)]:
            hits.setdefault(row, []).append((col, number == current))
        start = haystack.find(needle, start + len(needle))
        number += 1
    if not hits:
        return lines
    out = list(lines)
    mark = Style(reverse=True, bold=True)
    for row, cols in hits.items():
        line = out[row].copy()
        for col, is_current in cols:
            line.stylize(current_style if is_current and current_style else mark, col, col + 1)
        out[row] = line
    return out


def _describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (in {frames[-1].name})" if frames else ""
    return clean_line(f"{type(exc).__name__}: {exc}{where}")[:500]
