"""The zoom (z): a slide's pictures full screen, stepped with ← →, closed with z or Escape,
told to the linked views, opened by a click on a picture."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget

from tests.app.test_app import run, screen_text
from tests.app.test_presenter import run_linked, until
from tui_deck import model as m
from tui_deck.app import DeckApp
from tui_deck.app.navigator import Navigator
from tui_deck.app.screens.overlays import help_text
from tui_deck.app.screens.zoom import ZoomScreen
from tui_deck.app.sync import Position
from tui_deck.layout.theme import DEFAULT_THEME
from tui_deck.layout.zoom import zoom_page

RED, GREEN = (255, 0, 0), (0, 200, 0)


def _picture(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (200, 100)) -> None:
    Image.new("RGB", size, colour).save(path)


def _deck(folder: Path, body: str) -> Path:
    (folder / "index.md").write_text(f"---\ntitle: Zoom\n---\n\n{body}", encoding="utf-8")
    return folder


def _two_pictures(folder: Path) -> Path:
    """Slide 1: text, then a red and a green picture (2:1); slide 2: text only."""
    _picture(folder / "red.png", RED)
    _picture(folder / "green.png", GREEN)
    return _deck(
        folder,
        "## Pictures\n\nTwo charts follow.\n\n"
        '{{< image link="./red.png" caption="The red one" >}}\n\n'
        '{{< image link="./green.png" caption="The green one" >}}\n\n'
        "## Words\n\nNothing to see here.\n",
    )


def _cells(app: DeckApp) -> list[list[tuple[int, int, int] | None]]:
    """The colour each cell of the screen shows (its background; the half-block's upper
    colour for ▀), row by row."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row: list[tuple[int, int, int] | None] = []
        for segment in strip:
            style = segment.style
            for char in segment.text:
                colour = None
                if style is not None:
                    shown = style.color if char == "▀" else style.bgcolor
                    colour = tuple(shown.get_truecolor()) if shown is not None else None  # type: ignore[assignment]
                row.append(colour)
        rows.append(row)
    return rows


def _region(app: DeckApp, colour: tuple[int, int, int]) -> tuple[int, int, int, int, int]:
    """Where ``colour`` is on the screen: (cells, top, bottom, left, right)."""
    places = [
        (y, x) for y, row in enumerate(_cells(app)) for x, cell in enumerate(row) if cell == colour
    ]
    if not places:
        return 0, -1, -1, -1, -1
    ys, xs = [y for y, _ in places], [x for _, x in places]
    return len(places), min(ys), max(ys), min(xs), max(xs)


async def _settle(app: DeckApp, pilot: Pilot[int], colour: tuple[int, int, int]) -> None:
    """Until the picture of ``colour`` is drawn (its worker is done)."""
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if _region(app, colour)[0]:
            return


def test_z_shows_the_picture_over_the_whole_screen_with_its_caption(tmp_path: Path) -> None:
    folder = _two_pictures(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        await _settle(app, pilot, RED)
        on_slide = _region(app, RED)[0]
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, ZoomScreen)
        await _settle(app, pilot, RED)
        cells, top, bottom, left, right = _region(app, RED)
        # 2:1 at 80 columns is 20 rows of 80 cells, of the 23 above the caption row
        assert cells >= 0.8 * 80 * 24 and cells > 3 * on_slide
        assert (left, right) == (0, 79)
        assert abs(top - (23 - 1 - bottom)) <= 1  # centred above the caption row
        text = screen_text(app)
        assert text[-1].strip().startswith("The red one") and text[-1].rstrip().endswith("1/2")
        assert "Two charts follow." not in "\n".join(text)  # the slide's text is gone
        assert _region(app, GREEN)[0] == 0  # one picture at a time

    run(scenario, path=folder, images="blocks", size=(80, 24))


