"""Images: their size for layout (header only), and their pixels for the presenter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO, Literal

if TYPE_CHECKING:
    from PIL import Image
    from rich.color import Color
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
        with open(path, "rb") as handle:
            found = _header_size(handle)
    except OSError:
        return None
    if found is not None:
        return found if found[0] > 0 and found[1] > 0 else None
    try:  # another format, or a file that only looks like one: Pillow decides
        from PIL import Image

        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except Exception:  # a corrupt or unsupported file is not a layout problem
        return None
    return (width, height) if width > 0 and height > 0 else None


#: A PNG or lossless WebP that takes fewer bits a pixel than this is flat colour (a chart,
#: a diagram, a screenshot): photographs and shaded artwork take more (the 4th-birthday
#: banners 4.4, the corpus diagrams 0.5 to 3.0).
LINE_ART_BITS = 3.5


def is_line_art(path: Path | None, pixels: tuple[int, int] | None) -> bool:
    """Whether a picture is a chart or diagram (lines, labels, flat colour) rather than a
    photograph, from its header and file size: SVG and GIF are; a PNG with a palette is; a
    truecolour PNG or lossless WebP is when it compresses well (``LINE_ART_BITS``); a JPEG,
    a lossy WebP or an unknown format is not."""
    if path is None:
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    return _line_art(str(path), stat.st_mtime_ns, stat.st_size, pixels)


@lru_cache(maxsize=512)
def _line_art(path: str, mtime: int, size: int, pixels: tuple[int, int] | None) -> bool:
    if path.lower().endswith(".svg"):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(32)
    except OSError:
        return False
    compact = pixels is not None and size * 8 < LINE_ART_BITS * pixels[0] * pixels[1]
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) > 25:
        return head[25] == 3 or compact  # colour type 3: a palette
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return True
    if head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8L":
        return compact
    if head[:2] == b"BM" and len(head) >= 30:
        return int.from_bytes(head[28:30], "little") <= 8  # bits a pixel: a palette
    return False


#: JPEG start-of-frame markers (they carry the size); C4, C8 and CC are not frames.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _header_size(handle: BinaryIO) -> tuple[int, int] | None:
    """The size from a PNG, GIF, JPEG, WebP or BMP header, without importing Pillow (whose
    import costs more than a fifth of a second at start-up). None: not one of those."""
    head = handle.read(32)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return _u32be(head, 16), _u32be(head, 20)
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return head[6] | head[7] << 8, head[8] | head[9] << 8
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and len(head) >= 30:
        chunk = head[12:16]
        if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
            return (head[26] | head[27] << 8) & 0x3FFF, (head[28] | head[29] << 8) & 0x3FFF
        if chunk == b"VP8L" and head[20] == 0x2F:
            bits = int.from_bytes(head[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            return (
                int.from_bytes(head[24:27], "little") + 1,
                int.from_bytes(head[27:30], "little") + 1,
            )
        return None
    if head[:2] == b"BM" and len(head) >= 26 and int.from_bytes(head[14:18], "little") >= 40:
        width = int.from_bytes(head[18:22], "little", signed=True)
        height = int.from_bytes(head[22:26], "little", signed=True)
        return abs(width), abs(height)
    if head[:3] == b"\xff\xd8\xff":
        return _jpeg_size(handle)
    return None


def _jpeg_size(handle: BinaryIO) -> tuple[int, int] | None:
    handle.seek(2)
    turned = False
    for _ in range(1000):  # a real file reaches its frame header in a few segments
        byte = handle.read(1)
        if byte != b"\xff":
            return None
        marker = handle.read(1)
        while marker == b"\xff":  # fill bytes
            marker = handle.read(1)
        if not marker:
            return None
        code = marker[0]
        if code == 0x01 or 0xD0 <= code <= 0xD8:  # markers without a length
            continue
        length_bytes = handle.read(2)
        if len(length_bytes) < 2:
            return None
        length = int.from_bytes(length_bytes, "big")
        if code in _JPEG_FRAMES:
            frame = handle.read(5)
            if len(frame) < 5:
                return None
            width, height = int.from_bytes(frame[3:5], "big"), int.from_bytes(frame[1:3], "big")
            # EXIF orientations 5-8 turn the picture a quarter: shown upright, it is as wide
            # as it is stored high (decode() turns the pixels the same way).
            return (height, width) if turned else (width, height)
        if length < 2:
            return None
        if code == 0xE1 and not turned:  # APP1: EXIF
            segment = handle.read(length - 2)
            turned = _exif_orientation(segment) in (5, 6, 7, 8)
            continue
        handle.seek(length - 2, 1)
    return None


def _exif_orientation(segment: bytes) -> int:
    """The orientation tag (0x0112) of an EXIF APP1 segment's first IFD, or 0."""
    if not segment.startswith(b"Exif\0\0") or len(segment) < 14:
        return 0
    tiff = segment[6:]
    order: Literal["big", "little"] = "little" if tiff[:2] == b"II" else "big"
    first = int.from_bytes(tiff[4:8], order)
    if first + 2 > len(tiff):
        return 0
    count = int.from_bytes(tiff[first : first + 2], order)
    for entry in range(min(count, 64)):
        at = first + 2 + 12 * entry
        if at + 12 > len(tiff):
            return 0
        if int.from_bytes(tiff[at : at + 2], order) == 0x0112:
            return int.from_bytes(tiff[at + 8 : at + 10], order)
    return 0


