"""Every block of every post on screen as its author meant it.

For each post of the corpus (tests/fixtures/corpus, and the shared one when it is beside the
project) and of the fixtures, at
40x12, 80x24 and 160x45: no Hugo delimiter and no HTML tag reaches a page outside code,
and every heading, prose paragraph, table cell, code line, caption and video URL of the
source (read by ``tests/faithful_source.py``, not by the deck's parser) is on the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text

from tests.conftest import corpus_posts
from tests.faithful_source import fragments, read_source, squash
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.page import layout_slide
from tui_deck.layout.theme import DEFAULT_THEME

FIXTURES = Path(__file__).parent / "fixtures"
SIZES = [(40, 12), (80, 24), (160, 45)]


def _posts() -> list[Path]:
    found = [post / "index.md" for post in corpus_posts()]
    found += sorted((FIXTURES / "faithful").glob("*/index.md"))
    return found


POSTS = _posts()
_HUGO = re.compile(r"\{\{[<%]|[>%]\}\}|\{#")
_TAG = re.compile(
    r"</?(?:a|b|br|code|div|em|figure|i|iframe|img|li|ol|p|pre|span|strong|sub|sup|"
    r"table|tbody|td|th|thead|tr|ul|video|source|script|style|h[1-6])\b[^>]*>",
    re.IGNORECASE,
)


def _prose(line: Text) -> str:
    """A row without the characters drawn as code (code may show tags and braces)."""
    plain = line.plain
    code = DEFAULT_THEME.code_background
    keep = [True] * len(plain)
    spans = list(line.spans)
    for span in spans:
        style = span.style
        bg = getattr(style, "bgcolor", None)
        if bg is not None and bg.name.lower() == code.lower():
            for index in range(span.start, min(span.end, len(plain))):
                keep[index] = False
    return "".join(ch for ch, kept in zip(plain, keep, strict=True) if kept)


def _pages(deck: Deck, width: int, height: int) -> tuple[str, str, list[str]]:
    """The squashed bodies, the squashed whole pages, and the prose rows."""
    bodies, whole, prose = [], [], []
    for index, slide in enumerate(deck.slides):
        for page in layout_slide(deck, index, width, height):
            start = page.body_top if slide.kind != "title" else 0
            rows = page.lines[start : len(page.lines) - page.footer_rows]
            bodies.append("".join(line.plain for line in rows))
            whole.append("".join(line.plain for line in page.lines))
            prose.extend(_prose(line) for line in page.lines)
    return squash("".join(bodies)), squash("".join(whole)), prose


@pytest.fixture(
    scope="module", params=POSTS, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}"
)
def post(request: pytest.FixtureRequest) -> tuple[Path, Deck]:
    path: Path = request.param
    return path, load_deck(path.parent)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_hugo_delimiter_or_html_tag_reaches_a_page(
    post: tuple[Path, Deck], width: int, height: int
) -> None:
    _path, deck = post
    _bodies, _whole, prose = _pages(deck, width, height)
    leaks = [row for row in prose if _HUGO.search(row) or _TAG.search(row)]
    assert not leaks


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_everything_the_author_wrote_is_on_the_pages(
    post: tuple[Path, Deck], width: int, height: int
) -> None:
    path, deck = post
    source = read_source(path.read_text(encoding="utf-8"))
    bodies, whole, _prose_rows = _pages(deck, width, height)
    missing = []
    for kind, items, where in (
        ("heading", source.headings, whole),
        ("paragraph", source.paragraphs, bodies),
        ("code", source.code, bodies),
        ("caption", source.captions, bodies),
        ("video", source.iframes, bodies),
    ):
        for item in items:
            pieces = [squash(item)] if kind == "video" else fragments(item)
            missing += [(kind, item[:80]) for piece in pieces if piece not in where]
    for cell in source.cells:
        # A cell wraps inside its column, between the other cells' rows: word by word.
        words = [piece for word in cell.split() for piece in fragments(word)]
        missing += [("cell", word) for word in words if word not in bodies]
    assert not missing
