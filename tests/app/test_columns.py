"""Columns in the running presenter: the example talk's last slide, its text beside its
photo at 120x30 (the picture drawn in its column, found by a click and the zoom), and
stacked when the terminal shrinks to 60x20."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.pilot import Pilot

from tests.app.test_app import run, screen_text
from tests.test_columns import cells_between
from tui_deck.app import DeckApp
from tui_deck.app.screens.zoom import ZoomScreen
from tui_deck.cjk import is_cjk

TALK = Path(__file__).parent.parent / "fixtures" / "talk-4th-birthday"
LAST = "how-to-participate-in-istios-4th-birthday-celebration"
TEXT = "贡献是一个开源项目"


def is_cjk_text(text: str) -> bool:
    return any(is_cjk(char) for char in text)


async def _pictures_drawn(app: DeckApp, pilot: Pilot[int]) -> None:
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if "▣" not in "".join(screen_text(app)):
            return


def test_columns_side_by_side_then_stacked_when_the_terminal_shrinks() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await _pictures_drawn(app, pilot)
        page = app.view.last_view.page
        assert page is not None
        [slot] = page.images
        rows = screen_text(app)
        first = next(row for row in rows if TEXT in row)
        # The text in the left column, the picture's half-blocks in the right one.
        assert first.index(TEXT) == 4 and slot.col > 60
        beside = [
            cells_between(row, 0, slot.col) for row in rows[slot.row : slot.row + slot.height]
        ]
        drawn = [cells_between(row, slot.col, slot.col + slot.width) for row in rows[slot.row :]]
        assert sum(bool(left.strip()) for left in beside) >= 5
        assert all(cell_len(left.rstrip()) <= slot.col - 2 for left in beside)
        assert all("▀" in box and not is_cjk_text(box) for box in drawn[: slot.height])
        assert "▣" not in "".join(rows)
        # A click on the picture in its column zooms it.
        await pilot.click(offset=(slot.col + slot.width // 2, slot.row + slot.height // 2))
        await pilot.pause()
        assert isinstance(app.screen, ZoomScreen)
        assert "Istio Community Meetup!" in screen_text(app)[-1]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await _pictures_drawn(app, pilot)
        rows = screen_text(app)
        text = next(n for n, row in enumerate(rows) if TEXT[:4] in row)
        assert rows[text].index(TEXT[:4]) == 4
        assert not any("▀" in row for row in rows[: text + 8])  # no picture beside the text
        assert "p1/2" in rows[-1]

    run(scenario, path=TALK, size=(120, 30), start=LAST, images="blocks")
