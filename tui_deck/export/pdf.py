"""PDF handout: one PDF page per slide page, drawn by cairo from the same page SVGs as the
PNG export; the text is text (selectable, searchable in Chinese, its font embedded),
pictures are whatever the SVG holds, links are link annotations.

cairosvg draws one SVG onto one surface of its own. Here every page's SVG is drawn onto
one shared ``cairocffi.PDFSurface`` of ``--png-size`` points (letterboxed as the PNG is),
with ``show_page()`` between pages; links, bookmarks and the document's title and author
are added with cairo's own calls (cairo >= 1.16).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style

from tui_deck.diagnostics import DeckError
from tui_deck.export.svg import FONT_SIZE
from tui_deck.layout.page import Page, Size

if TYPE_CHECKING:
    from tui_deck.deck import Deck

#: Link targets a PDF reader can open; anything else (a relative path) leads nowhere.
_OPENABLE = re.compile(r"(?:https?|ftp)://|mailto:", re.IGNORECASE)
#: What stays as it is in a URI written into the PDF: the rest (non-ASCII, spaces, the
#: parentheses and backslash a PDF string would take as syntax) is percent-encoded.
_URI_SAFE = "-._~:/?#[]@!$&'*+,;=%"
#: The opacity of the text laid over the glyph outlines: enough for cairo to write it
#: (it leaves out fully transparent drawing), too little to change a pixel.
GHOST_ALPHA = 2 / 255
_CONSOLE = Console(width=10_000, color_system="truecolor", file=io.StringIO())


@dataclass(frozen=True)
class PdfPage:
    """One page of the handout: its SVG, the laid-out page its links come from and the
    screen width (in cells) it was laid out for."""

    svg: str
    page: Page
    columns: int


@dataclass(frozen=True)
class LinkBox:
    """A clickable area of a page, in cells (row, first column, width), and its URL."""

    row: int
    column: int
    cells: int
    url: str


def pdf_document(deck: Deck, pages: Sequence[PdfPage], size: Size, background: str) -> bytes:
    """The handout as PDF bytes; ``size`` is the page size in points."""
    cairo, surface_class, tree_class = _cairo()
    onto = _onto(surface_class)
    out = io.BytesIO()
    target = cairo.PDFSurface(out, size.width, size.height)
    _metadata(cairo, target, deck)
    first_page = _first_pages(pages)
    slide_of = _slide_links(deck)
    outline: list[tuple[int, int]] = []  # (level, id) of the bookmarks still open
    for number, item in enumerate(pages, start=1):
        width, height = _svg_size(item.svg)
        scale = min(size.width / width, size.height / height)
        offset = ((size.width - width * scale) / 2, (size.height - height * scale) / 2)
        context = cairo.Context(target)
        context.set_source_rgb(*_rgb(background))
        context.paint()
        tree = tree_class(bytestring=item.svg.encode("utf-8"))
        try:
            onto(tree, target, offset, (width * scale, height * scale), width / item.columns)
        except Exception as exc:  # cairosvg on a page it cannot draw: say which
            raise DeckError(f"PDF page {number}: cannot draw it ({exc})") from None
        cell = (width * scale / item.columns, height * scale / max(len(item.page.lines), 1))
        for box in links(item.page):
            _link(context, box, offset, cell, _target(deck, box.url, slide_of, first_page))
        if first_page.get(item.page.slide) == number:  # where links and bookmarks lead
            context.tag_begin("cairo.dest", f"name='{_dest(deck, item.page.slide)}' x=0 y=0")
            context.tag_end("cairo.dest")
            _bookmark(cairo, target, deck, item.page.slide, outline)
        target.show_page()
    target.finish()
    return out.getvalue()


def _cairo() -> tuple[Any, Any, Any]:
    """cairocffi and cairosvg's PDF surface and SVG tree classes, or the one-line reason
    they cannot be loaded."""
    from tui_deck.images import ImageProblem, cairosvg_module

    try:
        cairosvg_module()
    except ImageProblem as exc:
        raise DeckError(str(exc)) from None
    from cairosvg.parser import Tree
    from cairosvg.surface import PDFSurface
    from cairosvg.surface import cairo as cairocffi  # the cairocffi module cairosvg uses

    if cairocffi.cairo_version() < 11600:  # links, bookmarks and metadata came in 1.16
        raise DeckError(
            f"the PDF export needs cairo 1.16 or later (found {cairocffi.cairo_version_string()})"
        )
    return cairocffi, PDFSurface, Tree


def _onto(surface_class: Any) -> Any:
    """A cairosvg PDF surface that draws one page SVG onto a shared PDF surface, scaled
    and moved to its place, with glyphs that fill their cells, drawn by ``GhostText``."""
    from cairosvg.helpers import size as svg_size

    advances: dict[tuple[str, str], float] = {}  # (family, weight) -> advance of "0" in em

    class Onto(surface_class):  # type: ignore[misc]
        def __init__(
            self,
            tree: Any,
            target: Any,
            offset: tuple[float, float],
            size: tuple[float, float],
            cell_width: float,
        ) -> None:
            self.offset, self.cell_width, self.placed = offset, cell_width, False
            self.page = tree  # the page's own rows, not a picture's SVG drawn inside it
            # dpi 72: one SVG user unit is one point before scaling to ``size``.
            super().__init__(tree, target, 72, None, None, None, 1, *size)

        @property
        def context(self) -> Any:
            return self._ghost

        @context.setter
        def context(self, value: Any) -> None:
            self._ghost = GhostText(value, self.cell_width)

        def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
            return self.output, width, height  # the shared surface, not a new one

        def set_context_size(self, *args: Any) -> None:
            if not self.placed:  # the root <svg>: move it to its place on the page
                self.placed = True
                self.context.translate(*self.offset)
            super().set_context_size(*args)

        def draw(self, node: Any) -> None:
            if node.tag == "text" and node.parent is self.page:
                self.fill_cells(node, svg_size(self, node.get("font-size", str(FONT_SIZE))))
            super().draw(node)

        def fill_cells(self, node: Any, font_size: float) -> None:
            """Glyphs as wide as their cells, as in a terminal: a glyph narrower than
            its cell leaves a gap that a PDF reader takes for a space ("生 日"), and
            Chinese could not be found or copied as written. Nothing changes when the
            SVG's font already fills its cells."""
            family = (node.get("font-family") or "monospace").split(",")[0].strip("\"' ")
            weight = node.get("font-weight") or "normal"
            if (family, weight) not in advances:
                context = self.context
                context.save()
                context.select_font_face(family, 0, 1 if weight == "bold" else 0)
                context.set_font_size(100)
                advances[family, weight] = context.text_extents("0")[4] / 100 or 0.5
                context.restore()
            fill = self.cell_width / advances[family, weight]
            if font_size >= fill * 0.97:
                return
            node["font-size"] = f"{fill:.3f}"
            # Keep the glyphs' middle where it was (a CJK em box is 0.88 em above the
            # baseline and 0.12 below, so its middle is 0.38 em up).
            with contextlib.suppress(ValueError):
                node["y"] = f"{float(node.get('y', '')) + 0.38 * (fill - font_size):.3f}"

        def finish(self) -> None:  # the shared surface is finished once, at the end
            pass

    return Onto


