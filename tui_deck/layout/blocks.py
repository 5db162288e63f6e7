"""Block layout: each block of a slide becomes rows of styled text at a width in cells.

Pure: no terminal, no Textual. Every row is a rich ``Text`` at most ``width`` cells wide;
images become a framed box whose position is recorded as an :class:`ImageSlot`, so the app
can paint pixels over it and the text export shows the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui_deck import model as m
from tui_deck.images import DEFAULT_SIZE, image_size
from tui_deck.layout.linebreak import wrap
from tui_deck.layout.theme import Theme

#: Terminal cells are about twice as tall as they are wide.
CELL_ASPECT = 0.5
MIN_IMAGE_ROWS = 3

LABELS = {
    "zh": {"tip": "提示", "warning": "警告", "idea": "想法", "note": "注意"},
    "en": {"tip": "Tip", "warning": "Warning", "idea": "Idea", "note": "Note"},
}
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


@dataclass(frozen=True)
class Context:
    width: int
    theme: Theme
    lang: str = "en"
    ambiguous_wide: bool = False
    #: The tallest an image box may be (so that it fits a page with its caption).
    max_image_rows: int = 20
    #: A cell's width divided by its height (terminal cells are about half as wide as tall).
    cell_aspect: float = CELL_ASPECT


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
    """Each block with its rows (blocks that show nothing are left out)."""
    out = []
    for block in blocks:
        rows = layout_block(block, ctx)
        if rows.lines:
            out.append((block, rows))
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
        parts = []
        for child in item.blocks:
            if isinstance(child, m.ListBlock):
                parts.append(_list(child, inner, depth + 1))
            else:
                parts.append(RENDERERS.get(type(child), _unknown)(child, inner))
        body = stack([p for p in parts if p.lines], gap=0)
        if not body.lines:
            body.lines.append(Text())
        marker_style = ctx.theme.dim if not block.ordered else ctx.theme.title
        if rows.lines:
            rows.breaks.append((len(rows.lines), 0))
        rows.extend(body, prefix=_marker_prefix(marker, marker_style))
    return rows


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
    return rows


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


def _fold(line: Text, width: int) -> list[tuple[Text, bool]]:
    """Cut a code line into pieces of at most ``width`` cells (never re-wrapped at spaces)."""
    if line.cell_len <= width:
        return [(line, True)]
    pieces: list[tuple[Text, bool]] = []
    start = 0
    plain = line.plain
    while start < len(plain):
        used, end = 0, start
        while end < len(plain):
            w = cell_len(plain[end])
            if used + w > width - 1 and end > start:  # leave room for the ↩ marker
                break
            used += w
            end += 1
        pieces.append((line[start:end], end >= len(plain)))
        start = end
    return pieces


def _callout(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.Callout)
    theme = ctx.theme
    color = theme.callout(block.kind)
    labels = LABELS["zh"] if ctx.lang.startswith("zh") else LABELS["en"]
    label = Text(f"{ICONS.get(block.kind, '•')} {labels.get(block.kind, block.kind)}")
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
        body.lines.extend(wrap_text(Text(f"— {block.caption}", theme.dim), inner))
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
    natural = [max(cells[r][c].cell_len for r in range(len(cells))) for c in range(columns)]
    widths = _shrink([max(1, n) for n in natural], available)
    rows = Rows()
    aligns = block.aligns + [""] * columns
    for number, row in enumerate(cells):
        wrapped = [wrap_text(cell, ctx, widths[c]) for c, cell in enumerate(row)]
        height = max(len(w) for w in wrapped)
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
    return rows


def _shrink(widths: list[int], available: int) -> list[int]:
    """Narrow the widest columns until the table fits ``available`` cells."""
    widths = list(widths)
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 1:
            break
        target = max(
            1, max(w for i, w in enumerate(widths) if i != widest) if len(widths) > 1 else 1
        )
        excess = sum(widths) - available
        widths[widest] = max(1, min(widths[widest] - 1, max(target, widths[widest] - excess)))
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


def image_box(image: m.ImageRef, ctx: Context) -> tuple[int, int]:
    """(width, height) in cells of an image's box at this width, keeping its aspect ratio."""
    size = image_size(image.path) if image.exists else None
    pixel_w, pixel_h = size or DEFAULT_SIZE
    width = max(4, round(ctx.width * (image.width or 1.0)))
    width = min(width, ctx.width)
    rows = max(MIN_IMAGE_ROWS, round(width * pixel_h / pixel_w * ctx.cell_aspect))
    if rows > ctx.max_image_rows:
        rows = max(MIN_IMAGE_ROWS, ctx.max_image_rows)
        width = min(ctx.width, max(4, round(rows / ctx.cell_aspect * pixel_w / pixel_h)))
    return width, rows


def _image(block: m.Block, ctx: Context) -> Rows:
    assert isinstance(block, m.ImageBlock)
    image = block.image
    theme = ctx.theme
    width, height = image_box(image, ctx)
    left = (ctx.width - width) // 2
    frame = theme.dim
    name = image.src.rsplit("/", 1)[-1] or image.src
    if image.remote:
        label = f"remote image not fetched: {name}"
    elif not image.exists and image.path is not None and image.path.is_file():
        label = f"✗ outside the deck: {name}"
    elif not image.exists:
        label = f"✗ image not found: {name}"
    else:
        label = f"▣ {name}"
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
    if image.caption:
        for line in wrap_text(Text(image.caption, Style(color=theme.muted, italic=True)), ctx):
            rows.lines.append(centre(line, ctx.width))
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
    return rows


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
    m.Embed: _embed,
}
