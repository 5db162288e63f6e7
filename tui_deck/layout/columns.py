"""Side-by-side columns (``<!-- column_layout: [1, 2] -->``): a ``model.Columns`` as rows.

Each column is laid out by the same block renderers at its own width (so Chinese text
breaks inside its column, and a picture takes its column's width), then the columns are
set beside each other, a gap apart, top-aligned, their image slots moved to where they
stand. The region is one block for pagination: never cut across pages. On a narrow screen
(a page's text width under ``STACK_BELOW``, an 80-column terminal's), when a column would be
too narrow to read, or when the region side by side is taller than a page, the columns
stack instead: one after the other, in column order, at the page's width, as blocks
that a page may break between.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from tui_deck import model as m
from tui_deck.layout.blocks import Context, Rows, layout_pairs, stack

#: Columns stack below this text width: an 80-column terminal's (80 less two 4-cell margins).
STACK_BELOW = 72
#: Nor is a column made narrower than this (a few words, or CJK characters, a line).
MIN_COLUMN = 12
#: The cells between two columns.
GAP = 3


def column_widths(weights: tuple[int, ...], width: int, gap: int = GAP) -> list[int]:
    """The widths in cells of columns in proportion to ``weights``, ``gap`` cells apart,
    filling ``width``: the cells left by rounding down go to the largest remainders."""
    room = max(len(weights), width - gap * (len(weights) - 1))
    total = sum(weights)
    widths = [room * weight // total for weight in weights]
    order = sorted(range(len(weights)), key=lambda i: room * weights[i] % total, reverse=True)
    for i in order[: room - sum(widths)]:
        widths[i] += 1
    return widths


def layout_columns(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Columns)
    widths = column_widths(block.widths, ctx.width)
    # A preview (no page width: the speaker's view of the audience's page) keeps them
    # side by side while each column has room, as the projector shows them.
    narrow = ctx.width < STACK_BELOW and bool(ctx.page_width)
    if narrow or min(widths) < MIN_COLUMN:
        return stacked(block, ctx)
    parts = []
    for blocks, width in zip(block.columns, widths, strict=True):
        # A picture in a column takes the column's width: its readable size is a share of
        # the column, not of the page.
        inner = replace(ctx, width=width, page_width=width if ctx.page_width else 0)
        parts.append(stack([rows for _, rows in layout_pairs(blocks, inner)]))
    height = max(len(part.lines) for part in parts)
    if ctx.page_width and ctx.page_rows and height > ctx.page_rows:
        return stacked(block, ctx)
    rows = Rows()
    offsets = []
    left = 0
    for width in widths:
        offsets.append(left)
        left += width + GAP
    for row in range(height):
        line = Text()
        for number, (part, width) in enumerate(zip(parts, widths, strict=True)):
            piece = part.lines[row].copy() if row < len(part.lines) else Text()
            if piece.cell_len > width:  # a guarantee: renderers keep to their width
                piece.truncate(width)
            if number:
                line.append(" " * (offsets[number] - line.cell_len))
            line.append_text(piece)
        # As wide as the region, so that an alignment moves nothing: it holds in each column.
        line.append(" " * (ctx.width - line.cell_len))
        rows.lines.append(line)
    for part, offset in zip(parts, offsets, strict=True):
        rows.images.extend(slot.moved(0, offset) for slot in part.images)
    rows.keeps.append((0, height))  # one block: a page never cuts it
    return rows


def stacked(block: m.Columns, ctx: Context) -> Rows:
    """The columns one after the other at the full width, in column order."""
    return stack([rows for column in block.columns for _, rows in layout_pairs(column, ctx)])
