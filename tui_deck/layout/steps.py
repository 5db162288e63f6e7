"""Reveals: a slide shown step by step (``<!-- pause -->``, incremental lists).

Each step is a prefix of the slide: the blocks up to the next ``pause``, or, while
``incremental_lists`` is on (the comment command, else the deck's front matter or talk
file), a list's items one at a time (as in presenterm, the list starts a step of its own when
something comes before it, and what follows it waits for a step too). A page is laid out
once, whole; the rows of each step are found then (``step_rows``) and travel on the page
as facts (``Page.steps``: each step shown on it and the row where it starts). A page at
step k shows the rows of steps 1..k and blank rows where the rest goes, so the page's
layout is the same at every step and nothing jumps as the steps appear.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tui_deck import model as m
from tui_deck.layout.blocks import ImageSlot, Rows

#: The step of each row of a slide's body, by the identity of the row (the row itself kept
#: alive, so that its identity is not reused).
StepMap = dict[int, tuple[int, Text]]


def step_rows(
    blocks: Sequence[m.Block], pairs: Sequence[tuple[m.Block, Rows]], incremental: bool
) -> StepMap:
    """The step of each row of ``pairs`` (the laid-out blocks of ``blocks``): steps are
    numbered from 1, and a step always shows something (a pause with nothing after it makes
    no step; one with nothing before it makes the title alone the first step)."""
    laid = {id(block): rows for block, rows in pairs}
    out: StepMap = {}
    step = 1
    shown = False  # something is shown before the block at hand
    wait = False  # the next block starts a step
    for block in blocks:
        if isinstance(block, m.Command):
            if block.name == "pause":
                wait = True
            elif block.name == "incremental_lists" and isinstance(block.value, bool):
                incremental = block.value
            continue
        rows = laid.get(id(block))
        if rows is None:
            continue
        items = isinstance(block, m.ListBlock) and incremental
        if (shown and (wait or items)) or (not shown and wait):
            step += 1  # (a pause before anything: the title alone first, as in presenterm)
        starts = {row for row, depth in rows.breaks if depth == 0} if items else set()
        for row, line in enumerate(rows.lines):
            if row in starts:
                step += 1
            out[id(line)] = (step, line)
        shown, wait = True, items
    return out


def same_step(steps: StepMap, old: Rows, new: Rows) -> None:
    """A block laid out again (a picture shrunk into the room a page leaves) keeps its step."""
    step = next((steps[id(line)][0] for line in old.lines if id(line) in steps), None)
    if step is not None:
        for line in new.lines:
            steps[id(line)] = (step, line)


def mark_steps(pages: Sequence[Rows], steps: StepMap) -> None:
    """Each page's ``steps``: the steps its rows show and the row where each starts (see
    ``line_steps``)."""
    if max((step for step, _line in steps.values()), default=1) <= 1:
        return
    first = min(step for step, _line in steps.values())
    for number, page in enumerate(pages):
        known = line_steps(page.lines, steps)
        page.steps = []
        for row, step in enumerate(known):
            if step and (not page.steps or step > page.steps[-1][0]):
                page.steps.append((step, row))
        if page.steps:  # the page opens with its first step, whatever row it starts on
            page.steps[0] = (page.steps[0][0], 0)
        if number == 0 and first > 1:  # a pause before anything: step 1 is the title alone
            page.steps.insert(0, (1, 0))


def line_steps(lines: Sequence[Text], steps: StepMap) -> list[int]:
    """The step of each of ``lines``: a row added by the page (the gap between blocks)
    belongs to the step of the row before it that has one (at the top of a page, a table's
    repeated header, of the next; 0 when none has): a step starts on its own first row."""
    known = [steps[id(line)][0] if id(line) in steps else 0 for line in lines]
    earlier = 0
    for row, step in enumerate(known):
        earlier = known[row] = step or earlier
    later = 0
    for row in range(len(known) - 1, -1, -1):
        later = known[row] = known[row] or later
    return known


def shift_steps(steps: list[tuple[int, int]], start: int, extra: int) -> list[tuple[int, int]]:
    """``extra`` blank rows put in at ``start``."""
    return [(step, row + extra if row >= start and row else row) for step, row in steps]


def hidden_from(steps: Sequence[tuple[int, int]], step: int) -> int | None:
    """The first row not shown at ``step`` (None: the whole page is)."""
    return next((row for number, row in steps if number > step), None)


def reveal(
    lines: list[Text],
    images: list[ImageSlot],
    steps: Sequence[tuple[int, int]],
    step: int,
    end: int,
) -> tuple[list[Text], list[ImageSlot]]:
    """A page's rows and pictures at ``step``: the rows of later steps, up to row ``end``
    (where the footer starts), are blank."""
    cut = hidden_from(steps, step)
    if cut is None:
        return lines, images
    blank = [Text() for _ in range(max(0, end - cut))]
    kept = [slot for slot in images if slot.row + slot.height <= cut]
    return lines[:cut] + blank + lines[end:], kept