def test_right_steps_to_the_slides_second_picture_and_left_back(tmp_path: Path) -> None:
    folder = _two_pictures(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right", "z")
        await _settle(app, pilot, RED)
        await pilot.press("right")
        await _settle(app, pilot, GREEN)
        assert app.zoom == 1 and app.slide == 1  # still the same slide
        assert _region(app, GREEN)[0] >= 0.6 * 100 * 30 and _region(app, RED)[0] == 0
        last = screen_text(app)[-1]
        assert "The green one" in last and last.rstrip().endswith("2/2")
        await pilot.press("end")  # End: the last picture, where it is
        await pilot.pause()
        assert app.zoom == 1 and app.slide == 1
        await pilot.press("left")
        await _settle(app, pilot, RED)
        assert app.zoom == 0 and "1/2" in screen_text(app)[-1]
        await pilot.press("left")  # before the first picture: back to the slide
        await pilot.pause()
        assert app.zoom is None and app.slide == 1 and app.screen is app.room

    run(scenario, path=folder, images="blocks")


@pytest.mark.parametrize("key", ["right", "space", "pagedown", "enter"])
def test_a_clickers_next_after_the_last_picture_goes_on_with_the_talk(
    key: str, tmp_path: Path
) -> None:
    """A remote clicker has no z: its "next" past the last picture leaves the zoom and
    moves on, as it would on the slide."""
    folder = _two_pictures(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        await pilot.pause()
        before = (app.slide, app.page)
        await pilot.press("z", key, key)
        await pilot.pause()
        assert app.zoom is None and app.screen is app.room
        assert (app.slide, app.page) > before

    run(scenario, path=folder, images="blocks")


@pytest.mark.parametrize("key", ["escape", "z"])
def test_escape_or_z_returns_to_the_same_slide_and_page(key: str, tmp_path: Path) -> None:
    """A slide of several pages, the picture on its second: back where it was."""
    _picture(tmp_path / "red.png", RED)
    words = "\n\n".join(f"Paragraph {n} of a long slide with many words in it." for n in range(20))
    folder = _deck(
        tmp_path,
        f'## Long\n\n{words}\n\n{{{{< image link="./red.png" caption="Late" >}}}}\n\n'
        f"{words}\n\n## After\n\nEnd.\n",
    )

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        while app.page < 3 and app.slide == 1:
            await pilot.press("right")
        await pilot.pause()
        assert (app.slide, app.page) == (1, 3)
        before = screen_text(app)
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, ZoomScreen) and "Late" in screen_text(app)[-1]
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is app.room and app.zoom is None
        assert (app.slide, app.page) == (1, 3)
        assert screen_text(app) == before
        await pilot.press("right")  # the talk's keys work again
        assert (app.slide, app.page) != (1, 3)

    run(scenario, path=folder, size=(80, 24))


def test_z_on_a_slide_without_a_picture_only_says_so() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right", "right")
        await pilot.pause()
        before = screen_text(app)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen is app.room and app.zoom is None
        assert (app.slide, app.page) == (2, 1)
        assert [n.message for n in app._notifications] == ["这张幻灯片没有可放大的图片（z）"]
        app.clear_notifications()
        await pilot.pause()
        assert screen_text(app) == before

    run(scenario)


def test_a_broken_picture_zoomed_shows_its_framed_reason(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"garbage")
    folder = _deck(tmp_path, '## A\n\n{{< image link="./bad.png" caption="Broken" >}}\n')

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right", "z")
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if "✗ bad.png" in "".join(screen_text(app)):
                break
        text = screen_text(app)
        assert isinstance(app.screen, ZoomScreen)
        assert any("✗ bad.png: not a picture file" in row for row in text)
        assert text[0].lstrip().startswith("┌") and "Broken" in text[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.room

    run(scenario, path=folder, images="blocks", size=(80, 24))


def test_a_click_on_a_picture_zooms_it_and_a_click_goes_back(tmp_path: Path) -> None:
    folder = _two_pictures(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        await pilot.pause()
        page = app.view.last_view.page
        assert page is not None and len(page.images) == 2
        green = page.images[1]
        await pilot.click(offset=(green.col + green.width // 2, green.row + green.height // 2))
        await pilot.pause()
        assert isinstance(app.screen, ZoomScreen) and app.zoom == 1
        assert "The green one" in screen_text(app)[-1]
        await pilot.click(offset=(10, 10))
        await pilot.pause()
        assert app.screen is app.room and (app.slide, app.zoom) == (1, None)
        await pilot.click(offset=(95, 1))  # not a picture: the right half goes on
        assert app.slide == 2 and app.zoom is None

    run(scenario, path=folder, size=(100, 40))


def test_the_speakers_z_zooms_the_projector_and_either_escape_closes_both(
    tmp_path: Path,
) -> None:
    folder = _two_pictures(tmp_path)

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("right")
        await until(lambda: audience.slide == 1)
        await p.press("z")
        await until(lambda: isinstance(audience.screen, ZoomScreen))
        # The speaker keeps the notes and the clock; the projector shows the picture.
        assert audience.zoom == 0 and speaker.screen is speaker.room
        assert "1/2" in "".join(n.message for n in speaker._notifications)
        await a.pause()
        assert "The red one" in screen_text(audience)[-1]
        await p.press("right")
        await until(lambda: audience.zoom == 1)
        await a.pause()
        assert "The green one" in screen_text(audience)[-1]
        await a.press("escape")  # the projector's Escape closes the speaker's zoom too
        await until(lambda: speaker.zoom is None)
        assert audience.screen is audience.room and audience.slide == speaker.slide == 1
        await p.press("z")
        await until(lambda: audience.zoom == 0)
        await p.press("z")
        await until(lambda: audience.zoom is None and audience.screen is audience.room)
        await p.press("b")  # blanked, the speaker's z shows the picture all the same
        await until(lambda: audience.view.blank)
        await p.press("z")
        await until(lambda: isinstance(audience.screen, ZoomScreen))
        await a.pause()
        assert "The red one" in screen_text(audience)[-1] and not audience.blank

    run_linked(scenario, path=folder)


def test_a_click_on_the_speakers_preview_picture_zooms_both_views(tmp_path: Path) -> None:
    folder = _two_pictures(tmp_path)

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("right")
        await until(lambda: audience.slide == 1)
        await p.pause()
        page = speaker.view.last_view.page
        assert page is not None
        now = [slot for slot in page.images if slot.col < 50]  # the current slide's preview
        assert now, "the current preview shows a picture"
        slot = now[0]
        await p.click(offset=(slot.col + slot.width // 2, slot.row + slot.height // 2))
        await until(lambda: isinstance(audience.screen, ZoomScreen))
        assert speaker.zoom == audience.zoom == speaker.room.pictures().index(slot.image)

    run_linked(scenario, path=folder)


@pytest.mark.parametrize("method", ["kitty", "sixel"])
def test_pixel_protocols_zoom_with_their_widget_over_the_whole_box(
    method: str, tmp_path: Path
) -> None:
    from textual_image.widget import SixelImage, TGPImage

    folder = _two_pictures(tmp_path)

    async def pixels(app: DeckApp, pilot: Pilot[int]) -> list[Widget]:
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            widgets = list(app.screen.query(".pixels"))
            if widgets:
                return widgets
        return []

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        on_slide = await pixels(app, pilot)
        assert on_slide
        box = on_slide[0].region  # a click on the pixel picture zooms it too
        await pilot.click(offset=(box.x + box.width // 2, box.y + box.height // 2))
        await pilot.pause()
        assert isinstance(app.screen, ZoomScreen)
        [widget] = await pixels(app, pilot)
        assert isinstance(widget, TGPImage if method == "kitty" else SixelImage)
        assert widget.region.width == 80 and widget.region.height == 20
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.room

    run(scenario, path=folder, images=method, size=(80, 24))


# ----------------------------------------------------------------- the parts


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (40, 12), (30, 6)])
@pytest.mark.parametrize("pixels", [(200, 100), (100, 400), (1000, 50)])
def test_the_zoom_page_fills_the_screen_exactly(
    size: tuple[int, int], pixels: tuple[int, int]
) -> None:
    width, height = size
    image = m.ImageRef("a.png", Path("a.png"), True, caption="一个很长的标题" * 12, pixels=pixels)
    page = zoom_page(image, width, height, DEFAULT_THEME, "zh", 2, 3)
    assert len(page.lines) == height and all(line.cell_len <= width for line in page.lines)
    [slot] = page.images
    assert slot.row >= 0 and slot.row + slot.height <= height - 1
    assert slot.col >= 0 and slot.col + slot.width <= width
    # as large as the screen allows: it meets the sides or the rows above the caption
    assert slot.width >= width - 1 or slot.height >= height - 1 - height // 6 - 1
    assert abs(slot.col - (width - slot.col - slot.width)) <= 1  # centred
    assert page.lines[-1].plain.rstrip().endswith("2/3")


def test_a_position_carries_the_zoom_and_older_views_lines_mean_none() -> None:
    line = Position(3, 1, 2, 5.0, zoom=1).to_line()
    assert Position.from_line(line) == Position(3, 1, 2, 5.0, zoom=1)
    old = b'{"slide": 3, "page": 1, "pages": 2, "at": 5.0}\n'
    assert Position.from_line(old) == Position(3, 1, 2, 5.0)
    for bad in ("-1", '"1"', "true", "1.5", "99999"):
        line = f'{{"slide": 3, "page": 1, "pages": 2, "at": 5.0, "zoom": {bad}}}'.encode()
        assert Position.from_line(line) is None, bad


def test_the_navigator_zooms_on_a_blank_screen_and_forgets_the_zoom_when_the_slide_moves() -> None:
    nav = Navigator(3, lambda _: 2)
    nav.toggle_blank()
    nav.zoom_to(1)  # z on a blank screen shows the picture
    assert nav.zoom == 1 and not nav.blank
    nav.next()
    assert nav.zoom is None and (nav.slide, nav.page) == (0, 2)
    nav.zoom_to(0)
    nav.go(2)
    assert nav.zoom is None


@pytest.mark.parametrize(("lang", "words"), [("zh", "图片全屏"), ("en", "picture full screen")])
def test_the_help_lists_the_zoom_key(lang: str, words: str) -> None:
    rows = help_text(lang).plain.splitlines()
    assert any(row.startswith("z ") and words in row for row in rows)


def test_the_caption_keeps_its_inline_styles() -> None:
    """A link in the caption stays a link, as on the slide."""
    runs = (m.Run("see "), m.Run("docs", url="https://istio.io"))
    image = m.ImageRef("a.png", Path("a.png"), True, caption="see docs", caption_runs=runs)
    page = zoom_page(image, 60, 20, DEFAULT_THEME)
    last: Text = page.lines[-1]
    assert last.plain.strip() == "see docs" and last.spans
