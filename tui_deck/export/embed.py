"""Pictures drawn from their own pixels into their boxes, as a Kitty or Sixel terminal shows
them: each one scaled once (aspect kept, centred in the box) and embedded as a ``data:``
URI, so an exported page is one file that needs nothing else (never a path or a URL).
Diagrams and other flat pictures go in as PNG (sharp lines), photographs as JPEG.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

#: Pixels of an embedded picture per pixel of the page SVG: a PNG export is drawn at about
#: 1.0–1.6 times the SVG's size, so 2 stays sharp there without bloating the file.
RESOLUTION = 2.0
#: A picture whose 32 commonest colours cover this share of it is flat (a diagram, a chart,
#: a screenshot): PNG keeps its edges. Below it, a photograph: JPEG is a tenth the size.
FLAT_SHARE = 0.85
JPEG_QUALITY = 88


@dataclass(frozen=True)
class Placed:
    """A picture's rectangle on the page (SVG pixels) and its pixels as a data URI."""

    x: float
    y: float
    width: float
    height: float
    href: str

    def svg(self) -> str:
        return (
            f'<image x="{_n(self.x)}" y="{_n(self.y)}" width="{_n(self.width)}" '
            f'height="{_n(self.height)}" preserveAspectRatio="none" '
            f'href="{self.href}"/>'
        )


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fit(
    size: tuple[int, int], box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """(x, y, width, height) of a picture of ``size`` in ``box``: as large as fits, aspect
    kept, centred."""
    x, y, width, height = box
    scale = min(width / size[0], height / size[1])
    fitted = (size[0] * scale, size[1] * scale)
    return x + (width - fitted[0]) / 2, y + (height - fitted[1]) / 2, *fitted


def data_uri(image: Image.Image, width: float, height: float, transient: bool = False) -> str:
    """``image`` scaled once to ``width`` x ``height`` page pixels at RESOLUTION (never
    larger than it is), as a PNG or JPEG data URI. ``transient``: for an SVG that is only
    rasterised (PNG export), a quickly packed PNG, which cairo reads without Pillow."""
    from PIL import Image as PILImage

    target = (
        max(1, min(image.width, round(width * RESOLUTION))),
        max(1, min(image.height, round(height * RESOLUTION))),
    )
    if target != image.size:
        image = image.resize(target, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    if transient or is_flat(image):
        image.save(out, "PNG", compress_level=1 if transient else 6)
        kind = "png"
    else:
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        kind = "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(out.getvalue()).decode("ascii")


def is_flat(image: Image.Image) -> bool:
    """Whether a few colours make most of the picture (a diagram, not a photograph)."""
    from PIL import Image as PILImage

    sample = image.convert("RGB").resize((96, 96), PILImage.Resampling.NEAREST)
    counts: list[int] = sorted((n for n, _ in sample.getcolors(96 * 96) or []), reverse=True)
    return bool(sum(counts[:32]) >= FLAT_SHARE * 96 * 96)
