"""Pictures brought to the half-block grid: exactly two pixels a cell, sharp where it matters.

A picture on a slide is reduced tens of times (a 1600-pixel diagram into 80 cells). Each
pixel of the grid is the average of the area it covers, in linear light (no gamma shift, and
no ringing filter: no halos). On line art (a diagram, a chart, a screenshot: most of it one
flat background, a few colours) a plain average loses the drawing: a 1-pixel line covers a
twentieth of a cell and fades into the background. There the average is weighted: a pixel
counts more the further its colour is from the background, so a thin line or a label keeps
most of its own colour in the cells it crosses (dark strokes on a light background, light
ones on a dark background, coloured ones in their colour). A weighted average stays between
the colours it averages: no overshoot, no halo.

Pillow only: tables from bytes to float light (and weights), a box resize, back to bytes.
Numpy is not needed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

RGB = tuple[int, int, int]

#: Line art: its most common colour (the background) covers at least this share of a
#: thumbnail, and its few most common colours (background, fills, ink) FEW_SHARE of it.
BACKGROUND_SHARE = 0.35
FEW_COLOURS, FEW_SHARE = 6, 0.7
#: A full-contrast stroke one source pixel wide, reduced by a factor f, covers 1/f of a grid
#: pixel; its weight makes it this share of that pixel's colour (then a black line on white
#: is a dark grey, not a trace of grey).
STROKE_SHARE = 0.75
#: A channel this far from the background's (0..1) weighs fully; up to PALE, nothing more.
FULL_WEIGHT, PALE = 0.45, 0.08
#: The heaviest weight (a stray pixel of a huge reduction must not paint a whole cell).
MAX_GAIN = 400.0


def grid_pixels(image: Image.Image, width: int, height: int) -> Image.Image:
    """``image`` as exactly ``width`` x ``2 * height`` RGB pixels, two to a cell."""
    from PIL import Image as PILImage

    size = (max(1, width), max(1, 2 * height))
    if image.mode != "RGB":
        image = image.convert("RGB")
    shrink = image.width >= size[0] and image.height >= size[1]
    resample = PILImage.Resampling.BOX if shrink else PILImage.Resampling.BILINEAR
    background = line_art(image)
    factor = min(image.width / size[0], image.height / size[1])
    gain = _gain(factor) if background is not None else 0.0
    reduced = []
    for index, band in enumerate(image.split()):
        # Every step on the full-size picture is a table or a resize: Pillow does them
        # without holding the GIL, so the presenter's own thread keeps running.
        if background is None or gain <= 0:
            reduced.append(band.point(_LINEAR, "F").resize(size, resample, reducing_gap=2.0))
            continue
        weights, weighted = _tables(background[index], round(gain, 1))
        total = band.point(weights, "F").resize(size, resample, reducing_gap=2.0)
        light = band.point(weighted, "F").resize(size, resample, reducing_gap=2.0)
        reduced.append(_math(_quotient, c=light, w=total))
    return PILImage.merge("RGB", [_math(_to_srgb, v=band).convert("L") for band in reduced])


def line_art(image: Image.Image) -> RGB | None:
    """The background colour of a diagram, chart or screenshot (few flat colours, most of
    it one), None for a photo or a painting (smooth, many colours)."""
    from PIL import Image as PILImage

    scale = min(1.0, 96 / max(image.width, image.height))
    thumb = image.convert("RGB").resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
        PILImage.Resampling.NEAREST,  # the picture's own colours, no new blends
    )
    total = thumb.width * thumb.height
    # near colours (anti-aliasing, JPEG noise) count as one
    binned = sorted(thumb.point(lambda v: v & 0xF0).getcolors(total) or [], reverse=True)
    if not binned:
        return None
    few = sum(count for count, _ in binned[:FEW_COLOURS]) / total
    if binned[0][0] / total < BACKGROUND_SHARE or few < FEW_SHARE:
        return None
    exact = max(thumb.getcolors(total) or [(0, binned[0][1])])
    colour: RGB = exact[1]
    return colour


def _gain(factor: float) -> float:
    """How much more a full-contrast pixel weighs than a background one, for a reduction
    by ``factor``: a stroke covering 1/factor of a grid pixel makes STROKE_SHARE of it."""
    if factor <= 1.5:
        return 0.0
    share = STROKE_SHARE
    return min(MAX_GAIN, share * (factor - 1) / (1 - share) - 1)


@lru_cache(maxsize=64)
def _tables(background: int, gain: float) -> tuple[list[float], list[float]]:
    """For one channel of a background level: each level's weight (1 on the background,
    1 + gain for a stroke: FULL_WEIGHT or further from it, rising between, so pale fills
    weigh little) and its light times that weight."""
    weights = []
    for level in range(256):
        far = (abs(level - background) / 255 - PALE) / (FULL_WEIGHT - PALE)
        weights.append(1 + gain * min(1.0, max(0.0, far)))
    return weights, [_LINEAR[level] * weight for level, weight in enumerate(weights)]


def _math(formula: Callable[[dict[str, Any]], Any], **images: Image.Image) -> Image.Image:
    """``formula`` over float images, pixel by pixel (in C)."""
    from PIL import ImageMath

    lambda_eval: Callable[..., Image.Image] | None = getattr(ImageMath, "lambda_eval", None)
    if lambda_eval is not None:  # Pillow 10.3 and later
        return lambda_eval(formula, **images)
    return _math_by_name(formula, images)


def _math_by_name(
    formula: Callable[[dict[str, Any]], Any], images: dict[str, Image.Image]
) -> Image.Image:
    """_math before Pillow 10.3: the same operands, which ImageMath.eval builds for names."""
    from PIL import ImageMath

    operand = ImageMath._Operand  # what ImageMath.eval wraps images in
    result: Image.Image = formula({name: operand(image) for name, image in images.items()}).im
    return result


def _quotient(args: dict[str, Any]) -> Any:
    return args["c"] / args["w"]


def _to_srgb(args: dict[str, Any]) -> Any:
    """Linear light (0..1) to sRGB levels (0..255, rounded by the +0.5 of a later convert)."""
    value = args["v"]
    low = value <= 0.0031308
    high = value ** (1 / 2.4) * (1.055 * 255) - 0.055 * 255
    return low * (value * (12.92 * 255)) + (1 - low) * high + 0.5


def _linear(byte: int) -> float:
    value = byte / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


#: 8-bit sRGB to linear light.
_LINEAR = [_linear(byte) for byte in range(256)]