class GhostText:
    """A cairo context whose ``show_text`` draws the glyphs' outlines, which the reader
    sees, with the same text laid over them almost transparent, which a PDF reader
    selects, copies and searches (its font embedded, as any PDF text).

    Why not plain text: cairo's CFF font subsetter miscounts the hints of a glyph whose
    first hint mask comes after its first contour, drops the subroutines the rest of the
    glyph calls, and the glyph comes out blank (Noto Sans CJK's 如, in 如何 and 例如). An
    outline is drawn from the font by cairo itself, as in the PNG export.

    A character the font lacks (the code fold mark ↩ in Noto Sans Mono CJK) is drawn in
    the monospace font fontconfig finds for it, no wider than its cells, not as a box."""

    def __init__(self, context: Any, cell_width: float) -> None:
        self._context = context
        self._cell_width = cell_width

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def show_text(self, text: str) -> None:
        context = self._context
        x, y = context.get_current_point()
        context.new_path()  # cairosvg leaves the run's unfilled outlines as the path
        context.save()
        self._font_for(text)
        context.move_to(x, y)
        context.text_path(text)
        context.fill()
        source = context.get_source()
        red, green, blue = source.get_rgba()[:3] if hasattr(source, "get_rgba") else (0, 0, 0)
        context.set_source_rgba(red, green, blue, GHOST_ALPHA)
        context.move_to(x, y)
        context.show_text(text)
        context.restore()

    def _font_for(self, text: str) -> None:
        """Switch to a font that has the glyphs when the current one has none of them."""
        context = self._context
        if not _lacks(context, text):
            return
        family = _fallback_family(text[0])
        if not family:
            return
        font = context.get_font_face()
        context.select_font_face(family, 0, 0)
        if _lacks(context, text):
            context.set_font_face(font)
            return
        room = cell_len(text) * self._cell_width
        advance = context.text_extents(text)[4]
        if advance > room > 0:  # as narrow as its cells, as a terminal draws it
            matrix = context.get_font_matrix()
            matrix.scale(room / advance, 1)
            context.set_font_matrix(matrix)


