"""Page breaks a presenter would accept: nothing dangles at the bottom of a page.

The fixture post ``faithful/keep-together`` has headings, a lead-in ending in a colon before
a code block, and a tip whose list fits a page while the tip does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_deck import model as m
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.page import Page, layout_slide

POST = Path(__file__).resolve().parents[1] / "fixtures" / "faithful" / "keep-together"
SIZES = [(40, 12), (44, 13), (50, 14), (60, 20), (80, 24), (100, 30), (160, 45)]


def _body(page: Page) -> list[str]:
    rows = page.lines[page.body_top : len(page.lines) - page.footer_rows]
    return [line.plain.strip(" ▌") for line in rows if line.plain.strip(" ▌")]


def _pages(deck: Deck, width: int, height: int) -> list[tuple[int, list[Page]]]:
    return [(i, layout_slide(deck, i, width, height)) for i in range(len(deck.slides))]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_heading_never_ends_a_page(width: int, height: int) -> None:
    deck = load_deck(POST)
    headings = {
        m.plain(b.inlines)
        for s in deck.slides
        for b in m.walk(s.blocks)
        if isinstance(b, m.Heading)
    }
    assert len(headings) == 3
    for index, pages in _pages(deck, width, height):
        for page in pages[:-1]:
            body = _body(page)
            assert body[-1] not in headings, (index, page.page, body)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_lead_in_stays_with_the_code_it_introduces(width: int, height: int) -> None:
    deck = load_deck(POST)
    for index, pages in _pages(deck, width, height):
        for number, page in enumerate(pages):
            body = _body(page)
            if "Run the following command:" in body:
                after = body[body.index("Run the following command:") + 1 :]
                assert after and after[0].startswith("$ istioctl"), (index, number, body)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_list_that_fits_a_page_is_not_cut(width: int, height: int) -> None:
    """The tip does not fit a 40x12 page, but its four-item list does: all four together."""
    deck = load_deck(POST)
    pages = layout_slide(deck, len(deck.slides) - 1, width, height)
    holding = [page.page for page in pages for row in _body(page) if row.startswith("•")]
    assert len(holding) == 4
    assert len(set(holding)) == 1, holding


def test_a_heading_with_no_room_below_moves_to_the_next_page() -> None:
    """At 40x12 the heading after the first paragraph starts the second page."""
    deck = load_deck(POST)
    pages = layout_slide(deck, 1, 40, 12)
    assert _body(pages[1])[0] == "Before you begin"
