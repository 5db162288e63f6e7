"""CJK-friendly emphasis: the specification's examples, CommonMark unchanged elsewhere, and
what a Chinese post shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui_deck import model as m
from tui_deck.deck import Deck
from tui_deck.hugo.cjk_emphasis import cjk_friendly_plugin, is_cjk_char
from tui_deck.layout.page import layout_slide

FIXTURE = Path(__file__).parent / "fixtures" / "cjk_friendly.txt"


def _cases() -> list[tuple[str, str, str]]:
    """(title, markdown, html) from the fixture: ``title / . / markdown / . / html / .``."""
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    cases = []
    pos = 0
    while pos < len(lines):
        if not lines[pos].strip() or lines[pos].startswith("#"):
            pos += 1
            continue
        title = lines[pos]
        assert lines[pos + 1] == ".", title
        end = lines.index(".", pos + 2)
        source = "\n".join(lines[pos + 2 : end])
        close = lines.index(".", end + 1)
        html = "\n".join(lines[end + 1 : close])
        cases.append((title, source, html))
        pos = close + 1
    return cases


CASES = _cases()


def _parser(cjk: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("strikethrough")
    if cjk:
        md.use(cjk_friendly_plugin)
    return md


CJK = _parser(True)
PLAIN = _parser(False)


def test_the_fixture_holds_the_specification_examples() -> None:
    assert len(CASES) >= 150
    assert {title.rsplit(" ", 1)[0] for title, _, _ in CASES} >= {
        "strong",
        "korean",
        "underscore-cjk-punct",
        "gfm-strikethrough",
        "non-bmp",
    }


@pytest.mark.parametrize(("title", "source", "html"), CASES, ids=[c[0] for c in CASES])
def test_specification_example(title: str, source: str, html: str) -> None:
    assert CJK.render(source).strip("\n") == html


def test_commonmark_alone_fails_many_of_them() -> None:
    # The examples are the defect: without the plugin the markers show in most of them.
    failing = [t for t, source, html in CASES if PLAIN.render(source).strip("\n") != html]
    assert len(failing) > 60
    assert PLAIN.render("**新功能：**您一直在") == "<p>**新功能：**您一直在</p>\n"


# Text without CJK: ASCII, Latin punctuation and symbols, every kind of delimiter.
_NON_CJK = st.text(alphabet="ab _*~!.,()[]\"'`«»é∇—…\n\t\\", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_NON_CJK)
def test_text_without_cjk_parses_as_commonmark(text: str) -> None:
    assert CJK.render(text) == PLAIN.render(text)


def test_the_plugin_applies_once_and_keeps_other_rules() -> None:
    md = MarkdownIt("commonmark").enable(["strikethrough", "table"])
    md.use(cjk_friendly_plugin).use(cjk_friendly_plugin)
    assert md.render("~~删除：~~是") == "<p><s>删除：</s>是</p>\n"
    assert "<table>" in md.render("| a |\n| - |\n| **粗体：**字 |")


@pytest.mark.parametrize(
    ("char", "cjk"),
    [
        *[("中", True), ("，", True), ("ア", True), ("한", True), ("ｱ", True), ("〰", True)],
        *[("a", False), ("“", False), ("…", False), ("🈯", False), ("😀", False), ("é", False)],
    ],
)
def test_cjk_characters(char: str, cjk: bool) -> None:
    assert is_cjk_char(char) is cjk


POST = """---
title: 新功能
---

## 发布说明

**新功能：**您一直在等待的功能。

__强调：__不变，*注意：*斜体，~~旧的：~~删除。
"""


def test_a_chinese_post_shows_bold_without_asterisks(load_text: Callable[..., Deck]) -> None:
    deck = load_text(POST)
    blocks = deck.slides[1].blocks
    first = blocks[0]
    assert isinstance(first, m.Paragraph)
    assert first.inlines[0] == m.Run("新功能：", frozenset({m.BOLD}))
    second = blocks[1]
    assert isinstance(second, m.Paragraph)
    styled = {run.text: run.styles for run in second.inlines if run.styles}
    assert styled == {"注意：": {m.ITALIC}, "旧的：": {m.STRIKE}}
    page = layout_slide(deck, 1, 80, 24)[0].text()
    assert "新功能：您一直在等待的功能。" in page
    assert "*" not in page and "~~" not in page


def test_speaker_notes_in_the_html_export_are_bold_too() -> None:
    from tui_deck.export.raster import notes_html

    assert notes_html("**注意：**先演示 ambient。") == (
        "<p><strong>注意：</strong>先演示 ambient。</p>\n"
    )
