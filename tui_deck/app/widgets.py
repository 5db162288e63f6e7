"""The slide widget: one page of the deck, laid out by the layout engine at its size."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui_deck.app.pictures import SLOW_SECONDS, PictureKey, Pictures, overlay
from tui_deck.layout.page import Page
from tui_deck.layout.theme import Theme
from tui_deck.sanitize import clean_line

PageSource = Callable[[int, int], Page]


@dataclass
class View:
    """What the slide widget shows: the laid-out page, or why it cannot."""

    page: Page | None
    error: str = ""


class SlideView(Widget):
    """Renders the current page. A slide that fails to lay out shows an error panel instead."""

    DEFAULT_CSS = """
    SlideView { width: 1fr; height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.source: PageSource | None = None
        self.blank = False
        self.query_text = ""
        self.theme_colors: Theme | None = None
        self.last_view = View(None)
        #: Where pictures come from; None shows image boxes as frames only (--images none).
        self.pictures: Pictures | None = None
        self.request_picture: Callable[[PictureKey], None] = lambda key: None
        #: Called (soon after) whenever a different page is shown (pixel widgets follow it).
        self.on_page: Callable[[], None] | None = None

    def render(self) -> RenderableType:
        width, height = self.size.width, self.size.height
        if self.blank or self.source is None or width <= 0 or height <= 0:
            return Text("")
        try:
            page = self.source(width, height)
        except Exception as exc:  # one broken slide never stops the talk
            self.last_view = View(None, _describe(exc))
            return self._error_panel(self.last_view.error)
        previous = self.last_view.page
        self.last_view = View(page)
        if self.on_page is not None and page is not previous:
            self.call_later(self.on_page)
        lines = page.lines
        if self.pictures is not None and page.images:
            lines = self._with_pictures(page)
        if self.query_text:
            lines = highlight(lines, self.query_text, page.body_top)
        text = Text("\n").join(lines)
        text.no_wrap = True
        text.overflow = "crop"
        return text

    def _with_pictures(self, page: Page) -> list[Text]:
        assert self.pictures is not None
        theme = self.theme_colors
        background = theme.background if theme else "#000000"
        warning = theme.warning if theme else "yellow"
        lines = list(page.lines)
        for slot in page.images:
            key = Pictures.key(slot, background)
            if key is None:
                continue  # missing or remote: the layout's frame already says so
            picture = self.pictures.get(key)
            if picture is None:
                self.request_picture(key)  # the frame shows until the worker is done
                if self.pictures.waiting(key) > SLOW_SECONDS:
                    slow = f"still loading after {SLOW_SECONDS:.0f} s"
                    overlay(lines, slot, slow, warning)
            else:
                overlay(lines, slot, picture, warning)
        return lines

    def _error_panel(self, message: str) -> RenderableType:
        body = Text.assemble(
            ("This slide could not be shown.\n\n", Style(bold=True)),
            message,
            "\n\nThe rest of the deck works: press → for the next slide; "
            "fix the file and press r to reload.",
        )
        return Panel(body, title="error", border_style="red")


def highlight(lines: list[Text], query: str, top: int = 0) -> list[Text]:
    """Highlight every hit of ``query`` in the rows from ``top`` on, also across wrapped lines.

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
    hits: dict[int, list[int]] = {}
    start = haystack.find(needle)
    while start >= 0:
        for row, col in places[start : start + len(needle)]:
            hits.setdefault(row, []).append(col)
        start = haystack.find(needle, start + len(needle))
    if not hits:
        return lines
    out = list(lines)
    mark = Style(reverse=True, bold=True)
    for row, cols in hits.items():
        line = out[row].copy()
        for col in cols:
            line.stylize(mark, col, col + 1)
        out[row] = line
    return out


def _describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (in {frames[-1].name})" if frames else ""
    return clean_line(f"{type(exc).__name__}: {exc}{where}")[:500]
