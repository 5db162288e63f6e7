"""Soft line breaks in the source: joined without a space beside CJK text and full-width marks.

Istio's Chinese posts break source lines anywhere, often right after a full-width comma
before a product name (``特定的，\\nEnvoy``). A full-width mark carries its own space, so the
break adds none; between a Han character and a Latin word the break is one space, as the
posts write it on one line (``使用 Envoy 代理``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_deck import model as m
from tui_deck.cjk import soft_break_joins
from tui_deck.deck import Deck, load_deck

FIXTURE = Path(__file__).parent / "fixtures" / "faithful" / "breaks-zh"


def joined(load_text: Callable[..., Deck], source: str) -> str:
    """The text of the one paragraph that ``source`` (Markdown lines) becomes."""
    deck = load_text("## A\n\n" + source + "\n")
    paragraphs = [b for b in m.walk(deck.slides[1].blocks) if isinstance(b, m.Paragraph)]
    assert len(paragraphs) == 1
    return m.plain(paragraphs[0].inlines)


@pytest.mark.parametrize("mark", list("，。、；：！？）」』】》〉"))
def test_no_space_after_a_full_width_mark_before_a_latin_word(
    load_text: Callable[..., Deck], mark: str
) -> None:
    assert joined(load_text, f"它们是特定的{mark}\nEnvoy 代理") == f"它们是特定的{mark}Envoy 代理"


@pytest.mark.parametrize("mark", list("（「『【《〈"))
def test_no_space_before_a_full_width_opening_mark_after_a_latin_word(
    load_text: Callable[..., Deck], mark: str
) -> None:
    assert joined(load_text, f"处于 Alpha\n{mark}测试阶段") == f"处于 Alpha{mark}测试阶段"


def test_the_issue_example_has_no_stray_space(load_text: Callable[..., Deck]) -> None:
    text = joined(load_text, "Sidecar 代理会拦截流量，它们是特定的，\nEnvoy 代理根据配置转发请求。")
    assert "特定的，Envoy" in text
    assert "， " not in text


def test_a_link_or_code_after_the_break_is_joined_too(load_text: Callable[..., Deck]) -> None:
    # The 2021-better-external-authz shape: a list of links, one per source line.
    source = (
        "包括 [`DENY` 操作](/zh/docs/a/)、\n"
        "[`X-Forwarded-For` 头信息支持](/zh/docs/b/)、\n"
        "`CUSTOM` 操作等等。\n"
        "**Istio** 提供了 mTLS："
    )
    text = joined(load_text, source)
    assert text == (
        "包括 DENY 操作、X-Forwarded-For 头信息支持、CUSTOM 操作等等。Istio 提供了 mTLS："
    )


def test_quotes_next_to_chinese_carry_their_own_space(load_text: Callable[..., Deck]) -> None:
    assert joined(load_text, "“零信任”\n是 Istio 的核心理念") == "“零信任”是 Istio 的核心理念"
    assert joined(load_text, "请参阅 Istio 的\n“Getting Started”\n指南。") == (
        "请参阅 Istio 的“Getting Started”指南。"
    )
    assert joined(load_text, "等等……\n然后") == "等等……然后"


def test_a_break_between_han_and_latin_is_one_space(load_text: Callable[..., Deck]) -> None:
    assert joined(load_text, "使用 Envoy\n代理拦截流量，并由 istiod\n下发配置。") == (
        "使用 Envoy 代理拦截流量，并由 istiod 下发配置。"
    )
    assert joined(load_text, "网格中的\nEnvoy 代理") == "网格中的 Envoy 代理"


def test_english_breaks_stay_spaces(load_text: Callable[..., Deck]) -> None:
    assert joined(load_text, "He said “hello”\nand left…\nthen came back.") == (
        "He said “hello” and left… then came back."
    )
    assert joined(load_text, "Istio (the mesh)\nworks") == "Istio (the mesh) works"


def test_the_whole_class_of_full_width_punctuation_joins() -> None:
    # Every punctuation mark or symbol of CJK Symbols and Punctuation (U+3000–U+303F) and the
    # full-width forms (U+FF00–U+FFEF), on either side of the break.
    marks = [
        chr(c)
        for c in [*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)]
        if unicodedata.category(chr(c))[0] in "PSZ"
    ]
    assert len(marks) > 80
    for mark in marks:
        assert soft_break_joins(f"特定的{mark}", "Envoy"), hex(ord(mark))
        assert soft_break_joins("Envoy", f"{mark}代理"), hex(ord(mark))
    # Full-width letters and digits are not marks: like any CJK character they join only
    # with CJK text.
    assert soft_break_joins("ｆｕｌｌ", "代理")
    assert not soft_break_joins("ｆｕｌｌ", "Envoy")


def test_the_fixture_post_has_no_space_after_a_full_width_mark() -> None:
    deck = load_deck(FIXTURE)
    texts = [
        m.plain(block.inlines)
        for slide in deck.slides
        for block in m.walk(slide.blocks)
        if isinstance(block, m.Paragraph)
    ]
    stray = [
        text[max(0, i - 6) : i + 6]
        for text in texts
        for i in range(len(text) - 1)
        if (text[i] in "，。、；：！？）」』】》" and text[i + 1] == " ")
        or (text[i] == " " and text[i + 1] in "（「『【《")
    ]
    assert stray == []


def test_runs_of_spaces_in_prose_show_as_one_as_a_browser_shows_them(
    load_text: Callable[..., Deck],
) -> None:
    source = '"Code Mauve",  meaning for some time.   We are **bold**  text;  `a  b` stays.'
    assert joined(load_text, source) == (
        '"Code Mauve", meaning for some time. We are bold text; a  b stays.'
    )
