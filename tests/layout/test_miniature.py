"""The speaker's previews and the overview's cards: a page made to fit a small box, whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import CORPUS, SLIDES, corpus_posts
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.blocks import ImageSlot
from tui_deck.layout.miniature import card, miniature, span_of
from tui_deck.layout.page import Chrome, Page, layout_slide
from tui_deck.layout.presenter import layout_presenter

AUTHZ = CORPUS / "zh" / "2021-better-external-authz"


def _squeeze(text: str) -> str:
    """Text without its spaces and fold marks (lines break elsewhere in a smaller box)."""
    return "".join(text.replace("↩", "").split())


def _cells(text: str, start: int, end: int) -> str:
    """The characters of a row in cells [start, end)."""
    out, col = [], 0
    for char in text:
        if start <= col and col + cell_len(char) <= end:
            out.append(char)
        col += cell_len(char)
    return "".join(out)


def _col(text: str, char: str, after: int = 0) -> int:
    """The cell where ``char`` is in a row (at or after cell ``after``)."""
    col = 0
    for here in text:
        if here == char and col >= after:
            return col
        col += cell_len(here)
    raise ValueError(char)


def _last_line(page: Page) -> str:
    """The last line of a page's body with text (above the footer)."""
    body = page.lines[page.body_top : len(page.lines) - page.footer_rows]
    return next(_squeeze(line.plain) for line in reversed(body) if line.plain.strip())


def _current_box(page: Page) -> tuple[int, int, int]:
    """The current preview's frame on the speaker's page: its top row, bottom row and the
    column of its right edge."""
    rows = [line.plain for line in page.lines]
    top = next(n for n, row in enumerate(rows) if row.startswith("╭"))
    bottom = next(n for n, row in enumerate(rows) if n > top and row.startswith("╰"))
    return top, bottom, _col(rows[top], "╮")


def _inside(slot: ImageSlot, top: int, bottom: int, right: int) -> bool:
    return (
        top < slot.row
        and slot.row + slot.height <= bottom
        and 0 < slot.col < right
        and (slot.col + slot.width <= right)
    )


def _preview_text(page: Page) -> str:
    top, bottom, right = _current_box(page)
    return "".join(_squeeze(_cells(line.plain, 1, right)) for line in page.lines[top + 1 : bottom])


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
@pytest.mark.parametrize(("deck_path", "index"), [(SLIDES, 3), (AUTHZ, 2)])
def test_the_current_preview_shows_the_whole_page_with_its_picture(
    size: tuple[int, int], deck_path: Path, index: int
) -> None:
    """The audience (the same size) sees text, a picture and its caption: the speaker's
    preview has the picture's slot inside its frame and ends with the page's last line."""
    deck = load_deck(deck_path)
    seen = layout_slide(deck, index, *size)
    assert seen[0].images  # the audience's page has the picture
    speaker = layout_presenter(deck, index, 1, len(seen), *size, audience=size)
    top, bottom, right = _current_box(speaker)
    current = [slot for slot in speaker.images if slot.col < right]
    assert len(current) == len(seen[0].images)
    assert all(_inside(slot, top, bottom, right) for slot in current), current
    assert _last_line(seen[0]) in _preview_text(speaker)
    assert all(line.cell_len <= size[0] for line in speaker.lines)


