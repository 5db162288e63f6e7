"""Exports: one file per page (text, SVG, PNG) or one HTML deck, as the presenter shows it.

A slide revealed step by step (``<!-- pause -->``, incremental lists) gives one page per
step by default (``steps="all"``: each page at each of its steps, in the order → shows
them); ``steps="last"`` writes each page whole, as at its last step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_deck.deck import Deck
from tui_deck.layout.page import Chrome, Page, Size, layout_slide
from tui_deck.layout.theme import DEFAULT_THEME, Theme
from tui_deck.talk import parse_slides

if TYPE_CHECKING:
    from tui_deck.export.raster import HtmlPage

__all__ = ["parse_slides"]  # the one reading of a slide list lives in tui_deck/talk.py

#: The default PNG size: what social networks show without cropping (16:9).
SOCIAL_SIZE = Size(1200, 675)


@dataclass(frozen=True)
class Entry:
    file: str
    slide: int
    id: str
    title: str
    page: int
    pages: int
    #: The step of the slide the page shows, and the slide's steps (1 and 1: no reveals).
    step: int = 1
    steps: int = 1

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "file": self.file,
            "slide": self.slide,
            "id": self.id,
            "title": self.title,
            "page": self.page,
            "pages": self.pages,
        }
        if self.steps > 1:  # a slide revealed step by step
            data |= {"step": self.step, "steps": self.steps}
        return data


#: What ``--steps`` takes: every step of a revealed slide, or only its final state.
STEPS = ("all", "last")


def all_pages(
    deck: Deck,
    size: Size,
    slides: Iterable[int] | None = None,
    theme: Theme = DEFAULT_THEME,
    ambiguous_wide: bool = False,
    steps: str = "all",
) -> Iterator[Page]:
    """Every page of the chosen slides (0-based positions; all slides by default), each at
    every one of its steps (``steps="all"``) or whole (``"last"``)."""
    chosen = range(len(deck.slides)) if slides is None else slides
    for index in chosen:
        pages = layout_slide(deck, index, size.width, size.height, theme, Chrome(), ambiguous_wide)
        for number, page in enumerate(pages):
            if steps == "last" or page.first_step == page.last_step:
                yield page
                continue
            for step in range(page.first_step, page.last_step + 1):
                yield layout_slide(
                    deck, index, size.width, size.height, theme, Chrome(), ambiguous_wide, step=step
                )[number]


def export_text(
    deck: Deck,
    out_dir: Path,
    size: Size,
    slides: Iterable[int] | None = None,
    ambiguous_wide: bool = False,
) -> list[Entry]:
    """Write ``001.txt``, ``002.txt``, … and ``index.json``; return what was written."""
    return export(deck, out_dir, size, "text", slides, ambiguous_wide)


def export(
    deck: Deck,
    out_dir: Path,
    size: Size,
    fmt: str = "text",
    slides: Iterable[int] | None = None,
    ambiguous_wide: bool = False,
    theme: Theme = DEFAULT_THEME,
    png_size: Size = SOCIAL_SIZE,
    progress: bool = False,
    backing: str = "auto",
    pictures: str = "pixels",
    steps: str = "all",
) -> list[Entry]:
    """Write one file per page (``001.txt``, ``.svg`` or ``.png``; one ``deck.html`` or
    ``deck.pdf``) and ``index.json``; return what was written. ``pictures``: drawn from
    their ``pixels`` or as half-block ``cells`` (svg.Painter)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = {"text": "txt"}.get(fmt, fmt)
    remove_stale(out_dir)
    pages = list(all_pages(deck, size, slides, theme, ambiguous_wide, steps))
    if fmt in ("png", "pdf") and any(_wide(page) for page in pages):
        from tui_deck.export.raster import require_cjk_font

        require_cjk_font()
    entries = []
    svgs: list[tuple[Page, str]] = []
    painter = None  # one for the whole export: each picture is decoded once
    for number, page in enumerate(_progress(pages, fmt, progress), start=1):
        name = _ONE_FILE.get(fmt, f"{number:03d}.{suffix}")
        if fmt in ("svg", "png", "html", "pdf"):
            from tui_deck.export.svg import Painter

            painter = painter or Painter(theme, deck.lang, backing, pictures, fmt in ("png", "pdf"))
            svg = painter.svg(page, size.width)
            if fmt == "svg":
                (out_dir / name).write_text(svg, encoding="utf-8")
            elif fmt == "png":
                from tui_deck.export.raster import svg_to_png

                png = svg_to_png(svg, png_size.width, png_size.height, theme.background)
                (out_dir / name).write_bytes(png)
            else:
                svgs.append((page, svg))
        else:
            (out_dir / name).write_text(page.text(), encoding="utf-8")
        slide = deck.slides[page.slide]
        # The post's slide number (as `outline` numbers it), also when --slides picked some.
        entries.append(
            Entry(
                name,
                slide.index,
                slide.id,
                slide.title,
                page.page,
                page.pages,
                page.shown_step,
                page.step_count,
            )
        )
    if fmt == "html":
        html = _html(deck, svgs, theme)
        (out_dir / "deck.html").write_text(html, encoding="utf-8")
    if fmt == "pdf":
        from tui_deck.export.pdf import PdfPage, pdf_document

        pdf = pdf_document(
            deck, [PdfPage(svg, page, size.width) for page, svg in svgs], png_size, theme.background
        )
        (out_dir / "deck.pdf").write_bytes(pdf)
    index = [entry.to_json() for entry in entries]
    (out_dir / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return entries


def html_document(
    deck: Deck,
    size: Size,
    slides: Iterable[int] | None = None,
    ambiguous_wide: bool = False,
    theme: Theme = DEFAULT_THEME,
    backing: str = "auto",
    pictures: str = "pixels",
    steps: str = "all",
    served: str = "",
) -> str:
    """The HTML deck of ``export --format html`` as a string, written nowhere.

    ``served``: the script of a deck served to an audience (istio-deck serve); such a deck
    carries no speaker notes (they are the speaker's, not the audience's)."""
    from tui_deck.export.raster import HtmlPage
    from tui_deck.export.svg import Painter

    painter = Painter(theme, deck.lang, backing, pictures, False)
    pages = list(all_pages(deck, size, slides, theme, ambiguous_wide, steps))
    zooms: list[HtmlPage] = []
    if served:  # the audience sees what the presenter zooms (z), as the app draws it
        zooms = [
            HtmlPage(
                painter.svg(page, size.width), slide, "", id=str(deck.slides[slide].id), zoom=k
            )
            for slide, k, page in zoom_pages(deck, pages, size, theme, ambiguous_wide)
        ]
    svgs = [(page, painter.svg(page, size.width)) for page in pages]
    return _html(deck, svgs, theme, served, zooms)


def zoom_pages(
    deck: Deck, pages: list[Page], size: Size, theme: Theme, ambiguous_wide: bool
) -> Iterator[tuple[int, int, Page]]:
    """(slide, which picture, its zoom page) for every picture of the slides of ``pages``."""
    from tui_deck.layout.zoom import slide_pictures, zoom_page

    by_slide: dict[int, dict[int, Page]] = {}
    for page in pages:  # one page a page number, at its last step (all its pictures)
        by_slide.setdefault(page.slide, {})[page.page] = page
    for slide, numbered in by_slide.items():
        pictures = slide_pictures(list(numbered.values()))
        for k, image in enumerate(pictures):
            count = (k + 1, len(pictures))
            page = zoom_page(
                image, size.width, size.height, theme, deck.lang, *count, ambiguous_wide
            )
            yield slide, k, page


def _html(
    deck: Deck,
    svgs: list[tuple[Page, str]],
    theme: Theme,
    served: str = "",
    zooms: Sequence[HtmlPage] = (),
) -> str:
    from tui_deck.export.raster import HtmlPage, html_deck, notes_html

    html_pages = [
        HtmlPage(
            svg,
            page.slide,
            deck.slides[page.slide].title,
            "" if served else notes_html(deck.slides[page.slide].notes),
            str(deck.slides[page.slide].id),
            page.page,
            page.pages,
            page.shown_step,
        )
        for page, svg in svgs
    ]
    return html_deck(deck.title, html_pages, theme.background, deck.lang, served, zooms)


#: The formats written as one file for the whole deck.
_ONE_FILE = {"html": "deck.html", "pdf": "deck.pdf"}

#: The names an export writes: pages numbered 001… (as wide as the number needs past 999),
#: the HTML deck, the PDF handout and the index. Nothing else in the folder is ever touched.
_OWN_FILE = re.compile(r"(?:\d{3}|[1-9]\d{3,})\.(?:txt|svg|png)|deck\.(?:html|pdf)|index\.json")


def remove_stale(out_dir: Path) -> None:
    """Remove what an earlier export wrote here (in any format), so no stale page remains."""
    for path in out_dir.iterdir():
        if _OWN_FILE.fullmatch(path.name) and (path.is_symlink() or path.is_file()):
            path.unlink()


def _wide(page: Page) -> bool:
    return any(line.cell_len != len(line.plain) for line in page.lines)


def _progress(pages: list[Page], fmt: str, show: bool) -> Iterable[Page]:
    """A rich progress bar on stderr while exporting more than a few pages."""
    if not show or len(pages) <= 3:
        yield from pages
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(f"exporting {fmt}", total=len(pages))
        for page in pages:
            yield page
            bar.advance(task)
