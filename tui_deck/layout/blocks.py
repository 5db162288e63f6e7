"""Block layout: each block of a slide becomes rows of styled text at a width in cells.

Pure: no terminal, no Textual. Every row is a rich ``Text`` at most ``width`` cells wide;
images become a framed box whose position is recorded as an :class:`ImageSlot`, so the app
can paint pixels over it and the text export shows the frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui_deck import model as m
from tui_deck.cjk import is_cjk
from tui_deck.images import DEFAULT_SIZE
from tui_deck.layout.cells import text_width
from tui_deck.layout.linebreak import longest_unit, wrap
from tui_deck.layout.theme import Theme
from tui_deck.words import WORDS, say

#: Terminal cells are about twice as tall as they are wide.
CELL_ASPECT = 0.5
MIN_IMAGE_ROWS = 3
#: The narrowest a picture is drawn, as a share of the text width (or its natural width,
#: when that is smaller): a photograph half the width, a chart or diagram 60%.
READABLE, READABLE_LINE_ART = 0.5, 0.6

ICONS = {"tip": "✔", "warning": "⚠", "idea": "💡", "note": "✎"}


@dataclass
class ImageSlot:
    """Where an image sits: ``row``/``col`` from the top left of the rows that hold it."""

    image: m.ImageRef
    row: int
    col: int
    width: int
    height: int

    def moved(self, rows: int, cols: int) -> ImageSlot:
        return ImageSlot(self.image, self.row + rows, self.col + cols, self.width, self.height)


@dataclass
class Rows:
    lines: list[Text] = field(default_factory=list)
    images: list[ImageSlot] = field(default_factory=list)
    #: Rows before which a page may break well, as (row, depth): the starts of the parts of
    #: a block (list items, the blocks inside a callout). A split prefers the shallowest,
    #: so that a part that fits a page (a list in a tip) is kept whole.
    breaks: list[tuple[int, int]] = field(default_factory=list)
    #: A heading or a lead-in ("…as follows:") that must not end a page.
    keep_with_next: bool = False
    #: For a page's body: where in the slide it starts (see ``layout.page.Position``).
    start: tuple[int, float] = (0, 0.0)
    #: Row ranges [start, end) that a page never cuts: a picture's frame with its caption,
    #: a table row of several lines, a table's header with its first row.
    keeps: list[tuple[int, int]] = field(default_factory=list)
    #: Header rows a table repeats when it goes on over a page: (start, end of header, end
    #: of table). A page break inside the table's body starts the next page with copies
    #: of rows [start, end of header).
    repeats: list[tuple[int, int, int]] = field(default_factory=list)
    #: For a page's body: the steps it shows (``<!-- pause -->``, incremental lists), as
    #: (step, the row where it starts on this page), in order; empty: a slide of one step.
    steps: list[tuple[int, int]] = field(default_factory=list)

    def extend(
        self, other: Rows, indent: int = 0, prefix: Callable[[int], Text] | None = None
    ) -> None:
        top = len(self.lines)
        for number, line in enumerate(other.lines):
            if prefix is not None:
                head = prefix(number)
                head.append_text(line)
                line = head
            elif indent:
                line.pad_left(indent)
            self.lines.append(line)
        offset = indent if prefix is None else (prefix(0).cell_len if other.lines else 0)
        self.images.extend(slot.moved(top, offset) for slot in other.images)
        # Two steps a level, so that a demoted break (after a lead-in) is still shallower.
        self.breaks.extend((row + top, depth + 2) for row, depth in other.breaks)
        self.keeps.extend((start + top, end + top) for start, end in other.keeps)
        self.repeats.extend((a + top, b + top, c + top) for a, b, c in other.repeats)


@dataclass(frozen=True)
class Context:
    width: int
    theme: Theme
    lang: str = "en"
    ambiguous_wide: bool = False
    #: The tallest an image box may be (so that it fits a page with its caption).
    max_image_rows: int = 20
    #: The rows of a page's body, when known: a picture and its caption never take more.
    page_rows: int = 0
    #: A cell's width divided by its height (terminal cells are about half as wide as tall).
    cell_aspect: float = CELL_ASPECT
    #: The page's text width (``width`` is narrower inside a list, a tab, a callout): a
    #: picture's readable size is a share of it (0: not laid out on a page, no such size).
    page_width: int = 0
    #: The share of it below which a chart or diagram is not drawn (``READABLE_LINE_ART``).
    readable_line_art: float = READABLE_LINE_ART


def inline_text(runs: m.Inlines, theme: Theme, style: Style | str = "") -> Text:
    text = Text(style=style)
    for run in runs:
        text.append(run.text, theme.run(run.styles, run.url))
    return text


def wrap_text(text: Text, ctx: Context, width: int | None = None) -> list[Text]:
    return wrap(text, max(1, width or ctx.width), ambiguous_wide=ctx.ambiguous_wide)


def layout_blocks(blocks: list[m.Block], ctx: Context) -> list[Rows]:
    """One :class:`Rows` per block, in order (a page may break between any two)."""
    return [rows for _, rows in layout_pairs(blocks, ctx)]


def layout_pairs(blocks: list[m.Block], ctx: Context) -> list[tuple[m.Block, Rows]]:
    """Each block with its rows (blocks that show nothing are left out). The comment
    commands between them act here: ``alignment`` aligns the blocks after it, and
    ``new_lines: N`` (``new_line``) puts N more blank rows above the next block."""
    out = []
    align = "left"
    blank = 0
    for block in blocks:
        if isinstance(block, m.Command):
            if block.name == "alignment" and isinstance(block.value, str):
                align = block.value
            elif block.name in ("new_lines", "new_line"):
                blank += block.value if isinstance(block.value, int) else 1
            continue
        rows = layout_block(block, ctx)
        if rows.lines:
            if align != "left":
                _align_rows(rows, block, ctx.width, align)
            if blank:
                rows = _blank_above(rows, blank)
                blank = 0
            out.append((block, rows))
    return out


def _align_rows(rows: Rows, block: m.Block, width: int, align: str) -> None:
    """Text is aligned line by line (by cells); a list, code, a table or a frame is moved
    as one piece, its lines keeping their places against each other."""
    by_line = isinstance(block, m.Paragraph | m.Heading)
    widest = max(line.cell_len for line in rows.lines)
    shifts = []
    for line in rows.lines:
        room = max(0, width - (line.cell_len if by_line else widest))
        shift = room // 2 if align == "center" else room if align == "right" else 0
        if shift:
            line.pad_left(shift)
        shifts.append(shift)
    rows.images[:] = [slot.moved(0, shifts[slot.row]) for slot in rows.images]


def _blank_above(rows: Rows, count: int) -> Rows:
    out = Rows([Text() for _ in range(count)])
    out.extend(rows)
    out.keep_with_next = rows.keep_with_next
    return out


def layout_block(block: m.Block, ctx: Context) -> Rows:
    return RENDERERS.get(type(block), _unknown)(block, ctx)


def stack(parts: list[Rows], gap: int = 1) -> Rows:
    rows = Rows()
    for number, part in enumerate(parts):
        if number and gap:
            rows.lines.extend(Text() for _ in range(gap))
        if number:
            # After a lead-in, only when nothing better is near: a whole part comes first.
            rows.breaks.append((len(rows.lines), int(parts[number - 1].keep_with_next)))
        rows.extend(part)
    return rows


def _paragraph(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Paragraph)
    rows = Rows(wrap_text(inline_text(block.inlines, ctx.theme), ctx))
    # A short lead-in to what follows (``执行以下命令：``) stays on its page.
    rows.keep_with_next = len(rows.lines) <= 2 and m.plain(block.inlines).rstrip().endswith(
        (":", "：")
    )
    return rows


def _heading(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Heading)
    style = ctx.theme.title if block.level <= 4 else Style(bold=True)
    rows = Rows(wrap_text(inline_text(block.inlines, ctx.theme, style), ctx))
    rows.keep_with_next = True
    return rows


BULLETS = ("•", "◦", "▪")


def _list(block: m.Block, ctx: Context, depth: int = 0) -> Rows:
    assert isinstance(block, m.ListBlock)
    rows = Rows()
    last = block.start + len(block.items) - 1
    number_width = len(str(last))
    for number, item in enumerate(block.items, start=block.start):
        if block.ordered:
            marker = f"{number}.".rjust(number_width + 1) + " "
        else:
            marker = BULLETS[depth % len(BULLETS)] + " "
        if cell_len(marker) * 3 > ctx.width:  # too narrow for a hanging indent
            marker = marker.strip()[:1] + " " if ctx.width >= 2 else ""
        mw = cell_len(marker)
        inner = replace(ctx, width=max(1, ctx.width - mw))
        body = _item_body(item, inner, depth, block.tight)
        if not body.lines:
            body.lines.append(Text())
        if rows.lines and not block.tight:
            rows.lines.append(Text())
        marker_style = ctx.theme.dim if not block.ordered else ctx.theme.title
        if rows.lines:
            rows.breaks.append((len(rows.lines), 0))
        rows.extend(body, prefix=_marker_prefix(marker, marker_style))
    return rows


def _item_body(item: m.ListItem, ctx: Context, depth: int, tight: bool) -> Rows:
    """An item's blocks a blank line apart, as at top level (a tight list's paragraph and
    the nested list under it stay together)."""
    body = Rows()
    before: m.Block | None = None
    for child in item.blocks:
        if isinstance(child, m.ListBlock):
            part = _list(child, ctx, depth + 1)
        else:
            part = RENDERERS.get(type(child), _unknown)(child, ctx)
        if not part.lines:
            continue
        together = tight and (isinstance(child, m.ListBlock) or isinstance(before, m.ListBlock))
        if before is not None and not together:
            body.lines.append(Text())
        body.extend(part)
        before = child
    return body


def _marker_prefix(marker: str, style: Style) -> Callable[[int], Text]:
    """The list marker on an item's first row, spaces of the same width on the others."""
    blank = " " * cell_len(marker)

    def prefix(row: int) -> Text:
        return Text.assemble((marker, style)) if row == 0 else Text(blank)

    return prefix


