"""Half-block pictures that keep what a diagram says (issue 15, point 4).

A slide shows a 1600-pixel diagram in some 80 cells: each cell is the average of a 20-pixel
area, and a plain average turns a 1-pixel line into a trace of grey. These tests look at
the colours of the cells ``render_blocks`` draws, as the screen and the exports show them.
"""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw
from rich.style import Style
from rich.text import Text

from tui_deck.images import render_blocks

RGB = tuple[int, int, int]


def _pixels(rows: list[Text]) -> list[list[RGB]]:
    """The two pixels of every cell, row by row of pixels (upper, then lower)."""
    out: list[list[RGB]] = []
    for row in rows:
        upper: list[RGB] = []
        lower: list[RGB] = []
        for col, char in enumerate(row.plain):
            style = Style.combine(span.style for span in row.spans if span.start <= col < span.end)  # type: ignore[misc]
            fg = style.color.get_truecolor() if style.color else None
            bg = style.bgcolor.get_truecolor() if style.bgcolor else None
            if char == " ":
                assert bg is not None
                top = bottom = bg
            elif char == "\u2580":  # upper half block: the upper pixel is the glyph
                assert fg is not None and bg is not None
                top, bottom = fg, bg
            else:  # lower half block
                assert char == "\u2584" and fg is not None and bg is not None
                top, bottom = bg, fg
            upper.append(tuple(top))  # type: ignore[arg-type]
            lower.append(tuple(bottom))  # type: ignore[arg-type]
        out.extend((upper, lower))
    return out


def _linear(code: int) -> float:
    value = code / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _srgb(light: float) -> float:
    return 255 * (light * 12.92 if light <= 0.0031308 else 1.055 * light ** (1 / 2.4) - 0.055)


def _grey(pixel: RGB) -> float:
    return 0.2126 * pixel[0] + 0.7152 * pixel[1] + 0.0722 * pixel[2]


def _diagram(paper: RGB, ink: RGB) -> Image.Image:
    """A 400x200 drawing: a 1-pixel line across it at y=101, and small 1-pixel letters."""
    image = Image.new("RGB", (400, 200), paper)
    draw = ImageDraw.Draw(image)
    draw.line([(0, 101), (399, 101)], fill=ink)
    for left in range(40, 360, 12):  # a label: letter-like strokes 1 pixel thick
        draw.line([(left, 40), (left + 6, 40)], fill=ink)
        draw.line([(left + 3, 40), (left + 3, 50)], fill=ink)
    return image


