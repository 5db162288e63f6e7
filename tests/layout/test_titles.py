"""Titles on the page: the continuation marker, the title slide, section dividers and the
footer's shortened titles, as a presenter sees them at every size down to 40x12."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import corpus_posts
from tui_deck.cjk import is_cjk
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.page import Chrome, Page, layout_slide
from tui_deck.layout.presenter import layout_presenter

FAITHFUL = Path(__file__).resolve().parents[1] / "fixtures" / "faithful"
EN = FAITHFUL / "titles-en"
ZH = FAITHFUL / "titles-zh"
SIZES = [(40, 12), (80, 24), (160, 45)]


def _decks() -> list[Deck]:
    return [load_deck(EN), load_deck(ZH)] + [load_deck(post) for post in corpus_posts()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _rows(page: Page, start: int = 0) -> list[str]:
    """The rows of a page above its footer, without their margins."""
    return [line.plain.strip() for line in page.lines[start : len(page.lines) - page.footer_rows]]


def _slide(deck: Deck, title: str) -> int:
    return next(pos for pos, slide in enumerate(deck.slides) if slide.title == title)


# --- the continuation marker ----------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_continuation_marker_is_never_broken(width: int, height: int) -> None:
    """On every continuation page the marker ends one row of the title, whole."""
    broken = []
    for deck in _decks():
        for index, slide in enumerate(deck.slides):
            for page in layout_slide(deck, index, width, height)[1:]:
                if slide.kind == "title":
                    continue
                zh = slide.lang.startswith("zh")
                marker = (
                    f"（续 {page.page}/{page.pages}）"
                    if zh
                    else f"(cont. {page.page}/{page.pages})"
                )
                if not any(row.endswith(marker) for row in _rows(page)[: page.body_top]):
                    broken.append(
                        (deck.title, slide.title, page.page, _rows(page)[: page.body_top])
                    )
    assert not broken


def test_a_marker_that_does_not_fit_the_titles_last_line_takes_a_line_of_its_own() -> None:
    deck = load_deck(EN)
    pages = layout_slide(deck, _slide(deck, "Join us at Istio Day 2025!"), 40, 12)
    assert len(pages) > 2
    assert _rows(pages[1])[1:3] == ["Join us at Istio Day 2025!", f"(cont. 2/{len(pages)})"]
    # The title keeps the lines it has on the first page; the body starts after a blank row.
    assert _rows(pages[0])[1] == "Join us at Istio Day 2025!"
    assert pages[1].body_top == 4 and _rows(pages[1])[3] == ""

    wide = layout_slide(
        deck,
        _slide(deck, "Segmenting namespaces with authorization policies and conditions"),
        80,
        24,
    )
    assert _rows(wide[1])[1:3] == [
        "Segmenting namespaces with authorization policies and conditions",
        f"(cont. 2/{len(wide)})",
    ]


def test_a_marker_that_fits_ends_the_titles_last_line() -> None:
    deck = load_deck(EN)
    pages = layout_slide(deck, _slide(deck, "Join us at Istio Day 2025!"), 80, 24)
    assert len(pages) == 2
    assert _rows(pages[1])[1] == "Join us at Istio Day 2025! (cont. 2/2)"


def test_a_chinese_marker_stays_whole_after_a_long_title() -> None:
    deck = load_deck(ZH)
    title = "客户端支持的功能和当前的使用情况"
    pages = layout_slide(deck, _slide(deck, title), 40, 12)
    assert len(pages) > 2
    assert _rows(pages[2])[1:3] == [title, f"（续 3/{len(pages)}）"]
    wide = layout_slide(deck, _slide(deck, title), 80, 24)
    assert _rows(wide[-1])[1] == f"{title}（续 {len(wide)}/{len(wide)}）"


# --- the title slide ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [40, 46, 60, 80, 120])
@pytest.mark.parametrize("height", [12, 13, 16, 24])
def test_the_title_slide_always_shows_title_author_and_date(width: int, height: int) -> None:
    for deck in _decks():
        post = deck.posts[0]
        for chrome in (Chrome(), Chrome(footer=False)):
            [page] = layout_slide(deck, 0, width, height, chrome=chrome)
            shown = _squash("".join(_rows(page)))
            for text in (post.title, post.author, post.date_text):
                assert _squash(text) in shown, (deck.title, width, height, text)


def test_the_description_gives_way_first_then_the_subtitle() -> None:
    deck = load_deck(ZH)
    post = deck.posts[0]
    [small] = layout_slide(deck, 0, 40, 12)
    rows = _rows(small)
    # The subtitle is whole; the description is cut to the row left, ended with "…".
    assert post.subtitle in rows
    [description] = [row for row in rows if row.startswith("本文介绍")]
    assert description.endswith("…") and not description.endswith(" …")
    assert _squash(description[:-1]) in _squash(post.description)
    [large] = layout_slide(deck, 0, 80, 24)
    assert _squash(post.description) in _squash("".join(_rows(large)))


def test_a_title_slide_too_full_for_the_page_drops_the_description_then_the_subtitle(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text(
        "---\n"
        "title: Running Istio Ambient Mode Across Many Clusters In Production\n"
        "subtitle: Lessons from two years of running one mesh over a dozen clusters\n"
        "description: What broke, what we changed, and what we would do again.\n"
        "attribution: Ana Lima (Example Corp), Wei Chen (Example Corp), Jonas Berg (Example)\n"
        "publishdate: 2024-03-12\n"
        "---\n\nText.\n"
    )
    [page] = layout_slide(deck, 0, 40, 12)
    shown = _squash("".join(_rows(page)))
    assert "Whatbroke" not in shown  # the description left out ...
    assert "…" not in shown  # ... rather than shortened to a stub
    assert _squash("Lessons from two years") in shown
    for text in ("Running Istio Ambient Mode", "Jonas Berg (Example)", "March 12, 2024"):
        assert _squash(text) in shown


def test_a_subtitle_or_description_that_repeats_the_title_is_shown_once(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_deck(EN)
    for width, height in SIZES:
        [page] = layout_slide(deck, 0, width, height)
        shown = _squash("".join(_rows(page))).casefold()
        assert shown.count(_squash(deck.title).casefold()) == 1
    same = load_text(
        "---\ntitle: Get Started with Istio Ambient Mesh\n"
        "description: Step by step guide to get started with Istio ambient mesh.\n"
        "subtitle: Get started with Istio ambient mesh\n---\n\nText.\n"
    )
    [page] = layout_slide(same, 0, 80, 24)
    assert [row for row in _rows(page) if row] == ["Get Started with Istio Ambient Mesh"]
    other = load_text("---\ntitle: 版本 1.10 发布\ndescription: 版本 1.10 发布。\n---\n\n正文。\n")
    [page] = layout_slide(other, 0, 80, 24)
    assert [row for row in _rows(page) if row] == ["版本 1.10 发布"]
    # A description that says much more than the short title it mentions is not a repeat.
    more = load_text(
        "---\ntitle: Istio 1.3\n"
        "description: Istio 1.3 brings automatic protocol detection and a smaller sidecar.\n"
        "---\n\nText.\n"
    )
    [page] = layout_slide(more, 0, 80, 24)
    assert "Istio 1.3 brings automatic protocol detection and a smaller sidecar." in _rows(page)


# --- section dividers -----------------------------------------------------------------------


def test_a_heading_followed_by_its_sub_slides_is_a_divider_with_an_agenda() -> None:
    deck = load_deck(EN)
    index = _slide(deck, "Characteristics")
    [page] = layout_slide(deck, index, 80, 24)
    rows = _rows(page)
    middle = rows.index("Characteristics")
    assert 6 <= middle <= 12  # in the middle of the page, not at the top
    assert rows[middle + 1] == ""
    assert rows[middle + 2 : middle + 6] == [
        "• RPC level authorization",
        "• Role-based access control with conditions",
        "• High performance",
        "• Work with or without primary identities",
    ]
    # The agenda is one block, left-aligned, centred as a whole.
    lines = [line.plain for line in page.lines[middle + 2 : middle + 6]]
    assert len({len(line) - len(line.lstrip()) for line in lines}) == 1


def test_a_chinese_divider_at_the_smallest_size() -> None:
    deck = load_deck(ZH)
    [page] = layout_slide(deck, _slide(deck, "决议和经验"), 40, 12)
    rows = [row for row in _rows(page) if row]
    assert rows == [
        "决议和经验",
        "• 配置推送的延迟随服务数量线性增长",
        "• 缺乏按命名空间划分的配置范围",
        "• 其他中等及低严重级别的问题",
    ]


def _many(lang: str) -> str:
    titles = (
        [f"第 {n} 步：配置网关和虚拟服务的路由规则" for n in range(1, 13)]
        if lang == "zh"
        else [f"Step {n}: configure the gateway and virtual service routes" for n in range(1, 13)]
    )
    slides = "".join(
        f"### {title}\n\n{'正文。' if lang == 'zh' else 'Text.'}\n\n" for title in titles
    )
    return f"---\ntitle: Guide\nlang: {lang}\n---\n\n## Walkthrough\n\n{slides}"


@pytest.mark.parametrize(("lang", "more"), [("en", "… and {} more"), ("zh", "…另有 {} 页")])
def test_a_long_agenda_is_shortened_to_fit_one_page(
    load_text: Callable[..., Deck], lang: str, more: str
) -> None:
    deck = load_text(_many(lang))
    index = _slide(deck, "Walkthrough")
    for width, height in [(40, 12), (60, 14)]:
        for chrome in (Chrome(), Chrome(footer=False)):
            [page] = layout_slide(deck, index, width, height, chrome=chrome)
            rows = [row for row in _rows(page) if row]
            assert rows[0] == "Walkthrough"
            items = [row for row in rows if row.startswith("•")]
            assert 3 <= len(items) < 12  # the first ones, one row each
            assert all(row.endswith("…") or row[-1].isalpha() for row in items)
            assert rows[2:] == [*items[1:], more.format(12 - len(items))]
    [roomy] = layout_slide(deck, index, 160, 45)
    assert sum(row.startswith("•") for row in _rows(roomy)) == 12


def test_a_section_with_its_own_text_is_not_a_divider(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\ntitle: T\n---\n\n## Section\n\nIts own text.\n\n### One\n\nA.\n")
    [page] = layout_slide(deck, _slide(deck, "Section"), 80, 24)
    rows = _rows(page)
    assert rows[1] == "Section" and "Its own text." in rows
    assert not any(row.startswith("•") for row in rows)


def test_the_speakers_view_and_the_overview_card_show_the_agenda() -> None:
    deck = load_deck(EN)
    index = _slide(deck, "Characteristics")
    speaker = layout_presenter(deck, index - 1, 1, 1, 120, 36).text()
    assert "• RPC level authorization" in speaker  # the next slide's preview
    [card] = layout_slide(deck, index, 40, 12, chrome=Chrome(footer=False))
    assert "• High performance" in card.text()


# --- the footer -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", range(40, 72, 3))
def test_a_shortened_footer_title_has_no_space_before_its_ellipsis(width: int) -> None:
    for deck in (load_deck(ZH), load_deck(EN)):
        for index in range(len(deck.slides)):
            for page in layout_slide(deck, index, width, 12):
                left = page.lines[-1].plain[1:].split("  ")[0]
                if "…" not in left:
                    continue
                assert " …" not in left, left
                assert cell_len(page.lines[-1].plain) <= width
                cut = left.split("…")[0]
                assert deck.title.startswith(cut) or deck.slides[index].title.startswith(cut)


def test_a_chinese_footer_title_is_cut_by_cells() -> None:
    deck = load_deck(ZH)
    cuts = set()
    for width in range(40, 60):
        page = layout_slide(deck, 1, width, 12)[0]
        left = page.lines[-1].plain[1:].split("  ")[0]
        if left.endswith("…"):
            assert is_cjk(left[-2]) or left[-2].isalnum(), left
            cuts.add(left)
    assert len(cuts) > 3


def test_wrapped_titles_are_balanced_not_left_with_a_lonely_word(
    load_text: Callable[..., Deck],
) -> None:
    """A title or description that takes two lines takes two even lines: no ``级。`` alone."""
    deck = load_text(
        "---\ntitle: 使用修订标签对控制平面进行金丝雀升级的完整指南\n"
        "description: 了解如何对网格控制平面执行金丝雀升级。\n"
        "attribution: Lin Sun (Solo.io); Translated by Wilson Wu (DaoCloud)\n---\n"
        "## 通过修订版本实现安全的数据平面与控制平面升级\n\n正文。\n"
    )
    for width, height in [(40, 12), (50, 14), (80, 24)]:
        for index in (0, 1):
            page = layout_slide(deck, index, width, height)[0]
            rows = [line.plain.strip() for line in page.lines[: len(page.lines) - 2]]
            rows = [row for row in rows if row]
            for above, below in pairwise(rows):
                if cell_len(below) <= 4:
                    assert cell_len(above) <= 8, (width, index, above, below)
