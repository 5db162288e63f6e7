"""Search hits, one by one: where each hit of the query is (slide and page), which one is
shown, and the footer's count ("2/5"). Pure (no Textual): pages come from a callable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui_deck.deck import Deck
from tui_deck.layout.page import Page


def squeeze(text: str) -> str:
    """Matching ignores case and white space (a phrase broken across lines still counts)."""
    return "".join(text.casefold().split())


def count_hits(text: str, query: str) -> int:
    needle = squeeze(query)
    return squeeze(text).count(needle) if needle else 0


def page_hits(page: Page, query: str) -> int:
    """Hits in the page's body, in the order the slide view marks them (not the title, nor
    the footer, which repeat on every page)."""
    end = len(page.lines) - page.footer_rows
    return count_hits("\n".join(line.plain for line in page.lines[page.body_top : end]), query)


@dataclass(frozen=True)
class Hit:
    slide: int
    page: int


class Search:
    def __init__(self) -> None:
        self.query = ""
        self.hits: list[Hit] = []
        #: The hit shown (an index into ``hits``), -1 before the first.
        self.index = -1

    def find(
        self, query: str, deck: Deck, pages: Callable[[int], list[Page]], here: Hit
    ) -> Hit | None:
        """Every hit of ``query`` in the deck, in order; the first at or after ``here``."""
        self.query, self.hits, self.index = query, [], -1
        if not squeeze(query):
            return None
        for index, slide in enumerate(deck.slides):
            if squeeze(query) not in squeeze(slide.text()):
                continue
            found = 0
            try:
                for page in pages(index):
                    count = page_hits(page, query)
                    self.hits.extend([Hit(index, page.page)] * count)
                    found += count
            except Exception:  # the slide shows its error panel; its hit is on page 1
                pass
            if not found:
                self.hits.append(Hit(index, 1))
        if not self.hits:
            return None
        start = (here.slide, here.page)
        later = (n for n, hit in enumerate(self.hits) if (hit.slide, hit.page) >= start)
        self.index = next(later, 0)
        return self.hits[self.index]

    def step(self, forward: bool) -> Hit | None:
        """The next (or previous) hit, round the deck."""
        if not self.hits:
            return None
        self.index = (self.index + (1 if forward else -1)) % len(self.hits)
        return self.hits[self.index]

    def ordinal(self) -> int:
        """Which hit of its page the current one is (from 0; -1 before the first)."""
        if not self.hits or self.index < 0:
            return -1
        hit = self.hits[self.index]
        return self.index - self.hits.index(hit)

    def status(self) -> str:
        return f"{self.index + 1}/{len(self.hits)}" if self.hits and self.index >= 0 else ""

    def clear(self) -> None:
        self.query, self.hits, self.index = "", [], -1
