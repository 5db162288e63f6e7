"""Where the talk is: slide, page, a slide number being typed, the blanked screen, the
picture zoomed full screen.

Pure (no Textual): the app asks it to step and mirrors its state in reactives. Page counts
come from a callable, because they depend on the screen the pages are laid out for (the
audience's, also from the speaker's view).
"""

from __future__ import annotations

from collections.abc import Callable

#: How many pages slide ``index`` has on the screen that matters.
PageCount = Callable[[int], int]


class Navigator:
    def __init__(self, count: int, pages: PageCount, slide: int = 0) -> None:
        self.count = max(1, count)
        self.pages = pages
        self.slide = min(max(slide, 0), self.count - 1)
        self.page = 1
        #: A slide number being typed (shown in the footer until Enter or Escape).
        self.digits = ""
        self.blank = False
        #: Which of the slide's pictures is shown full screen (None: the slide is).
        self.zoom: int | None = None

    def page_count(self, slide: int | None = None) -> int:
        return max(1, self.pages(self.slide if slide is None else slide))

    def _unblank(self) -> bool:
        """While the screen is blank, a navigation key only brings the slide back."""
        if self.blank:
            self.blank = False
            return True
        return False

    def next(self) -> None:
        if self._unblank():
            return
        self.digits = ""
        self.zoom = None
        if self.page < self.page_count():
            self.page += 1
        elif self.slide < self.count - 1:
            self.slide, self.page = self.slide + 1, 1

    def previous(self) -> None:
        if self._unblank():
            return
        self.digits = ""
        self.zoom = None
        if self.page > 1:
            self.page -= 1
        elif self.slide > 0:
            self.go(self.slide - 1, -1)

    def first(self) -> None:
        if not self._unblank():
            self.go(0)

    def last(self) -> None:
        if not self._unblank():
            self.go(self.count - 1)

    def go(self, slide: int, page: int = 1) -> None:
        """Show a slide at a page (-1: its last page); both are kept in range."""
        self.zoom = None
        self.slide = min(max(slide, 0), self.count - 1)
        pages = self.page_count()
        self.page = pages if page < 0 else min(max(page, 1), pages)

    def zoom_to(self, picture: int | None) -> None:
        """Show picture ``picture`` (from 0) of the slide full screen (on a blank screen too:
        the speaker chose to show it); None: the slide again."""
        self.zoom = None if picture is None else max(0, picture)
        self.blank = self.blank and picture is None

    def follow(self, slide: int, page: int, blank: bool, zoom: int | None) -> None:
        """Where another view of the talk is."""
        self.go(slide, page)
        self.blank, self.zoom = blank, zoom

    def toggle_blank(self) -> None:
        self.blank = not self.blank

    def type_digit(self, digit: str) -> None:
        self.digits = (self.digits + digit)[-4:]

    def take_digits(self) -> str:
        """The number typed so far (and forget it)."""
        digits, self.digits = self.digits, ""
        return digits

    def at_end(self) -> bool:
        return self.slide == self.count - 1 and self.page >= self.page_count()

    def recount(self, count: int, slide: int) -> None:
        """A reloaded deck: ``count`` slides, showing ``slide``."""
        self.count = max(1, count)
        self.slide = min(max(slide, 0), self.count - 1)
