"""Pages: a slide laid out to a terminal size, split into pages that fit, with the footer.

``layout_slide(deck, index, size)`` is what the presenter shows and what every export
writes: the screen is a list of exactly ``height`` rows, each at most ``width`` cells.
Nothing is clipped: a slide taller than the screen becomes several pages, split between
blocks (inside a long block, between lines), the title repeated with a page marker.
A section heading with no text of its own, followed by its slides, is a divider: its
title in the middle of the page and its slides' titles under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui_deck import model as m
from tui_deck.deck import Deck, Slide
from tui_deck.layout import blocks as blocks_module
from tui_deck.layout.blocks import (
    CELL_ASPECT,
    Context,
    ImageSlot,
    Rows,
    centre,
    layout_block,
    layout_pairs,
    wrap_text,
)
from tui_deck.layout.cells import text_width
from tui_deck.layout.linebreak import wrap_plain
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
) -> list[Page]:
    """All pages of slide ``index`` at ``width`` x ``height`` cells."""
    return list(
        _with_footer(deck, index, width, height, theme, chrome, ambiguous_wide, cell_aspect)
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
) -> tuple[Page, ...]:
    # The footer's clock and timer change every second or minute: only the footer is
    # redrawn then; the body is laid out once per (slide, size, theme).
    bodies = _bodies(deck, index, width, height, theme, chrome.footer, ambiguous_wide, cell_aspect)
    if not bodies[0].footer_rows:
        return bodies
    out = []
    for page in bodies:
        rows = footer(deck, index, page.page, page.pages, width, page.footer_rows, theme, chrome)
        out.append(replace(page, lines=page.lines + [_fit(line, width) for line in rows]))
    return tuple(out)


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
    ctx = Context(inner, theme, slide.lang, ambiguous_wide, cell_aspect=cell_aspect)
    agenda = _sub_slides(deck, index)
    if slide.kind == "title":
        bodies = [_title_slide(slide, ctx, height - footer_rows)]
        title_rows: list[Text] = []
    elif agenda and not slide.blocks:
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
        lines.extend(body.lines)
        images = [slot.moved(body_top, margin) for slot in body.images]
        for line in lines:
            if margin and line.plain:
                line.pad_left(margin)
        room = height - footer_rows
        lines = lines[:room] + [Text() for _ in range(room - len(lines))]
        fitted = [_fit(line, width) for line in lines]
        pages.append(Page(index, number, len(bodies), fitted, images, body_top, footer_rows))
    return tuple(pages)


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


def _title_rows(slide: Slide, ctx: Context, page: tuple[int, int] | None = None) -> list[Text]:
    """The slide's title, wrapped and centred; on a continuation page with its marker, which
    never breaks: it ends the title's last line, or takes a line of its own below it."""
    lines = wrap_text(Text(slide.title, ctx.theme.title), ctx)
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
    heads = wrap_text(Text(post.title, theme.title), ctx)
    author = wrap_text(Text(post.author, theme.dim), ctx) if post.author else []
    date = wrap_text(Text(post.date_text, theme.dim), ctx) if post.date_text else []
    subs = wrap_text(Text(subtitle, Style(color=theme.foreground)), ctx) if subtitle else []
    descs = wrap_text(Text(description, Style(color=theme.muted, italic=True)), ctx)
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
    heads = _shorten(wrap_text(Text(slide.title, ctx.theme.title), ctx), room, ctx)
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
    """Fill pages with whole blocks; split only a block taller than a page, between lines.

    A heading (or a short lead-in ending in a colon) stays with the start of what follows
    it: it is never the last thing on a page. An image that does not fit the room left on
    a page shrinks into it when that room is a fair share of the page, instead of leaving
    the page half empty.
    """
    room = max(1, room)
    pairs = _fit_images(slide, ctx, room)
    pages: list[Rows] = [Rows()]
    glued = False  # the last block placed must not end its page
    for index, (block, rows) in enumerate(pairs):
        current = pages[-1]
        if current.lines and not glued and rows.keep_with_next:
            lead = _lead_rows(pairs[index:], room)
            if lead > room - len(current.lines) - 1 and lead <= room:
                pages.append(Rows())
                current = pages[-1]
        gap = 1 if current.lines else 0
        free = room - len(current.lines) - gap
        if len(rows.lines) > free and isinstance(block, m.ImageBlock):
            shrunk = _image_into(block, rows, ctx, free, room)
            if shrunk is not None:
                rows = shrunk
        if len(rows.lines) <= free:
            if gap:
                current.lines.append(Text())
            current.extend(rows)
        elif len(rows.lines) <= room and not (glued and free >= MIN_SPLIT):
            pages.append(Rows())
            pages[-1].extend(rows)
        else:
            if free >= MIN_SPLIT:
                if gap:
                    current.lines.append(Text())
                _take(current, rows, _split_point(rows, free))
            while rows.lines:
                _drop_blank_top(rows)  # a page does not start with the gap inside a block
                pages.append(Rows())
                _take(pages[-1], rows, _split_point(rows, room))
        glued = rows.keep_with_next
    return [p for p in pages if p.lines] or [Rows()]


