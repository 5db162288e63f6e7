"""A picture zoomed full screen (z), as one page: the same for the app's zoom and for the
zoom an audience's served deck shows (istio-deck serve). Pure: no Textual."""

from __future__ import annotations

from dataclasses import replace

from rich.style import Style
from rich.text import Text

from tui_deck import model as m
from tui_deck.layout.blocks import CELL_ASPECT, Context, inline_text, layout_block, wrap_text
from tui_deck.layout.page import Page
from tui_deck.layout.theme import Theme


def slide_pictures(pages: list[Page]) -> list[m.ImageRef]:
    """The pictures of a slide, in the order its pages show them."""
    return [slot.image for page in pages for slot in page.images]


def first_picture(pages: list[Page], page: int) -> int:
    """Which picture z zooms on page ``page`` (from 1): the page's first, else the last one
    before it, else the slide's first."""
    before = sum(len(p.images) for p in pages[: max(0, page - 1)])
    on_page = pages[page - 1].images if 1 <= page <= len(pages) else []
    return before if on_page or before == 0 else before - 1


def zoom_page(
    image: m.ImageRef,
    width: int,
    height: int,
    theme: Theme,
    lang: str = "en",
    number: int = 1,
    count: int = 1,
    ambiguous_wide: bool = False,
    cell_aspect: float = CELL_ASPECT,
) -> Page:
    """One picture as large as ``width`` x ``height`` allows with its aspect kept, centred
    in the rows above its caption; ``number/count`` at the right of the last row when the
    slide has several. Exactly ``height`` rows, each at most ``width`` cells."""
    counter = f"{number}/{count}" if count > 1 else ""
    margin = len(counter) + 2 if counter else 0
    ctx = Context(width, theme, lang, ambiguous_wide, cell_aspect=cell_aspect)
    captions: list[Text] = []
    if image.caption:
        style = Style(color=theme.muted, italic=True)
        runs = image.caption_runs
        caption = inline_text(runs, theme, style) if runs else Text(image.caption, style)
        captions = wrap_text(caption, ctx, max(1, width - 2 * margin))
        most = max(1, height // 6)  # a long caption never takes the picture's room
        if len(captions) > most:
            captions = captions[:most]
            captions[-1].truncate(max(1, captions[-1].cell_len - 1))
            captions[-1].append("…")
        for line in captions:
            line.pad_left(max(0, width - line.cell_len) // 2)
    bottom = max(len(captions), 1 if counter else 0)
    room = max(1, height - bottom)
    bare = replace(image, caption="", caption_runs=(), width=None)
    rows = layout_block(m.ImageBlock(image.line, bare), replace(ctx, max_image_rows=room))
    box = rows.images[0]
    top = max(0, (room - box.height) // 2)
    lines = [Text() for _ in range(top)] + rows.lines[: box.height]
    lines += [Text() for _ in range(height - bottom - len(lines))]
    lines += captions or [Text() for _ in range(bottom)]
    if counter:
        last = lines[-1]
        last.pad_right(max(0, width - len(counter) - 1 - last.cell_len))
        last.append(counter, Style(color=theme.muted))
    for line in lines:
        line.truncate(width)
    return Page(0, 1, 1, lines[:height], [box.moved(top, 0)])
