"""Pages: a slide laid out to a terminal size, split into pages that fit, with the footer.

``layout_slide(deck, index, size)`` is what the presenter shows and what every export
writes: the screen is a list of exactly ``height`` rows, each at most ``width`` cells.
Nothing is clipped: a slide taller than the screen becomes several pages, split between
blocks (inside a long block, between lines), the title repeated with a page marker.
A section heading with no text of its own, followed by its slides, is a divider: its
title in the middle of the page and its slides' titles under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui_deck import model as m
from tui_deck.deck import Deck, Slide
from tui_deck.layout import blocks as blocks_module
from tui_deck.layout.blocks import (
    CELL_ASPECT,
    MIN_IMAGE_ROWS,
    Context,
    ImageSlot,
    Rows,
    centre,
    layout_block,
    layout_blocks,
    layout_pairs,
    stack,
    wrap_text,
)
from tui_deck.layout.cells import text_width
from tui_deck.layout.linebreak import wrap_plain
from tui_deck.layout.steps import mark_steps, reveal, same_step, shift_steps, step_rows
from tui_deck.layout.theme import DEFAULT_THEME, Theme
from tui_deck.words import is_chinese, say

#: The narrowest and shortest screens that still show a slide.
MIN_WIDTH, MIN_HEIGHT = 40, 12
#: Text lines longer than this many cells are hard to read on a projector.
MAX_MEASURE = 120


@dataclass(frozen=True)
class Size:
    width: int
    height: int

    @classmethod
    def parse(cls, text: str) -> Size:
        """``100x30`` → Size(100, 30); raises ValueError with a message a user understands."""
        parts = text.lower().replace("×", "x").split("x")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"size {text!r} is not WIDTHxHEIGHT, for example 100x30")
        width, height = (int(p) for p in parts)
        if width < 1 or height < 1:
            raise ValueError(f"size {text!r} must be at least 1x1")
        return cls(width, height)


@dataclass
class Page:
    slide: int  #: 0-based slide position in the deck
    page: int  #: 1-based page of that slide
    pages: int
    lines: list[Text]
    images: list[ImageSlot] = field(default_factory=list)
    #: The row on which the body starts (below the title).
    body_top: int = 0
    #: The number of rows the footer takes at the bottom.
    footer_rows: int = 0
    #: Where in the slide the body starts, the same at every size: the top-level block and
    #: how far into it (0.0 to 1.0). The page another screen shows for this one is the
    #: last of its pages that starts at or before it (``same_place``).
    start: tuple[int, float] = (0, 0.0)
    #: The steps this page shows (``layout.steps``): each with the row where it starts, in
    #: order; empty on a slide without reveals.
    steps: tuple[tuple[int, int], ...] = ()
    #: How many steps the slide has (on all its pages).
    step_count: int = 1
    #: The step shown (0: the page whole, as at its last step).
    step: int = 0

    @property
    def first_step(self) -> int:
        return self.steps[0][0] if self.steps else 1

    @property
    def last_step(self) -> int:
        return self.steps[-1][0] if self.steps else 1

    @property
    def shown_step(self) -> int:
        """The step shown, within this page's steps."""
        return min(max(self.step, self.first_step), self.last_step) if self.step else self.last_step

    def text(self) -> str:
        """The page as plain text: what the text export writes."""
        return "\n".join(line.plain.rstrip() for line in self.lines) + "\n"


@dataclass(frozen=True)
class Chrome:
    """What the footer shows besides the deck itself (the app supplies time and timer)."""

    footer: bool = True
    clock: str = ""
    timer: str = ""
    #: A short note at the right of the footer (the slide number being typed).
    status: str = ""


