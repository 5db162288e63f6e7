"""The presenter, driven with Textual's pilot the way a speaker drives it with keys."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from tests.conftest import SLIDES
from tui_deck.app import AppOptions, DeckApp, make_app
from tui_deck.deck import load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Size

Scenario = Callable[[DeckApp, Pilot[int]], Awaitable[None]]


def options(path: Path = SLIDES, **kwargs: object) -> AppOptions:
    """Test knobs: no wall clock, no file watching, image boxes as frames, unless asked."""
    defaults: dict[str, object] = {"clock": None, "watch": False, "images": "none"}
    defaults.update(kwargs)
    return AppOptions(path=path, **defaults)  # type: ignore[arg-type]


def run(scenario: Scenario, size: tuple[int, int] = (100, 30), **kwargs: object) -> DeckApp:
    app = make_app(options(**kwargs))

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())
    return app


def screen_text(app: DeckApp) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("key", ["right", "l", "j", "space", "pagedown", "enter"])
def test_next_keys(key: str) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press(key)
        assert (app.slide, app.page) == (1, 1)
        assert "庆祝 Istio 的 4 岁生日" in "\n".join(screen_text(app))

    run(scenario)


@pytest.mark.parametrize("key", ["left", "h", "k", "backspace", "pageup"])
def test_previous_keys(key: str) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        assert app.slide == 2
        await pilot.press(key)
        assert app.slide == 1

    run(scenario, start="3")


def test_paginated_slide_pages_through_before_moving_on() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        assert (app.slide, app.page) == (2, 2)
        assert "（续 2/" in "\n".join(screen_text(app))
        await pilot.press("right")
        assert (app.slide, app.page) == (3, 1)
        await pilot.press("left")
        assert (app.slide, app.page) == (2, 2)  # back to the last page of the previous slide

    run(scenario, size=(80, 24), start="a-year-of-important-developments-for-istio")


@pytest.mark.parametrize(("key", "slide"), [("end", 3), ("G", 3), ("home", 0), ("g", 0)])
def test_first_and_last(key: str, slide: int) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press(key)
        assert app.slide == slide

    run(scenario, start="2")


def test_number_then_enter_jumps() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("3", "enter")
        assert app.slide == 2
        await pilot.press("9", "enter")  # no slide 9: stay, and say so
        assert app.slide == 2

    run(scenario)


def test_colon_jumps_by_id_or_title() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("colon")
        await pilot.press(*"参加")
        await pilot.press("enter")
        await pilot.pause()
        assert app.slide == 3
        await pilot.press("colon", *"celebrating-istios-4th-birthday", "enter")
        await pilot.pause()
        assert app.slide == 1

    run(scenario)


@pytest.mark.parametrize("key", ["o", "tab"])
def test_overview_list_on_a_small_terminal_opens_a_slide(key: str) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press(key)
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert "如何参加 Istio 的 4 岁生日庆典" in text and "Istio 取得重大发展的一年" in text
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.slide == 2

    run(scenario, size=(80, 24))


def test_overview_grid_of_live_previews_on_a_large_terminal() -> None:
    from tui_deck.app.screens import Card, GridOverviewScreen

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, GridOverviewScreen)
        cards = list(app.screen.query(Card))
        assert [card.border_title for card in cards] == ["1", "2", "3", "4"]
        text = "\n".join(screen_text(app))
        # Previews are real pages: the first lines of slide 2 as the layout breaks them.
        assert "四年前的今天，Istio 项目诞生于开源世" in text
        await pilot.press("right", "down", "enter")  # 3 columns: 1 → 2 → 5 (clamped to 4)
        await pilot.pause()
        assert app.slide == 3
        await pilot.press("tab", "left", "enter")
        await pilot.pause()
        assert app.slide == 2

    run(scenario, size=(160, 45))


def test_search_finds_and_highlights_then_n_and_shift_n() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("slash", *"IstioCon", "enter")
        await pilot.pause()
        assert app.slide == 2
        page = app.view.last_view.page
        assert page is not None
        strips = app.screen._compositor.render_strips()
        assert any(seg.style and seg.style.reverse for strip in strips for seg in strip)
        await pilot.press("slash", *"礼品", "enter")
        await pilot.pause()
        # n and N step hit by hit (two hits may share a slide): where, and which of them.
        first = (app.slide, app.page, app.status)
        await pilot.press("n")
        second = (app.slide, app.page, app.status)
        await pilot.press("N")
        assert first != second and (app.slide, app.page, app.status) == first

    run(scenario)


def test_timer_starts_pauses_and_resets() -> None:
    now = [100.0]

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("t")
        now[0] += 65
        app.refresh_slide()
        await pilot.pause()
        assert "01:05" in screen_text(app)[-1]
        await pilot.press("t")
        now[0] += 100
        assert app.clock.text() == "01:05 ⏸"
        await pilot.press("T")
        assert app.clock.text() == ""

    run(scenario, monotonic=lambda: now[0])


def test_clock_in_footer() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        assert screen_text(app)[-1].endswith("1 / 4  09:30")

    run(scenario, clock=lambda: dt.datetime(2026, 5, 24, 9, 30))


def test_blank_and_footer_toggles() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("b")
        await pilot.pause()
        assert not any(screen_text(app))
        await pilot.press("b", "f")
        await pilot.pause()
        assert "1 / 4" not in "\n".join(screen_text(app))
        await pilot.press("f")
        await pilot.pause()
        assert "1 / 4" in screen_text(app)[-1]

    run(scenario)


def test_help_is_in_the_language_of_the_deck(tmp_path: Path) -> None:
    async def zh(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert "下一页 / 下一张" in "\n".join(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert "下一页" not in "\n".join(screen_text(app))

    run(zh)
    (tmp_path / "index.md").write_text("---\ntitle: Hello\n---\n\n## One\n\nText.\n")

    async def en(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert "next page / slide" in "\n".join(screen_text(app))

    run(en, path=tmp_path)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
def test_quit_exits_zero(key: str) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press(key)

    assert run(scenario).return_value == 0


def test_mouse_click_halves_and_wheel() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.click(offset=(90, 10))
        assert app.slide == 1
        await pilot.click(offset=(5, 10))
        assert app.slide == 0
        for event_type, expected in ((events.MouseScrollDown, 1), (events.MouseScrollUp, 0)):
            app.view.post_message(event_type(app.view, 10, 10, 0, 1, 0, False, False, False))
            await pilot.pause()
            assert app.slide == expected

    run(scenario)


def test_resize_keeps_the_slide_and_relays_it_out() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        lines = screen_text(app)
        assert app.slide == 2
        assert len(lines) == 20 and all(len(line) <= 60 for line in lines)
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert "终端太小：30x10（至少 40x12）" in "".join(screen_text(app))
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert app.slide == 2

    run(scenario, start="3")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_screen_equals_text_export_for_every_page(size: tuple[int, int]) -> None:
    deck = load_deck(SLIDES)
    expected = [page.text().split("\n")[:-1] for page in all_pages(deck, Size(*size))]

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        seen = []
        for _ in expected:
            await pilot.pause()
            seen.append(screen_text(app))
            await pilot.press("right")
        assert seen == expected

    run(scenario, size=size)


def _deck_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "deck"
    shutil.copytree(SLIDES, folder)
    return folder


def test_reload_keeps_the_slide_by_id(tmp_path: Path) -> None:
    folder = _deck_copy(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        source = folder / "index.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("## 庆祝", "## 新的一张\n\n新内容。\n\n## 庆祝"), "utf-8")
        await pilot.press("r")
        await pilot.pause()
        current = app.deck.slides[app.slide]
        assert current.id == "how-to-participate-in-istios-4th-birthday-celebration"
        assert app.slide == 4

    run(scenario, path=folder, start="4")


def test_broken_edit_keeps_the_last_good_deck(tmp_path: Path) -> None:
    folder = _deck_copy(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        source = folder / "index.md"
        good = source.read_text(encoding="utf-8")
        source.write_text(good.replace('title: "生日快乐，Istio！"', "title: [broken"), "utf-8")
        app.reload()
        await pilot.pause()
        assert app.deck.slides[0].title == "生日快乐，Istio！"
        assert any(n.title == "未重新加载" for n in app._notifications)
        source.write_text(good.replace("生日快乐，Istio！", "生日快乐！"), "utf-8")
        app.reload()
        await pilot.pause()
        assert app.deck.slides[0].title == "生日快乐！"

    run(scenario, path=folder)


def test_hot_reload_follows_a_save(tmp_path: Path) -> None:
    folder = _deck_copy(tmp_path)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await asyncio.sleep(0.5)  # let the watcher start
        source = folder / "index.md"
        source.write_text(source.read_text("utf-8").replace("生日快乐，Istio！", "改过了"), "utf-8")
        for _ in range(50):
            await asyncio.sleep(0.1)
            if app.deck.slides[0].title == "改过了":
                break
        assert app.deck.slides[0].title == "改过了"
        assert "改过了" in "\n".join(screen_text(app))

    run(scenario, path=folder, watch=True)


def test_a_slide_that_fails_shows_an_error_panel_and_the_app_lives_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tui_deck.app.app as app_module

    real = app_module.layout_slide

    def flaky(deck: object, index: int, *args: object, **kwargs: object) -> object:
        if index == 1:
            raise RuntimeError("boom in layout")
        return real(deck, index, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "layout_slide", flaky)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert "This slide could not be shown" in text
        assert "RuntimeError: boom in layout" in text
        await pilot.press("right")
        await pilot.pause()
        assert "Istio 取得重大发展的一年" in "\n".join(screen_text(app))

    run(scenario)


def test_autoplay_advances_and_quits_at_the_end() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        for _ in range(100):
            await asyncio.sleep(0.05)
            if app.return_value is not None:
                break

    app = run(scenario, autoplay=0.05, size=(160, 45))
    assert app.return_value == 0
    assert app.slide == 3


def test_autoplay_loop_starts_over() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        seen = set()
        for _ in range(60):
            await asyncio.sleep(0.05)
            seen.add(app.slide)
            if 0 in seen and 3 in seen and app.slide == 0 and len(seen) == 4:
                break
        assert seen == {0, 1, 2, 3}
        assert app.return_value is None

    run(scenario, autoplay=0.05, loop=True, size=(160, 45), start="3")


def test_navigation_while_blank_only_brings_the_slide_back() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("b", "right", "right")
        await pilot.pause()
        assert app.slide == 1  # the first → only unblanked
        assert "庆祝 Istio 的 4 岁生日" in "\n".join(screen_text(app))

    run(scenario)


def test_typed_number_shows_in_footer_and_escape_forgets_it() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("4")
        await pilot.pause()
        assert "→ 4  1 / 4" in screen_text(app)[-1]
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert app.slide == 1  # Enter was a plain "next"

    run(scenario)


def test_search_highlights_a_phrase_broken_across_lines() -> None:
    from rich.style import Style
    from rich.text import Text

    from tui_deck.app.widgets import highlight

    lines = [Text("title"), Text("    ...庆祝活"), Text("    动，然后")]
    marked = highlight(lines, "庆祝活动", top=1)
    reversed_cols = [
        sorted(
            i
            for span in line.spans
            if isinstance(span.style, Style) and span.style.reverse
            for i in range(span.start, span.end)
        )
        for line in marked
    ]
    assert reversed_cols == [[], [7, 8, 9], [4]]


def test_full_garbage_collection_waits_for_a_pause_and_is_undone_on_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Full collections (30-100 ms) run only when no key was pressed for a while; start-up's
    objects are frozen out of them; the process gets its collector back when the app ends."""
    import gc

    import tui_deck.app.app as app_module

    monkeypatch.setattr(app_module, "IDLE_GC_SECONDS", 0.05)
    before = gc.get_threshold()

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        assert gc.get_threshold()[2] > before[2]  # no automatic full collection
        await pilot.press("right")
        await pilot.pause(0.3)
        assert gc.get_freeze_count() > 0  # collected and frozen while nobody typed

    run(scenario)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
