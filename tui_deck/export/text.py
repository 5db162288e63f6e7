"""Text export: one UTF-8 file per page, exactly what the presenter shows at that size."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui_deck.deck import Deck
from tui_deck.layout.page import Chrome, Page, Size, layout_slide
from tui_deck.layout.theme import DEFAULT_THEME, Theme


@dataclass(frozen=True)
class Entry:
    file: str
    slide: int
    id: str
    title: str
    page: int
    pages: int

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "slide": self.slide,
            "id": self.id,
            "title": self.title,
            "page": self.page,
            "pages": self.pages,
        }


def all_pages(
    deck: Deck,
    size: Size,
    slides: Iterable[int] | None = None,
    theme: Theme = DEFAULT_THEME,
    ambiguous_wide: bool = False,
) -> Iterator[Page]:
    """Every page of the chosen slides (0-based positions; all slides by default)."""
    chosen = range(len(deck.slides)) if slides is None else slides
    for index in chosen:
        yield from layout_slide(
            deck, index, size.width, size.height, theme, Chrome(), ambiguous_wide
        )


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
) -> list[Entry]:
    """Write one file per page (``001.txt`` or ``001.svg`` …) and ``index.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = {"text": "txt"}.get(fmt, fmt)
    for stale in out_dir.glob(f"[0-9][0-9][0-9].{suffix}"):  # pages of an earlier export
        stale.unlink()
    entries = []
    pages = all_pages(deck, size, slides, theme, ambiguous_wide)
    for number, page in enumerate(pages, start=1):
        name = f"{number:03d}.{suffix}"
        if fmt == "svg":
            from tui_deck.export.svg import page_svg, with_pictures

            svg = page_svg(page, theme, size.width, with_pictures(page, theme))
            (out_dir / name).write_text(svg, encoding="utf-8")
        else:
            (out_dir / name).write_text(page.text(), encoding="utf-8")
        slide = deck.slides[page.slide]
        entries.append(Entry(name, page.slide + 1, slide.id, slide.title, page.page, page.pages))
    index = [entry.to_json() for entry in entries]
    (out_dir / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return entries


def parse_slides(spec: str, count: int) -> list[int]:
    """``1,3-5`` → [0, 2, 3, 4] (0-based); raises ValueError naming the bad part."""
    chosen: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            raise ValueError(f"slides {spec!r}: {part!r} is not a number or a range like 3-5")
        start, end = int(low), int(high) if high else int(low)
        if start > end:
            raise ValueError(f"slides {spec!r}: range {part!r} is reversed; write {end}-{start}")
        if not (1 <= start <= end <= count):
            raise ValueError(f"slides {spec!r}: {part!r} is outside 1-{count}")
        chosen.extend(n - 1 for n in range(start, end + 1) if n - 1 not in chosen)
    if not chosen:
        raise ValueError(f"slides {spec!r} names no slide")
    return chosen
