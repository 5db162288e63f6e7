"""Exports draw pictures from their own pixels and glyphs that fill their cells.

A PNG of a slide was a half-block mosaic (a pixelated face) although the picture's pixels
were at hand; Chinese looked letter-spaced (a 16 px font in 10 px cells) and a table's
vertical lines broke between rows (a font's ``│`` is one em tall, the cell taller).
"""

from __future__ import annotations

import base64
import io
import re
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from rich.cells import cell_len
from rich.text import Text

from tests.conftest import SLIDES
from tui_deck.cli import main
from tui_deck.deck import load_deck
from tui_deck.export.raster import svg_to_png
from tui_deck.export.svg import CELL_HEIGHT, CELL_WIDTH, page_svg
from tui_deck.layout.blocks import ImageSlot
from tui_deck.layout.page import Page, layout_slide
from tui_deck.layout.theme import DEFAULT_THEME
from tui_deck.words import say

NS = "{http://www.w3.org/2000/svg}"
#: The PNG at the SVG's own size: one SVG pixel is one PNG pixel.
NATURAL = f"{100 * CELL_WIDTH}x{30 * CELL_HEIGHT}"


def _export(deck: Path, out: Path, fmt: str, *options: str) -> Path:
    args = ["export", str(deck), "--format", fmt, "--size", "100x30", *options]
    assert main([*args, "-o", str(out)]) == 0
    return out


def _photo_slot() -> ImageSlot:
    """The box of the seed deck's last slide's photo (2.png), in cells."""
    deck = load_deck(SLIDES)
    (page,) = layout_slide(deck, len(deck.slides) - 1, 100, 30)
    (slot,) = page.images
    return slot


