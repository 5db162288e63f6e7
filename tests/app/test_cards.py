"""Pictures in small boxes: the overview's cards and the speaker's previews draw them in
half-blocks, from the same cache and workers as the slides."""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from textual.geometry import Region
from textual.pilot import Pilot

from tests.app.test_app import run, screen_text
from tests.conftest import SLIDES
from tui_deck.app import DeckApp

HALF_BLOCKS = "▀▄"


def _cells(app: DeckApp, region: Region) -> list[tuple[str, Style | None]]:
    """Each cell of a region of the screen: its character and its style."""
    strips = app.screen._compositor.render_strips()
    out: list[tuple[str, Style | None]] = []
    for y in range(region.y, region.bottom):
        for segment in strips[y].crop(region.x, region.right):
            out.extend((char, segment.style) for char in segment.text)
    return out


def _picture_cells(app: DeckApp, region: Region) -> list[tuple[str, Style | None]]:
    """The half-block cells of a region drawn in two colours (a picture's pixels)."""
    return [
        (char, style)
        for char, style in _cells(app, region)
        if char in HALF_BLOCKS
        and style is not None
        and style.color is not None
        and style.bgcolor is not None
    ]


async def _until_drawn(app: DeckApp, pilot: Pilot[int], region: Region) -> None:
    """Wait for the picture workers until the region shows half-blocks (or give up)."""
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if _picture_cells(app, region):
            return


def _colours(cells: list[tuple[str, Style | None]]) -> set[tuple[int, int, int]]:
    found: set[tuple[int, int, int]] = set()
    for _char, style in cells:
        assert style is not None and style.color is not None and style.bgcolor is not None
        found.add(tuple(style.color.get_truecolor()))  # type: ignore[arg-type]
        found.add(tuple(style.bgcolor.get_truecolor()))  # type: ignore[arg-type]
    return found


def test_the_overview_card_of_a_slide_with_a_photo_shows_it_in_half_blocks() -> None:
    """The seed deck's last slide has a photo (2.png): once its worker is done, its card in
    the grid overview shows it in coloured half-blocks, under the slide's title; the title
    slide's card has none."""
    from tui_deck.app.screens import Card, GridOverviewScreen

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, GridOverviewScreen)
        cards = {card.position: card for card in app.screen.query(Card)}
        last = cards[3].content_region
        await _until_drawn(app, pilot, last)
        pixels = _picture_cells(app, last)
        assert len(pixels) >= 20
        assert len(_colours(pixels)) >= 8  # a photo, not a flat box
        text = "".join(char for char, _ in _cells(app, last))
        assert "如何参加 Istio 的 4 岁生日庆典" in text
        assert not _picture_cells(app, cards[0].content_region)

    run(scenario, size=(160, 45), images="blocks")


def test_a_card_whose_picture_breaks_shows_why_and_the_overview_goes_on(tmp_path: Path) -> None:
    """A picture whose header reads but whose data is cut: the card says why in the
    picture's box, the text stays, and the overview still opens the slide."""
    (tmp_path / "cut.png").write_bytes((SLIDES / "2.png").read_bytes()[:200])
    text = "一段很长的文字，用来把图片挤到第二页。" * 12
    (tmp_path / "index.md").write_text(
        f"---\ntitle: T\n---\n\n## 一张\n\n{text}\n\n![断](cut.png)\n\n## 两张\n\n短。\n",
        encoding="utf-8",
    )
    from tui_deck.app.screens import Card

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("o")
        await pilot.pause()
        [card] = [card for card in app.screen.query(Card) if card.position == 1]
        region = card.content_region
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if "✗" in "".join(char for char, _ in _cells(app, region)):
                break
        shown = "".join(char for char, _ in _cells(app, region))
        assert "✗ cut.png" in shown and "一段很长的文字" in shown
        await pilot.press("right", "enter")
        await pilot.pause()
        assert app.slide == 1

    run(scenario, path=tmp_path, size=(160, 45), images="blocks")


def test_the_speakers_preview_draws_the_picture_in_its_slot() -> None:
    """At 100x30 the speaker's preview of the last slide has the photo's slot inside its
    frame: the presenter fills that slot with the photo's half-blocks, the frame stays."""

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("end")
        await pilot.pause()
        page = app.view.last_view.page
        assert page is not None
        rows = screen_text(app)
        right = rows[1].index("╮")  # the current preview's frame (ASCII before it)
        [slot] = [slot for slot in page.images if slot.col < right]
        region = Region(slot.col, slot.row, slot.width, slot.height)
        await _until_drawn(app, pilot, region)
        pixels = _picture_cells(app, region)
        assert len(pixels) >= slot.width * slot.height // 2
        assert len(_colours(pixels)) >= 8
        rows = screen_text(app)
        top = next(n for n, row in enumerate(rows) if "╭" in row)
        bottom = next(n for n, row in enumerate(rows) if n > top and "╰" in row)
        assert top < slot.row and slot.row + slot.height <= bottom
        assert "Istio Community Meetup!" in "\n".join(rows[slot.row + slot.height : bottom])

    run(scenario, size=(100, 30), images="blocks", presenter=True)