@pytest.mark.parametrize(
    ("paper", "ink"),
    [((255, 255, 255), (0, 0, 0)), ((30, 30, 30), (255, 255, 255))],
    ids=["dark line on white", "light line on dark"],
)
def test_a_one_pixel_line_of_a_diagram_stays_a_visible_line(paper: RGB, ink: RGB) -> None:
    pixels = _pixels(render_blocks(_diagram(paper, ink), 40, 10))  # 10x reduction
    line_row = pixels[101 * 20 // 200]
    background = _grey(paper)
    contrast = [abs(_grey(pixel) - background) for pixel in line_row]
    # the line shows across the whole width, at more than 40 % of the ink's contrast
    assert min(contrast) > 0.4 * abs(_grey(ink) - background), line_row
    # and the rows away from the drawing stay the paper
    assert all(abs(_grey(pixel) - background) < 2 for pixel in pixels[16])


def test_the_letters_of_a_label_stay_visible_marks() -> None:
    pixels = _pixels(render_blocks(_diagram((255, 255, 255), (0, 0, 0)), 40, 10))
    label_rows = pixels[40 * 20 // 200 : 51 * 20 // 200 + 1]
    darkest = min(_grey(pixel) for row in label_rows for pixel in row[4:36])
    assert darkest < 128


def test_a_coloured_line_keeps_its_colour() -> None:
    green = (0, 150, 70)
    pixels = _pixels(render_blocks(_diagram((255, 255, 255), green), 40, 10))
    for red, grn, blue in pixels[10]:
        assert grn > max(red, blue) + 30, (red, grn, blue)


def _photo(seed: int = 7) -> Image.Image:
    """A photo-like picture: smooth gradients with grain, a sharp edge in the middle."""
    rng = random.Random(seed)
    image = Image.new("RGB", (300, 160))
    data = []
    for _y in range(160):
        for x in range(300):
            base = 40 + x * 50 // 150 if x < 150 else 160 + (x - 150) * 60 // 150
            grain = rng.randint(-8, 8)
            data.append((base + grain, base + grain // 2 + 10, base - grain + 5))
    image.putdata(data)
    return image


def test_a_photo_has_no_halo_at_its_edges() -> None:
    photo = _photo()
    pixels = _pixels(render_blocks(photo, 30, 8))  # 10x reduction

    def extent(box: tuple[int, int, int, int]) -> tuple[int, int]:
        values = [channel for pixel in photo.crop(box).getdata() for channel in pixel]
        return min(values), max(values)

    left_low, left_high = extent((0, 0, 150, 160))
    right_low, right_high = extent((150, 0, 300, 160))
    for row in pixels:
        for col, pixel in enumerate(row):
            low, high = (left_low, left_high) if col < 15 else (right_low, right_high)
            # no ringing: a cell beside the edge is never darker or lighter than its side
            assert all(low <= channel <= high for channel in pixel), (col, pixel)


def test_a_photo_is_averaged_in_linear_light() -> None:
    """Fine grain averages to the light it sends, not to the mean of its sRGB codes (which
    is too dark: a black-and-white grain is a 188 grey, not 128)."""
    rng = random.Random(3)
    photo = Image.new("RGB", (200, 100))
    photo.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(20000)]
    )
    pixels = _pixels(render_blocks(photo, 20, 5))  # each pixel: a 10x10 block

    source: list[RGB] = list(photo.getdata())
    for y in (0, 4, 9):
        for x in (0, 7, 19):
            block = [source[(y * 10 + j) * 200 + x * 10 + i] for i in range(10) for j in range(10)]
            for channel in range(3):
                mean = sum(_linear(pixel[channel]) for pixel in block) / len(block)
                assert abs(pixels[y][x][channel] - _srgb(mean)) <= 2


@pytest.mark.parametrize(
    ("size", "grid"),
    [((400, 200), (40, 10)), ((3, 2), (20, 10)), ((1600, 90), (80, 3)), ((50, 900), (7, 24))],
)
def test_the_picture_fills_exactly_its_cells(size: tuple[int, int], grid: tuple[int, int]) -> None:
    for image in (Image.new("RGB", size, (200, 40, 40)), _diagram((255, 255, 255), (0, 0, 0))):
        image = image.resize(size)
        rows = render_blocks(image, *grid)
        assert len(rows) == grid[1]
        assert all(row.cell_len == grid[0] for row in rows)
        assert all(len(pixel_row) == grid[0] for pixel_row in _pixels(rows))


def test_a_photo_of_the_corpus_is_a_plain_average_of_its_light() -> None:
    """The birthday photo (a face, balloons, a patterned backdrop) gets no stroke weighting:
    every cell is the linear-light average of the 20x22 pixels it covers."""
    from tests.conftest import CORPUS

    photo = Image.open(CORPUS / "en" / "2021-istio-4th-birthday" / "2.png").convert("RGB")
    photo = photo.crop((0, 0, 1200, 660))
    pixels = _pixels(render_blocks(photo, 60, 15))
    table = [_linear(code) for code in range(256)]
    source: list[RGB] = list(photo.getdata())
    for y in range(0, 30, 3):
        for x in range(0, 60, 7):
            block = [source[(y * 22 + j) * 1200 + x * 20 + i] for i in range(20) for j in range(22)]
            for channel in range(3):
                mean = sum(table[pixel[channel]] for pixel in block) / len(block)
                assert abs(pixels[y][x][channel] - _srgb(mean)) <= 2, (x, y, channel)


def test_float_formulas_read_the_same_before_pillow_10_3() -> None:
    """ImageMath.lambda_eval came with Pillow 10.3; the older path gives the same pixels."""
    from tui_deck import resample

    values = Image.new("F", (5, 1))
    values.putdata([0.0, 0.001, 0.2, 0.5, 1.0])
    new = resample._math(resample._to_srgb, v=values)
    old = resample._math_by_name(resample._to_srgb, {"v": values})
    assert (
        list(new.convert("L").getdata())
        == list(old.convert("L").getdata())
        == [0, 3, 124, 188, 255]
    )
