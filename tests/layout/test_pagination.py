"""Page breaks a presenter would accept: nothing dangles at the bottom of a page.

The fixture post ``faithful/keep-together`` has headings, a lead-in ending in a colon before
a code block, and a tip whose list fits a page while the tip does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

from tests.conftest import CORPUS
from tui_deck import model as m
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.page import Page, layout_slide, same_place

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


FAITHFUL = Path(__file__).resolve().parents[1] / "fixtures" / "faithful"
#: Sizes at which a row, a picture with its caption, or a lead-in with what follows can
#: share a page (at 40x12 some rows of the fixtures are taller than a page).
ROOMY = [(60, 20), (80, 24), (100, 30), (160, 45)]
#: Small screens on which a picture with a three-line caption must shrink to share a page.
SMALL = [(50, 14), (60, 16), (70, 18)]


def _rows(page: Page) -> list[str]:
    """The body rows of a page as shown, blank ones dropped (frames keep their borders)."""
    rows = page.lines[page.body_top : len(page.lines) - page.footer_rows]
    return [line.plain.strip() for line in rows if line.plain.strip()]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_picture_frame_is_never_cut_across_pages(width: int, height: int) -> None:
    """Pictures after a paragraph, inside tabs and inside list items: each frame is whole on
    one page (its top and bottom border there, its slot for the pixels there)."""
    deck = load_deck(FAITHFUL / "pages-pictures")
    for index, pages in _pages(deck, width, height):
        images = [b for b in m.walk(deck.slides[index].blocks) if isinstance(b, m.ImageBlock)]
        slots = [slot for page in pages for slot in page.images]
        assert len(slots) == len(images), (index, [page.text() for page in pages])
        for page in pages:
            rows = _rows(page)
            tops = [row for row in rows if row.startswith("┌")]
            bottoms = [row for row in rows if row.startswith("└")]
            assert len(tops) == len(bottoms) == len(page.images), (index, page.page, rows)
            for slot in page.images:
                assert page.lines[slot.row].plain.strip().startswith("┌")
                assert page.lines[slot.row + slot.height - 1].plain.strip().startswith("└")


@pytest.mark.parametrize(("width", "height"), SMALL + ROOMY)
def test_a_caption_stays_with_its_picture(width: int, height: int) -> None:
    """A long caption under a picture: the picture shrinks so that both share a page."""
    deck = load_deck(FAITHFUL / "pages-pictures")
    index = len(deck.slides) - 1
    pages = layout_slide(deck, index, width, height)
    (slot,) = [slot for page in pages for slot in page.images]
    page = next(page for page in pages if page.images)
    below = " ".join(line.plain.strip() for line in page.lines[slot.row + slot.height :])
    assert "baseline without sidecars for comparison" in " ".join(below.split())


def _table_pages(width: int, height: int) -> list[list[str]]:
    deck = load_deck(FAITHFUL / "pages-tables")
    return [_rows(page) for page in layout_slide(deck, 1, width, height)]


@pytest.mark.parametrize(("width", "height"), ROOMY)
def test_a_table_goes_on_over_pages_between_rows_with_its_header(width: int, height: int) -> None:
    """Every page that goes on with the steering committee's table starts with the header
    and its rule, then the first line of a member's row (never the rest of a row cut at
    the bottom of the page before)."""
    deck = load_deck(FAITHFUL / "pages-tables")
    table = next(b for b in m.walk(deck.slides[1].blocks) if isinstance(b, m.Table))
    firsts = {m.plain(row[0]).split()[0] for row in table.rows}
    pages = _table_pages(width, height)
    going_on = [rows for rows in pages[1:] if any("│" in row for row in rows[:3])]
    if width <= 80:
        assert going_on, pages
    for rows in going_on:
        assert rows[0].split("│")[0].strip() == "Name", rows
        rule = next(i for i, row in enumerate(rows) if "┼" in row)
        first_cell = rows[rule + 1].split("│")[0].split()
        assert first_cell and first_cell[0] in firsts, rows


def test_a_table_row_of_several_lines_is_not_cut_at_80x24() -> None:
    """TRIAL 4: "Faseela K │ Ericsson Software" at the bottom of a page, "│ Technology" on
    the next."""
    for rows in _table_pages(80, 24):
        last = rows[-1]
        assert "Ericsson Software" not in last or "Technology" in last, rows


@pytest.mark.parametrize(("width", "height"), ROOMY)
def test_a_lead_in_is_not_left_alone_above_a_table_or_code(width: int, height: int) -> None:
    """A paragraph ending in a colon is on the page where what it introduces starts."""
    intros = {
        "pages-tables": ("nine companies:", "every run:"),
        "pages-lead-ins": ("as shown below:", "one of the hosts:"),
    }
    for name, ends in intros.items():
        deck = load_deck(FAITHFUL / name)
        for index, pages in _pages(deck, width, height):
            for page in pages:
                rows = _rows(page)
                for number, row in enumerate(rows):
                    if row.endswith(ends):
                        assert number + 1 < len(rows), (name, index, page.page, rows)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_rule_never_starts_or_ends_a_page(width: int, height: int) -> None:
    deck = load_deck(FAITHFUL / "pages-lead-ins")
    for index, pages in _pages(deck, width, height):
        for page in pages:
            rows = _rows(page)
            assert rows, (index, page.page)
            edges = (rows[0], rows[-1]) if len(pages) > 1 else ()
            assert not [row for row in edges if set(row) == {"─"}], (index, page.page, rows)


def test_a_last_page_does_not_hold_a_single_line() -> None:
    """At 80x24 the one-line closing remark would be alone on the second page: the
    paragraph above gives it its last line."""
    deck = load_deck(FAITHFUL / "pages-lead-ins")
    pages = layout_slide(deck, len(deck.slides) - 1, 80, 24)
    assert len(pages) == 2
    assert len(_rows(pages[-1])) >= 2, _rows(pages[-1])
    assert len(_rows(pages[0])) >= 2


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_continuation_page_holds_one_line_of_a_split_paragraph(width: int, height: int) -> None:
    for name in ("pages-lead-ins", "keep-together", "pages-pictures"):
        deck = load_deck(FAITHFUL / name)
        for index, pages in _pages(deck, width, height):
            for page in pages[1:]:
                assert len(_rows(page)) != 1, (name, index, page.page, page.text())


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30)])
def test_numeric_columns_give_room_to_the_words_of_a_text_column(width: int, height: int) -> None:
    """TRIAL 4: "Envoy 纯文本" wrapped to "Envoy 纯文 / 本" while the number columns had room:
    the names stay whole on their row and the long Chinese headers wrap instead."""
    deck = load_deck(FAITHFUL / "pages-tables-zh")
    rows = [row for page in layout_slide(deck, 1, width, height) for row in _rows(page)]
    names = [row.split("│")[0].strip() for row in rows if "│" in row]
    for name in ("Envoy 纯文本", "Envoy mTLS", "无代理纯文本", "无代理 mTLS"):
        assert name in names, rows


@pytest.mark.parametrize(("width", "height"), [(60, 16), (60, 20), (70, 18)])
def test_a_closing_sentence_is_not_left_alone_after_a_picture(width: int, height: int) -> None:
    """The sentence under a picture would be alone on a last page: the picture gives up
    a few rows so that the sentence is on its page."""
    deck = load_deck(FAITHFUL / "pages-pictures")
    index = next(i for i, s in enumerate(deck.slides) if s.title == "How the load is generated")
    pages = layout_slide(deck, index, width, height)
    holding = [page for page in pages if "three parts" in " ".join(_rows(page))]
    assert len(holding) == 1 and holding[0].images, [page.text() for page in pages]
    assert len(_rows(pages[-1])) > 2


def test_a_short_column_takes_room_from_a_long_one_when_it_saves_lines() -> None:
    """At 80x24 "Contribution seat" fits on one line if the company column gives up a few
    cells: most members' rows are then one line, and the table fits fewer pages."""
    rows = [row for rows in _table_pages(80, 24) for row in rows]
    seats = [row.split("│")[-1].strip() for row in rows if row.count("│") == 3]
    assert seats.count("Contribution seat") >= 6, rows