def _code(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.CodeBlock)
    theme = ctx.theme
    highlighted = _highlight(block.code, block.lang, theme)
    inner = max(1, ctx.width - 2)
    rows = Rows()
    for line in highlighted.split("\n", allow_blank=True):
        for segment, last in _fold(line, inner):
            marker = " " if last else "↩"
            row = Text(" ", theme.code)
            row.append_text(segment)
            row.pad_right(max(0, ctx.width - 1 - row.cell_len))
            row.append(marker, theme.code + theme.dim)
            row.stylize(theme.code)
            rows.lines.append(row)
    if block.exec and theme.live:
        _mark_live(rows.lines, say(ctx.lang, "exec_marker"), ctx.width, theme)
    if block.output is not None:
        rows.lines.extend(_output_rows(block.output, block.outcome, ctx))
    return rows


#: The most lines of a command's output an export shows (its last ones).
OUTPUT_LINES = 40


def _output_rows(output: str, outcome: str, ctx: Context) -> list[Text]:
    """What ``export --allow-exec`` captured, under the code: a rule ending with how the
    command ended, then its last lines in their colours, folded as code is."""
    theme, width = ctx.theme, ctx.width
    ok = outcome.startswith("✓")
    label = Text(f" {outcome} ", Style(color=theme.tip if ok else theme.warning))
    rule = Text("─" * max(0, width - label.cell_len - 1), theme.dim)
    rule.append_text(label)
    rule.append("─", theme.dim)
    out = [rule]
    lines = output.split("\n") if output else []
    if len(lines) > OUTPUT_LINES:
        more = say(ctx.lang, "exec_more", count=len(lines) - OUTPUT_LINES)
        out.append(Text(" " + more, theme.dim))
        lines = lines[-OUTPUT_LINES:]
    for line in lines:
        for segment, last in _fold(Text.from_ansi(line, end=""), max(1, width - 2)):
            row = Text(" ")
            row.append_text(segment)
            if not last:
                row.pad_right(max(0, width - 1 - row.cell_len))
                row.append("↩", theme.dim)
            out.append(row)
    return out


