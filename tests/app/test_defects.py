"""Defects a trial of the presenter found (issue 14), each as the pilot saw it."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.test_app import options, run, screen_text
from tests.app.test_presenter import run_linked, until
from tests.conftest import SLIDES
from tui_deck.app import DeckApp, make_app


def test_d1_the_speaker_pages_as_the_projector_does_after_it_was_resized() -> None:
    """Audience 80x24 resized to 60x20; the speaker's `3 Enter` then → shows page 2 of the
    slide on the projector (it has more pages there now), not the next slide."""

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await a.resize_terminal(60, 20)
        await a.pause()
        await asyncio.sleep(0.2)
        await p.press("3", "enter")
        await until(lambda: audience.slide == 2)
        await a.pause()
        assert "p1/4" in screen_text(audience)[-1]
        for page in (2, 3, 4):  # every page the projector has now, then the next slide
            await p.press("right")
            await until(lambda n=page: (audience.slide, audience.page) != (2, n - 1))  # type: ignore[misc]
            assert (audience.slide, audience.page) == (2, page)
            await a.pause()
            assert f"p{page}/4" in screen_text(audience)[-1]
        await p.press("right")
        await until(lambda: audience.slide == 3)

    run_linked(scenario, audience_size=(80, 24))


def test_d2_arrows_move_the_highlight_in_a_scrolled_grid() -> None:
    """At 100x30 the grid (two columns) scrolls: the arrows still move the highlight, in all
    four directions, and Enter opens the highlighted card."""
    from tui_deck.app.screens import Card, GridOverviewScreen

    def selected(app: DeckApp) -> list[int]:
        return [card.position for card in app.screen.query(Card) if card.has_class("selected")]

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, GridOverviewScreen)
        for key, card in (("down", 2), ("right", 3), ("up", 1), ("left", 0), ("down", 2)):
            await pilot.press(key)
            await pilot.pause()
            assert selected(app) == [card], key
        await pilot.press("enter")
        await pilot.pause()
        assert app.slide == 2

    run(scenario, size=(100, 30))


@pytest.mark.parametrize("accept", [[], ["tab"]])
def test_d3_the_jump_prompt_opens_what_its_completion_shows(accept: list[str]) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("colon", *"Istio")
        await pilot.pause()
        assert "Istio 取得重大发展的一年" in "\n".join(screen_text(app))
        await pilot.press(*accept)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.slide == 2

    run(scenario)


def test_d4_a_rehearsal_hours_ago_does_not_start_the_talk_late() -> None:
    """A talk file left by a rehearsal 3 hours ago: the new presenter starts at 00:00."""
    from tui_deck.app.sync import deck_key, socket_path
    from tui_deck.deck import load_deck

    deck = load_deck(SLIDES)
    talk = socket_path(SLIDES, deck_key([post.source for post in deck.posts])).with_suffix(".talk")
    talk.parent.mkdir(mode=0o700, exist_ok=True)
    ago = time.time() - 3 * 3600
    talk.write_text(json.dumps({"elapsed": 600.0, "running": True, "saved": ago}), "utf-8")
    import os

    os.utime(talk, (ago, ago))
    app = make_app(options(presenter=True, link=True, monotonic=lambda: 50.0))

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "已用 00:00" in screen_text(app)[-1]

    asyncio.run(main())


def _apples(tmp_path: Path) -> Path:
    (tmp_path / "index.md").write_text(
        "---\ntitle: Fruit\n---\n\n## A\n\napple one, apple two, apple three.\n\n"
        "## B\n\nno fruit here\n\n## C\n\nan apple, another apple.\n",
        encoding="utf-8",
    )
    return tmp_path


def test_d5_search_steps_hit_by_hit(tmp_path: Path) -> None:
    """Three hits on slide A, two on C: n and N step through all five; the footer says
    which one is shown (2/5)."""

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("slash", *"apple", "enter")

        def footer_says(count: str) -> Callable[[], bool]:
            return lambda: count in screen_text(app)[-1].split()

        await until(footer_says("1/5"))
        assert app.slide == 1
        for slide, count in ((1, "2/5"), (1, "3/5"), (3, "4/5"), (3, "5/5"), (1, "1/5")):
            await pilot.press("n")
            await until(footer_says(count))
            assert app.slide == slide, count
        await pilot.press("n")
        await until(footer_says("2/5"))
        # The hit shown (the second apple of slide A) is marked apart from the others.
        for strip in app.screen._compositor.render_strips():
            text = strip.text
            if "apple two" in text:
                col, marked = 0, []
                for segment in strip:
                    if segment.style is not None and segment.style.underline:
                        marked.append((col, segment.text))
                    col += len(segment.text)
                assert "".join(t for _, t in marked) == "apple"
                assert marked[0][0] == text.index("apple two")
                break
        else:
            raise AssertionError("slide A is not on the screen")
        await pilot.press("N")
        await pilot.pause()
        await pilot.press("N")
        await until(footer_says("5/5"))
        assert app.slide == 3

    run(scenario, path=_apples(tmp_path))


@pytest.mark.parametrize("size", [(60, 20), (50, 16), (40, 12)])
def test_d6_help_fits_or_scrolls_and_leaves_the_footer(size: tuple[int, int]) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        width = size[0]
        assert box.region.x >= 0 and box.region.right <= width
        assert box.max_scroll_x == 0  # nothing cut off on the right
        assert "1 / 4" in screen_text(app)[-1]  # the footer stays visible
        if box.max_scroll_y:  # too tall: it scrolls to its last row
            box.scroll_end(animate=False)
            await pilot.pause()
        assert "鼠标" in "\n".join(screen_text(app))

    run(scenario, size=size)


def _broken_deck(tmp_path: Path) -> Path:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: 坏的\nlang: zh\n---\n\n"
        '## 一\n\n{{< image link="./missing.png" >}}\n\n## 二\n\n文字\n',
        encoding="utf-8",
    )
    return folder


def test_d7_diagnostics_never_cover_the_audiences_slide(tmp_path: Path) -> None:
    """The projector shows no toast at start (no paths, no English over the title): the
    footer counts the problems (⚠ 1) and `!` lists them, in the deck's language."""
    folder = _broken_deck(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.pause()
        assert not app._notifications
        assert "⚠ 1" in screen_text(app)[-1]
        await pilot.press("exclamation_mark")
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert "问题" in text and "missing.png" in text and str(tmp_path) not in text
        await pilot.press("escape")
        await pilot.pause()
        assert "missing.png" not in "\n".join(screen_text(app)[:-1])

    run(scenario, path=folder)


def test_d7_the_problem_list_of_a_chinese_deck_says_the_problems_in_chinese(
    tmp_path: Path,
) -> None:
    """Not only "错误": the message too (``istio-deck check`` keeps the English)."""
    folder = _broken_deck(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert "错误" in text and "未找到" in text and "请修正链接" in text
        assert "not found" not in text and "fix the link" not in text

    run(scenario, path=folder)


def test_d7_the_speaker_is_told_of_the_diagnostics_in_the_decks_language(tmp_path: Path) -> None:
    folder = _broken_deck(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("missing.png" in m and "未找到" in m for m in messages)
        assert not any("not found" in m for m in messages)

    run(scenario, path=folder, presenter=True)


def test_d7_the_speaker_is_told_of_the_diagnostics(tmp_path: Path) -> None:
    folder = _broken_deck(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("missing.png" in m and str(tmp_path) not in m for m in messages)

    run(scenario, path=folder, presenter=True)


def test_d8_a_broken_edit_leaves_a_mark_in_the_footer_until_a_good_save(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    shutil.copytree(SLIDES, folder)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        source = folder / "index.md"
        good = source.read_text(encoding="utf-8")
        source.write_text(good.replace('title: "生日快乐，Istio！"', "title: [broken"), "utf-8")
        app.reload()
        app.clear_notifications()  # the toast is gone
        await pilot.pause()
        assert "⚠" in screen_text(app)[-1]
        source.write_text(good, "utf-8")
        app.reload()
        await pilot.pause()
        assert "⚠" not in screen_text(app)[-1]

    run(scenario, path=folder)


def test_d7_a_broken_edit_is_told_to_the_speaker_not_over_the_projected_slide(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "deck"
    shutil.copytree(SLIDES, folder)

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("right")
        await until(lambda: audience.slide == 1)
        source = folder / "index.md"
        good = source.read_text(encoding="utf-8")
        source.write_text(good.replace('title: "生日快乐，Istio！"', "title: [broken"), "utf-8")
        audience.reload()
        speaker.reload()
        await a.pause()
        await p.pause()
        assert not audience._notifications and "⚠ 1" in screen_text(audience)[-1]
        await until(lambda: any(n.title == "未重新加载" for n in speaker._notifications))

    run_linked(scenario, path=folder)
