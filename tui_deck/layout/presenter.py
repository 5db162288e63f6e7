"""The speaker's screen: the current and the next slide small, the notes, the talk's clock.

``layout_presenter(...)`` returns a :class:`~tui_deck.layout.page.Page` of exactly
``height`` rows of at most ``width`` cells, like a slide's page, so the presenter widget and
every export draw it the same way. Each preview is a page of the audience's screen shown
whole in a smaller box (``layout.miniature``; never below 40x12: on a narrow terminal the
next slide is named, not shown); their picture boxes are image slots of the page, so
pictures fill them too. Notes are Markdown, laid out by the same CJK-aware engine; the
speaker scrolls them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from tui_deck.deck import Deck
from tui_deck.layout.blocks import (
    CELL_ASPECT,
    Context,
    ImageSlot,
    centre,
    layout_blocks,
    stack,
)
from tui_deck.layout.miniature import miniature, span_of
from tui_deck.layout.page import (
    MIN_HEIGHT,
    MIN_WIDTH,
    Chrome,
    Page,
    layout_slide,
    progress_bar,
)
from tui_deck.layout.theme import DEFAULT_THEME, Theme
from tui_deck.words import say

#: A preview's height for its width (an audience terminal of 100x30 is 0.3).
PREVIEW_SHAPE = 0.3
#: Rows the notes keep at least, below the previews.
MIN_NOTES = 4
#: At or under this much time left the countdown turns amber; under zero, red.
AMBER_SECONDS = 5 * 60


@dataclass(frozen=True)
class Talk:
    """The talk's clock as the speaker sees it (the app supplies the times)."""

    elapsed: float = 0.0
    #: The planned length (--duration), None when there is none.
    duration: float | None = None
    paused: bool = False
    clock: str = ""
    #: A state the speaker must see (the audience's screen blanked, views not linked).
    note: str = ""

    @property
    def left(self) -> float | None:
        return None if self.duration is None else self.duration - self.elapsed

    @property
    def state(self) -> str:
        """ "" (on time or no plan), "amber" (5 minutes or less left) or "red" (over)."""
        left = self.left
        if left is None:
            return ""
        if left < 0:
            return "red"
        return "amber" if left <= AMBER_SECONDS else ""


