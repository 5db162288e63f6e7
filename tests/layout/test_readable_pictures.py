"""Never a postage stamp (issue 15, point 2): a picture keeps a readable size (half the text
width, 60% for a chart or diagram, or its natural size when that is smaller); one that
does not fit beside the text takes the next page of the slide."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tui_deck import images
from tui_deck.cli import main
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.blocks import READABLE_LINE_ART
from tui_deck.layout.page import Page, layout_slide, margin_for

#: A chart's and a photo's size in pixels (16:9), as in the corpus posts.
WIDE = (1200, 675)


def chart(path: Path, size: tuple[int, int] = WIDE) -> Path:
    """A bar chart: a few flat colours in a palette PNG."""
    image = Image.new("P", size, 0)
    image.putpalette([255, 255, 255, 0, 0, 0, 70, 110, 200] + [0] * 759)
    draw = ImageDraw.Draw(image)
    draw.line((40, 20, 40, size[1] - 40, size[0] - 20, size[1] - 40), fill=1, width=3)
    for bar in range(5):
        left = 80 + bar * (size[0] - 120) // 5
        draw.rectangle((left, 60 + bar * 60, left + 80, size[1] - 42), fill=2)
    image.save(path)
    return path


def photo(path: Path, size: tuple[int, int] = WIDE) -> Path:
    """A photograph: a JPEG (noise, as much detail as a JPEG holds)."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, quality=60)
    return path


def text_width(width: int) -> int:
    return width - 2 * margin_for(width)


def body_rows(page: Page) -> int:
    return len(page.lines) - page.body_top - page.footer_rows


def slide(deck: Deck, title: str) -> int:
    return next(i for i, s in enumerate(deck.slides) if s.title == title)


