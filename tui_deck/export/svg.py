"""SVG export: a page exactly as the terminal shows it, with text placed by cell.

Rich's SVG export sets each text run's length from its character count, so a Chinese glyph
(two cells) is squeezed into one; here every run's ``textLength`` is its width in cells
times the cell width. The font is sized from the cell, as a terminal sizes its cell from
the font: the CJK monospace fonts draw Latin half an em wide, so a cell is half the font
size wide and glyphs meet as on a terminal. Box-drawing and block characters are drawn as
shapes that fill their cells (shapes.py), so frames and tables join across rows. Pictures
are drawn from their own pixels (embed.py), or as half-blocks with ``--pictures cells``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.color import Color
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui_deck.export import shapes
from tui_deck.images import Problem
from tui_deck.layout.page import Page
from tui_deck.layout.theme import Theme

if TYPE_CHECKING:
    from tui_deck.export.embed import Placed
    from tui_deck.pictures import PictureKey, Pictures

CELL_WIDTH = 10
#: The CJK monospace fonts' Latin glyphs are half an em wide: the font that fills a cell.
FONT_SIZE = 2 * CELL_WIDTH
#: A tenth of an em between lines, so that a "g" never touches the "H" below it.
CELL_HEIGHT = 22
#: The baseline in a cell: the font's em box (0.88 em above the baseline, 0.12 below)
#: centred in it, where box-drawing lines cross.
BASELINE = (CELL_HEIGHT - FONT_SIZE) / 2 + 0.88 * FONT_SIZE
FONT_STACK = (
    "'Noto Sans Mono CJK SC', 'Noto Sans Mono CJK', 'Sarasa Mono SC', 'DejaVu Sans Mono', monospace"
)
_CONSOLE = Console(width=10_000, color_system="truecolor", file=io.StringIO())


def _hex(color: Color | None, default: str) -> str:
    if color is None or color.is_default:
        return default
    red, green, blue = color.get_truecolor()
    return f"#{red:02x}{green:02x}{blue:02x}"


def page_svg(
    page: Page,
    theme: Theme,
    width: int,
    lines: list[Text] | None = None,
    placed: Sequence[Placed] = (),
) -> str:
    """The SVG text of one page (``lines`` may carry half-block pictures laid into the
    image boxes; ``placed``, pictures drawn from their pixels)."""
    rows = page.lines if lines is None else lines
    height = len(rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * CELL_WIDTH}" '
        f'height="{height * CELL_HEIGHT}" viewBox="0 0 {width * CELL_WIDTH} '
        f'{height * CELL_HEIGHT}" font-family="{FONT_STACK}" font-size="{FONT_SIZE}" '
        'shape-rendering="crispEdges">',
        f'<rect width="100%" height="100%" fill="{theme.background}"/>',
    ]
    out.extend(picture.svg() for picture in placed)
    for y, line in enumerate(rows):
        out.extend(_line(line, y, theme))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _line(line: Text, y: int, theme: Theme) -> list[str]:
    parts: list[str] = []
    x = 0
    top = y * CELL_HEIGHT
    baseline = _n(top + BASELINE)
    # rich leaves a line's own style out of its segments when it has no spans (titles,
    # captions): put it back, as the terminal shows it.
    base = _CONSOLE.get_style(line.style) if not line.spans and line.style else Style.null()
    for segment in line.render(_CONSOLE):
        text = segment.text
        if not text:
            continue
        style = base + (segment.style or Style.null())
        cells = cell_len(text)
        fg = _hex(style.color, theme.foreground)
        bg = _hex(style.bgcolor, "")
        if style.reverse:
            fg, bg = (bg or theme.background), fg
        if style.dim and style.color is None:
            fg = theme.muted
        if bg:
            parts.append(
                f'<rect x="{x * CELL_WIDTH}" y="{top}" width="{cells * CELL_WIDTH}" '
                f'height="{CELL_HEIGHT}" fill="{bg}"/>'
            )
        if text.strip():
            column = x
            for piece, kind in _pieces(text):
                width = cell_len(piece)
                if kind == "shape":
                    parts.append(_shape(piece, column, top, fg))
                elif piece.strip():
                    parts.append(_text(piece, column, baseline, fg, style, kind == "narrow"))
                column += width
        x += cells
    return parts


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _shape(run: str, column: int, top: int, fill: str) -> str:
    """A run of one box-drawing or block character, drawn edge to edge in its cells."""
    shape = shapes.shape_of(run[0], CELL_WIDTH, CELL_HEIGHT)
    data = shapes.path(run[0], len(run), column * CELL_WIDTH, top, CELL_WIDTH, CELL_HEIGHT)
    opacity = f' fill-opacity="{shape.opacity}"' if shape and shape.opacity < 1 else ""
    return f'<path d="{data}" fill="{fill}"{opacity}/>'


#: Characters a terminal draws in one cell that a CJK font draws a full em wide (so they
#: would sit a cell off) or lacks (✔ ✎ came out as empty boxes): drawn with a Latin
#: monospace font instead, at the size whose advance is one cell (DejaVu Sans Mono's is
#: 0.6 em). Punctuation, then the symbol blocks (arrows, technical, geometric, dingbats…).
NARROW_FONT = "'DejaVu Sans Mono', 'Liberation Mono', monospace"
NARROW_FONT_SIZE = int(CELL_WIDTH / 0.6)
_NARROW = frozenset("·•…—–‘’“”°±×÷§¶")
_SYMBOLS = ("\u2190", "\u2bff")


@lru_cache(maxsize=4096)
def _kind(char: str) -> str:
    """How a character is drawn: "shape" (box drawing, blocks), "narrow" or "text"."""
    if shapes.is_shape(char):
        return "shape"
    if char in _NARROW or (_SYMBOLS[0] <= char <= _SYMBOLS[1] and cell_len(char) == 1):
        return "narrow"
    return "text"


def _pieces(text: str) -> list[tuple[str, str]]:
    """``text`` in runs of one kind (a shape's run: of one character): (run, kind)."""
    out: list[tuple[str, str]] = []
    start, kind = 0, ""
    for at, char in enumerate(text):
        this = _kind(char)
        if at and (this != kind or (this == "shape" and char != text[at - 1])):
            out.append((text[start:at], kind))
            start = at
        kind = this
    if text:
        out.append((text[start:], kind))
    return out


def _text(text: str, x: int, baseline: str, fg: str, style: Style, narrow: bool) -> str:
    """One run of glyphs, every glyph at its own cell (a 2-cell character gets 2 cells,
    whatever the font)."""
    positions, column = [], x
    for char in text:
        positions.append(str(column * CELL_WIDTH))
        column += cell_len(char)
    cells = column - x
    attrs = [f'x="{" ".join(positions)}"', f'y="{baseline}"', f'fill="{fg}"']
    if narrow:
        attrs.append(f'font-family="{NARROW_FONT}" font-size="{NARROW_FONT_SIZE}"')
    attrs.append(f'textLength="{cells * CELL_WIDTH}"')
    if style.bold:
        attrs.append('font-weight="bold"')
    if style.italic:
        attrs.append('font-style="italic"')
    decorations = [
        n for n, on in (("underline", style.underline), ("line-through", style.strike)) if on
    ]
    if decorations:
        attrs.append(f'text-decoration="{" ".join(decorations)}"')
    return f'<text {" ".join(attrs)} xml:space="preserve">{escape(text)}</text>'


def with_pictures(
    page: Page,
    theme: Theme,
    pictures: Pictures | None = None,
    lang: str = "en",
    backing: str = "auto",
) -> list[Text]:
    """The page's rows with every picture drawn into its box (synchronously, for export).

    Pass one ``Pictures`` for a whole export, so an image on several pages is decoded once.
    """
    from tui_deck.pictures import Pictures, overlay, shown

    if not page.images:
        return page.lines
    pictures = pictures or Pictures()
    lines = list(page.lines)
    for slot in page.images:
        key = Pictures.key(slot, theme.background, backing)
        if key is not None:
            overlay(lines, slot, shown(pictures.produce(key), lang), theme.warning)
    return lines


class Painter:
    """Pages as SVG for one export: pictures decoded once (``Pictures``) and, drawn from
    their ``pixels`` (a Kitty/Sixel terminal's view, the default), scaled and encoded once
    per box size; or as the half-block ``cells`` every terminal shows."""

    def __init__(
        self,
        theme: Theme,
        lang: str = "en",
        backing: str = "auto",
        pictures: str = "pixels",
        transient: bool = False,
    ) -> None:
        """``transient``: the SVGs are only rasterised (PNG), never kept: pictures are
        packed for speed rather than size (embed.data_uri)."""
        from tui_deck.pictures import Pictures

        self.theme, self.lang, self.backing, self.mode = theme, lang, backing, pictures
        self.transient = transient
        self.pictures = Pictures()
        self._encoded: dict[tuple[object, ...], tuple[tuple[int, int], str] | Problem] = {}

    def svg(self, page: Page, width: int) -> str:
        """The page's SVG, its pictures drawn into their boxes."""
        if self.mode == "cells":
            lines = with_pictures(page, self.theme, self.pictures, self.lang, self.backing)
            return page_svg(page, self.theme, width, lines)
        return page_svg(page, self.theme, width, *self.layers(page))

    def layers(self, page: Page) -> tuple[list[Text], list[Placed]]:
        """The page's rows (a picture's box emptied, or its problem framed) and the
        pictures to lay over them."""
        from tui_deck.export.embed import Placed, fit
        from tui_deck.pictures import Pictures, overlay

        lines, placed = list(page.lines), []
        for slot in page.images:
            key = Pictures.key(slot, self.theme.background, self.backing)
            if key is None:  # missing, remote, outside: the layout's frame says so
                continue
            box = (
                slot.col * CELL_WIDTH,
                slot.row * CELL_HEIGHT,
                slot.width * CELL_WIDTH,
                slot.height * CELL_HEIGHT,
            )
            found = self._encode(key, box[2], box[3])
            if isinstance(found, Problem):
                overlay(lines, slot, found.text(self.lang), self.theme.warning)
                continue
            size, href = found
            overlay(lines, slot, [Text(" " * slot.width)] * slot.height, self.theme.warning)
            placed.append(Placed(*fit(size, box), href))
        return lines, placed

    def _encode(
        self, key: PictureKey, width: float, height: float
    ) -> tuple[tuple[int, int], str] | Problem:
        from tui_deck.export.embed import data_uri, fit

        ident = (key, width, height)
        found = self._encoded.get(ident)
        if found is None:
            image = self.pictures.decode(key)
            if isinstance(image, Problem):
                found = image
            else:
                try:
                    _, _, fitted_w, fitted_h = fit(image.size, (0, 0, width, height))
                    found = (image.size, data_uri(image, fitted_w, fitted_h, self.transient))
                except Exception as exc:  # one picture never stops an export
                    found = Problem("pic_cannot_show", type(exc).__name__)
            self._encoded[ident] = found
        return found
