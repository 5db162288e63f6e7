"""A slide's page made to fit a small box: the speaker's previews and the overview's cards.

A preview shows what the audience sees, whole. ``miniature`` lays out the part of a slide
that one of the audience's pages shows (from its ``Page.start`` to where the next page
starts, see ``span_of``) at the box's size, with the same engine and its CJK rules. When
that part is taller than the box, its pictures shrink into smaller boxes (real image slots:
the widget fills them), then the blank rows between blocks go, then the longest text blocks
give up their last lines (the last one shown ends with "…"): every block of the page keeps
its start, every picture is whole, nothing is cut at the bottom.

``card`` is a slide's card in the overview: its first page; for a slide with pictures, the
slide from its start through its first picture, fitted the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from rich.text import Text

from tui_deck import model as m
from tui_deck.deck import Deck
from tui_deck.layout.blocks import (
    CELL_ASPECT,
    MIN_IMAGE_ROWS,
    Context,
    ImageSlot,
    Rows,
    layout_block,
    layout_pairs,
    stack,
)
from tui_deck.layout.page import (
    Chrome,
    Page,
    _letters,
    _title_rows,
    layout_slide,
    margin_for,
    too_small,
)
from tui_deck.layout.steps import StepMap, line_steps, same_step, step_rows
from tui_deck.layout.theme import DEFAULT_THEME, Theme

#: Where in a slide: the top-level block and how far into it (``Page.start``).
Position = tuple[int, float]


def span_of(pages: Sequence[Page], number: int) -> tuple[Position, Position | None]:
    """Where page ``number`` (1-based) of ``pages`` starts, and where the page after it
    starts (None: it goes to the slide's end)."""
    number = max(1, min(number, len(pages)))
    start = pages[number - 1].start
    end = next((p.start for p in pages[number:] if p.start > start), None)
    return start, end


@lru_cache(maxsize=128)
def miniature(
    deck: Deck,
    index: int,
    width: int,
    height: int,
    theme: Theme = DEFAULT_THEME,
    start: Position = (0, 0.0),
    end: Position | None = None,
    page: tuple[int, int] = (1, 1),
    ambiguous_wide: bool = False,
    cell_aspect: float = CELL_ASPECT,
    step: int = 0,
    dim: bool = True,
) -> Page:
    """The part of slide ``index`` from ``start`` to ``end`` in one page of exactly
    ``height`` rows of at most ``width`` cells, with no footer; titled as page ``page``
    (number, of how many) of the slide. Title slides and dividers are their first page.
    ``step`` (a slide revealed step by step; 0: none): the rows of later steps are dimmed
    (``dim``: the speaker's current slide, whole) or blank, with their pictures (the next
    step, as the audience will see it)."""
    slide = deck.slides[index]
    if too_small(width, height) or slide.kind == "title" or not slide.blocks:
        first = layout_slide(
            deck, index, width, height, theme, Chrome(footer=False), ambiguous_wide, cell_aspect
        )[0]
        return replace(first, page=page[0], pages=page[1])
    margin = margin_for(width)
    ctx = Context(width - 2 * margin, theme, slide.lang, ambiguous_wide, cell_aspect=cell_aspect)
    title = _title_rows(slide, ctx, page if page[0] > 1 else None)
    top = 1 if height - len(title) - 1 > 2 * MIN_IMAGE_ROWS else 0
    room = max(1, height - top - len(title) - 1)
    steps: StepMap = {}
    body = _body(slide.blocks, ctx, room, start, end, steps, slide.post.incremental_lists)
    lines: list[Text] = [Text() for _ in range(top)] + [line.copy() for line in title] + [Text()]
    body_top = len(lines)
    lines.extend(line.copy() for line in body.lines)
    if step:
        _later_steps(lines, body, line_steps(body.lines, steps), step, body_top, ctx.theme, dim)
    for line in lines:
        if margin and line.plain:
            line.pad_left(margin)
    lines = lines[:height] + [Text() for _ in range(height - len(lines))]
    for line in lines:
        if line.cell_len > width:
            line.truncate(width)
    images = [slot.moved(body_top, margin) for slot in body.images]
    images = [slot for slot in images if slot.row + slot.height <= height]
    return Page(index, page[0], page[1], lines, images, body_top, 0, start)


@lru_cache(maxsize=256)
def card(
    deck: Deck,
    index: int,
    width: int,
    height: int,
    theme: Theme = DEFAULT_THEME,
    ambiguous_wide: bool = False,
    cell_aspect: float = CELL_ASPECT,
) -> Page:
    """Slide ``index`` as a card of the overview: its first page at this size; a slide
    whose first page there shows no picture while the slide has one that can be shown
    shows the slide from its start through that picture, fitted (``miniature``)."""
    pages = layout_slide(
        deck, index, width, height, theme, Chrome(footer=False), ambiguous_wide, cell_aspect
    )
    slide = deck.slides[index]
    if pages[0].images or slide.kind == "title" or too_small(width, height):
        return pages[0]
    ctx = Context(width, theme, slide.lang, ambiguous_wide, cell_aspect=cell_aspect)
    pairs = layout_pairs(slide.blocks, ctx)
    first = next((n for n, (_b, rows) in enumerate(pairs) if _shown(rows.images)), None)
    if first is None:
        return pages[0]
    _start, end = span_of(pages, 1)
    if end is not None and end < (first + 1, 0.0):
        end = (first + 1, 0.0)
    return miniature(
        deck, index, width, height, theme, (0, 0.0), end, (1, 1), ambiguous_wide, cell_aspect
    )


def _shown(slots: list[ImageSlot]) -> bool:
    """Whether any of these pictures can be shown (a missing, remote or broken one makes no
    picture for a card: its card looks as the slide's first page)."""
    return any(slot.image.exists and not slot.image.problem for slot in slots)


# ----------------------------------------------------------------- the body


class _Part:
    """One top-level block in the span: its rows there, and how to lay it out again."""

    def __init__(self, number: int, block: m.Block, rows: Rows) -> None:
        self.number = number
        self.block = block
        self.rows = rows

    @property
    def pictures(self) -> int:
        return len(self.rows.images)

    @property
    def other_rows(self) -> int:
        """Its rows that are not picture boxes (captions, text beside them)."""
        return len(self.rows.lines) - sum(slot.height for slot in self.rows.images)


def _later_steps(
    lines: list[Text],
    body: Rows,
    steps: list[int],
    step: int,
    top: int,
    theme: Theme,
    dim: bool,
) -> None:
    """The body's rows of the steps after ``step`` dimmed or blank (their pictures gone)."""
    for row, number in enumerate(steps):
        if number > step:
            lines[top + row] = Text(lines[top + row].plain, theme.dim) if dim else Text()
    if not dim:
        body.images[:] = [slot for slot in body.images if steps[slot.row] <= step]


def _body(
    blocks: list[m.Block],
    ctx: Context,
    room: int,
    start: Position,
    end: Position | None,
    steps: StepMap | None = None,
    incremental: bool = False,
) -> Rows:
    """The blocks between ``start`` and ``end`` in at most ``room`` rows (``steps``, when
    given, is filled with the step of each row, see ``layout.steps``)."""
    tall = replace(ctx, max_image_rows=max(MIN_IMAGE_ROWS, room - 2), page_rows=room)
    parts = []
    pairs = layout_pairs(blocks, tall)
    if steps is not None:
        steps.update(step_rows(blocks, pairs, incremental))
    for number, (block, rows) in enumerate(pairs):
        shown = _slice(rows, number, start, end)
        if shown is not None:
            parts.append(_Part(number, block, shown))
    while parts and isinstance(parts[0].block, m.Rule):
        parts.pop(0)
    while parts and isinstance(parts[-1].block, m.Rule):
        parts.pop()
    if _height(parts, 1) <= room:
        return stack([p.rows for p in parts], gap=1)
    texts = [p for p in parts if not p.pictures]
    count = sum(p.pictures for p in parts)
    if count:
        text = sum(len(p.rows.lines) for p in texts)
        extra = sum(p.other_rows for p in parts if p.pictures)
        # Pictures take up to half the room from the text, leaving a row to each text
        # block when they can (and all the room their captions leave, when they are many).
        floor = max(MIN_IMAGE_ROWS, min(room // 2, room - extra - len(texts)) // count)
        for gap in (1, 0):
            share = (room - text - extra - gap * (len(parts) - 1)) // count
            if share >= floor:
                _shrink(parts, ctx, room, share, start, end, steps)
                if _height(parts, gap) <= room:
                    return stack([p.rows for p in parts], gap=gap)
        _shrink(parts, ctx, room, floor, start, end, steps)
    budget = room - sum(len(p.rows.lines) for p in parts if p.pictures)
    keep = _shares([len(p.rows.lines) for p in texts], budget)
    for part, kept in zip(texts, keep, strict=True):
        part.rows = _elide(part.rows, kept, ctx)
    return stack([p.rows for p in parts if p.rows.lines], gap=0)


def _height(parts: list[_Part], gap: int) -> int:
    return sum(len(p.rows.lines) for p in parts) + gap * max(0, len(parts) - 1)


def _shrink(
    parts: list[_Part],
    ctx: Context,
    room: int,
    rows: int,
    start: Position,
    end: Position | None,
    steps: StepMap | None = None,
) -> None:
    """Lay the blocks with pictures out again, each picture at most ``rows`` tall (keeping
    their steps)."""
    smaller = replace(ctx, max_image_rows=rows, page_rows=room)
    for part in parts:
        if part.pictures:
            shown = _slice(layout_block(part.block, smaller), part.number, start, end)
            if shown is not None and shown.images:
                if steps is not None:
                    same_step(steps, part.rows, shown)
                part.rows = shown


def _slice(rows: Rows, number: int, start: Position, end: Position | None) -> Rows | None:
    """The rows of top-level block ``number`` that lie between ``start`` and ``end`` (a row
    where the span starts or ends inside it is kept), or None when there are none. Where a
    row is: how much of the block's text comes before it, as ``layout.page`` counts it."""
    if not rows.lines:
        return None
    if (number, 0.0) >= start and (end is None or (number, 1.0) < end):
        return rows  # the whole block (the common case)
    counts = [_letters(line.plain) for line in rows.lines]
    total = max(1, sum(counts))
    kept = []
    before = 0
    for row, count in enumerate(counts):
        here, after = (number, before / total), (number, (before + count) / total)
        before += count
        if (end is None or here < end) and (after > start or here >= start):
            kept.append(row)
    if not kept:
        return None
    first, last = kept[0], kept[-1] + 1
    if (first, last) == (0, len(rows.lines)):
        return rows
    inside = [slot for slot in rows.images if first <= slot.row and slot.row + slot.height <= last]
    return Rows(rows.lines[first:last], [slot.moved(-first, 0) for slot in inside])


def _shares(sizes: list[int], budget: int) -> list[int]:
    """How many rows each text block keeps so that together they take at most ``budget``:
    the longest give way first (every block keeps the same most rows, ``cap``, or all of
    its own when fewer), the rows left over go to the longest. With fewer rows than
    blocks, the first blocks and the last keep a row each, those between none."""
    if sum(sizes) <= budget:
        return sizes
    if budget <= 0:
        return [0 for _ in sizes]
    if budget < len(sizes):
        keep = [1 if n < budget - 1 else 0 for n in range(len(sizes))]
        keep[-1] = 1
        return keep
    cap = 1
    while sum(min(size, cap + 1) for size in sizes) <= budget:
        cap += 1
    keep = [min(size, cap) for size in sizes]
    spare = budget - sum(keep)
    for n in sorted(range(len(sizes)), key=lambda n: -sizes[n]):
        if spare and keep[n] < sizes[n]:
            keep[n] += 1
            spare -= 1
    return keep


def _elide(rows: Rows, keep: int, ctx: Context) -> Rows:
    """The first ``keep`` of ``rows``, the last of them ended with "…" when some are left
    out (text blocks only: no picture boxes)."""
    if keep >= len(rows.lines):
        return rows
    if keep <= 0:
        return Rows()
    return Rows([*rows.lines[: keep - 1], _ended(rows.lines[keep - 1], ctx)])


def _ended(line: Text, ctx: Context) -> Text:
    """``line`` ended with "…" (where a block's rows are left out), within the width."""
    out = line.copy()
    out.rstrip()
    if out.cell_len + 1 > ctx.width:
        out.truncate(max(0, ctx.width - 1))
        out.rstrip()
    out.append("…", ctx.theme.dim)
    return out