def _mark_live(lines: list[Text], marker: str, width: int, theme: Theme) -> None:
    """The ``▶ e`` key, dim, at the block's bottom-right (where its output will show, just
    under it), else on a row of its own under the code: it covers no code."""
    room = cell_len(marker) + 2  # a space before it and the fold column after it
    row = lines[-1]
    if cell_len(row.plain.rstrip()) + room > width:
        row = Text(" " * max(0, width), theme.code)
        lines.append(row)
    row.truncate(max(0, width - room + 1))  # (cells: the code ends before, padding goes)
    row.append(marker + " ", theme.code + theme.dim)


@lru_cache(maxsize=256)
def _highlight(code: str, lang: str, theme: Theme) -> Text:
    """The code in the theme's colours (cached: the same at every size; callers copy)."""
    lexer = (lang or "").lower()
    if lexer in ("", "plain", "text", "txt", "none", "console-output"):
        return Text(code)
    try:
        from rich.syntax import Syntax

        syntax = Syntax(code, lexer, theme=theme.pygments, background_color="default")
        text = syntax.highlight(code)
        text.rstrip()
        return text
    except Exception:  # an unknown language is plain text
        return Text(code)


#: A folded code line breaks at a space or after one of these, not inside a token (":"
#: too, for ports, image tags and the hex of certificates).
FOLD_AFTER = frozenset("/-_.,=|&:")