def write(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text("---\ntitle: Pictures\n---\n\n" + body, encoding="utf-8")
    return folder


def two_charts(tmp_path: Path) -> Path:
    folder = tmp_path / "charts"
    folder.mkdir()
    chart(folder / "latency.png")
    chart(folder / "memory.png")
    return write(
        folder,
        "## Two charts\n\nThe charts below compare the two proxies:\n\n"
        '{{< image link="./latency.png" caption="Latency" >}}\n\n'
        '{{< image link="./memory.png" caption="Memory" >}}\n',
    )


def test_two_charts_at_80x24_get_a_page_each_at_least_60_percent_wide(tmp_path: Path) -> None:
    deck = load_deck(two_charts(tmp_path))
    pages = layout_slide(deck, slide(deck, "Two charts"), 80, 24)
    assert [len(page.images) for page in pages] == [1, 1]
    for page in pages:
        [slot] = page.images
        assert slot.width >= 0.5 * text_width(80)
        assert slot.width >= 0.6 * text_width(80)  # charts are line art
        # The aspect ratio is kept (a cell is half as wide as it is tall).
        assert abs(slot.height - slot.width * 675 / 1200 / 2) <= 1
    first, second = (page.text() for page in pages)
    # The lead-in stays with the first chart; each caption with its frame.
    assert "compare the two proxies" in first and "Latency" in first
    assert "Memory" in second and "Latency" not in second
    assert "(cont. 2/2)" in second


def test_the_text_export_shows_the_same_pages(tmp_path: Path) -> None:
    folder = two_charts(tmp_path)
    out = tmp_path / "out"
    assert main(["export", "--format", "text", "--size", "80x24", "-o", str(out), str(folder)]) == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    files = [entry["file"] for entry in index if entry["id"] == "two-charts"]
    assert len(files) == 2
    deck = load_deck(folder)
    pages = layout_slide(deck, slide(deck, "Two charts"), 80, 24)
    for name, page in zip(files, pages, strict=True):
        written = (out / name).read_text(encoding="utf-8")
        assert written == page.text()
        assert written.count("▣ ") == 1


def list_then(picture: str, tmp_path: Path, make: Callable[[Path], Path]) -> Deck:
    """A slide whose list takes a third of the page at 80x24, then one picture."""
    folder = tmp_path / picture.split(".")[0]
    folder.mkdir()
    make(folder / picture)
    items = "".join(f"- Step number {n} of the setup\n" for n in range(1, 8))
    return load_deck(write(folder, f"## Steps\n\n{items}\n![]({picture})\n"))


def test_a_photo_may_shrink_beside_the_text_to_half_the_width_and_a_chart_to_60_percent(
    tmp_path: Path,
) -> None:
    room = text_width(80)
    # Eleven rows are left under the list: a photo at half the width needs ten, a chart
    # at 60% twelve.
    deck = list_then("photo.jpg", tmp_path, photo)
    [page] = layout_slide(deck, slide(deck, "Steps"), 80, 24)
    [slot] = page.images
    assert body_rows(page) - (slot.row - page.body_top) == 11
    assert 0.5 * room <= slot.width < 0.6 * room
    deck = list_then("chart.png", tmp_path, chart)
    steps, picture = layout_slide(deck, slide(deck, "Steps"), 80, 24)
    assert not steps.images and "Step number 7" in steps.text()
    [slot] = picture.images
    assert slot.width >= 0.6 * room


def test_a_photo_after_a_paragraph_that_fills_half_the_page_moves_instead_of_shrinking(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    photo(folder / "meetup.jpg")
    words = " ".join(f"word{n}" for n in range(120))  # ten lines at 72 cells
    deck = load_deck(
        write(
            folder,
            f'## Meetup\n\n{words}\n\n{{{{< image link="./meetup.jpg" caption="The meetup" >}}}}\n',
        )
    )
    index = slide(deck, "Meetup")
    text, picture = layout_slide(deck, index, 80, 24)
    assert not text.images and "word119" in text.text()
    [slot] = picture.images
    assert slot.width >= 0.5 * text_width(80)
    assert "The meetup" in picture.text() and "word119" not in picture.text()
    # On a bigger screen the two share a page, the photo still at least half the width.
    [page] = layout_slide(deck, index, 160, 45)
    [slot] = page.images
    assert slot.width >= 0.5 * text_width(160) and "word119" in page.text()


def test_an_icon_is_not_blown_up_to_the_page_width(tmp_path: Path) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    Image.new("RGB", (48, 48), (70, 110, 200)).save(folder / "icon.png")
    deck = load_deck(write(folder, "## Icon\n\nThe project's icon:\n\n![](icon.png)\n"))
    for width, height in ((80, 24), (160, 45)):
        [page] = layout_slide(deck, slide(deck, "Icon"), width, height)
        [slot] = page.images
        # 48 pixels are 5 cells of 10 pixels: drawn at most twice that, never the page.
        assert 5 <= slot.width <= 10


def test_a_picture_taller_than_a_page_fits_one_page(tmp_path: Path) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    photo(folder / "tall.jpg", (600, 1600))
    deck = load_deck(
        write(
            folder, '## Tall\n\nA phone screen:\n\n{{< image link="./tall.jpg" caption="App" >}}\n'
        )
    )
    for width, height in ((80, 24), (40, 12)):
        pages = layout_slide(deck, slide(deck, "Tall"), width, height)
        [slot] = [slot for page in pages for slot in page.images]
        [page] = [page for page in pages if page.images]
        # As tall as the page allows with its caption, and as wide as that keeps the shape.
        assert slot.height + 1 <= body_rows(page)
        assert slot.height + 1 >= body_rows(page) - 2
        assert abs(slot.width - slot.height * 2 * 600 / 1600) <= 1


def test_whether_a_picture_is_line_art_is_known_when_the_deck_is_built(tmp_path: Path) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    chart(folder / "chart.png")
    photo(folder / "photo.jpg")
    Image.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3)).save(folder / "noise.png")
    Image.new("RGB", (300, 200), (255, 255, 255)).save(folder / "flat.png")
    Image.new("P", (300, 200)).save(folder / "anim.gif")
    (folder / "arch.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"></svg>', encoding="utf-8"
    )
    names = ["chart.png", "photo.jpg", "noise.png", "flat.png", "anim.gif", "arch.svg"]
    body = "## All\n\n" + "\n\n".join(f"![]({name})" for name in names) + "\n"
    deck = load_deck(write(folder, body))
    found = {
        slot.image.src: slot.image.line_art
        for page in layout_slide(deck, slide(deck, "All"), 160, 45)
        for slot in page.images
    }
    assert found == {
        "chart.png": True,  # a palette
        "photo.jpg": False,  # a JPEG is a photograph
        "noise.png": False,  # truecolour that does not compress
        "flat.png": True,  # truecolour in flat colour (a screenshot, a drawing)
        "anim.gif": True,
        "arch.svg": True,
    }
    assert images.is_line_art(None, None) is False
    assert images.is_line_art(folder / "gone.png", (10, 10)) is False


FAITHFUL = Path(__file__).resolve().parents[1] / "fixtures" / "faithful"


def full_size_pictures(tmp_path: Path) -> Deck:
    """The pagination fixture with its pictures at the size of real diagrams (800x600 and
    900x400 pixels instead of 80x60 and 90x40): pictures after a lead-in, in tabs, in
    list items, under a long caption."""
    folder = tmp_path / "pages-pictures"
    folder.mkdir()
    source = FAITHFUL / "pages-pictures" / "index.md"
    (folder / "index.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    Image.new("RGB", (800, 600), (30, 60, 120)).save(folder / "latency.png")
    Image.new("RGB", (900, 400), (20, 100, 60)).save(folder / "setup.png")
    return load_deck(folder)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (100, 30), (160, 45)])