def clock_text(seconds: float) -> str:
    """12:05 or 1:02:03, for a duration in seconds (whole seconds, rounded down)."""
    whole = int(max(0.0, seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@lru_cache(maxsize=32)
def layout_presenter(
    deck: Deck,
    index: int,
    page: int,
    pages: int,
    width: int,
    height: int,
    theme: Theme = DEFAULT_THEME,
    talk: Talk = Talk(),
    notes_offset: int = 0,
    ambiguous_wide: bool = False,
    cell_aspect: float = CELL_ASPECT,
    audience: tuple[int, int] | None = None,
    step: int = 0,
) -> Page:
    """The speaker's view of slide ``index`` (page ``page`` of ``pages`` on the audience's
    screen, of size ``audience``) at ``width`` x ``height`` (cached: the clock changes it
    once a second; ``audience`` None: the same size). The current preview shows the page the
    audience sees, whole; the next one the next slide's first page. On a slide revealed
    step by step (at ``step``; 0: whole), the current preview dims what the audience does
    not see yet, and the next one is the next step while the page has one."""
    slide = deck.slides[index]
    lang = deck.lang
    following = index + 1 if index + 1 < len(deck.slides) else None
    lines: list[Text] = []
    images: list[ImageSlot] = []
    seen = layout_slide(
        deck, index, *(audience or (width, height)), theme, Chrome(), ambiguous_wide, cell_aspect
    )
    here = replace(seen[max(1, min(page, len(seen))) - 1], step=step)
    at_step, count = here.shown_step, here.step_count
    footer = _footer(deck, index, page, pages, width, theme, talk, (at_step, count))
    room = height - len(footer)

    # The previews: side by side when two fit, else the current one (the next one named).
    two = width >= 2 * (MIN_WIDTH + 2) + 1
    box_width = (width - 1) // 2 if two else width
    inner_width = box_width - 2
    inner_height = max(MIN_HEIGHT, min(round(inner_width * PREVIEW_SHAPE), (room - 3) // 2))
    show_previews = inner_width >= MIN_WIDTH and inner_height + 3 + MIN_NOTES <= room

    more = at_step < here.last_step  # the next → shows a step of this page
    if more:
        upcoming = Text(f"{say(lang, 'next_step')} · {at_step + 1}/{count}", theme.dim)
    elif following is None:
        upcoming = Text(f"{say(lang, 'next')} · {say(lang, 'end')}", theme.dim)
    else:
        upcoming = Text(f"{say(lang, 'next')} · {deck.slides[following].title}", theme.dim)
    now = _label(
        f"{say(lang, 'now')} · {slide.title}", theme.title, box_width if two else width // 2
    )
    header = Text.assemble(now, " " * max(2, (box_width + 1 - now.cell_len) if two else 2))
    header.append_text(_fit(upcoming, width - header.cell_len))
    lines.append(header)
    if show_previews:
        # (slide, page, column, step: 0 whole, > 0 later steps dimmed, < 0 blank)
        boxes = [(index, page, 0, at_step if count > 1 and more else 0)]
        if two and more:
            boxes.append((index, page, box_width + 1, -(at_step + 1)))
        elif two:
            boxes.append((following if following is not None else -1, 1, box_width + 1, -1))
        rows = [Text() for _ in range(inner_height + 2)]
        top = len(lines) + 1  # the first row inside the frames
        for number, (which, wanted, col, at) in enumerate(boxes):
            preview, slots = _preview(
                deck,
                which,
                wanted,
                inner_width,
                inner_height,
                theme,
                ambiguous_wide,
                cell_aspect,
                audience or (width, height),
                at,
            )
            framed = _frame(preview, inner_width, theme, current=number == 0)
            for row, text in enumerate(framed):
                rows[row].append(" " * max(0, col - rows[row].cell_len))
                rows[row].append_text(text)
            images.extend(slot.moved(top, col + 1) for slot in slots)
        lines.extend(rows)
    lines.append(Text(f"{say(lang, 'notes')}", Style(color=theme.accent, bold=True)))
    notes = _notes(deck, index, width - 2, theme, ambiguous_wide, cell_aspect)
    free = room - len(lines)
    if free > 0:
        offset = max(0, min(notes_offset, len(notes) - free))
        shown = notes[offset : offset + free]
        if offset and shown:
            shown[0] = Text(say(lang, "above"), theme.dim)
        if offset + free < len(notes) and shown:
            shown[-1] = Text(say(lang, "more"), theme.dim)
        lines.extend(Text("  ").append_text(line) for line in shown)
    lines = lines[:room] + [Text() for _ in range(room - len(lines))]
    lines.extend(footer)
    fitted = [_fit(line, width) for line in lines]
    return Page(index, page, pages, fitted, images, body_top=0, footer_rows=len(footer))


def notes_length(deck: Deck, index: int, width: int, theme: Theme = DEFAULT_THEME) -> int:
    """How many rows the notes of a slide take at the presenter's width (for scrolling)."""
    return len(_notes(deck, index, width - 2, theme, False, CELL_ASPECT))


@lru_cache(maxsize=64)
def _notes(
    deck: Deck,
    index: int,
    width: int,
    theme: Theme,
    ambiguous_wide: bool,
    cell_aspect: float,
) -> list[Text]:
    slide = deck.slides[index]
    if not slide.note_blocks:
        return [Text(say(deck.lang, "no_notes"), theme.dim)]
    ctx = Context(max(1, width), theme, slide.lang, ambiguous_wide, cell_aspect=cell_aspect)
    return stack(layout_blocks(slide.note_blocks, ctx), gap=1).lines


def _preview(
    deck: Deck,
    index: int,
    page: int,
    width: int,
    height: int,
    theme: Theme,
    ambiguous_wide: bool,
    cell_aspect: float,
    audience: tuple[int, int],
    step: int = 0,
) -> tuple[list[Text], list[ImageSlot]]:
    """Page ``page`` of slide ``index`` as the audience's screen pages it, whole, in a box
    of ``width`` x ``height`` (see ``layout.miniature``); ``step`` > 0: the later steps
    dimmed, < 0: the page at step -``step``, the later ones blank."""
    if index < 0:
        rows = [Text() for _ in range(height)]
        rows[height // 2] = centre(Text(say(deck.lang, "end"), theme.dim), width)
        return rows, []
    seen = layout_slide(deck, index, *audience, theme, Chrome(), ambiguous_wide, cell_aspect)
    number = max(1, min(page, len(seen)))
    start, end = span_of(seen, number)
    shown = miniature(
        deck,
        index,
        width,
        height,
        theme,
        start,
        end,
        (number, len(seen)),
        ambiguous_wide,
        cell_aspect,
        abs(step),
        step > 0,
    )
    return list(shown.lines), list(shown.images)


def _frame(rows: list[Text], width: int, theme: Theme, current: bool) -> list[Text]:
    style = Style(color=theme.accent) if current else theme.dim
    out = [Text("╭" + "─" * width + "╮", style)]
    for row in rows:
        body = row.copy()
        body.truncate(width)
        body.pad_right(width - body.cell_len)
        out.append(Text.assemble(("│", style), body, ("│", style)))
    out.append(Text("╰" + "─" * width + "╯", style))
    return out


def _footer(
    deck: Deck,
    index: int,
    page: int,
    pages: int,
    width: int,
    theme: Theme,
    talk: Talk,
    steps: tuple[int, int] = (1, 1),
) -> list[Text]:
    lang = deck.lang
    count = len(deck.slides)
    bar = progress_bar(index, page, pages, count, width, theme)
    position = f" {index + 1} / {count}"
    if pages > 1:
        position += f"  {say(lang, 'page')} {page}/{pages}"
    if steps[1] > 1:
        position += f"  {say(lang, 'step')} {steps[0]}/{steps[1]}"
    line = Text(position, Style(bold=True))
    line.append(f"   {say(lang, 'elapsed')} {clock_text(talk.elapsed)}")
    if talk.paused:
        line.append(f" ⏸ {say(lang, 'paused')}", theme.dim)
    left = talk.left
    if left is not None:
        colour = {"amber": theme.warning, "red": "red"}.get(talk.state)
        style = Style(color=colour, bold=True) if colour else Style()
        word = say(lang, "over") if left < 0 else say(lang, "left")
        text = f"{word} {clock_text(abs(left))}"
        line.append("   ")
        line.append(text, style)
    if talk.note:
        line.append("   ")
        line.append(talk.note, Style(color=theme.warning, bold=True))
    if talk.clock:
        line.append(" " * max(2, width - line.cell_len - len(talk.clock) - 1))
        line.append(talk.clock, theme.dim)
    return [bar, line]


def _label(text: str, style: Style, width: int) -> Text:
    label = Text(text, style)
    label.truncate(max(1, width), overflow="ellipsis")
    return label


def _fit(line: Text, width: int) -> Text:
    if line.cell_len > width:
        line = line.copy()
        line.truncate(max(0, width), overflow="ellipsis")
    return line
