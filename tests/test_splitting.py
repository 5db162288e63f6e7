"""How a post splits into slides: split level, intro, empty headings, ids and links."""

from __future__ import annotations

from collections.abc import Callable

from tui_deck import model as m
from tui_deck.deck import Deck

POST = """---
title: Post
---

Intro text before any heading.

## Two

two

### Three

three

#### Four stays inside

four
"""


def test_split_level_default_is_three(load_text: Callable[..., Deck]) -> None:
    deck = load_text(POST)
    assert [(s.kind, s.title, s.level) for s in deck.slides] == [
        ("title", "Post", 0),
        ("intro", "Post", 1),
        ("content", "Two", 2),
        ("content", "Three", 3),
    ]
    heading = deck.slides[3].blocks[1]
    assert isinstance(heading, m.Heading)
    assert (heading.level, m.plain(heading.inlines)) == (4, "Four stays inside")


def test_split_level_two_keeps_level_three_inside(load_text: Callable[..., Deck]) -> None:
    deck = load_text(POST, split_level=2)
    assert [s.title for s in deck.slides] == ["Post", "Post", "Two"]


def test_split_level_four(load_text: Callable[..., Deck]) -> None:
    deck = load_text(POST, split_level=4)
    assert [s.title for s in deck.slides][-1] == "Four stays inside"


def test_heading_without_body_still_makes_a_slide(load_text: Callable[..., Deck]) -> None:
    deck = load_text("## Section\n\n### Sub\n\ntext\n\n## Empty\n")
    assert [s.title for s in deck.slides] == ["post", "Section", "Sub", "Empty"]
    # A section heading followed by its sub-sections is fine; a lone empty slide is reported.
    assert [(d.line, d.message) for d in deck.diagnostics] == [
        (7, "slide “Empty” has no content below its heading")
    ]


def test_h1_becomes_the_title_without_front_matter(load_text: Callable[..., Deck]) -> None:
    deck = load_text("# My Talk\n\nOpening words.\n\n## First\n\nx\n")
    assert [(s.kind, s.title) for s in deck.slides] == [
        ("title", "My Talk"),
        ("intro", "My Talk"),
        ("content", "First"),
    ]


def test_internal_links_resolve_to_slide_ids(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        "## 一 {#one}\n\n看[第二页](#two)和[站内](/zh/blog/2021/post/#two)，"
        "[别处](/zh/blog/2020/other/#two)。\n\n## 二 {#two}\n\nx\n"
    )
    links = deck.slides[1].links
    assert [(link.text, link.url, link.slide_id) for link in links] == [
        ("第二页", "https://istio.io/#two", "two"),
        ("站内", "https://istio.io/zh/blog/2021/post/#two", "two"),
        ("别处", "https://istio.io/zh/blog/2020/other/#two", None),
    ]


def test_self_link_by_bundle_name_resolves(write_post: Callable[..., object]) -> None:
    from pathlib import Path

    from tui_deck.deck import load_deck

    path = write_post(
        "## 一\n\n[回到二](/zh/blog/2021/istio-4th-birthday/#two)\n\n## 二 {#two}\n\nx\n",
        name="2021-istio-4th-birthday/index.md",
    )
    assert isinstance(path, Path)
    deck = load_deck(path.parent)
    assert deck.slides[1].links[0].slide_id == "two"


def test_unsafe_link_is_not_followed(load_text: Callable[..., Deck]) -> None:
    deck = load_text("## A\n\n[click](javascript:alert(1)) here\n")
    assert deck.slides[1].links == []
    para = deck.slides[1].blocks[0]
    assert isinstance(para, m.Paragraph)
    assert m.plain(para.inlines) == "click here"
    assert all(run.url is None for run in para.inlines)
    assert deck.diagnostics[0].message.startswith("link to javascript:")


def test_chinese_soft_breaks_join_and_latin_ones_become_spaces(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text("## A\n\n自 Istio 1.4 首次发布以来，\n我们不断改进策略\nand English\nwords.\n")
    para = deck.slides[1].blocks[0]
    assert isinstance(para, m.Paragraph)
    assert m.plain(para.inlines) == "自 Istio 1.4 首次发布以来，我们不断改进策略 and English words."


def test_control_characters_never_reach_the_model(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '---\ntitle: "evil\\e]0;pwned\\a title"\n---\n\n## Head\x1b[31m red\n\n'
        "text \x1b]52;c;Zm9v\x07 more\x9b2J\n"
    )
    everything = "".join(s.text() for s in deck.slides)
    assert "\x1b" not in everything and "\x07" not in everything and "\x9b" not in everything
    assert deck.slides[0].title == "evil title"
    assert deck.slides[1].title == "Head red"


def test_deck_find_by_number_id_and_title(load_text: Callable[..., Deck]) -> None:
    deck = load_text("## 庆祝 {#celebrate}\n\nx\n\n## 如何参加\n\ny\n")
    assert deck.find("2") == 1
    assert deck.find("celebrate") == 1
    assert deck.find("#celebrate") == 1
    assert deck.find("参加") == 2
    assert deck.find("99") is None
    assert deck.find("nothing") is None


def test_colon_style_find_matches_part_of_an_id(load_text: Callable[..., Deck]) -> None:
    deck = load_text("## 一 {#a-year-of-growth}\n\nx\n\n## 二 {#how-to-join}\n\ny\n")
    assert deck.find("year") == 1
    assert deck.find("how-to") == 2


def test_markdown_image_reports_its_line(load_text: Callable[..., Deck]) -> None:
    deck = load_text("## A\n\nText.\n\nSee ![alt](gone.jpg) here.\n")
    [diag] = deck.diagnostics
    assert (diag.line, diag.severity) == (5, "error")
    assert diag.message.startswith("image gone.jpg not found")