def margin_for(width: int) -> int:
    if width >= 60:
        return max(4, (width - MAX_MEASURE) // 2)
    return 2 if width >= 40 else (1 if width >= 24 else 0)


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


def layout_slide(
    deck: Deck,
    index: int,
    width: int,
    height: int,
    theme: Theme = DEFAULT_THEME,
    chrome: Chrome = Chrome(),
    ambiguous_wide: bool = False,
    cell_aspect: float = CELL_ASPECT,
    step: int = 0,
) -> list[Page]:
    """All pages of slide ``index`` at ``width`` x ``height`` cells, each at ``step`` of the
    slide (kept within the page's own steps; 0: each page whole)."""
    return list(
        _with_footer(deck, index, width, height, theme, chrome, ambiguous_wide, cell_aspect, step)
    )


def clear_caches() -> None:
    """Forget every laid-out page (benchmarks; a reload makes a new Deck, a new key)."""
    _with_footer.cache_clear()
    _bodies.cache_clear()
    blocks_module._highlight.cache_clear()


@lru_cache(maxsize=64)
def _with_footer(
    deck: Deck,
    index: int,
    width: int,
    height: int,
    theme: Theme,
    chrome: Chrome,
    ambiguous_wide: bool,
    cell_aspect: float,
    step: int = 0,
) -> tuple[Page, ...]:
    # The footer's clock and timer change every second or minute: only the footer is
    # redrawn then; the body is laid out once per (slide, size, theme).
    with_footer = chrome.footer and deck.slides[index].footer  # <!-- no_footer -->
    bodies = _bodies(deck, index, width, height, theme, with_footer, ambiguous_wide, cell_aspect)
    if step and bodies[0].step_count > 1:
        bodies = tuple(_at_step(page, step, height) for page in bodies)
    if not bodies[0].footer_rows:
        return bodies
    out = []
    for page in bodies:
        steps = (page.shown_step, page.step_count)
        rows = footer(
            deck, index, page.page, page.pages, width, page.footer_rows, theme, chrome, steps
        )
        out.append(replace(page, lines=page.lines + [_fit(line, width) for line in rows]))
    return tuple(out)


def _at_step(page: Page, step: int, height: int) -> Page:
    """The page with the rows of the steps after ``step`` blank (see ``layout.steps``)."""
    shown = replace(page, step=step)
    end = height - page.footer_rows
    lines, images = reveal(page.lines, page.images, page.steps, shown.shown_step, end)
    return replace(shown, lines=lines, images=images)


@lru_cache(maxsize=256)
def _bodies(
    deck: Deck,
    index: int,
    width: int,
    height: int,
    theme: Theme,
    with_footer: bool,
    ambiguous_wide: bool,
    cell_aspect: float,
) -> tuple[Page, ...]:
    """The pages without their footer rows (``footer_rows`` says how many to add)."""
    if too_small(width, height):
        return (_too_small_page(index, width, height, deck.slides[index].lang),)
    slide = deck.slides[index]
    footer_rows = _footer_rows(height) if with_footer else 0
    margin = margin_for(width)
    inner = width - 2 * margin
    ctx = Context(
        inner, theme, slide.lang, ambiguous_wide, cell_aspect=cell_aspect, page_width=inner
    )
    agenda = _sub_slides(deck, index)
    if slide.kind == "title":
        bodies = [_title_slide(slide, ctx, height - footer_rows)]
        title_rows: list[Text] = []
    elif agenda and not m.visible(slide.blocks):
        bodies = [_divider(slide, agenda, ctx, height - footer_rows)]
        title_rows = []
    else:
        title_rows = _title_rows(slide, ctx)
        # Continuation pages repeat the title with a marker, which may take another row.
        tallest = max(len(title_rows), len(_title_rows(slide, ctx, (99, 99))))
        bodies = _paginate(slide, ctx, height - footer_rows - tallest - 2)
        many = (len(bodies), len(bodies))
        if len(bodies) > 99 and len(_title_rows(slide, ctx, many)) > tallest:
            bodies = _paginate(slide, ctx, height - footer_rows - tallest - 3)
    pages = []
    for number, body in enumerate(bodies, start=1):
        lines: list[Text] = []
        top = 1 if height >= 12 else 0
        lines.extend(Text() for _ in range(top))
        title = title_rows
        if number > 1 and title_rows:
            title = _title_rows(slide, ctx, (number, len(bodies)))
        lines.extend(title)
        if title:
            lines.append(Text())
        body_top = len(lines)
        if len(bodies) == 1 and slide.kind != "title":
            _jump_to_middle(slide, body, ctx, body_top, height - footer_rows)
        steps = tuple((step, row + body_top) for step, row in body.steps)
        lines.extend(body.lines)
        images = [slot.moved(body_top, margin) for slot in body.images]
        for line in lines:
            if margin and line.plain:
                line.pad_left(margin)
        room = height - footer_rows
        lines = lines[:room] + [Text() for _ in range(room - len(lines))]
        fitted = [_fit(line, width) for line in lines]
        pages.append(
            Page(
                index,
                number,
                len(bodies),
                fitted,
                images,
                body_top,
                footer_rows,
                body.start,
                steps,
                max((body.steps[-1][0] for body in bodies if body.steps), default=1),
            )
        )
    return tuple(pages)


def _jump_to_middle(slide: Slide, body: Rows, ctx: Context, top: int, height: int) -> None:
    """``<!-- jump_to_middle -->``: what follows it starts lower, so that it stands in the
    middle of the page (a section's title slide, as presenterm has it). Only on a slide of
    one page, with no picture after the command, and never lower than the page allows."""
    jump = next(
        (
            n
            for n, block in enumerate(slide.blocks)
            if isinstance(block, m.Command) and block.name == "jump_to_middle"
        ),
        None,
    )
    if jump is None:
        return
    rest = slide.blocks[jump + 1 :]
    if any(isinstance(block, m.ImageBlock) for block in m.walk(rest)):
        return  # a picture's size depends on the page's room: not placed twice
    after = stack(layout_blocks(rest, ctx))
    rows = len(after.lines)
    start = len(body.lines) - rows  # the rest of the body is what comes after it
    if rows == 0 or start < 0:
        return
    want = max(0, (height - rows) // 2 - top)
    extra = min(want - start, height - top - len(body.lines))
    if extra <= 0:
        return
    for _ in range(extra):
        body.lines.insert(start, Text())
    body.steps = shift_steps(body.steps, start, extra)
    body.images[:] = [slot.moved(extra, 0) if slot.row >= start else slot for slot in body.images]


def same_place(pages: Sequence[Page], page: Page) -> Page:
    """The page of ``pages`` (the same slide at another size) that shows where ``page``
    starts: the last one that starts at or before it."""
    chosen = pages[0]
    for candidate in pages:
        if candidate.start <= page.start:
            chosen = candidate
    return chosen


def page_count(deck: Deck, index: int, width: int, height: int, **kwargs: object) -> int:
    """How many pages slide ``index`` has at this size (known without running the app)."""
    return len(layout_slide(deck, index, width, height, **kwargs))  # type: ignore[arg-type]


def _fit(line: Text, width: int) -> Text:
    if line.cell_len > width:  # a guarantee, never expected to trigger
        line = line.copy()
        line.truncate(width)
    return line


def _footer_rows(height: int) -> int:
    return 2 if height >= 16 else 1


def balanced(text: Text, ctx: Context) -> list[Text]:
    """Centred text (titles, the title slide) in lines of even length: as many lines as a
    plain wrap gives, the narrowest that does, so no last line holds a lonely word or
    character (``…负载`` / ``均衡``)."""
    lines = wrap_text(text, ctx)
    if len(lines) < 2:
        return lines
    low, high = 1, ctx.width
    while low < high:
        middle = (low + high) // 2
        if len(wrap_text(text, ctx, middle)) <= len(lines):
            high = middle
        else:
            low = middle + 1
    return wrap_text(text, ctx, high)


def _title_rows(slide: Slide, ctx: Context, page: tuple[int, int] | None = None) -> list[Text]:
    """The slide's title, wrapped and centred; on a continuation page with its marker, which
    never breaks: it ends the title's last line, or takes a line of its own below it."""
    lines = balanced(Text(slide.title, ctx.theme.title), ctx)
    if page:
        marker = _marker(slide.lang, *page)
        last = lines[-1] if lines else Text()
        joined = marker if is_chinese(slide.lang) or not last.plain else f" {marker}"
        if last.cell_len + _cells(joined, ctx) <= ctx.width:
            last.append(joined, ctx.theme.dim)
            lines[-1:] = [last]
        else:
            lines.extend(wrap_text(Text(marker, ctx.theme.dim), ctx))
    return [centre(line, ctx.width) for line in lines]


def _marker(lang: str, page: int, pages: int) -> str:
    return say(lang, "cont", page=page, pages=pages)


def _cells(text: str, ctx: Context) -> int:
    return text_width(text, ctx.ambiguous_wide)


def _cut(text: str, cells: int, ambiguous_wide: bool = False) -> str:
    """The longest start of ``text`` that takes at most ``cells`` cells (a 2-cell character
    that does not fit is left out whole, never padded with a space)."""
    if text_width(text, ambiguous_wide) <= cells:
        return text
    end = 0
    while end < len(text) and text_width(text[: end + 1], ambiguous_wide) <= cells:
        end += 1
    return text[:end]


def _ellipsis(text: str, room: int, ambiguous_wide: bool = False) -> str:
    """``text`` in ``room`` cells: cut by cells and ended with "…" when it is longer (no
    space before the "…")."""
    if text_width(text, ambiguous_wide) <= room:
        return text
    if room <= 0:
        return ""
    return _cut(text, room - 1, ambiguous_wide).rstrip() + "…"


def _same_words(one: str, other: str) -> bool:
    """Whether one text says the other again: equal, or containing it, ignoring case,
    spaces and punctuation (a short title inside a long description is not a repeat)."""
    a = "".join(ch for ch in one.casefold() if ch.isalnum())
    b = "".join(ch for ch in other.casefold() if ch.isalnum())
    short, long = sorted((a, b), key=len)
    return bool(short) and short in long and 2 * len(short) >= len(long)


def _title_slide(slide: Slide, ctx: Context, room: int) -> Rows:
    """The post's title, subtitle, description and byline, centred in ``room`` rows.

    An external post shows its URL (front matter `link:`) above the byline. A subtitle or
    description that repeats the title (or each other) is shown once. When
    the whole does not fit, the description is shortened with "…" and then left out, then
    the subtitle: the title, the author and the date stay.
    """
    post = slide.post
    theme = ctx.theme
    subtitle = "" if _same_words(post.subtitle, post.title) else post.subtitle
    description = post.description
    if any(_same_words(description, seen) for seen in (post.title, subtitle)):
        description = ""
    heads = balanced(Text(post.title, theme.title), ctx)
    author = balanced(Text(post.author, theme.dim), ctx) if post.author else []
    date = wrap_text(Text(post.date_text, theme.dim), ctx) if post.date_text else []
    subs = balanced(Text(subtitle, Style(color=theme.foreground)), ctx) if subtitle else []
    descs = balanced(Text(description, Style(color=theme.muted, italic=True)), ctx)
    # An external post: where it is, kept before the subtitle and description.
    url = Text(post.link, theme.run(frozenset({m.LINK}), post.link))
    links = wrap_text(url, ctx) if post.link else []
    room = max(1, room - 1)  # the page starts with a blank row
    byline = len(author) + len(date)
    used = len(heads) + (byline + 1 if byline else 0)
    links = _shorten(links, room - used - 1, ctx)
    used += len(links) + 1 if links else 0
    subs = _shorten(subs, room - used - 1, ctx)
    used += len(subs) + 1 if subs else 0
    descs = _shorten(descs if description else [], room - used - 1, ctx)
    used += len(descs) + 1 if descs else 0
    gap = [Text()]
    if used > room:  # the title and byline alone are taller than the page: no gap, and
        gap = []  # the author, then the title, shortened
        author = _shorten(author, max(1, room - len(heads) - len(date)), ctx)
        heads = _shorten(heads, max(1, room - len(author) - len(date)), ctx)
    parts = [part for part in (heads, subs, descs, links, author + date) if part]
    lines: list[Text] = []
    for number, part in enumerate(parts):
        if number:
            lines.extend(gap)
        lines.extend(centre(line, ctx.width) for line in part)
    lines = lines[:room]
    top = max(0, (room + 1 - len(lines)) // 2 - 1)
    return Rows([Text() for _ in range(top)] + lines)


def _sub_slides(deck: Deck, index: int) -> list[Slide]:
    """The slides of the section that slide ``index`` heads: those that follow it, deeper,
    in the same post (only the next level down)."""
    slide = deck.slides[index]
    inside: list[Slide] = []
    for other in deck.slides[index + 1 :]:
        if other.post is not slide.post or other.kind != "content" or other.level <= slide.level:
            break
        inside.append(other)
    top = min((other.level for other in inside), default=0)
    return [other for other in inside if other.level == top]


def _divider(slide: Slide, agenda: list[Slide], ctx: Context, room: int) -> Rows:
    """A section heading with no text of its own: its title in the middle of the page and
    under it the titles of its slides as a list, shortened to fit the page (one line a
    title, then the last ones counted: "… and 3 more")."""
    room = max(1, room - 1)  # the page starts with a blank row
    heads = _shorten(balanced(Text(slide.title, ctx.theme.title), ctx), room, ctx)
    free = room - len(heads) - 1
    items = _agenda(agenda, ctx, free, one_line=False)
    if len(items) > free:
        items = _agenda(agenda, ctx, free, one_line=True)
    lines = [centre(line, ctx.width) for line in heads]
    if items:
        widest = max(line.cell_len for line in items)
        indent = max(0, (ctx.width - widest) // 2)
        lines.append(Text())
        for line in items:
            line.pad_left(indent)
            lines.append(line)
    top = max(0, (room + 1 - len(lines)) // 2 - 1)
    return Rows([Text() for _ in range(top)] + lines)


def _agenda(agenda: list[Slide], ctx: Context, rows: int, one_line: bool) -> list[Text]:
    """The titles as a bulleted list in at most ``rows`` rows (all when it fits; else the
    first ones and a last row that counts the others)."""
    if rows <= 0:
        return []
    narrow = replace(ctx, width=max(1, ctx.width - 2))
    items: list[list[Text]] = []
    for other in agenda:
        lines = wrap_text(Text(other.title, Style(color=ctx.theme.foreground)), narrow)
        if one_line:
            lines = _shorten(lines, 1, narrow)
        bullet = Text(f"{blocks_module.BULLETS[0]} ", ctx.theme.dim)
        items.append([bullet + lines[0], *(Text("  ") + line for line in lines[1:])])
    if sum(len(item) for item in items) <= rows or not one_line:
        return [line for item in items for line in item]
    shown = items[: rows - 1]
    more = len(agenda) - len(shown)
    note = say(ctx.lang, "more_slides", more=more)
    return [line for item in shown for line in item] + [Text(note, ctx.theme.dim)]


def _shorten(lines: list[Text], rows: int, ctx: Context) -> list[Text]:
    """The first ``rows`` of ``lines``, the last one ended with "…" when some are left out."""
    if len(lines) <= rows:
        return lines
    if rows <= 0:
        return []
    return [*lines[: rows - 1], _ellipsis_line(lines[rows - 1], ctx)]


def _ellipsis_line(line: Text, ctx: Context) -> Text:
    """``line`` (without its centring) ended with "…": the text goes on where it is cut."""
    plain = line.plain.strip()
    if _cells(plain, ctx) >= ctx.width:
        plain = _cut(plain, ctx.width - 1, ctx.ambiguous_wide)
    return Text(plain.rstrip() + "…", line.style)


def _paginate(slide: Slide, ctx: Context, room: int) -> list[Rows]:
    """The slide's body in pages of ``room`` rows (see ``_fill``); when the last page would
    hold only a line or two, pictures a few rows smaller may save that page (never below
    their readable width: a chart or diagram keeps its 60 %)."""
    pages = _fill(slide, ctx, room)
    last = len(pages[-1].lines)
    if len(pages) > 1 and last <= 2 and any(p.images for p in pages):
        fewer = _fill(slide, ctx, room, shrink=last + 1)
        if len(fewer) < len(pages):
            return fewer
    return pages


#: Where rows are in the slide, by the identity of the row: (top-level block, how far into
#: it), with the row itself (kept alive, so that its identity is not reused).
Positions = dict[int, tuple[tuple[int, float], Text]]


def _note_rows(where: Positions, index: int, rows: Rows) -> None:
    """Record where the rows of block ``index`` are: how much of the block's text comes
    before each (its letters, not the spaces, frames and fold marks that a width adds)."""
    counts = [_letters(line.plain) for line in rows.lines]
    total = max(1, sum(counts))
    before = 0
    for line, count in zip(rows.lines, counts, strict=True):
        where[id(line)] = ((index, before / total), line)
        before += count


#: What a width adds to a block's rows and its letters do not count: spaces, fold marks,
#: frame lines.
_NOT_LETTERS = dict.fromkeys(map(ord, " \t\u00a0\u3000↩"), None) | dict.fromkeys(
    range(0x2500, 0x2580), None
)


def _letters(text: str) -> int:
    return len(text.translate(_NOT_LETTERS))


def _mark_starts(pages: list[Rows], where: Positions) -> None:
    """Each page starts where its first row is, wherever the filling moved that row."""
    for page in pages:
        page.start = next((where[id(ln)][0] for ln in page.lines if id(ln) in where), page.start)


def _fill(slide: Slide, ctx: Context, room: int, shrink: int = 0) -> list[Rows]:
    """Fill pages with whole blocks; split only a block taller than a page, between lines
    (pictures ``shrink`` rows smaller than they could be).

    A heading (or a lead-in: a paragraph ending in a colon, a short line before code, a
    table or a picture) stays with the start of what follows it: it is never the last
    thing on a page. A page never cuts a picture's frame or a table's row (``Rows.keeps``),
    and a table that goes on over a page repeats its header there. An image that does not
    fit the room left on a page shrinks into it when that room is a fair share of the
    page, instead of leaving the page half empty. A rule (``---``) never starts or ends a
    page.
    """
    room = max(1, room)
    ctx = replace(ctx, page_rows=room)
    pairs = _fit_images(slide, ctx, room, shrink)
    _mark_intros(pairs)
    where: Positions = {}
    for index, (_block, rows) in enumerate(pairs):
        _note_rows(where, index, rows)
    steps = step_rows(slide.blocks, pairs, slide.post.incremental_lists)
    rules = {id(rows.lines[0]) for block, rows in pairs if isinstance(block, m.Rule)}
    pages: list[Rows] = [Rows()]
    glued = False  # the last block placed must not end its page
    # Where the run of glued blocks at the bottom of the page starts, and the rows of the
    # last of them when it is a paragraph (its last lines may go over with what follows).
    tail = _Tail()
    # The last block placed on each page: where it starts, and if it follows a glued one.
    ends: dict[int, tuple[m.Block, int, bool]] = {}
    for index, (block, rows) in enumerate(pairs):
        current = pages[-1]
        if isinstance(block, m.Rule) and (not current.lines or len(current.lines) + 2 > room):
            continue  # a rule at the top or the bottom of a page separates nothing
        if current.lines and not glued and rows.keep_with_next:
            lead = _lead_rows(pairs[index:], room, ctx)
            if lead > room - len(current.lines) - 1 and lead <= room:
                current = _new_page(pages, rules)
        carry = tail if glued else _Tail()
        after_glued = glued
        # The heading or lead-in that introduces this block starts the page: a picture
        # that is not readable beside it takes what the page leaves (see ``_image_into``).
        intro_on_top = glued and tail.start == 0
        start, split = -1, False
        last_item = max((row for row, depth in rows.breaks if depth == 0), default=0)
        while rows.lines:
            current = pages[-1]
            gap = 1 if current.lines else 0
            free = room - len(current.lines) - gap
            if len(rows.lines) > free - shrink and isinstance(block, m.ImageBlock):
                into = min(free, len(rows.lines)) - shrink
                shrunk = _image_into(block, rows, ctx, into)
                if (
                    shrunk is None
                    and intro_on_top
                    and into >= room // 2
                    and not _part_goes_over(carry, current, block, ctx, room)
                ):
                    shrunk = _image_into(block, rows, ctx, into, page=True)
                if shrunk is not None:
                    same_step(steps, rows, shrunk)
                    rows = shrunk
                    _note_rows(where, index, shrunk)
            if len(rows.lines) <= free:
                count = len(rows.lines)
            elif not current.lines:
                count = _split_point(rows, room, fresh=True)
            elif free >= MIN_SPLIT and (len(rows.lines) > room or glued):
                count = _split_point(rows, free, fresh=False)
            else:
                count = 0
            if not count:
                need = _first_part(rows, room, block, ctx)
                # Under its lead-in, a picture shrinks to what the page leaves (at least half).
                least = min(need, room // 2) if isinstance(block, m.ImageBlock) else None
                page = _new_page(pages, rules, carry, need, room, least)
                intro_on_top = bool(page.lines)  # the introduction went over with it
                carry = _Tail()
                continue
            if gap:
                current.lines.append(Text())
            start = len(current.lines)
            _take(current, rows, count, room)
            if rows.lines:
                split = True
                _drop_blank_top(rows)  # a page does not start with the gap inside a block
                _new_page(pages, rules)
                carry = _Tail()
        glued = rows.keep_with_next or _is_lead_in(block)
        if not glued or split or start < 0:
            tail = _Tail()
        else:
            end = len(pages[-1].lines)
            part = None
            if isinstance(block, m.Paragraph) and end - start >= 4:
                part = end - 2  # two lines go over, at least two stay
            elif isinstance(block, m.ListBlock) and last_item:
                part = start + last_item  # the item that ends with the lead-in
            tail = _Tail(start if tail.start is None else tail.start, part)
        if start >= 0 and not isinstance(block, m.Rule):
            ends[len(pages) - 1] = (block, start, after_glued)
    _trim_rule(pages[-1], rules)
    pages = [p for p in pages if p.lines] or [Rows()]
    _mark_starts(pages, where)
    count = len(pages)
    if count >= 2 and count - 2 in ends and len(pages[-1].lines) == 1:
        block, start, glued = ends[count - 2]
        same = ends.get(count - 1, (None,))[0] is block
        _no_widow(pages[-2], pages[-1], block, start, glued, same)
        _trim_rule(pages[-2], rules)
    mark_steps(pages, steps)
    return pages


def _no_widow(
    before: Rows, last: Rows, block: m.Block, start: int, glued: bool, same: bool
) -> None:
    """A last page that holds a single line gets more from the page before: the last two
    lines of a paragraph or code that keeps two there (one line alone would just move the
    widow), else the whole short block (not when it follows a heading or a lead-in, which
    would be left behind)."""
    size = len(before.lines) - start
    if isinstance(block, m.Paragraph | m.CodeBlock) and size >= 4:
        cut = len(before.lines) - 2
    elif size <= 3 and not glued and not any(slot.row >= start for slot in before.images):
        cut = start
    else:
        return
    if cut <= 0:
        return
    join = [] if same else [Text()]
    last.lines = before.lines[cut:] + join + last.lines
    before.lines = before.lines[:cut]
    while before.lines and _gap(before.lines[-1]):
        before.lines.pop()


#: The fewest rows of a split block left at the bottom of a page.
MIN_SPLIT = 3


@dataclass(frozen=True)
class _Tail:
    """The run of glued blocks (headings, lead-ins) at the bottom of the page being filled."""

    #: The row where the run starts (None: the page does not end with one).
    start: int | None = None
    #: Where the smallest part that may go over on its own starts, when the run is too long
    #: to go over whole: the last two lines of a long lead-in, the last item of a list.
    part: int | None = None


def _is_lead_in(block: m.Block) -> bool:
    """A paragraph that ends in a colon introduces what follows, however long it is (and a
    list whose last item ends with one)."""
    if isinstance(block, m.ListBlock) and block.items and block.items[-1].blocks:
        return _is_lead_in(block.items[-1].blocks[-1])
    return isinstance(block, m.Paragraph) and m.plain(block.inlines).rstrip().endswith((":", "："))


#: What a short paragraph (one or two lines) just before it introduces.
INTRODUCED = (m.CodeBlock, m.Table, m.ImageBlock)


def _mark_intros(pairs: list[tuple[m.Block, Rows]]) -> None:
    """A short paragraph just before code, a table or a picture stays with it."""
    for (block, rows), (after, _rows) in pairwise(pairs):
        short = isinstance(block, m.Paragraph) and len(rows.lines) <= 2
        if short and isinstance(after, INTRODUCED):
            rows.keep_with_next = True


def _new_page(
    pages: list[Rows],
    rules: set[int],
    carry: _Tail = _Tail(),
    need: int = 0,
    room: int = 0,
    least: int | None = None,
) -> Rows:
    """Start a page. ``carry`` is the run of glued blocks at the bottom of the last page:
    it goes over too (or the last two lines of its lead-in) when there is room on the new
    page for it and ``need`` rows of what it introduces (else, when given, for ``least``
    rows: a picture then takes what the page leaves it)."""
    last = pages[-1]
    page = Rows()
    start = _carried(last, carry, need, room)
    if start is None and least is not None:
        start = _carried(last, carry, least, room)
    if start is not None and start > 0:
        _move_tail(last, page, start)
    _trim_rule(last, rules)
    pages.append(page)
    return page


def _carried(last: Rows, carry: _Tail, need: int, room: int) -> int | None:
    """Where the run that goes over starts on ``last``: the whole run, or the last lines
    of its lead-in, when the new page has room for it and ``need`` rows after it."""
    start = carry.start
    if start is not None and len(last.lines) - start + 1 + need > room:
        start = carry.part
        # Only from a page that keeps a few rows.
        if start is not None and (len(last.lines) - start + 1 + need > room or start < MIN_SPLIT):
            start = None
    return start


def _move_tail(last: Rows, page: Rows, start: int) -> None:
    """Move the rows of ``last`` from ``start`` on (and the pictures there) to ``page``."""
    page.lines.extend(last.lines[start:])
    page.images.extend(slot.moved(-start, 0) for slot in last.images if slot.row >= start)
    last.lines = last.lines[:start]
    last.images = [slot for slot in last.images if slot.row < start]
    while last.lines and _gap(last.lines[-1]):
        last.lines.pop()


def _trim_rule(page: Rows, rules: set[int]) -> None:
    """A rule that ends a page goes, with the gap above it."""
    while page.lines and id(page.lines[-1]) in rules:
        page.lines.pop()
        while page.lines and _gap(page.lines[-1]):
            page.lines.pop()


def _first_part(
    rows: Rows, room: int, block: m.Block | None = None, ctx: Context | None = None
) -> int:
    """The rows a block needs to start on a page: a few lines, or its first unbreakable
    part (a picture, which may shrink to its readable size, ``_least_image``)."""
    if isinstance(block, m.ImageBlock) and rows.images and ctx is not None:
        return min(len(rows.lines), len(_least_image(block, ctx).lines))
    need = min(len(rows.lines), MIN_SPLIT)
    for start, end in rows.keeps:
        if start == 0:
            need = max(need, end)
    return need


def _part_goes_over(carry: _Tail, page: Rows, block: m.ImageBlock, ctx: Context, room: int) -> bool:
    """Whether the last lines of a long lead-in at the top of ``page`` may go over to the
    next page with the picture at its readable size (better than a smaller picture)."""
    part = carry.part
    if part is None or part < MIN_SPLIT:
        return False
    return len(page.lines) - part + 1 + len(_least_image(block, ctx).lines) <= room


def _least_image(block: m.ImageBlock, ctx: Context) -> Rows:
    """A picture (and its caption) as small as it is drawn on a page of its own: its
    readable width (``blocks.readable_width``), or what a page allows."""
    return layout_block(block, replace(ctx, max_image_rows=1))


def _lead_rows(pairs: list[tuple[m.Block, Rows]], room: int, ctx: Context) -> int:
    """The rows that kept blocks need on their page: the run of headings and lead-ins
    that starts ``pairs``, and the start of what follows them (of a picture, the least
    it shrinks to)."""
    used = -1
    for block, rows in pairs:
        if not rows.keep_with_next:
            after = room - used - 1
            need = len(rows.lines) if len(rows.lines) <= after else _first_part(rows, room)
            if isinstance(block, m.ImageBlock):
                need = _first_part(rows, room, block, ctx)
            return used + 1 + need
        used += len(rows.lines) + 1
    return used  # nothing follows: the run itself


def _split_point(rows: Rows, free: int, fresh: bool) -> int:
    """How many rows of a block to put on a page with ``free`` rows (0: none, start it on
    the next page; on a ``fresh`` page, at least one).

    At the shallowest boundary inside the block (between list items, table rows, the blocks
    of a callout) that lies in the lower half of the room, so that a part that fits a page
    is not cut; never leaving a single row for the next page when that can be helped, and
    never inside a picture's frame or a table's row.
    """
    total = len(rows.lines)
    if total <= free:
        return free
    low = max(free // 2, MIN_SPLIT)
    # A break just after a lead-in (an odd depth, see ``stack``) would end the page with it.
    after_lead_in = {row for row, depth in rows.breaks if depth % 2}
    good = [
        (-depth, row)
        for row, depth in rows.breaks
        if low <= row <= free
        and total - row >= 2
        and _outside_keeps(rows, row) == row
        and (fresh or row not in after_lead_in)
    ]
    if good:
        return max(good)[1]
    point = free - 1 if total - free == 1 and free > MIN_SPLIT else free
    point = _outside_keeps(rows, point)
    if fresh and point == 0:
        # An unbreakable part at the top: after it when it fits, else cut (never expected
        # for pictures, which are made to fit a page).
        ends = [end for start, end in rows.keeps if start == 0 and end <= free]
        return max(ends, default=free)
    if not fresh and (point < MIN_SPLIT or point in after_lead_in):
        return 0
    return point


def _outside_keeps(rows: Rows, point: int) -> int:
    """``point`` moved up above every unbreakable range that it would cut."""
    while True:
        inside = [start for start, end in rows.keeps if start < point < end]
        if not inside:
            return point
        point = min(inside)


def _drop_blank_top(rows: Rows) -> None:
    """Remove the gap rows at the top of ``rows`` (never the last one): unstyled spaces,
    not a blank line of code or a callout's tinted row."""
    blank = 0
    while blank < len(rows.lines) - 1 and _gap(rows.lines[blank]):
        if any(slot.row <= blank for slot in rows.images):
            break
        blank += 1
    if blank:
        _cut_top(rows, blank)


def _gap(line: Text) -> bool:
    return not line.plain.strip() and not line.spans and not line.style


def _cut_top(rows: Rows, count: int) -> None:
    """Remove the first ``count`` rows, and the marks (images, breaks, keeps) above the cut."""
    rows.lines = rows.lines[count:]
    rows.images = [slot.moved(-count, 0) for slot in rows.images if slot.row >= count]
    rows.breaks = [(row - count, depth) for row, depth in rows.breaks if row > count]
    rows.keeps = [(max(0, a - count), b - count) for a, b in rows.keeps if b - count > 1]
    rows.repeats = [(a - count, b - count, c - count) for a, b, c in rows.repeats if a >= count]


def _take(page: Rows, rows: Rows, count: int, room: int) -> None:
    """Move the first ``count`` lines of ``rows`` (and the images wholly inside) to
    ``page``; a table cut there starts the rest with its header again (when the header is
    at most a third of a page)."""
    top = len(page.lines)
    page.lines.extend(rows.lines[:count])
    whole = [slot for slot in rows.images if slot.row + slot.height <= count]
    page.images.extend(slot.moved(top, 0) for slot in whole)
    header: list[Text] = []
    first_row = rest = 0
    for start, end_header, end in rows.repeats:
        if end_header < count < end and end_header - start <= room // 3:
            header = [line.copy() for line in rows.lines[start:end_header]]
            rows_at = [b for a, b in rows.keeps if a == count]
            first_row = max(rows_at, default=count + 1) - count
            rest = end - count
            break
    _cut_top(rows, count)
    if header:
        size = len(header)
        rows.lines = header + rows.lines
        rows.images = [slot.moved(size, 0) for slot in rows.images]
        rows.breaks = [(row + size, depth) for row, depth in rows.breaks]
        rows.keeps = [(a + size, b + size) for a, b in rows.keeps] + [(0, size + first_row)]
        rows.repeats = [(a + size, b + size, c + size) for a, b, c in rows.repeats]
        rows.repeats.append((0, size, rest + size))


def _image_into(
    block: m.ImageBlock, rows: Rows, ctx: Context, free: int, page: bool = False
) -> Rows | None:
    """The image laid out again to fit ``free`` rows, if it is still readable there; or,
    when those rows are all a ``page`` leaves it (under the heading or lead-in that starts
    the page), whatever its size there, as a picture taller than a page shrinks to fit."""
    if not rows.images or free < MIN_IMAGE_ROWS:
        return None
    captions = len(rows.lines) - rows.images[0].height
    smaller = replace(ctx, max_image_rows=free - captions)
    shrunk = layout_block(block, smaller)
    if len(shrunk.lines) > free and page:
        shrunk = layout_block(block, replace(smaller, page_rows=free))
    return shrunk if len(shrunk.lines) <= free else None


def _fit_images(
    slide: Slide, ctx: Context, room: int, shrink: int = 0
) -> list[tuple[m.Block, Rows]]:
    """Lay out the blocks, giving images the room the text leaves (and never more), when
    they all fit one page that way at a readable size. Else a picture on its own is as
    large as a page allows (pagination shrinks it into the room a page leaves, while it is
    readable there, or moves it to the next page), and one inside a list, a tab or a
    callout takes at most half a page (``shrink`` rows less; never less than readable),
    so that the text around it may share its page."""
    has_images = any(isinstance(b, m.ImageBlock) for b in m.walk(slide.blocks))
    caption_room = 2
    tall = replace(ctx, max_image_rows=max(3, room - caption_room))
    blocks = layout_pairs(slide.blocks, tall)
    if not has_images:
        return blocks
    total = _total_rows(blocks)
    if total <= room:
        return blocks
    image_rows = sum(slot.height for _, rows in blocks for slot in rows.images)
    count = sum(len(rows.images) for _, rows in blocks)
    text_rows = total - image_rows
    share = (room - text_rows) // max(1, count)
    if share >= max(5, room // 4):
        # Only the blocks with pictures change; the text keeps its first layout.
        shared = replace(ctx, max_image_rows=share)
        fitted = [
            (block, layout_block(block, shared) if _has_image(block) else rows)
            for block, rows in blocks
        ]
        if _total_rows(fitted) <= room:
            return fitted
    # Under a label or a list item's text: a picture inside a block leaves that room too.
    # Not in columns: beside its column's text, or stacked, where a page breaks before it.
    inside = replace(
        ctx, max_image_rows=max(share, room // 2 - shrink), page_rows=max(1, room - caption_room)
    )
    return [
        (block, layout_block(block, inside) if _has_image(block) else rows)
        if not isinstance(block, m.ImageBlock | m.Columns)
        else (block, rows)
        for block, rows in blocks
    ]


def _total_rows(blocks: list[tuple[m.Block, Rows]]) -> int:
    """The rows of the blocks on one page, a blank row apart."""
    return sum(len(rows.lines) for _, rows in blocks) + max(0, len(blocks) - 1)


def _has_image(block: m.Block) -> bool:
    return any(isinstance(inner, m.ImageBlock) for inner in m.walk([block]))


def footer(
    deck: Deck,
    index: int,
    page: int,
    pages: int,
    width: int,
    rows: int,
    theme: Theme,
    chrome: Chrome,
    steps: tuple[int, int] = (1, 1),
) -> list[Text]:
    """The progress bar (when there is room) and the footer line (with the step shown and
    the slide's steps, ``3 / 4 · 2/3``, on a slide of several)."""
    slide = deck.slides[index]
    count = len(deck.slides)
    position = f"{index + 1} / {count}" + (f"  p{page}/{pages}" if pages > 1 else "")
    if steps[1] > 1:
        position += f" · {steps[0]}/{steps[1]}"
    right = "  ".join(t for t in (chrome.status, position, chrome.timer, chrome.clock) if t)
    room = max(0, width - len(right) - 4)
    left_text = Text(_footer_title(slide, room), theme.dim)
    gap = max(1, width - 2 - left_text.cell_len - len(right))
    line = Text(" ") + left_text + Text(" " * gap) + Text(right, theme.dim)
    out = []
    if rows >= 2:
        out.append(progress_bar(index, page, pages, count, width, theme))
    out.append(line)
    return out


def _footer_title(slide: Slide, room: int) -> str:
    """``deck · slide`` in ``room`` cells: the deck's title gives way first (the slide's
    title is what the room reads); said once when the two are the same."""
    deck_title, title = slide.post.title, slide.title
    if slide.kind == "title" or title == deck_title:
        return _ellipsis(deck_title, room)
    both = f"{deck_title} · {title}"
    if cell_len(both) <= room:
        return both
    deck_room = room - cell_len(title) - 3
    if deck_room >= 8:
        return f"{_ellipsis(deck_title, deck_room)} · {title}"
    return _ellipsis(title, room)


def progress_bar(index: int, page: int, pages: int, count: int, width: int, theme: Theme) -> Text:
    """How far into the deck the talk is, as a row of ``width`` cells."""
    done = round(width * (index + page / max(1, pages)) / count) if count else width
    return Text("━" * done, Style(color=theme.accent)) + Text("─" * (width - done), theme.dim)


def _too_small_page(index: int, width: int, height: int, lang: str) -> Page:
    message = say(
        lang, "too_small", width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT
    )
    wrapped = wrap_plain(message, width)[:height]
    top = max(0, (height - len(wrapped)) // 2)
    lines = [Text() for _ in range(height)]
    for offset, line in enumerate(wrapped):
        lines[top + offset] = centre(Text(line), width)
    return Page(index, 1, 1, lines)
