"""Reveals: ``<!-- pause -->`` and incremental lists show a slide step by step.

The golden fixture ``fixtures/steps/index.md`` (Chinese and English) has a slide with two
pauses between paragraphs, an incremental list of three items between a lead-in and a
closing line, a slide whose pauses fall on two pages at 60x16, and a slide without reveals;
``steps.txt`` is every page of the text export, at every step, at 80x24 and 60x16. Run with
``UPDATE_GOLDEN=1`` to rewrite it, then read the diff.
"""

from __future__ import annotations

import json
import os
from itertools import pairwise
from pathlib import Path

import pytest
from rich.text import Text

from tui_deck.app.navigator import Navigator
from tui_deck.app.sync import Position
from tui_deck.cli import main
from tui_deck.deck import Deck, load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Page, Size, layout_slide
from tui_deck.layout.presenter import layout_presenter
from tui_deck.layout.theme import DEFAULT_THEME

FIXTURE = Path(__file__).parent / "fixtures" / "steps"
SIZES = (Size(80, 24), Size(60, 16))
#: Slides of the fixture (0-based): the title, pauses, the list, the long one, no reveals.
PAUSES, LIST, LONG, PLAIN = 1, 2, 3, 4


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(FIXTURE)


def body(page: Page) -> list[str]:
    """The page's text rows above the footer."""
    return [line.plain.rstrip() for line in page.lines[: len(page.lines) - page.footer_rows]]


def footer(page: Page) -> str:
    return page.lines[-1].plain.rstrip()


def render(deck: Deck) -> str:
    out = []
    for size in SIZES:
        for page in all_pages(deck, size):
            out.append(
                f"# {size.width}x{size.height} slide {page.slide + 1}, page {page.page}/"
                f"{page.pages}, step {page.shown_step}/{page.step_count}, starts {page.steps}"
            )
            out += [line.plain.rstrip() for line in page.lines]
    return "\n".join(out) + "\n"


def test_step_golden(deck: Deck) -> None:
    expected = FIXTURE / "steps.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(render(deck), encoding="utf-8")
    assert render(deck) == expected.read_text(encoding="utf-8")


def test_a_pause_between_paragraphs_reveals_them_one_by_one(deck: Deck) -> None:
    """Two pauses: three steps; each shows one more paragraph, in place, the rest blank;
    the footer says the step after the slide's number."""
    shown = [layout_slide(deck, PAUSES, 80, 24, step=step)[0] for step in (1, 2, 3)]
    first, second, third = ("第一段：服务网格", "第二段：Istio", "Third paragraph")
    texts = ["\n".join(body(page)) for page in shown]
    assert first in texts[0] and second not in texts[0] and third not in texts[0]
    assert second in texts[1] and third not in texts[1]
    assert third in texts[2]
    assert all(footer(page).endswith(f"2 / 5 · {n}/3") for n, page in enumerate(shown, 1))
    # Nothing jumps: a row shown at a step is the same row at every later step.
    for earlier, later in pairwise(shown):
        for row, line in enumerate(body(earlier)):
            if line:
                assert body(later)[row] == line
    # The page whole (step 0) is the last step.
    assert body(layout_slide(deck, PAUSES, 80, 24)[0]) == body(shown[2])


def test_an_incremental_list_shows_one_item_a_step(deck: Deck) -> None:
    """The lead-in, then each of the three items, then the closing line: five steps, as
    presenterm has it (a pause before the list and after it)."""
    items = ["第一项", "第二项", "第三项", "小结"]
    pages = [layout_slide(deck, LIST, 80, 24, step=step)[0] for step in range(1, 6)]
    assert pages[0].step_count == 5
    for step, page in enumerate(pages, start=1):
        text = "\n".join(body(page))
        assert "要点如下：" in text
        assert [item in text for item in items] == [n < step - 1 for n in range(4)]
    # The steps start on the rows where the lead-in and each item start.
    whole = layout_slide(deck, LIST, 80, 24)[0]
    starts = dict(whole.steps)
    for step, word in enumerate(items, start=2):
        assert word in whole.lines[starts[step]].plain


def test_steps_of_a_slide_over_two_pages_stay_on_their_pages(deck: Deck) -> None:
    """At 60x16 the long slide has two pages: the first shows step 1, the second opens at
    step 2 (the page turn is that step) and then shows step 3."""
    pages = layout_slide(deck, LONG, 60, 16)
    assert len(pages) == 2
    assert (pages[0].first_step, pages[0].last_step) == (1, 1)
    assert (pages[1].first_step, pages[1].last_step) == (2, 3)
    at_two = layout_slide(deck, LONG, 60, 16, step=2)[1]
    assert "第二部分" in "\n".join(body(at_two)) and "第三部分" not in "\n".join(body(at_two))
    assert footer(at_two).endswith("p2/2 · 2/3")