@pytest.mark.parametrize("post", sorted(CORPUS.glob("*/*/index.md")), ids=lambda p: p.parent.name)
def test_a_page_knows_where_it_starts_and_another_size_finds_the_same_place(post: Path) -> None:
    """Pages start at increasing places; the page another screen shows for a page holds
    that page's first row of text (what the speaker's preview and a resize rely on)."""
    deck = load_deck(post.parent)
    for index in range(len(deck.slides)):
        small = layout_slide(deck, index, 40, 12)
        large = layout_slide(deck, index, 100, 30)
        starts = [page.start for page in small]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        for page in small:
            found = same_place(large, page)
            # The first row of words (a picture's frame is drawn to each size).
            words_rows = [ln.plain for ln in _body_rows(page) if any(c.isalnum() for c in ln.plain)]
            first = words_rows[0].strip() if words_rows else ""
            words = first.split()[:1]
            shown = large[found.page - 1 : found.page]
            text = "".join("".join(ln.plain.split()) for pg in shown for ln in _body_rows(pg))
            text = text.replace("↩", "")  # a code line folds at other places at another width
            assert all(w.replace("↩", "") in text for w in words), (index, page.page, first)


def _body_rows(page: Page) -> list[Text]:
    return page.lines[page.body_top : len(page.lines) - page.footer_rows]


def test_filling_a_one_line_last_page_moves_two_lines_of_a_paragraph_not_one() -> None:
    """Not "…vulnerable to a" / "potential DoS attack." alone atop the last page: when the
    last page would hold one line, the paragraph before it gives two (keeping two)."""
    from tui_deck.layout.blocks import Rows
    from tui_deck.layout.page import _no_widow

    paragraph = m.Paragraph(1, (m.Run("x"),))
    rows = [Text(f"line {n}") for n in range(4)]
    before = Rows([Text("earlier"), Text(), *rows])
    last = Rows([Text("The end.")])
    _no_widow(before, last, paragraph, 2, False, False)
    assert [t.plain for t in before.lines] == ["earlier", "", "line 0", "line 1"]
    assert [t.plain for t in last.lines] == ["line 2", "line 3", "", "The end."]
