"""Snapshot tests of the presenter (pytest-textual-snapshot). Deterministic: no clock, no
file watching. Update with `pytest tests/app/test_snapshots.py --snapshot-update` and look at
the report before committing new snapshots."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.app.test_app import options
from tui_deck.app import make_app

SIZES = [(100, 30), (80, 24)]


async def _pictures_ready(pilot: Pilot[int]) -> None:
    """Wait for the picture workers, so the snapshot shows pixels, not the frame."""
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if "▀" in "".join(s.text for s in pilot.app.screen._compositor.render_strips()):
            break


SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_title_slide(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The title 生日快乐，Istio！ centred, the description, both authors and 2021年5月24日
    under it; the progress bar and footer `1 / 4` at the bottom; dark background."""
    assert snap_compare(make_app(options()), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_chinese_text_slide(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Istio 取得重大发展的一年: filled Chinese lines with no line starting with ，or 。,
    bullets whose second lines hang under the text, links in blue, footer `3 / 4  p1/2`."""
    assert snap_compare(make_app(options(start="3")), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_image_slide(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """庆祝 Istio 的 4 岁生日: the paragraph, then 1.png drawn in colour half-blocks (blue
    balloons, the Istio sail logo, "Happy 4th Birthday"), 16:9, its caption centred under it."""

    app = make_app(options(start="2", images="blocks"))
    assert snap_compare(app, terminal_size=size, run_before=_pictures_ready)


@pytest.mark.parametrize("start", ["2", "4"])
def test_image_slides_large(snap_compare: SnapCompare, start: str) -> None:
    """At 160x45 the seed's two image slides: 1.png (balloons and the Istio logo) and
    2.png (the community meetup picture), each large, in colour, caption under it."""
    app = make_app(options(start=start, images="blocks"))
    assert snap_compare(app, terminal_size=(160, 45), run_before=_pictures_ready)


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The overview over the title slide. At 100x30: a grid of live previews, two a row,
    numbered in their borders, slide 1 in a heavy border; the cards of slides 2 and 4 show
    their first lines (cut with …), their picture's box and its caption. At 80x24: a list
    of the four titles, indented by heading level, each with its first line cut with …"""
    assert snap_compare(make_app(options()), terminal_size=size, press=["o"])


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The key help in Chinese (按键, 下一页 / 下一张 …) in a rounded box over the slide."""
    assert snap_compare(make_app(options()), terminal_size=size, press=["question_mark"])