def test_a_slide_without_reveals_has_one_step_and_no_step_in_its_footer(deck: Deck) -> None:
    page = layout_slide(deck, PLAIN, 80, 24, step=3)[0]
    assert page.steps == () and page.step_count == 1
    assert footer(page).endswith("5 / 5")


def test_deck_wide_incremental_lists_from_the_front_matter(tmp_path: Path) -> None:
    post = tmp_path / "index.md"
    post.write_text(
        "---\ntitle: Lists\nincremental_lists: true\n---\n\n## Features\n\n"
        "- mTLS\n- retries\n- 超时\n\n## Off\n\n<!-- incremental_lists: false -->\n\n- a\n- b\n",
        encoding="utf-8",
    )
    deck = load_deck(post)
    assert layout_slide(deck, 1, 80, 24)[0].step_count == 3
    assert layout_slide(deck, 2, 80, 24)[0].step_count == 1


def test_a_pause_right_after_the_heading_shows_the_title_alone_first(tmp_path: Path) -> None:
    """As in presenterm: the title first, then the body step by step."""
    post = tmp_path / "index.md"
    post.write_text(
        "---\ntitle: T\n---\n\n## 开头暂停\n\n<!-- pause -->\n\n第一段。\n\n"
        "<!-- pause -->\n\n第二段。\n",
        encoding="utf-8",
    )
    [page] = layout_slide(load_deck(post), 1, 60, 16)
    assert page.step_count == 3
    shown = [
        [row.strip() for row in body(layout_slide(load_deck(post), 1, 60, 16, step=k)[0]) if row]
        for k in (1, 2, 3)
    ]
    assert shown == [["开头暂停"], ["开头暂停", "第一段。"], ["开头暂停", "第一段。", "第二段。"]]