def _u32be(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "big")


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
# terminal. Colour half-blocks (two pixels a cell) are built here as rich Text from the
# pixels tui_deck.resample makes; no terminal library is asked, none can query the screen.

#: Images with more pixels than this are refused (decompression bombs).
MAX_PIXELS = 60_000_000
#: Decoded images are scaled down to this many pixels on the long side (bounded memory).
MAX_SIDE = 1600


@dataclass(frozen=True)
class Problem:
    """Why a picture cannot be shown: a key of tui_deck.words and what to fill in."""

    key: str
    detail: str = ""
    limit: int = 0

    def text(self, lang: str = "en") -> str:
        from tui_deck.words import say

        return say(lang, self.key, detail=self.detail, limit=self.limit)


class ImageProblem(Exception):
    """Why an image cannot be shown (its ``problem``, said in the deck's language)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.text())
        self.problem = problem


#: What a picture with transparency is laid on: ``auto`` is a light backing on a dark theme
#: (diagrams are drawn for istio.io's white page; their black labels vanish on a dark
#: one), the theme's own background on a light theme.
BACKINGS = ("auto", "light", "dark", "none")
LIGHT_BACKING, DARK_BACKING = "#ffffff", "#1e1e1e"


def backing_color(background: str, backing: str = "auto") -> str:
    """The colour transparent parts of a picture show, on a theme of ``background``."""
    if backing == "light" or (backing == "auto" and _luminance(background) < 0.5):
        return LIGHT_BACKING
    if backing == "dark":
        return DARK_BACKING
    return background


def _luminance(color: str) -> float:
    red, green, blue = _rgb(color)
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def decode(path: Path, background: str = "#000000") -> Image.Image:
    """The image as RGB on ``background``, at most MAX_SIDE pixels a side, upright (a
    photo's EXIF orientation applied, as browsers show it)."""
    from PIL import Image as PILImage

    if path.suffix.lower() == ".svg":
        image = _decode_svg(path)
    else:
        image = _open(path)
        try:
            image.seek(0)  # GIF and other animations: the first frame
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG decodes smaller, faster
            image.load()
            image = _upright(image)
        except Exception as exc:  # a truncated or corrupt file
            raise ImageProblem(_unreadable(exc, path)) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit grey: 0-65535, not 0-255
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        base = PILImage.new("RGBA", image.size, (*_rgb(background), 255))
        image = PILImage.alpha_composite(base, image).convert("RGB")
    return image


def _open(path: Path) -> Image.Image:
    """The opened (not yet decoded) image, or an ImageProblem: pictures over MAX_PIXELS are
    refused here, before Pillow's own bomb check turns them into an exception or a
    warning on the terminal."""
    import warnings

    from PIL import Image as PILImage

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(path)
        except FileNotFoundError:
            raise ImageProblem(Problem("pic_not_found")) from None
        except PILImage.DecompressionBombError:
            width, height = image_size(path) or (0, 0)
            size = f"{width}x{height}" if width else "?"
            raise ImageProblem(Problem("pic_too_large", size, MAX_PIXELS // 1_000_000)) from None
        except Exception as exc:  # not a picture, or one Pillow cannot read
            raise ImageProblem(_unreadable(exc, path)) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageProblem(Problem("pic_too_large", f"{width}x{height}", MAX_PIXELS // 1_000_000))
    return image


def _upright(image: Image.Image) -> Image.Image:
    """A photo turned as its EXIF orientation says (phones store them sideways)."""
    from PIL import ImageOps

    try:
        turned = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block: the picture as stored
        return image
    return turned if turned is not None else image


def _unreadable(exc: BaseException, path: Path) -> Problem:
    """Why Pillow could not read a file, in the deck's words where the reason is a common
    one; never the file's full path (the frame names the file already)."""
    from PIL import UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return Problem("pic_not_image")
    if "truncated" in str(exc):
        return Problem("pic_truncated")
    detail = (str(exc) or type(exc).__name__).replace(str(path), path.name)
    return Problem("pic_unreadable", _short(detail))


def cairosvg_module() -> ModuleType:
    """cairosvg, or an ImageProblem that says what to install."""
    try:
        import cairosvg
    except ImportError:
        raise ImageProblem(Problem("pic_no_cairosvg")) from None
    except OSError:  # cairocffi found no cairo library
        raise ImageProblem(Problem("pic_no_cairo")) from None
    module: ModuleType = cairosvg
    return module


def _decode_svg(path: Path) -> Image.Image:
    from io import BytesIO

    from PIL import Image as PILImage

    cairosvg = cairosvg_module()
    size = image_size(path) or DEFAULT_SIZE
    scale = min(4.0, MAX_SIDE / max(size))
    try:
        png = cairosvg.svg2png(url=str(path), output_width=round(size[0] * scale), unsafe=False)
    except Exception as exc:  # malformed SVG
        raise ImageProblem(Problem("pic_bad_svg", _short(exc))) from None
    image = PILImage.open(BytesIO(png))
    image.load()  # type: ignore[no-untyped-call]
    return image


def _short(exc: BaseException | str) -> str:
    from tui_deck.sanitize import clean_line

    text = exc if isinstance(exc, str) else str(exc) or type(exc).__name__
    return clean_line(text)[:80]


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    if len(color) != 6:
        return (0, 0, 0)
    return (int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16))


_TERM_IMAGE_READY = False


def render_blocks(image: Image.Image, width: int, height: int) -> list[Text]:
    """The image as ``height`` rows of ``width`` colour half-block cells. The pixels come
    from tui_deck.resample (exactly two a cell, reduced in linear light, strokes of diagrams
    kept), so term-image draws them as they are and resamples nothing."""
    global _TERM_IMAGE_READY
    import warnings

    from tui_deck.resample import grid_pixels

    width, height = max(1, width), max(1, height)
    pixels = grid_pixels(image, width, height)
    with warnings.catch_warnings():
        # term-image warns when stdout is not its terminal (Textual owns it): expected.
        warnings.simplefilter("ignore")
        import term_image
        from term_image.image import BlockImage

        if not _TERM_IMAGE_READY:
            term_image.disable_queries()
            _TERM_IMAGE_READY = True
        block = BlockImage(pixels)
        block.set_size(width=width, height=height)
        rendered = format(block, "1.1#")
    lines = [_row_from_ansi(row) for row in rendered.split("\n")[:height]]
    for line in lines:
        line.end = ""
    return lines


def _rgb_color(params: str, colors: dict[str, Color], color_class: type[Color]) -> Color:
    color = colors.get(params)
    if color is None:
        red, green, blue = params.split(";")
        color = colors[params] = color_class.from_rgb(int(red), int(green), int(blue))
    return color


_SGR = re.compile(r"\x1b\[([0-9;]*)m|([^\x1b]+)")


def _row_from_ansi(row: str) -> Text:
    """term-image's half-block row as a rich Text: what ``Text.from_ansi`` makes of it, in a
    fifth of the time (a picture is a few thousand colour changes; only 24-bit foreground,
    background and reset occur). Anything else goes to ``Text.from_ansi``."""
    from rich.color import Color
    from rich.style import Style
    from rich.text import Span
    from rich.text import Text as RichText

    parts: list[str] = []
    spans: list[Span] = []
    styles: dict[tuple[str, str], Style] = {}
    colors: dict[str, Color] = {}
    fg = bg = ""
    at = 0
    for match in _SGR.finditer(row):
        params, chars = match.group(1), match.group(2)
        if chars is not None:
            parts.append(chars)
            if fg or bg:
                style = styles.get((fg, bg))
                if style is None:
                    style = styles[(fg, bg)] = Style.from_color(
                        _rgb_color(fg, colors, Color) if fg else None,
                        _rgb_color(bg, colors, Color) if bg else None,
                    )
                spans.append(Span(at, at + len(chars), style))
            at += len(chars)
        elif params in ("", "0"):
            fg = bg = ""
        elif params.startswith(("38;2;", "48;2;")) and params.count(";") == 4:
            rgb = params[5:]
            if params[0] == "3":
                fg = rgb
            else:
                bg = rgb
        else:
            return RichText.from_ansi(row)
    text = RichText("".join(parts))
    text.spans = spans
    return text
