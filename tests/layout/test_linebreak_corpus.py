"""Every paragraph of the shared corpus of real posts, wrapped at common terminal widths.

Checks, for each paragraph and width: no line wider than the width; no line starts with
closing punctuation or ends with opening punctuation at a soft break; no Latin word or number
that fits the width is split; and no line ends while the first CJK character of the next
line would still have fitted (unless kinsoku forbids that break).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from rich.style import Style
from rich.text import Text

from tests.conftest import CORPUS, corpus_posts
from tests.layout.test_linebreak import (
    NO_END,
    NO_END_BEFORE_TEXT,
    NO_START,
    NO_START_AFTER_CHAR,
    glued,
)
from tui_deck import model as m
from tui_deck.cjk import is_cjk
from tui_deck.deck import load_deck
from tui_deck.layout.cells import text_width
from tui_deck.layout.linebreak import wrap

WIDTHS = (40, 60, 80, 100, 160)


#: Small posts of the shapes real posts have (long URLs, stray marks, soft breaks).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "faithful"
POSTS = corpus_posts() + sorted(p.parent for p in FIXTURES.glob("breaks-*/index.md"))


def _post_id(post: Path) -> str:
    return f"{post.parent.name}/{post.name}"


def _paragraphs(post: Path) -> list[m.Paragraph]:
    """Every paragraph, and every table cell and image caption as one more paragraph."""
    deck = load_deck(post)
    out: list[m.Paragraph] = []
    for slide in deck.slides:
        for block in m.walk(slide.blocks):
            if isinstance(block, m.Paragraph):
                out.append(block)
            elif isinstance(block, m.Table):
                for cell in [*block.header, *(c for row in block.rows for c in row)]:
                    out.append(m.Paragraph(block.line, cell))
            elif isinstance(block, m.ImageBlock) and block.image.caption:
                caption = (m.Run(block.image.caption, frozenset(), None),)
                out.append(m.Paragraph(block.line, caption))
    return out


def _align(original: str, lines: list[str]) -> list[tuple[int, int]] | None:
    gap = r"[ \t]*\n?[ \t]*"
    pattern = "[ \t]*" + gap.join(f"({re.escape(line)})" for line in lines) + "[ \t]*"
    match = re.fullmatch(pattern, original)
    return [match.span(i + 1) for i in range(len(lines))] if match else None


def _words(text: str) -> list[tuple[int, int, int, int]]:
    """Latin words and numbers: runs of characters that are not spaces, CJK or emoji, split
    after a hyphen between a letter or digit and a letter (not in URLs and paths), without
    the punctuation at their ends. Each with the span that must fit for it to stay whole: a
    URL or path must fit with its run and the kinsoku marks glued to it, else it folds."""
    out = []
    for run in re.finditer(r"[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+", text):
        pieces = [run.group()]
        url = "/" in run.group()
        if not url:
            pieces = re.split(r"(?<=[A-Za-z0-9]-)(?=[A-Za-z])", run.group())
        outer_start, outer_end = glued(text, run.start(), run.end())
        offset = run.start()
        for piece in pieces:
            word = re.search(r"[A-Za-z0-9](?:.*[A-Za-z0-9])?", piece)
            if word:
                a, b = offset + word.start(), offset + word.end()
                out.append((a, b, outer_start, outer_end) if url else (a, b, a, b))
            offset += len(piece)
    return out


def _run_at(text: str, offset: int) -> str:
    """The run of non-space characters around ``offset``."""
    start = len(text[:offset]) - len(text[:offset].split()[-1]) if text[:offset].strip() else 0
    rest = text[offset:].split()
    return text[start:offset] + (rest[0] if rest and not text[offset].isspace() else "")


def _latin(char: str) -> bool:
    return not char.isspace() and not is_cjk(char)


def _fold_point(text: str, q: int) -> bool:
    """A URL may fold before ``text[q]``: after "/", before "?&#", after "-" or "."."""
    prev, char = text[q - 1], text[q]
    return (prev == "/" and char != "/") or char in "?&#" or (prev in "-." and char.isalnum())


def _check(text: str, width: int) -> list[str]:
    lines = [line.plain for line in wrap(Text(text), width)]
    shown = f"width {width}: {text!r}\n  -> {lines!r}"
    spans = _align(text, lines)
    if spans is None:
        return [f"lines are not the paragraph minus break spaces at {shown}"]
    problems = []
    for line in lines:
        if text_width(line) > width:
            problems.append(f"line {line!r} is {text_width(line)} cells at {shown}")
        if line != line.strip(" \t"):
            problems.append(f"line {line!r} starts or ends with a space at {shown}")
    for a, b, outer_a, outer_b in _words(text):
        fits = text_width(text[outer_a:outer_b]) <= width
        if fits and not any(s <= a and b <= e for s, e in spans):
            problems.append(f"word {text[a:b]!r} is split at {shown}")
    for line in lines:
        if len(line) == 1 and unicodedata.category(line)[0] in "PS":
            problems.append(f"line {line!r} is a lone punctuation mark at {shown}")
    for k in range(1, len(lines)):
        removed = text[spans[k - 1][1] : spans[k][0]]
        if "\n" in removed or not lines[k] or not lines[k - 1]:
            continue
        first, last = lines[k][0], lines[k - 1][-1]
        if first in ",;)" or (first in ".:" and not lines[k][1:2].isalnum()):  # ".gitignore"
            problems.append(f"line {k} starts with {first!r} at {shown}")
        cut = spans[k][0]
        inside_run = not removed and _latin(text[cut - 1]) and _latin(text[cut])
        if inside_run and "/" in _run_at(text, cut) and not _fold_point(text, cut):
            piece = text[spans[k - 1][0] : cut].split()[-1]
            if any(_fold_point(text, cut - len(piece) + q) for q in range(1, len(piece))):
                problems.append(f"line {k - 1} cuts a URL inside a segment at {shown}")
        query = first == "?" and "/" in _run_at(text, spans[k][0])  # a URL's query string
        if first in NO_START or (first in NO_START_AFTER_CHAR and not removed and not query):
            problems.append(f"line {k} starts with {first!r} at {shown}")
        if last in NO_END or (last in NO_END_BEFORE_TEXT and not removed):
            problems.append(f"line {k - 1} ends with {last!r} at {shown}")
        if is_cjk(first) and first not in NO_END:
            after = spans[k][0] + 1
            while after < len(text) and unicodedata.combining(text[after]):
                after += 1
            rest = text[after:]
            glued = rest[:1] in set(NO_START_AFTER_CHAR) or rest.lstrip(" ")[:1] in set(NO_START)
            if not glued and text_width(lines[k - 1] + removed + first) <= width:
                problems.append(f"line {k - 1} could have taken {first!r} at {shown}")
    return problems


def test_the_corpus_is_there() -> None:
    assert len(POSTS) >= 6, f"the fixture corpus is missing: {CORPUS}"


@pytest.mark.parametrize("post", POSTS, ids=[_post_id(p) for p in POSTS])
def test_every_paragraph_wraps_by_the_rules(post: Path) -> None:
    paragraphs = _paragraphs(post)
    assert paragraphs, f"no paragraphs in {post}"
    problems: list[str] = []
    for block in paragraphs:
        text = m.plain(block.inlines)
        for width in WIDTHS:
            problems.extend(f"{post.name}:{block.line}: {p}" for p in _check(text, width))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:20])


def _styled(inlines: m.Inlines) -> Text:
    text = Text()
    for run in inlines:
        style = Style(
            bold=m.BOLD in run.styles or None,
            italic=m.ITALIC in run.styles or None,
            link=run.url,
        )
        text.append(run.text, style=style if style else None)
    return text


@pytest.mark.parametrize("post", POSTS, ids=[_post_id(p) for p in POSTS])
def test_styles_and_links_of_every_paragraph_survive(post: Path) -> None:
    for block in _paragraphs(post):
        text = _styled(block.inlines)
        for width in (40, 80):
            lines = wrap(text, width)
            spans = _align(text.plain, [line.plain for line in lines])
            assert spans is not None
            for line, (start, _) in zip(lines, spans, strict=True):
                for i in range(len(line.plain)):
                    got = [s.style for s in line.spans if s.start <= i < s.end]
                    want = [s.style for s in text.spans if s.start <= start + i < s.end]
                    assert got == want, (block.line, width, line.plain, i)