def test_text_export_writes_a_page_per_step_or_only_the_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The slide with two pauses gives three pages whose shown lines grow; ``--steps last``
    gives one, the whole slide; index.json says the step."""
    out = tmp_path / "all"
    assert main(["export", str(FIXTURE), "--size", "80x24", "-o", str(out)]) == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    of_slide = [entry for entry in index if entry["slide"] == PAUSES + 1]
    assert [(e["step"], e["steps"]) for e in of_slide] == [(1, 3), (2, 3), (3, 3)]
    counts = []
    for entry in of_slide:
        text = (out / entry["file"]).read_text(encoding="utf-8")
        counts.append(sum(1 for line in text.splitlines()[:-2] if line.strip()))
    assert counts[0] < counts[1] < counts[2]
    assert "step" not in next(e for e in index if e["slide"] == PLAIN + 1)
    last = tmp_path / "last"
    args = ["export", str(FIXTURE), "--size", "80x24", "--steps", "last", "-o", str(last)]
    assert main(args) == 0
    index = json.loads((last / "index.json").read_text(encoding="utf-8"))
    of_slide = [entry for entry in index if entry["slide"] == PAUSES + 1]
    assert len(of_slide) == 1 and of_slide[0]["step"] == 3
    assert "Third paragraph" in (last / of_slide[0]["file"]).read_text(encoding="utf-8")
    assert len(index) == 5  # a page per slide


def test_outline_json_lists_the_steps_of_each_slide(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", "--json", str(FIXTURE)]) == 0
    slides = json.loads(capsys.readouterr().out)["slides"]
    assert [len(slide["steps"]) for slide in slides] == [1, 3, 5, 3, 1]
    assert [s["first_line"] for s in slides[PAUSES]["steps"]] == [
        "第一段：服务网格为微服务提供流量管理、安全和可观测性。",
        "第二段：Istio 使用 Envoy 代理拦截所有流量。",
        "Third paragraph, in English, revealed last.",
    ]
    assert slides[LIST]["steps"][2]["first_line"].startswith("• 第二项")


# ----------------------------------------------------------------- where the talk is


def fake_nav(ranges: dict[tuple[int, int], tuple[int, int]], pages: dict[int, int]) -> Navigator:
    return Navigator(
        len(pages),
        lambda slide: pages[slide],
        0,
        lambda slide, page: ranges.get((slide, page), (1, 1)),
    )


def test_the_navigator_steps_before_it_turns_the_page_and_back() -> None:
    """Slide 1 has steps 1-3 on one page; slide 2 two pages (steps 1 | 2-3). → shows the
    next step first; ← hides it; coming back into a slide shows it whole."""
    nav = fake_nav({(1, 1): (1, 3), (2, 1): (1, 1), (2, 2): (2, 3)}, {0: 1, 1: 1, 2: 2})
    seen = [(nav.slide, nav.page, nav.step)]
    for _ in range(7):
        nav.next()
        seen.append((nav.slide, nav.page, nav.step))
    assert seen == [
        (0, 1, 1),
        (1, 1, 1),
        (1, 1, 2),
        (1, 1, 3),
        (2, 1, 1),
        (2, 2, 2),
        (2, 2, 3),
        (2, 2, 3),  # the end
    ]
    assert nav.at_end()
    back = []
    for _ in range(6):
        nav.previous()
        back.append((nav.slide, nav.page, nav.step))
    assert back == [(2, 2, 2), (2, 1, 1), (1, 1, 3), (1, 1, 2), (1, 1, 1), (0, 1, 1)]
    nav.go(1)
    assert nav.step == 1
    nav.follow(1, 1, False, None)  # a view without steps: the page whole
    assert nav.step == 3


def test_the_link_carries_the_step_and_older_views_mean_all_shown() -> None:
    position = Position(2, 1, 1, 5.0, step=2)
    assert Position.from_line(position.to_line()) == position
    old = b'{"slide": 2, "page": 1, "pages": 1, "at": 5.0}\n'
    parsed = Position.from_line(old)
    assert parsed is not None and parsed.step == 0
    assert Position.from_line(b'{"slide": 2, "page": 1, "pages": 1, "at": 5.0, "step": -1}') is None


# ----------------------------------------------------------------- the speaker's view


def test_the_speaker_sees_the_hidden_part_dimmed_and_the_next_step(deck: Deck) -> None:
    page = layout_presenter(deck, PAUSES, 1, 1, 120, 30, audience=(80, 24), step=1)
    header = page.lines[0].plain
    assert "下一步 · 2/3" in header
    assert "步 1/3" in footer(page)
    # Side by side: the current preview (dimmed) and the next one (shown).
    row = next(line for line in page.lines if "第二段" in line.plain)
    middle = row.plain.index("│ │") + 2  # where the next preview's frame starts
    assert "第二段" in row.plain[:middle] and "第二段" in row.plain[middle:]
    current = row

    def colour(line: Text, word: str, start: int = 0) -> str | None:
        offset = line.plain.index(word, start)
        style = next((span.style for span in line.spans if span.start <= offset < span.end), None)
        return str(style) if style is not None else None

    assert colour(current, "第二段") == str(DEFAULT_THEME.dim)
    assert colour(current, "第二段", middle) != str(DEFAULT_THEME.dim)
    first = next(line for line in page.lines if "第一段" in line.plain)
    assert colour(first, "第一段") != str(DEFAULT_THEME.dim)
    # The next preview is the audience's next step: the third paragraph not there yet.
    third = [line.plain for line in page.lines if "Third paragraph" in line.plain]
    assert len(third) == 1 and third[0].index("Third") < middle
    # At the last step the next preview is the next slide, at its first step.
    last = layout_presenter(deck, PAUSES, 1, 1, 120, 30, audience=(80, 24), step=3)
    assert "下一张 · 列表" in last.lines[0].plain
    assert "第一项" not in last.text()


def test_the_html_deck_steps_with_the_arrow_too(tmp_path: Path) -> None:
    """The HTML deck has a page per step: → shows the next step, as in the presenter."""
    from tui_deck.export.text import export

    deck = load_deck(FIXTURE)
    entries = export(deck, tmp_path, Size(80, 24), "html", pictures="cells")
    html = (tmp_path / "deck.html").read_text(encoding="utf-8")
    assert html.count('<section class="page"') == len(entries) == 13
    assert html.count(f'data-slide="{PAUSES}"') == 3


def test_a_pause_inside_a_column_is_reported_by_check_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Steps are rows of the whole slide: a pause written inside a column cannot reveal
    half a row, so `check` says where to put it (the one before the columns works)."""
    (tmp_path / "index.md").write_text(
        "---\ntitle: T\n---\n\n## Columns\n\n<!-- pause -->\n\n<!-- column_layout: [1, 1] -->\n\n"
        "<!-- column: 0 -->\n\nLeft.\n\n<!-- pause -->\n\nLeft later.\n\n<!-- column: 1 -->\n\n"
        "<!-- incremental_lists: true -->\n\n- one\n- two\n\n<!-- reset_layout -->\n\n"
        "<!-- pause -->\n\nBelow.\n",
        encoding="utf-8",
    )
    assert main(["check", str(tmp_path)]) == 0  # warnings only
    captured = capsys.readouterr()
    assert captured.err.strip().endswith("0 errors, 2 warnings")
    assert captured.out.splitlines() == [
        f"{tmp_path}/index.md:15: warning: <!-- pause --> inside a column has no effect; "
        "put it before the columns",
        f"{tmp_path}/index.md:21: warning: <!-- incremental_lists --> inside a column has no "
        "effect; put it before the columns",
    ]