#: The fewest rows of a split block left at the bottom of a page.
MIN_SPLIT = 3


def _lead_rows(pairs: list[tuple[m.Block, Rows]], room: int) -> int:
    """The rows that kept blocks need on their page: the run of headings and lead-ins
    that starts ``pairs``, and the start of what follows them."""
    used = -1
    for _block, rows in pairs:
        if not rows.keep_with_next:
            after = room - used - 1
            return used + 1 + (len(rows.lines) if len(rows.lines) <= after else MIN_SPLIT)
        used += len(rows.lines) + 1
    return used  # nothing follows: the run itself


def _split_point(rows: Rows, free: int) -> int:
    """How many rows of a block to put on a page with ``free`` rows.

    At the shallowest boundary inside the block (between list items, or the blocks of a
    callout) that lies in the lower half of the room, so that a part that fits a page is
    not cut; never leaving a single row for the next page when that can be helped.
    """
    if len(rows.lines) <= free:
        return free
    good = [(-depth, row) for row, depth in rows.breaks if max(free // 2, MIN_SPLIT) <= row <= free]
    if good:
        return max(good)[1]
    if len(rows.lines) - free == 1 and free > MIN_SPLIT:
        return free - 1
    return free


def _drop_blank_top(rows: Rows) -> None:
    """Remove the gap rows at the top of ``rows`` (never the last one): unstyled spaces,
    not a blank line of code or a callout's tinted row."""
    blank = 0
    while blank < len(rows.lines) - 1 and _gap(rows.lines[blank]):
        if any(slot.row <= blank for slot in rows.images):
            break
        blank += 1
    if blank:
        rows.lines = rows.lines[blank:]
        rows.images = [slot.moved(-blank, 0) for slot in rows.images]
        rows.breaks = [(row - blank, depth) for row, depth in rows.breaks if row > blank]


def _gap(line: Text) -> bool:
    return not line.plain.strip() and not line.spans and not line.style


def _take(page: Rows, rows: Rows, count: int) -> None:
    """Move the first ``count`` lines of ``rows`` (and the images wholly inside) to ``page``."""
    top = len(page.lines)
    page.lines.extend(rows.lines[:count])
    keep = []
    for slot in rows.images:
        if slot.row + slot.height <= count:
            page.images.append(slot.moved(top, 0))
        elif slot.row >= count:
            keep.append(slot.moved(-count, 0))
    rows.lines = rows.lines[count:]
    rows.images = keep
    rows.breaks = [(row - count, depth) for row, depth in rows.breaks if row > count]


def _image_into(block: m.ImageBlock, rows: Rows, ctx: Context, free: int, room: int) -> Rows | None:
    """The image laid out again to fit ``free`` rows, if that is still a fair size."""
    if not rows.images or free < max(5, room // 4):
        return None
    captions = len(rows.lines) - rows.images[0].height
    smaller = replace(ctx, max_image_rows=free - captions)
    shrunk = layout_block(block, smaller)
    return shrunk if len(shrunk.lines) <= free else None


def _fit_images(slide: Slide, ctx: Context, room: int) -> list[tuple[m.Block, Rows]]:
    """Lay out the blocks, giving images the room the text leaves (and never more)."""
    has_images = any(isinstance(b, m.ImageBlock) for b in m.walk(slide.blocks))
    caption_room = 2
    tall = replace(ctx, max_image_rows=max(3, room - caption_room))
    blocks = layout_pairs(slide.blocks, tall)
    if not has_images:
        return blocks
    total = sum(len(rows.lines) for _, rows in blocks) + max(0, len(blocks) - 1)
    if total <= room:
        return blocks
    image_rows = sum(slot.height for _, rows in blocks for slot in rows.images)
    count = sum(len(rows.images) for _, rows in blocks)
    text_rows = total - image_rows
    share = (room - text_rows) // max(1, count)
    if share >= max(5, room // 4):
        # Only the blocks with pictures change; the text keeps its first layout.
        shared = replace(ctx, max_image_rows=share)
        return [
            (block, layout_block(block, shared) if _has_image(block) else rows)
            for block, rows in blocks
        ]
    return blocks


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
) -> list[Text]:
    """The progress bar (when there is room) and the footer line."""
    slide = deck.slides[index]
    count = len(deck.slides)
    position = f"{index + 1} / {count}" + (f"  p{page}/{pages}" if pages > 1 else "")
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
