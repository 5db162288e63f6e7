"""Where the talk is: slide, page, the step of a slide revealed step by step, a slide number
being typed, the blanked screen, the picture zoomed full screen.

Pure (no Textual): the app asks it to step and mirrors its state in reactives. Page counts
come from a callable, because they depend on the screen the pages are laid out for (the
audience's, also from the speaker's view); so do the steps each page shows.

Steps are counted on the slide (the same on any screen): → shows the page's next step before
the next page or slide, ← hides it; a page reached going back shows all its steps (as in
presenterm), one reached going forward (or by a jump) its first.
"""

from __future__ import annotations

from collections.abc import Callable

#: How many pages slide ``index`` has on the screen that matters.
PageCount = Callable[[int], int]
#: The first and last step page ``page`` (from 1) of slide ``index`` shows.
PageSteps = Callable[[int, int], tuple[int, int]]


def _one_step(_slide: int, _page: int) -> tuple[int, int]:
    return (1, 1)


class Navigator:
    def __init__(
        self, count: int, pages: PageCount, slide: int = 0, steps: PageSteps = _one_step
    ) -> None:
        self.count = max(1, count)
        self.pages = pages
        self.steps = steps
        self.slide = min(max(slide, 0), self.count - 1)
        self.page = 1
        #: The step of the slide shown (from 1; the page's own steps keep it in range).
        self.step = 1
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

    def page_steps(self) -> tuple[int, int]:
        first, last = self.steps(self.slide, self.page)
        return first, max(first, last)

    def _keep_step(self) -> tuple[int, int]:
        """The page's steps, with the step shown kept among them."""
        first, last = self.page_steps()
        self.step = min(max(self.step, first), last)
        return first, last

    def next(self) -> None:
        if self._unblank():
            return
        self.digits = ""
        self.zoom = None
        if self.step < self._keep_step()[1]:
            self.step += 1
        elif self.page < self.page_count():
            self.page += 1
            self.step = self.page_steps()[0]
        elif self.slide < self.count - 1:
            self.slide, self.page = self.slide + 1, 1
            self.step = self.page_steps()[0]

    def previous(self) -> None:
        if self._unblank():
            return
        self.digits = ""
        self.zoom = None
        if self.step > self._keep_step()[0]:
            self.step -= 1
        elif self.page > 1:
            self.page -= 1
            self.step = self.page_steps()[1]
        elif self.slide > 0:
            self.go(self.slide - 1, -1)

    def first(self) -> None:
        if not self._unblank():
            self.go(0)

    def last(self) -> None:
        if not self._unblank():
            self.go(self.count - 1)

    def go(self, slide: int, page: int = 1, step: int = 0) -> None:
        """Show a slide at a page (-1: its last page, all its steps shown) and a step (0: the
        page's first, -1: its last); all are kept in range."""
        self.zoom = None
        self.slide = min(max(slide, 0), self.count - 1)
        pages = self.page_count()
        self.page = pages if page < 0 else min(max(page, 1), pages)
        first, last = self.page_steps()
        if page < 0 and step == 0:
            step = -1
        self.step = last if step < 0 else first if step == 0 else min(max(step, first), last)

    def zoom_to(self, picture: int | None) -> None:
        """Show picture ``picture`` (from 0) of the slide full screen (on a blank screen too:
        the speaker chose to show it); None: the slide again."""
        self.zoom = None if picture is None else max(0, picture)
        self.blank = self.blank and picture is None

    def follow(self, slide: int, page: int, blank: bool, zoom: int | None, step: int = -1) -> None:
        """Where another view of the talk is (``step`` -1: all the page's steps shown)."""
        self.go(slide, page, step)
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
        last = self.slide == self.count - 1 and self.page >= self.page_count()
        return last and self.step >= self.page_steps()[1]

    def recount(self, count: int, slide: int) -> None:
        """A reloaded deck: ``count`` slides, showing ``slide``."""
        self.count = max(1, count)
        self.slide = min(max(slide, 0), self.count - 1)