def test_pictures_in_tabs_lists_and_after_lead_ins_stay_readable(
    tmp_path: Path, width: int, height: int
) -> None:
    deck = full_size_pictures(tmp_path)
    for index, one in enumerate(deck.slides):
        pages = layout_slide(deck, index, width, height)
        for page in pages:
            rows = [line.plain.strip() for line in page.lines[page.body_top :]]
            for slot in page.images:
                # Every picture at least half the width (a chart or diagram 60%, even
                # where a last page of one line results); one that fills its page with its
                # caption, or under the lead-in that starts its page, as large as the page
                # leaves it (at least half the page) ...
                below = [r for r in rows[slot.row - page.body_top + slot.height :] if r]
                caption = len(below[: below.index(next(r for r in below if "━" in r))])
                full = slot.height + caption >= body_rows(page) - 1
                under_lead_in = slot.row - page.body_top <= 3
                assert (
                    slot.width >= 0.5 * text_width(width)
                    or full
                    or (under_lead_in and slot.height >= body_rows(page) // 2)
                ), (one.title, page.text())
            # ... and no page of the slide holds only one line, unless the page before
            # ends with a chart that giving rows would take below its readable 60%.
            if page.page > 1 and len([r for r in rows[: body_rows(page)] if r]) == 1:
                before = pages[page.page - 2].images
                least = math.ceil(READABLE_LINE_ART * text_width(width))
                assert before and before[-1].image.line_art, page.text()
                assert before[-1].width <= least + 1, page.text()


@pytest.mark.parametrize(("width", "height"), [(60, 16), (70, 18), (80, 24), (100, 30)])
def test_a_lead_in_stays_with_a_picture_that_needs_a_page(
    tmp_path: Path, width: int, height: int
) -> None:
    """Under its lead-in a picture that is not readable there takes the rest of the page
    (at least half of it), instead of leaving the lead-in alone at the bottom of a page."""
    deck = full_size_pictures(tmp_path)
    index = slide(deck, "How the load is generated")
    [page] = [page for page in layout_slide(deck, index, width, height) if page.images]
    text = " ".join(page.text().split())
    assert (
        "The picture below shows how the client, the sidecars and the server are connected:" in text
    )
    [slot] = page.images
    assert slot.height >= body_rows(page) // 2 - 1


def test_a_tab_label_stays_with_its_picture(tmp_path: Path) -> None:
    deck = full_size_pictures(tmp_path)
    pages = layout_slide(deck, slide(deck, "Results by policy"), 40, 12)
    for label in ("▸ mTLS vs plaintext", "▸ AuthZ paths"):
        [page] = [page for page in pages if label in page.text()]
        assert page.images, page.text()


def test_a_long_lead_in_sends_its_last_lines_over_with_a_readable_picture(
    tmp_path: Path,
) -> None:
    """A lead-in of eight lines starts the page and leaves the chart ten rows, too few for
    it at 60%: its last two lines go over with the chart, which keeps its readable size."""
    folder = tmp_path / "post"
    folder.mkdir()
    chart(folder / "chart.png")
    words = " ".join(f"word{n}" for n in range(76)) + " as the chart shows:"
    deck = load_deck(
        write(folder, f'## Lead\n\n{words}\n\n{{{{< image link="./chart.png" caption="C" >}}}}\n')
    )
    first, second = layout_slide(deck, slide(deck, "Lead"), 80, 24)
    assert "word0 " in first.text() and not first.images
    [slot] = second.images
    assert slot.width >= 0.6 * text_width(80)
    assert "as the chart shows:" in second.text() and "word0 " not in second.text()


def test_a_diagram_after_a_list_keeps_its_60_percent_even_to_save_a_last_line(
    tmp_path: Path,
) -> None:
    """A six-item list, a diagram the author set to 50%, one line after it: at 80x24 the
    diagram is drawn at 60% of the text width (its labels are what the room reads), and
    the line after it takes a page of its own rather than the diagram shrinking for it."""
    folder = tmp_path / "list"
    folder.mkdir()
    chart(folder / "arch.png", (1200, 583))  # external_authz.svg's shape
    items = "".join(f"- 第{n}点说明\n" for n in "一二三四五六")
    write(
        folder,
        f"## 图表和列表\n\n{items}\n"
        '{{< image width="50%" link="./arch.png" caption="架构图" >}}\n\n'
        "更多文字在图片之后。\n",
    )
    deck = load_deck(folder)
    pages = layout_slide(deck, slide(deck, "图表和列表"), 80, 24)
    [slot] = [slot for page in pages for slot in page.images]
    assert slot.width >= math.ceil(READABLE_LINE_ART * text_width(80))
    assert "更多文字在图片之后。" in pages[-1].text()