def _colours_per_cell(png: Path, slot: ImageSlot) -> list[int]:
    """Distinct colours in each cell of the box (the middle half of it, clear of margins)."""
    image = Image.open(png).convert("RGB")
    counts = []
    for row in range(slot.row + slot.height // 4, slot.row + 3 * slot.height // 4):
        for col in range(slot.col + slot.width // 4, slot.col + 3 * slot.width // 4):
            x, y = col * CELL_WIDTH, row * CELL_HEIGHT
            cell = image.crop((x, y, x + CELL_WIDTH, y + CELL_HEIGHT))
            counts.append(len(cell.getcolors(CELL_WIDTH * CELL_HEIGHT) or []))
    return counts


def test_a_photo_in_the_png_is_drawn_from_its_pixels_not_a_mosaic(tmp_path: Path) -> None:
    """Half-blocks give a cell two colours; the photo's own pixels give it many."""
    slot = _photo_slot()
    options = ["--slides", "4", "--png-size", NATURAL]
    crisp = _export(SLIDES, tmp_path / "pixels", "png", *options) / "001.png"
    mosaic = _export(SLIDES, tmp_path / "cells", "png", *options, "--pictures", "cells")
    sharp = _colours_per_cell(crisp, slot)
    blocks = _colours_per_cell(mosaic / "001.png", slot)
    assert statistics.median(blocks) <= 2
    assert statistics.median(sharp) >= 5 * statistics.median(blocks)


def _images(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{NS}image"))


def test_the_svg_embeds_the_picture_in_its_box_as_data_not_a_link(tmp_path: Path) -> None:
    slot = _photo_slot()
    svg = (_export(SLIDES, tmp_path, "svg", "--slides", "4") / "001.svg").read_text("utf-8")
    (image,) = _images(svg)
    href = image.get("href", "")
    assert re.fullmatch(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+", href)
    x, y, width, height = (float(image.get(k, "nan")) for k in ("x", "y", "width", "height"))
    left, top = slot.col * CELL_WIDTH, slot.row * CELL_HEIGHT
    right, bottom = left + slot.width * CELL_WIDTH, top + slot.height * CELL_HEIGHT
    assert left <= x and x + width <= right and top <= y and y + height <= bottom
    # As large as the box allows, its aspect kept (2.png is 1200x675), centred.
    assert width == pytest.approx(right - left) or height == pytest.approx(bottom - top)
    assert width / height == pytest.approx(1200 / 675, rel=0.01)
    assert x - left == pytest.approx(right - x - width)
    assert y - top == pytest.approx(bottom - y - height)
    with Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))) as pixels:
        assert pixels.width >= width  # at least the box's own resolution
    without_data = svg.replace(href, "")
    assert "2.png" not in without_data and "file:" not in without_data
    assert "http" not in without_data.replace("http://www.w3.org/2000/svg", "")


def test_pictures_as_cells_embed_nothing(tmp_path: Path) -> None:
    out = _export(SLIDES, tmp_path, "svg", "--slides", "2,4", "--pictures", "cells")
    for name in ("001.svg", "002.svg"):
        assert "<image" not in (out / name).read_text("utf-8")


def test_the_html_deck_embeds_the_same_pictures(tmp_path: Path) -> None:
    html = (_export(SLIDES, tmp_path, "html") / "deck.html").read_text("utf-8")
    svg = (_export(SLIDES, tmp_path / "svg", "svg") / "004.svg").read_text("utf-8")
    (image,) = _images(svg)
    assert html.count("<image ") == 2  # slides 2 and 4
    assert image.get("href", "") in html


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.png", None, "image_missing"),
        ("broken.png", b"\x89PNG\r\n\x1a\n not really a PNG", ""),
    ],
)
def test_a_picture_that_cannot_be_shown_keeps_its_framed_message(
    name: str,
    content: bytes | None,
    words: str,
    write_post: Callable[..., Path],
    tmp_path: Path,
) -> None:
    post = write_post(f"---\ntitle: T\n---\n## Picture\n\n![it](./{name})\n")
    if content is not None:
        (post.parent / name).write_bytes(content)
    out = _export(post.parent, tmp_path / "out", "svg", "--slides", "2")
    svg = (out / "001.svg").read_text("utf-8")
    assert "<image" not in svg
    texts = "".join(t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text"))
    assert name in texts
    assert say("en", words) in texts if words else "✗" in texts
    frame = [p for p in ET.fromstring(svg).iter(f"{NS}path")]
    assert len(frame) >= 4  # its corners and sides drawn edge to edge


def _render(lines: list[str]) -> Image.Image:
    """Rows of text as the PNG export draws them, one SVG pixel a PNG pixel."""
    rows = [Text(line) for line in lines]
    width = max(len(line) for line in lines) * 2
    page = Page(0, 1, 1, rows)
    svg = page_svg(page, DEFAULT_THEME, width, rows)
    png = svg_to_png(svg, width * CELL_WIDTH, len(rows) * CELL_HEIGHT, DEFAULT_THEME.background)
    return Image.open(io.BytesIO(png)).convert("L")


def _ink(image: Image.Image) -> tuple[int, int, int, int]:
    box = image.point(lambda p: 255 if p > 80 else 0).getbbox()
    assert box is not None
    return box


def test_a_chinese_glyph_fills_its_two_cells() -> None:
    """The font is sized from the cell: 国 spans most of its two cells, as in a terminal
    (a 16 px font in 10 px cells left a quarter of each glyph's room empty)."""
    left, _, right, _ = _ink(_render(["国"]))
    assert right - left >= 0.8 * 2 * CELL_WIDTH
    left, _, right, _ = _ink(_render(["H"]))
    assert right - left >= 0.5 * CELL_WIDTH


def test_lines_of_text_do_not_touch() -> None:
    """A descender never meets the ascender of the line below, nor a Chinese glyph its
    neighbour above."""
    for upper, lower in (("gjpqy", "fldbk"), ("国国", "国国")):
        _, _, _, upper_bottom = _ink(_render([upper, "", ""]))
        _, lower_top, _, _ = _ink(_render(["", lower, ""]))
        assert upper_bottom < lower_top, (upper, lower, upper_bottom, lower_top)


def test_table_and_frame_lines_join_across_rows(
    write_post: Callable[..., Path], tmp_path: Path
) -> None:
    """A table's column rule and a picture frame's sides are unbroken from row to row."""
    table = "| 标准 | 敏感数据类型 |\n|---|---|\n" + "".join(
        f"| GDPR{n} | 个人资料{n} |\n" for n in range(4)
    )
    post = write_post(f"---\ntitle: T\n---\n## Table\n\n{table}\n![gone](./gone.png)\n")
    out = _export(post.parent, tmp_path / "out", "png", "--slides", "2", "--png-size", NATURAL)
    image = Image.open(out / "001.png").convert("L")
    deck = load_deck(post)
    (page,) = layout_slide(deck, 1, 100, 30)
    for mark in ("│", "┌"):
        marked = [mark in line.plain for line in page.lines]
        first = marked.index(True)
        rows = list(range(first, first + marked[first:].index(False)))
        col = cell_len(page.lines[rows[0]].plain.split(mark)[0])
        if mark == "┌":  # the frame's left side, from its top corner to its bottom one
            bottom = next(y for y, line in enumerate(page.lines) if "└" in line.plain)
            rows = list(range(rows[0] + 1, bottom))
        x0, x1 = col * CELL_WIDTH, (col + 1) * CELL_WIDTH
        strip = image.crop((x0, rows[0] * CELL_HEIGHT, x1, (rows[-1] + 1) * CELL_HEIGHT))
        gaps = [
            y
            for y in range(strip.height)
            if max(strip.getpixel((x, y)) for x in range(strip.width)) < 60  # type: ignore[type-var]
        ]
        assert not gaps, (mark, gaps)


def test_one_cell_symbols_take_the_latin_font_at_their_cell() -> None:
    """The CJK font lacks ✔ and ✎ (a callout's icon came out as an empty box) and draws
    arrows and shapes an em wide: such one-cell symbols take the Latin monospace font."""
    from tui_deck.export.svg import NARROW_FONT

    line = "✔ ✎ ⚠ ▣ ✗ ↩ ▸ 提示"
    svg = page_svg(Page(0, 1, 1, [Text(line)]), DEFAULT_THEME, 40)
    fonts = {
        (text.text or "").strip(): text.get("font-family")
        for text in ET.fromstring(svg).iter(f"{NS}text")
    }
    assert all(fonts[mark] == NARROW_FONT for mark in line.split()[:-1]), fonts
    assert fonts["提示"] is None  # the CJK font of the page