@pytest.mark.parametrize("audience", [(100, 30), (80, 24)])
@pytest.mark.parametrize("post", corpus_posts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_preview_starts_where_the_audiences_page_starts_with_all_its_pictures(
    post: Path, audience: tuple[int, int]
) -> None:
    """For every page of every slide of the real posts: the speaker's preview (at 100x30)
    shows the start of the page the audience sees (its first body line, or the start of it)
    and every picture of that page, each in a slot inside the preview's frame."""
    deck = load_deck(post)
    for index in range(len(deck.slides)):
        seen = layout_slide(deck, index, *audience)
        for page in seen:
            speaker = layout_presenter(
                deck, index, page.page, len(seen), 100, 30, audience=audience
            )
            top, bottom, right = _current_box(speaker)
            current = [slot for slot in speaker.images if slot.col < right]
            where = (deck.slides[index].title, page.page)
            assert len(current) == len(page.images), where
            assert all(_inside(slot, top, bottom, right) for slot in current), where
            body = page.lines[page.body_top : len(page.lines) - page.footer_rows]
            first = next((_squeeze(ln.plain) for ln in body if ln.plain.strip()), "")
            if first and not first.startswith(("┌", "│")):  # text, not a picture's frame
                assert first[:6] in _preview_text(speaker), where


def test_the_next_preview_is_the_next_slides_first_page_whole() -> None:
    """The next slide (庆祝 Istio 的 4 岁生日: a paragraph, a picture, its caption) in the
    right-hand box, its picture slot inside that box."""
    deck = load_deck(SLIDES)
    speaker = layout_presenter(deck, 0, 1, 1, 100, 30)
    top, bottom, right = _current_box(speaker)
    rows = [line.plain for line in speaker.lines]
    left = right + 2  # the next box starts after a gap of one
    assert _col(rows[top], "╭", right) == left
    end = _col(rows[top], "╮", left)
    following = [slot for slot in speaker.images if slot.col > right]
    assert len(following) == 1
    assert all(_inside(slot, top, bottom, end) and slot.col > left for slot in following)
    box = "".join(_squeeze(_cells(row, left + 1, end)) for row in rows[top + 1 : bottom])
    assert "庆祝Istio的4岁生日" in box and box.endswith("Istio的4岁生日")


def test_a_tall_page_keeps_every_block_start_and_marks_what_is_left_out(
    write_post: Callable[..., Path],
) -> None:
    """Five long paragraphs and a picture do not fit a 40x12 box: each paragraph keeps its
    first line(s), the shortened ones end with …, the picture keeps a slot, and the box is
    exactly 12 rows of at most 40 cells."""
    words = "这是一段很长的中文段落，用来检查预览中的省略是否正确。" * 3
    text = "\n\n".join(f"第{n}段{words}" for n in range(5))
    write_post((SLIDES / "2.png").read_bytes(), "pic.png")
    deck = load_deck(write_post(f"---\ntitle: T\n---\n\n## 一张\n\n{text}\n\n![图](pic.png)\n"))
    page = miniature(deck, 1, 40, 12)
    rows = [line.plain for line in page.lines]
    assert len(rows) == 12 and all(line.cell_len <= 40 for line in page.lines)
    flat = "".join(_squeeze(row) for row in rows)
    assert all(f"第{n}段" in flat for n in range(5))
    assert any(row.rstrip().endswith("…") for row in rows)
    [slot] = page.images
    assert slot.image.pixels and not slot.image.problem
    assert slot.row + slot.height <= 12 and slot.height >= 3


def test_span_of_is_where_a_page_starts_and_the_next_one_starts() -> None:
    deck = load_deck(AUTHZ)
    pages = layout_slide(deck, 2, 100, 30)
    assert len(pages) > 2
    assert span_of(pages, 1) == (pages[0].start, pages[1].start)
    assert span_of(pages, len(pages)) == (pages[-1].start, None)


# ----------------------------------------------------------------- cards


def test_a_card_of_a_slide_with_a_picture_shows_it_small_and_whole() -> None:
    """Slide 4 of the seed deck at card size: its first page there is text only; its card
    shows the title, the text's first lines and the picture's slot inside the card."""
    deck = load_deck(SLIDES)
    [first, *_] = layout_slide(deck, 3, 40, 12, chrome=Chrome(footer=False))
    assert not first.images
    shown = card(deck, 3, 40, 12)
    [slot] = shown.images
    assert slot.image.src.endswith("2.png")
    assert slot.row > 0 and slot.row + slot.height <= 12 and slot.col + slot.width <= 40
    text = shown.text()
    assert "如何参加 Istio 的 4 岁生日庆典" in text and "Istio Community Meetup!" in text
    assert len(shown.lines) == 12 and all(line.cell_len <= 40 for line in shown.lines)


def test_a_card_without_pictures_is_the_slides_first_page() -> None:
    deck = load_deck(SLIDES)
    for index in (0, 2):
        [first, *_] = layout_slide(deck, index, 40, 12, chrome=Chrome(footer=False))
        assert card(deck, index, 40, 12).text() == first.text()


def test_a_card_whose_picture_cannot_be_shown_is_the_slides_first_page(
    load_text: Callable[..., Deck],
) -> None:
    """A missing picture (known when the deck is built) gives no picture to the card."""
    long = "一段很长的文字，" * 40
    deck = load_text(f"---\ntitle: T\n---\n\n## 一张\n\n{long}\n\n![缺](missing.png)\n")
    [first, *_] = layout_slide(deck, 1, 40, 12, chrome=Chrome(footer=False))
    assert card(deck, 1, 40, 12).text() == first.text()