def _lacks(context: Any, text: str) -> bool:
    """Whether the context's font draws ``text`` with nothing but missing-glyph boxes."""
    glyphs = context.get_scaled_font().text_to_glyphs(0, 0, text, False)
    return all(index == 0 for index, _, _ in glyphs)


@functools.lru_cache(maxsize=256)
def _fallback_family(char: str) -> str:
    """The monospace family fontconfig picks for a character ("" when it cannot say)."""
    if shutil.which("fc-match") is None:
        return ""
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{family[0]}", f"monospace:charset={ord(char):x}"],
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.strip()


def links(page: Page) -> Iterator[LinkBox]:
    """Every linked run of the page's rows, a box per row (a wrapped link gives two)."""
    for row, line in enumerate(page.lines):
        column, start, url = 0, 0, ""
        for segment in line.render(_CONSOLE):
            link = (segment.style or Style.null()).link or ""
            if link != url:
                if url:
                    yield LinkBox(row, start, column - start, url)
                start, url = column, link
            column += cell_len(segment.text)
        if url:
            yield LinkBox(row, start, column - start, url)


def _slide_links(deck: Deck) -> dict[str, int]:
    """The URLs of the deck's links that lead to one of its slides, and that slide."""
    found: dict[str, int] = {}
    for slide in deck.slides:
        for link in slide.links:
            if link.slide_id and link.url not in found:
                position = deck.find(link.slide_id)
                if position is not None:
                    found[link.url] = position
    return found


def _target(deck: Deck, url: str, slide_of: dict[str, int], first_page: dict[int, int]) -> str:
    """cairo's link attributes for ``url``: the page of the slide it leads to when that
    slide is in this PDF, else the URL when a reader can open it, else ""."""
    slide = slide_of.get(url)
    if slide is not None and slide in first_page:
        return f"dest='{_dest(deck, slide)}'"
    if _OPENABLE.match(url):
        return f"uri='{_quoted(quote(url, safe=_URI_SAFE))}'"
    return ""


def _link(
    context: Any, box: LinkBox, offset: tuple[float, float], cell: tuple[float, float], to: str
) -> None:
    if not to:
        return
    x = offset[0] + box.column * cell[0]
    y = offset[1] + box.row * cell[1]
    rect = f"rect=[{x:.2f} {y:.2f} {box.cells * cell[0]:.2f} {cell[1]:.2f}]"
    context.tag_begin("Link", f"{rect} {to}")
    context.tag_end("Link")


def _quoted(text: str) -> str:
    """A string for cairo's attribute syntax: backslash and single quote escaped."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _first_pages(pages: Sequence[PdfPage]) -> dict[int, int]:
    """The 1-based PDF page where each slide of the handout begins."""
    first: dict[int, int] = {}
    for number, item in enumerate(pages, start=1):
        first.setdefault(item.page.slide, number)
    return first


def _dest(deck: Deck, slide: int) -> str:
    """The named destination of a slide's first page (cairo resolves names at the end,
    so a link may lead to a later page)."""
    return _quoted(f"slide-{deck.slides[slide].id}")


def _bookmark(
    cairo: Any, target: Any, deck: Deck, slide: int, open_: list[tuple[int, int]]
) -> None:
    """A bookmark for the slide, nested under the last slide of a lower heading level:
    the outline a PDF reader shows beside the pages."""
    level = deck.slides[slide].level
    while open_ and open_[-1][0] >= level:
        open_.pop()
    parent = open_[-1][1] if open_ else cairo.PDF_OUTLINE_ROOT
    title = deck.slides[slide].title or str(slide + 1)
    made = target.add_outline(
        parent, title, f"dest='{_dest(deck, slide)}'", cairo.PDF_OUTLINE_FLAG_OPEN
    )
    open_.append((level, made))


def _metadata(cairo: Any, target: Any, deck: Deck) -> None:
    post = deck.posts[0] if deck.posts else None
    fields = [
        (cairo.PDF_METADATA_TITLE, deck.title),
        (cairo.PDF_METADATA_AUTHOR, post.author if post else ""),
        (cairo.PDF_METADATA_SUBJECT, post.description if post else ""),
        (cairo.PDF_METADATA_CREATOR, "istio-deck"),
    ]
    for key, value in fields:
        if value:
            target.set_metadata(key, value)


def _svg_size(svg: str) -> tuple[float, float]:
    from tui_deck.export.raster import _svg_dimensions

    found = _svg_dimensions(svg)
    if found is None:
        raise DeckError("PDF: a page SVG without a width and height")
    return found


def _rgb(color: str) -> tuple[float, float, float]:
    from tui_deck.images import _rgb as rgb

    red, green, blue = rgb(color)
    return red / 255, green / 255, blue / 255
