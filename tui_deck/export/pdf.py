"""PDF handout: one PDF page per slide page, drawn by cairo from the same page SVGs as the
PNG export, so text stays vector text in an embedded (subset) font, selectable and
searchable in Chinese; pictures are whatever the SVG holds; links are link annotations.

cairosvg draws one SVG onto one cairo surface. Here every page's SVG is drawn onto one
shared ``cairocffi.PDFSurface`` of ``--png-size`` points (letterboxed as the PNG is), with
``show_page()`` between pages; links, bookmarks and the document's metadata are added with
cairo's own calls (cairo >= 1.16).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.style import Style

from tui_deck.diagnostics import DeckError
from tui_deck.layout.page import Page, Size

if TYPE_CHECKING:
    from tui_deck.deck import Deck

#: Link targets a PDF reader may open: anything else (a relative path) leads nowhere.
_OPENABLE = re.compile(r"(?:https?|mailto|ftp)://|mailto:", re.IGNORECASE)


@dataclass(frozen=True)
class PdfPage:
    """One page of the handout: its SVG, the laid-out page its links come from and the
    screen width (in cells) it was laid out for."""

    svg: str
    page: Page
    columns: int


@dataclass(frozen=True)
class LinkBox:
    """A clickable area of a page, in cells: row, first column, width; where it goes."""

    row: int
    column: int
    cells: int
    url: str


def pdf_document(deck: Deck, pages: Sequence[PdfPage], size: Size, background: str) -> bytes:
    """The handout as PDF bytes: ``size`` is the page size in points (1 px of --png-size)."""
    import io

    cairo, PDFSurface, Tree = _cairo()
    out = io.BytesIO()
    target = cairo.PDFSurface(out, size.width, size.height)
    _metadata(cairo, target, deck)
    first_page = _first_pages(pages)
    rgb = _rgb(background)
    outline: list[tuple[int, int]] = []  # (level, outline id) of the open bookmarks
    for number, item in enumerate(pages, start=1):
        width, height = _svg_size(item.svg)
        scale = min(size.width / width, size.height / height)
        offset = ((size.width - width * scale) / 2, (size.height - height * scale) / 2)
        context = cairo.Context(target)
        context.set_source_rgb(*rgb)
        context.paint()
        try:
            cell_width = width / item.columns
            _draw_svg(PDFSurface, Tree, item, target, offset, scale, cell_width)
        except Exception as exc:  # cairosvg on a page it cannot draw: say which
            raise DeckError(f"PDF page {number}: cannot draw it ({exc})") from None
        cell = (width * scale / item.columns, height * scale / max(len(item.page.lines), 1))
        for box in links(item.page):
            _link(context, box, offset, cell, _target(deck, box.url, first_page))
        if first_page.get(item.page.slide) == number:  # where links and bookmarks lead
            context.tag_begin("cairo.dest", f"name='{_dest(deck, item.page.slide)}' x=0 y=0")
            context.tag_end("cairo.dest")
            _bookmark(cairo, target, deck, item.page.slide, outline)
        target.show_page()
    target.finish()
    return out.getvalue()


def _cairo() -> tuple[Any, Any, Any]:
    """cairocffi and the cairosvg classes, or the one-line reason they cannot load."""
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


def _draw_svg(
    surface_class: Any,
    tree_class: Any,
    item: PdfPage,
    target: Any,
    offset: tuple[float, float],
    scale: float,
    cell_width: float,
) -> None:
    """Draw one page SVG onto the shared PDF surface, scaled by ``scale`` and moved to
    ``offset``: a cairosvg PDF surface that draws onto ``target`` instead of its own."""
    from cairosvg.helpers import size as svg_size

    width, height = _svg_size(item.svg)
    advances: dict[tuple[str, str], float] = {}

    class Onto(surface_class):  # type: ignore[misc]
        placed = False

        @property
        def context(self) -> Any:
            return self._ghost

        @context.setter
        def context(self, value: Any) -> None:
            self._ghost = GhostText(value)

        def _create_surface(self, w: float, h: float) -> tuple[Any, float, float]:
            return self.output, w, h

        def set_context_size(self, *args: Any) -> None:
            if not self.placed:  # the root <svg>: move it to its place on the page
                self.placed = True
                self.context.translate(*offset)
            super().set_context_size(*args)

        def draw(self, node: Any) -> None:
            if node.tag == "text":
                _fill_cells(self.context, node, svg_size(self, node.get("font-size", "16")))
            super().draw(node)

        def finish(self) -> None:  # the shared surface is finished once, at the end
            pass

    def _fill_cells(context: Any, node: Any, font_size: float) -> None:
        """Glyphs as wide as their cells, as in a terminal: a half-width glyph narrower
        than its cell leaves a gap a PDF reader takes for a space (生 日), and Chinese
        could not be found or copied as it is written. Nothing changes when the SVG's
        font already fills the cells."""
        family = (node.get("font-family") or "monospace").split(",")[0].strip("\"' ")
        weight = node.get("font-weight") or "normal"
        key = (family, weight)
        if key not in advances:
            context.save()
            context.select_font_face(family, 0, 1 if weight == "bold" else 0)
            context.set_font_size(100)
            advances[key] = context.text_extents("0")[4] / 100 or 0.5
            context.restore()
        fill = cell_width / advances[key]
        if font_size >= fill * 0.97:
            return
        node["font-size"] = f"{fill:.3f}"
        # Keep the glyphs' middle where it was (a CJK em box: 0.88 em above the baseline,
        # 0.12 below, so its middle is 0.38 em up).
        with contextlib.suppress(ValueError):
            node["y"] = f"{float(node.get('y', '')) + 0.38 * (fill - font_size):.3f}"

    # dpi 72: one SVG user unit is one point before scaling to the page.
    tree = tree_class(bytestring=item.svg.encode("utf-8"))
    Onto(tree, target, 72, None, None, None, 1, width * scale, height * scale)


#: The opacity of the text laid over the glyph outlines: enough for cairo to write it
#: (it drops fully transparent drawing), far too little to change a pixel.
GHOST_ALPHA = 2 / 255


class GhostText:
    """A cairo context whose ``show_text`` draws the glyphs' outlines, which the reader
    sees, with the same text laid over them almost transparent, which a PDF reader
    selects, copies and searches (its font embedded, as any PDF text).

    Why not plain text: cairo's CFF font subsetter miscounts the hints of a glyph whose
    first hint mask comes after its first contour, drops the subroutines the rest of the
    glyph calls, and the glyph comes out blank (Noto Sans CJK's 如, in "如何", "例如"). An
    outline is drawn from the font by cairo itself, as in the PNG export."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def show_text(self, text: str) -> None:
        context = self._context
        x, y = context.get_current_point()
        context.new_path()  # cairosvg leaves the run's unfilled outlines as the path
        context.move_to(x, y)
        context.text_path(text)
        context.fill()
        source = context.get_source()
        red, green, blue = source.get_rgba()[:3] if hasattr(source, "get_rgba") else (0, 0, 0)
        context.save()
        context.set_source_rgba(red, green, blue, GHOST_ALPHA)
        context.move_to(x, y)
        context.show_text(text)
        context.restore()


def links(page: Page) -> Iterator[LinkBox]:
    """Every linked run of the page's rows, a box per row (a wrapped link gives two)."""
    from rich.cells import cell_len

    from tui_deck.export.svg import _CONSOLE

    for row, line in enumerate(page.lines):
        column, start, url = 0, 0, ""
        for segment in line.render(_CONSOLE):
            style = segment.style or Style.null()
            link = style.link or ""
            if link != url:
                if url:
                    yield LinkBox(row, start, column - start, url)
                start, url = column, link
            column += cell_len(segment.text)
        if url:
            yield LinkBox(row, start, column - start, url)


def _target(deck: Deck, url: str, first_page: dict[int, int]) -> str:
    """cairo's link attributes for ``url``: the slide's page for a link to a slide of the
    deck that is in this PDF, the URL when a reader can open it, else ""."""
    for slide in deck.slides:
        for link in slide.links:
            if link.url == url and link.slide_id:
                found = deck.find(link.slide_id)
                if found is not None and found in first_page:
                    return f"dest='{_dest(deck, found)}'"
    if _OPENABLE.match(url):
        return f"uri='{_quoted(url)}'"
    return ""


def _link(
    context: Any,
    box: LinkBox,
    offset: tuple[float, float],
    cell: tuple[float, float],
    target: str,
) -> None:
    if not target:
        return
    x = offset[0] + box.column * cell[0]
    y = offset[1] + box.row * cell[1]
    rect = f"rect=[{x:.2f} {y:.2f} {box.cells * cell[0]:.2f} {cell[1]:.2f}]"
    context.tag_begin("Link", f"{rect} {target}")
    context.tag_end("Link")


def _quoted(text: str) -> str:
    """A string for cairo's attribute syntax: backslash and single quote escaped."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _first_pages(pages: Sequence[PdfPage]) -> dict[int, int]:
    """The 1-based PDF page where each exported slide begins."""
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
    """A bookmark for the slide at its first page, nested under the slide of a lower
    heading level before it (the outline a reader shows beside the pages)."""
    level = deck.slides[slide].level
    while open_ and open_[-1][0] >= level:
        open_.pop()
    parent = open_[-1][1] if open_ else cairo.PDF_OUTLINE_ROOT
    title = deck.slides[slide].title or f"{slide + 1}"
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