def _fold(line: Text, width: int) -> list[tuple[Text, bool]]:
    """Cut a code line into pieces of at most ``width`` cells, each but the last followed
    by the ``↩`` marker (so at most ``width - 1`` cells).

    A piece ends at the last space or ``/ - _ . , = | & :`` in the last third of its room,
    and inside a token only when there is none. The pieces after the first keep the
    line's indent plus two cells. Styles (the highlighting) go with the characters.
    """
    if line.cell_len <= width:
        return [(line, True)]
    plain = line.plain
    budget = max(1, width - 1)
    lead = len(plain) - len(plain.lstrip(" "))
    hang = min(lead + 2, budget // 2)
    ranges: list[tuple[int, int]] = []
    start = 0
    while start < len(plain):
        room = budget if not ranges else max(1, budget - hang)
        used, end = 0, start
        while end < len(plain):
            cells = cell_len(plain[end])
            if used + cells > room and end > start:
                break
            used += cells
            end += 1
        cut = end if end >= len(plain) else _fold_point(plain, start, end, room)
        ranges.append((start, cut))
        start = cut
        while start < len(plain) and plain[start] == " ":
            start += 1  # the spaces at a fold are not carried to the next row
    # One divide for all pieces (slicing a Text copies all of it each time).
    offsets = sorted({offset for piece in ranges for offset in piece} - {0})
    parts = dict(zip([0, *offsets], line.divide(offsets), strict=False))
    pieces = []
    for number, (start, _cut) in enumerate(ranges):
        piece = parts[start]
        if number:
            piece.pad_left(hang)
        pieces.append((piece, number == len(ranges) - 1))
    return pieces


def _fold_point(plain: str, start: int, end: int, room: int) -> int:
    """Where to end the piece ``plain[start:end]`` (which fills ``room``): the last break
    in its last third, else ``end``."""
    floor = room - room // 3
    piece = plain[start:end]
    text_starts = start + len(piece) - len(piece.lstrip(" "))
    used = cell_len(piece)
    for cut in range(end, text_starts, -1):  # never leave only the indent on the row
        if used < floor:
            break
        before, after = plain[cut - 1], plain[cut]
        if after == " " or before == " ":
            return cut
        if before in FOLD_AFTER and after != " " and after not in FOLD_AFTER:
            return cut
        if is_cjk(before) or is_cjk(after):
            return cut
        used -= cell_len(before)
    return end


def _callout(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Callout)
    theme = ctx.theme
    color = theme.callout(block.kind)
    word = say(ctx.lang, block.kind) if block.kind in WORDS else block.kind
    label = Text(f"{ICONS.get(block.kind, '•')} {word}")
    label.stylize(Style(color=color, bold=True))
    inner = replace(ctx, width=max(1, ctx.width - 3))
    body = stack(layout_blocks(block.blocks, inner), gap=1)
    content = Rows([label])
    content.extend(body)
    bar = Text.assemble(("▌ ", Style(color=color)))
    rows = Rows()
    rows.extend(content, prefix=lambda _n: bar.copy())
    tint = Style(bgcolor=theme.tint)
    for line in rows.lines:
        line.pad_right(max(0, ctx.width - line.cell_len))
        line.stylize(tint)
    return rows


def _quote(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Quote)
    theme = ctx.theme
    inner = replace(ctx, width=max(1, ctx.width - 2))
    body = stack(layout_blocks(block.blocks, inner), gap=1)
    for line in body.lines:
        line.stylize(Style(italic=True))
    if block.caption:
        runs = block.caption_runs or (m.Run(block.caption),)
        caption = inline_text((m.Run("— "), *runs), theme, theme.dim)
        body.lines.extend(wrap_text(caption, inner))
    rows = Rows()
    rows.extend(body, prefix=lambda _n: Text.assemble(("│ ", theme.dim)))
    return rows


def _table(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Table)
    theme = ctx.theme
    columns = max([len(block.header), *(len(r) for r in block.rows)], default=0)
    if not columns:
        return Rows()
    grid = [block.header, *block.rows] if block.header else list(block.rows)
    cells = [
        [inline_text(row[c] if c < len(row) else (), theme) for c in range(columns)] for row in grid
    ]
    sep = 3  # " │ "
    available = max(columns, ctx.width - sep * (columns - 1))
    wide = ctx.ambiguous_wide
    natural = [max(_natural(row[c], wide) for row in cells) for c in range(columns)]
    words = [
        max(longest_unit(row[c].plain, ambiguous_wide=wide) for row in cells)
        for c in range(columns)
    ]
    widths = _fewest_lines(cells, ctx, natural, words, available)
    rows = Rows()
    aligns = block.aligns + [""] * columns
    header_end = 0
    for number, row in enumerate(cells):
        wrapped = [wrap_text(cell, ctx, widths[c]) for c, cell in enumerate(row)]
        height = max(len(w) for w in wrapped)
        top = len(rows.lines)
        # A page breaks between rows, never inside one; the header stays with the first row.
        if top > header_end:
            rows.breaks.append((top, 0))
        if height > 1:
            rows.keeps.append((top, top + height))
        if number == 1 and header_end:
            rows.keeps.append((0, top + height))
        for line_no in range(height):
            line = Text()
            for c in range(columns):
                piece = wrapped[c][line_no] if line_no < len(wrapped[c]) else Text()
                piece = _align(piece, widths[c], aligns[c])
                if number == 0 and block.header:
                    piece.stylize(Style(bold=True, color=theme.accent))
                if c:
                    line.append(" │ ", theme.dim)
                line.append_text(piece)
            rows.lines.append(line)
        if number == 0 and block.header:
            rule = "─┼─".join("─" * w for w in widths)
            rows.lines.append(Text(rule, theme.dim))
            header_end = len(rows.lines)
    if header_end and len(rows.lines) > header_end:
        rows.repeats.append((0, header_end, len(rows.lines)))
    return rows


def _natural(cell: Text, ambiguous_wide: bool) -> int:
    """The cells of a table cell's widest line, unwrapped (at least 1)."""
    return max(1, *(text_width(line, ambiguous_wide) for line in cell.plain.split("\n")))


def _settled(
    natural: list[int], words: list[int], available: int
) -> tuple[list[int], list[int], list[int] | None]:
    """Natural widths and longest words (at least 1, a word no wider than its column), and
    the widths when there is nothing to share: all natural widths fit, or not even the
    words do (then the widest are cut)."""
    natural = [max(1, n) for n in natural]
    words = [max(1, min(w, n)) for w, n in zip(words, natural, strict=True)]
    if sum(natural) <= available:
        return natural, words, natural
    if sum(words) > available:
        return natural, words, _cut_widest(words, available)
    return natural, words, None


def column_widths(natural: list[int], words: list[int], available: int) -> list[int]:
    """Column widths that fit ``available`` cells, sized by content.

    Every column gets its natural width when they all fit. Otherwise each gets its longest
    unbreakable word first and the room left is shared in proportion to what each still
    lacks. Only when the words alone do not fit are the widest ones cut, down to a level
    that the narrower columns keep whole.
    """
    natural, words, settled = _settled(natural, words, available)
    if settled is not None:
        return settled
    spare = available - sum(words)
    lacking = [n - w for n, w in zip(natural, words, strict=True)]
    total = sum(lacking)
    shares = [spare * lack // total for lack in lacking]
    # The cells left by rounding down go to the columns that lost the most to it.
    order = sorted(range(len(shares)), key=lambda i: spare * lacking[i] % total, reverse=True)
    for i in order[: spare - sum(shares)]:
        shares[i] += 1
    return [w + share for w, share in zip(words, shares, strict=True)]


def _fewest_lines(
    cells: list[list[Text]], ctx: Context, natural: list[int], words: list[int], available: int
) -> list[int]:
    """Column widths that make the table short: the better of two ways to share the room,
    then, while it saves lines, a column widened to fit one more of its cells on one line
    with the cells taken from another column (never below that column's longest word)."""
    shared = column_widths(natural, words, available)
    level = level_widths(natural, words, available)
    counts: dict[tuple[int, int], list[int]] = {}

    def height(widths: list[int]) -> int:
        columns = []
        for c, width in enumerate(widths):
            if (c, width) not in counts:
                counts[c, width] = [len(wrap_text(row[c], ctx, width)) for row in cells]
            columns.append(counts[c, width])
        return sum(max(column[r] for column in columns) for r in range(len(cells)))

    widths = level if level != shared and height(level) < height(shared) else shared
    floors = [max(1, min(w, n)) for w, n in zip(words, natural, strict=True)]
    if sum(floors) > available:
        return widths
    sizes = [
        sorted({_natural(row[c], ctx.ambiguous_wide) for row in cells}) for c in range(len(widths))
    ]
    best = height(widths)
    for _ in range(4 * len(widths)):
        trial = _widen_one(widths, sizes, floors, height, best)
        if trial is None:
            break
        widths, best = trial
    return widths


def _widen_one(
    widths: list[int],
    sizes: list[list[int]],
    floors: list[int],
    height: Callable[[list[int]], int],
    best: int,
) -> tuple[list[int], int] | None:
    """One move of cells from a column to another that makes the table shorter: a column
    widened to one of its cells' natural widths."""
    for j, width in enumerate(widths):
        for target in (size for size in sizes[j] if size > width):
            delta = target - width
            for i in range(len(widths)):
                if i == j or widths[i] - delta < floors[i]:
                    continue
                trial = list(widths)
                trial[j] += delta
                trial[i] -= delta
                rows = height(trial)
                if rows < best:
                    return trial, rows
    return None


def level_widths(natural: list[int], words: list[int], available: int) -> list[int]:
    """Column widths that raise every column to one level (a column that needs less keeps
    its natural width), so that short cells such as numbers and names stay whole and only
    the widest columns wrap; each column has at least its longest word when they all fit."""
    natural, words, settled = _settled(natural, words, available)
    if settled is not None:
        return settled
    low, high = 0, max(natural)
    while low < high:
        level = (low + high + 1) // 2
        if sum(max(w, min(n, level)) for w, n in zip(words, natural, strict=True)) <= available:
            low = level
        else:
            high = level - 1
    widths = [max(w, min(n, low)) for w, n in zip(words, natural, strict=True)]
    extra = available - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: natural[i], reverse=True):
        if extra > 0 and widths[i] < natural[i]:
            widths[i] += 1
            extra -= 1
    return widths


def _cut_widest(words: list[int], available: int) -> list[int]:
    """Narrow the widest columns to one level (the highest at which the table fits), so
    that the columns whose words are narrower than it keep them whole."""
    low, high = 1, max(words)
    while low < high:
        level = (low + high + 1) // 2
        if sum(min(w, level) for w in words) <= available:
            low = level
        else:
            high = level - 1
    widths = [min(w, low) for w in words]
    extra = available - sum(widths)
    for i in sorted(range(len(words)), key=lambda i: words[i], reverse=True):
        if extra <= 0:
            break
        if widths[i] < words[i]:
            widths[i] += 1
            extra -= 1
    return widths


def _align(text: Text, width: int, align: str) -> Text:
    gap = max(0, width - text.cell_len)
    if align == "right":
        return Text(" " * gap) + text
    if align == "center":
        return Text(" " * (gap // 2)) + text + Text(" " * (gap - gap // 2))
    return text + Text(" " * gap)


def centre(text: Text, width: int) -> Text:
    """Centre a line by cells (never by characters). Changes ``text`` and returns it."""
    gap = max(0, width - text.cell_len)
    text.pad_left(gap // 2)
    return text


#: A terminal cell is about this many pixels wide (the exports draw 10x20 px cells): a
#: picture's natural width in cells is its width in pixels over this.
CELL_PIXELS = 10
#: How far past its natural width a picture is enlarged (an icon is not blown up to the
#: page's width): a raster twice, an SVG, which stays sharp, four times.
MAX_ZOOM, MAX_ZOOM_VECTOR = 2, 4


def natural_width(image: m.ImageRef) -> int | None:
    """The picture's width in cells at its own size (None: not known)."""
    if not image.pixels:
        return None
    return max(1, -(-image.pixels[0] // CELL_PIXELS))


def readable_width(image: m.ImageRef, ctx: Context) -> int:
    """The narrowest a picture is drawn in ``ctx.width`` cells: half the page's text width
    (60% for line art), or its natural width when that is smaller; never below 4 cells,
    never over ``ctx.width``. A frame that only says why there is no picture (missing,
    remote, ...) may be as narrow as that, and so may a picture laid out outside a page
    (no ``ctx.page_width``: a preview or card that shrinks a page into a box, the zoom)."""
    width = ctx.width
    if image.problem or not image.exists or not ctx.page_width:
        return min(width, 4)
    share = ctx.readable_line_art if image.line_art else READABLE
    floor = math.ceil(ctx.page_width * share)
    natural = natural_width(image)
    if natural is not None:
        floor = min(floor, natural)
    return min(width, max(4, floor))


def image_box(image: m.ImageRef, ctx: Context, captions: int = 0) -> tuple[int, int]:
    """(width, height) in cells of an image's box at this width, keeping its aspect ratio.

    As wide as the text (or the author's ``width``), but on a page not blown up past
    ``MAX_ZOOM`` times its natural width; made shorter to fit ``ctx.max_image_rows``, but
    never narrower than ``readable_width``; and never, with its ``captions``, taller than
    a page (``ctx.page_rows``), which is the one limit that may make it narrower still.
    """
    pixel_w, pixel_h = image.pixels or DEFAULT_SIZE
    per_cell = pixel_h / pixel_w * ctx.cell_aspect  # rows a cell of width takes

    def rows_for(width: int) -> int:
        return max(MIN_IMAGE_ROWS, round(width * per_cell))

    def width_for(rows: int) -> int:
        return min(ctx.width, max(4, round(rows / per_cell)))

    widest = ctx.width
    natural = natural_width(image)
    if natural is not None and ctx.page_width:  # on a page (the zoom fills the screen)
        vector = str(image.path or image.src).lower().endswith(".svg")
        widest = min(widest, max(4, natural * (MAX_ZOOM_VECTOR if vector else MAX_ZOOM)))
    floor = min(widest, readable_width(image, ctx))
    width = round(ctx.width * image.width) if image.width else widest
    width = min(widest, max(floor, width))
    rows = rows_for(width)
    if rows > ctx.max_image_rows:
        narrower = min(width, width_for(max(MIN_IMAGE_ROWS, ctx.max_image_rows)))
        if narrower >= floor:
            width, rows = narrower, max(MIN_IMAGE_ROWS, ctx.max_image_rows)
        else:
            width = floor
            rows = rows_for(width)
    page = ctx.page_rows - captions
    if ctx.page_rows and rows > page:
        rows = max(MIN_IMAGE_ROWS, page)
        width = width_for(rows)
    return width, rows


def _image(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.ImageBlock)
    image = block.image
    theme = ctx.theme
    captions: list[Text] = []
    if image.caption:
        style = Style(color=theme.muted, italic=True)
        caption = (
            inline_text(image.caption_runs, theme, style)
            if image.caption_runs
            else Text(image.caption, style)
        )
        captions = [centre(line, ctx.width) for line in wrap_text(caption, ctx)]
    # Frame and caption on one page: the picture gives way to a long caption.
    width, height = image_box(image, ctx, len(captions))
    left = (ctx.width - width) // 2
    frame = theme.dim
    name = image.src.rsplit("/", 1)[-1] or image.src
    label = f"▣ {name}" if image.exists else f"✗ {name}"
    if image.problem in ("missing", "outside", "remote"):
        label = f"{say(ctx.lang, 'image_' + image.problem)}: {name}"
    rows = Rows()
    inner = max(0, width - 2)
    for row in range(height):
        if row == 0:
            line = Text("┌" + "─" * inner + "┐", frame)
        elif row == height - 1:
            line = Text("└" + "─" * inner + "┘", frame)
        else:
            middle = Text(" " * inner)
            if row == height // 2 and inner:
                piece = Text(label, theme.warning if not image.exists else theme.muted)
                piece.truncate(inner, overflow="ellipsis")
                middle = _align(piece, inner, "center")
            line = Text.assemble(("│", frame), middle, ("│", frame))
        rows.lines.append(Text(" " * left) + line)
    rows.images.append(ImageSlot(image, 0, left, width, height))
    rows.lines.extend(captions)
    # The frame is never cut; nor is its caption from it, unless the two cannot share a page.
    whole = not ctx.page_rows or len(rows.lines) <= ctx.page_rows
    rows.keeps.append((0, len(rows.lines) if whole else height))
    return rows


def _section(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Section)
    label = Text.assemble(
        ("▸ ", ctx.theme.dim), (block.label, Style(bold=True, color=ctx.theme.accent))
    )
    inner = replace(ctx, width=max(1, ctx.width - 2))
    rows = Rows(wrap_text(label, ctx))
    rows.extend(stack(layout_blocks(block.blocks, inner), gap=1), indent=2)
    return rows


def _rule(block: m.Block, ctx: Context) -> Rows:
    return Rows([Text("─" * ctx.width, ctx.theme.dim)])


def _unknown(block: m.Block, ctx: Context) -> Rows:
    text = m.block_text(block)
    return Rows(wrap_text(Text(text), ctx)) if text else Rows()


def _footnotes(block: m.Block, ctx: Context) -> Rows:
    """A short rule, then each note as "¹ text" with a hanging indent, in the dim colour."""
    assert isinstance(block, m.Footnotes)
    theme = ctx.theme
    rows = Rows([Text("─" * min(ctx.width, 12), theme.dim)])
    markers = [m.superscript(note.number) for note in block.notes]
    width = max((cell_len(marker) for marker in markers), default=0)
    for note, marker in zip(block.notes, markers, strict=True):
        head = marker.rjust(width) + " "
        if cell_len(head) * 3 > ctx.width:  # too narrow for a hanging indent
            head = ""
        inner = replace(ctx, width=max(1, ctx.width - cell_len(head)))
        body = stack(layout_blocks(note.blocks, inner), gap=0)
        if not body.lines:
            body.lines.append(Text())
        rows.extend(body, prefix=_marker_prefix(head, theme.dim))
    for line in rows.lines[1:]:
        line.stylize_before(theme.dim)
    return rows


def _embed(block: m.Block, ctx: Context) -> Rows:
    """A video or page the terminal cannot play: a framed "▶ video" and the link under it."""
    assert isinstance(block, m.Embed)
    theme = ctx.theme
    label = f"▶ {m.embed_word(block.kind, ctx.lang)}"
    if block.title:
        label += f" · {block.title}"
    width = min(ctx.width, max(cell_len(label) + 4, 24))
    inner = max(0, width - 2)
    piece = Text(label, Style(color=theme.accent, bold=True))
    piece.truncate(inner, overflow="ellipsis")
    rows = Rows()
    if width >= 3:
        rows.lines.append(Text("┌" + "─" * inner + "┐", theme.dim))
        middle = _align(piece, inner, "center")
        rows.lines.append(Text.assemble(("│", theme.dim), middle, ("│", theme.dim)))
        rows.lines.append(Text("└" + "─" * inner + "┘", theme.dim))
    else:
        rows.lines.extend(wrap_text(piece, ctx))
    link = Text(block.url, theme.run(frozenset({m.LINK}), block.url))
    rows.lines.extend(wrap_text(link, ctx))
    rows.keeps.append((0, len(rows.lines)))  # the frame with its link, like a picture
    return rows


def _columns(block: m.Block, ctx: Context) -> Rows:
    from tui_deck.layout.columns import layout_columns  # it lays its columns out with these

    return layout_columns(block, ctx)


RENDERERS: dict[type, Callable[[m.Block, Context], Rows]] = {
    m.Paragraph: _paragraph,
    m.Heading: _heading,
    m.ListBlock: _list,
    m.CodeBlock: _code,
    m.Callout: _callout,
    m.Quote: _quote,
    m.Table: _table,
    m.ImageBlock: _image,
    m.Section: _section,
    m.Rule: _rule,
    m.Footnotes: _footnotes,
    m.Embed: _embed,
    m.Columns: _columns,
    m.Command: lambda block, ctx: Rows(),  # acted on by layout_pairs (or later steps)
}
