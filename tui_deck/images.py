"""Images: their size for layout (header only), and their pixels for the presenter."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image
    from rich.text import Text

#: The fallback shape of an image whose size cannot be read (16:9).
DEFAULT_SIZE = (1600, 900)


def image_size(path: Path | None) -> tuple[int, int] | None:
    """(width, height) in pixels, or None when the file is missing or unreadable."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _size(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _size(path: str, mtime: int, size: int) -> tuple[int, int] | None:
    if path.lower().endswith(".svg"):
        return _svg_size(path)
    try:
        from PIL import Image

        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except Exception:  # a corrupt or unsupported file is not a layout problem
        return None
    return (width, height) if width > 0 and height > 0 else None


_NUMBER = r"([0-9]*\.?[0-9]+)"


def _svg_size(path: str) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
    tag = re.search(r"<svg\b[^>]*>", head, re.DOTALL)
    if not tag:
        return None
    attrs = tag.group(0)
    box = re.search(
        r'viewBox\s*=\s*["\']\s*' + (r"[-0-9.]+[\s,]+" * 2) + _NUMBER + r"[\s,]+" + _NUMBER, attrs
    )
    if box:
        width, height = float(box.group(1)), float(box.group(2))
    else:
        w = re.search(r'\bwidth\s*=\s*["\']' + _NUMBER, attrs)
        h = re.search(r'\bheight\s*=\s*["\']' + _NUMBER, attrs)
        if not (w and h):
            return None
        width, height = float(w.group(1)), float(h.group(1))
    if width <= 0 or height <= 0:
        return None
    return max(1, round(width)), max(1, round(height))


# --------------------------------------------------------------------------- pixels
#
# Decoding and rendering run in a worker thread of the app; nothing here touches the
# terminal. term-image renders colour half-blocks (two pixels a cell) with its terminal
# queries disabled, so it never writes to the screen behind Textual's back.

#: Images with more pixels than this are refused (decompression bombs).
MAX_PIXELS = 60_000_000
#: Decoded images are scaled down to this many pixels on the long side (bounded memory).
MAX_SIDE = 1600


class ImageProblem(Exception):
    """Why an image cannot be shown, in words for the placeholder."""


def decode(path: Path, background: str = "#000000") -> Image.Image:
    """The image as RGB on ``background``, at most MAX_SIDE pixels a side."""
    from PIL import Image as PILImage

    if path.suffix.lower() == ".svg":
        image = _decode_svg(path)
    else:
        try:
            image = PILImage.open(path)
        except FileNotFoundError:
            raise ImageProblem("file not found") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"cannot read: {_short(exc)}") from None
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageProblem(
                f"too large: {width}x{height} pixels (limit {MAX_PIXELS // 1_000_000} MP)"
            )
        try:
            image.seek(0)  # GIF and other animations: the first frame
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG decodes smaller, faster
            image.load()  # type: ignore[no-untyped-call]
        except Exception as exc:  # a truncated or corrupt file
            raise ImageProblem(f"cannot read: {_short(exc)}") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        base = PILImage.new("RGBA", image.size, (*_rgb(background), 255))
        image = PILImage.alpha_composite(base, image).convert("RGB")
    return image


def _decode_svg(path: Path) -> Image.Image:
    from io import BytesIO

    from PIL import Image as PILImage

    try:
        import cairosvg
    except (ImportError, OSError):
        raise ImageProblem("SVG needs cairosvg (pip install cairosvg)") from None
    size = image_size(path) or DEFAULT_SIZE
    scale = min(4.0, MAX_SIDE / max(size))
    try:
        png = cairosvg.svg2png(url=str(path), output_width=round(size[0] * scale), unsafe=False)
    except Exception as exc:  # malformed SVG
        raise ImageProblem(f"cannot read SVG: {_short(exc)}") from None
    image = PILImage.open(BytesIO(png))
    image.load()  # type: ignore[no-untyped-call]
    return image


def _short(exc: BaseException) -> str:
    from tui_deck.sanitize import clean_line

    return clean_line(str(exc) or type(exc).__name__)[:80]


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    if len(color) != 6:
        return (0, 0, 0)
    return (int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16))


_TERM_IMAGE_READY = False


def render_blocks(image: Image.Image, width: int, height: int) -> list[Text]:
    """The image as ``height`` rows of ``width`` colour half-block cells."""
    global _TERM_IMAGE_READY
    import warnings

    from rich.text import Text as RichText

    with warnings.catch_warnings():
        # term-image warns when stdout is not its terminal (Textual owns it): expected.
        warnings.simplefilter("ignore")
        import term_image
        from term_image.image import BlockImage

        if not _TERM_IMAGE_READY:
            term_image.disable_queries()
            _TERM_IMAGE_READY = True
        block = BlockImage(image)
        block.set_size(width=width, height=height)
        rendered = format(block, "1.1#")
    lines = [RichText.from_ansi(row) for row in rendered.split("\n")][:height]
    for line in lines:
        line.end = ""
    return lines
