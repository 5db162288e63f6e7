"""SVG export: a page exactly as the terminal shows it, with text placed by cell.

Rich's SVG export sets each text run's length from its character count, so a Chinese glyph
(two cells) is squeezed into one; here every run's ``textLength`` is its width in cells
times the cell width, and half-block pictures are drawn as pixels, not glyphs. The font
stack starts with monospace fonts that have CJK glyphs.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.color import Color
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui_deck.layout.page import Page

if TYPE_CHECKING:
    from tui_deck.pictures import Pictures
from tui_deck.layout.theme import Theme

CELL_WIDTH = 10
CELL_HEIGHT = 20
FONT_SIZE = 16
FONT_STACK = (
    "'Noto Sans Mono CJK SC', 'Noto Sans Mono CJK', 'Sarasa Mono SC', 'DejaVu Sans Mono', monospace"
)
_CONSOLE = Console(width=10_000, color_system="truecolor", file=io.StringIO())


def _hex(color: Color | None, default: str) -> str:
    if color is None or color.is_default:
        return default
    red, green, blue = color.get_truecolor()
    return f"#{red:02x}{green:02x}{blue:02x}"


def page_svg(page: Page, theme: Theme, width: int, lines: list[Text] | None = None) -> str:
    """The SVG text of one page (``lines`` may carry pictures laid into the image boxes)."""
    rows = page.lines if lines is None else lines
    height = len(rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * CELL_WIDTH}" '
        f'height="{height * CELL_HEIGHT}" viewBox="0 0 {width * CELL_WIDTH} '
        f'{height * CELL_HEIGHT}" font-family="{FONT_STACK}" font-size="{FONT_SIZE}" '
        'shape-rendering="crispEdges">',
        f'<rect width="100%" height="100%" fill="{theme.background}"/>',
    ]
    for y, line in enumerate(rows):
        out.extend(_line(line, y, theme))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _line(line: Text, y: int, theme: Theme) -> list[str]:
    parts: list[str] = []
    x = 0
    top = y * CELL_HEIGHT
    baseline = top + CELL_HEIGHT - 5
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
        if set(text) == {"▀"}:  # an upper half-block picture cell: draw pixels, not glyphs
            parts.append(
                f'<rect x="{x * CELL_WIDTH}" y="{top}" width="{cells * CELL_WIDTH}" '
                f'height="{CELL_HEIGHT // 2}" fill="{fg}"/>'
            )
        elif text.strip():
            column = x
            for piece, narrow in _pieces(text):
                width = cell_len(piece)
                if piece.strip():
                    parts.append(_text(piece, column, baseline, fg, style, narrow))
                column += width
        x += cells
    return parts


#: Characters a terminal draws in one cell that a CJK font draws a full em wide (so they
#: would sit a cell off): drawn with a Latin monospace font instead.
NARROW_FONT = "'DejaVu Sans Mono', 'Liberation Mono', monospace"
_AMBIGUOUS = re.compile(r"[·•…—–‘’“”°±×÷§¶]+")


def _pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` in runs: (run, True) for the characters that need the Latin font."""
    out: list[tuple[str, bool]] = []
    last = 0
    for found in _AMBIGUOUS.finditer(text):
        if found.start() > last:
            out.append((text[last : found.start()], False))
        out.append((found.group(), True))
        last = found.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


def _text(text: str, x: int, baseline: int, fg: str, style: Style, narrow: bool) -> str:
    """One run of glyphs, every glyph at its own cell (a 2-cell character gets 2 cells,
    whatever the font)."""
    positions, column = [], x
    for char in text:
        positions.append(str(column * CELL_WIDTH))
        column += cell_len(char)
    cells = column - x
    attrs = [f'x="{" ".join(positions)}"', f'y="{baseline}"', f'fill="{fg}"']
    if narrow:
        attrs.append(f'font-family="{NARROW_FONT}"')
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
