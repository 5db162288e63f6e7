"""The presenter view and the link between views, driven as a speaker drives them."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.pilot import Pilot

from tests.app.test_app import options, screen_text
from tests.conftest import SLIDES
from tui_deck.app import DeckApp, make_app
from tui_deck.app import sync as sync_module
from tui_deck.app.sync import Position, SyncRefused, check_socket, socket_dir, socket_path
from tui_deck.cli import _duration
from tui_deck.deck import load_deck
from tui_deck.layout.presenter import Talk, layout_presenter, notes_length
from tui_deck.layout.theme import DEFAULT_THEME


def text_of(app: DeckApp) -> str:
    return "\n".join(screen_text(app))


async def until(check: Callable[[], bool], seconds: float = 3.0) -> None:
    """Wait (in the shared event loop) until ``check`` holds; fail after ``seconds``."""
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    assert check()


Views = Callable[[DeckApp, Pilot[int], DeckApp, Pilot[int]], Awaitable[None]]


def run_linked(
    scenario: Views,
    path: Path = SLIDES,
    audience_size: tuple[int, int] = (100, 30),
    speaker_size: tuple[int, int] = (100, 30),
) -> None:
    """The audience's view and the speaker's view of one deck, headless, in one loop."""
    audience = make_app(options(path, link=True))
    speaker = make_app(options(path, link=True, presenter=True))

    async def main() -> None:
        async with (
            audience.run_test(size=audience_size) as a,
            speaker.run_test(size=speaker_size) as p,
        ):
            await until(lambda: audience.link is not None and speaker.link is not None)
            assert audience.link is not None and speaker.link is not None
            await until(lambda: {audience.link.role, speaker.link.role} == {"server", "client"})  # type: ignore[union-attr]
            await scenario(audience, a, speaker, p)

    asyncio.run(main())


# ----------------------------------------------------------------- the speaker's screen


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 45), (60, 16), (40, 12)])
def test_the_presenter_page_fits_the_screen_exactly(size: tuple[int, int]) -> None:
    deck = load_deck(SLIDES)
    width, height = size
    for index in range(len(deck.slides)):
        page = layout_presenter(deck, index, 1, 1, width, height, talk=Talk(61, 1200))
        assert len(page.lines) == height
        assert all(line.cell_len <= width for line in page.lines)
        for slot in page.images:  # picture boxes lie inside the screen
            assert slot.row >= 0 and slot.row + slot.height <= height
            assert slot.col >= 0 and slot.col + slot.width <= width


def test_the_presenter_shows_current_next_notes_and_times() -> None:
    """At 100x30: both previews framed side by side, the next slide's title, the notes of
    the current slide laid out as Markdown (list bullets, bold gone), and the times."""
    deck = load_deck(SLIDES)
    page = layout_presenter(deck, 1, 1, 1, 100, 30, talk=Talk(15 * 60 + 5, 20 * 60, False, "20:41"))
    text = page.text()
    assert "当前 · 庆祝 Istio 的 4 岁生日" in text
    assert "下一张 · Istio 取得重大发展的一年" in text
    assert text.count("╭") == 2  # two previews
    assert "开场：先请用过 Istio 的朋友举手" in text  # **开场** rendered, not raw Markdown
    assert "• 今天是 Istio 的 4 岁生日" in text
    assert "**" not in text and "<!--" not in text
    footer = page.lines[-1].plain
    assert "2 / 4" in footer and "已用 15:05" in footer and "剩余 04:55" in footer
    assert footer.rstrip().endswith("20:41")


def test_an_english_deck_speaks_english(tmp_path: Path) -> None:
    post = tmp_path / "talk.md"
    post.write_text(
        "---\ntitle: Talk\n---\n## One\n\nHello.\n\n<!-- notes: Say *hello* first. -->\n\n"
        "## Two\n\nBye.\n",
        encoding="utf-8",
    )
    deck = load_deck(post)
    text = layout_presenter(deck, 1, 1, 1, 100, 30, talk=Talk(5, 600)).text()
    assert "Now · One" in text and "Next · Two" in text and "Say hello first." in text
    assert "elapsed 00:05" in text and "left 09:55" in text
    last = layout_presenter(deck, 2, 1, 1, 100, 30).text()
    assert "(end of the deck)" in last and "(no notes for this slide)" in last


def test_the_countdown_turns_amber_at_five_minutes_and_red_when_over() -> None:
    deck = load_deck(SLIDES)

    def countdown(elapsed: float) -> tuple[str, str | None]:
        footer = layout_presenter(deck, 0, 1, 1, 100, 30, talk=Talk(elapsed, 1200)).lines[-1]
        match = re.search(r"(剩余|超时) \d\d:\d\d", footer.plain)
        assert match, footer.plain
        style = footer.get_style_at_offset(Console(), match.start())
        return match.group(0), style.color.name if style.color else None

    on_time = countdown(60)
    assert on_time == ("剩余 19:00", None)
    amber = countdown(15 * 60)
    assert amber[0] == "剩余 05:00" and amber[1] == DEFAULT_THEME.warning.lower()
    over = countdown(21 * 60 + 7)
    assert over == ("超时 01:07", "red")


def test_notes_are_broken_by_the_cjk_line_breaker(tmp_path: Path) -> None:
    """A long Chinese note wraps inside the notes area, never starting a line with
    closing punctuation, and every character of it is shown once."""
    note = "这是一段很长的演讲备注，用来检查中文断行是否正确，标点符号不能出现在行首。" * 4
    post = tmp_path / "talk.md"
    post.write_text(
        f"---\ntitle: 演讲\n---\n## 第一张\n\n正文。\n\n<!-- notes:\n{note}\n-->\n",
        encoding="utf-8",
    )
    deck = load_deck(post)
    page = layout_presenter(deck, 1, 1, 1, 60, 40)
    rows = [line.plain for line in page.lines]
    start = next(n for n, row in enumerate(rows) if row.startswith("备注")) + 1
    body = [row.strip() for row in rows[start:-2] if row.strip()]
    assert "".join(body) == note
    assert all(cell_len(row) <= 58 for row in body)
    assert not any(row[0] in "，。、；：！？）" for row in body)


# ----------------------------------------------------------------- the presenter app


def test_the_presenter_app_scrolls_long_notes_and_counts_time() -> None:
    ticks = iter(range(0, 10_000, 1))
    app = make_app(options(presenter=True, duration=1200.0, monotonic=lambda: float(next(ticks))))

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("right", "right")
            await pilot.pause()
            first = text_of(app)
            assert "1. 控制平面简化成 istiod" in first and "↓ 还有" in first
            await pilot.press("down", "down")
            await pilot.pause()
            scrolled = text_of(app)
            assert "时间紧就跳过 CVE" in scrolled
            assert "已用" in scrolled and "剩余" in scrolled
            while app.slide == 2:  # through the slide's pages (as at 80x24), to the next slide
                await pilot.press("right")
            await pilot.pause()
            assert app.slide == 3  # another slide: its notes from the top
            assert app.room.notes_offset == 0 and "收尾" in text_of(app)

    asyncio.run(main())
    assert notes_length(app.deck, 2, 80) > 6


def test_duration_option_values() -> None:
    assert _duration("20m") == 1200
    assert _duration("1h30m") == 5400
    assert _duration("45s") == 45
    assert _duration("25") == 1500
    assert _duration("25:00") == 1500
    assert _duration("1:30:00") == 5400
    for bad in ("", "0", "abc", "1:99", "-5m"):
        with pytest.raises(Exception, match="not a length of time"):
            _duration(bad)


# ----------------------------------------------------------------- the link


def test_keys_in_either_view_move_both() -> None:
    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await a.press("right")
        await until(lambda: speaker.slide == 1)
        assert "当前 · 庆祝 Istio 的 4 岁生日" in text_of(speaker)
        await p.press("right")
        await until(lambda: audience.slide == 2)
        await p.pause()
        assert "Istio 取得重大发展的一年" in text_of(audience)
        await p.press("end")
        await until(lambda: audience.slide == 3)
        await a.press("home")
        await until(lambda: speaker.slide == 0)

    run_linked(scenario)


def test_the_speaker_steps_through_the_audiences_pages_and_sees_what_it_shows(
    tmp_path: Path,
) -> None:
    """The audience's screen (80x24) is smaller than the speaker's (100x30): a long slide
    has more pages there. The speaker's → goes through the audience's pages, then on to the
    next slide, and the current preview shows the text the audience sees."""
    paragraph = "段：在过去的 12 个月里，Istio 项目一直非常关注用户。"
    long = "\n\n".join(f"第 {n} {paragraph}" for n in range(40))
    post = tmp_path / "talk.md"
    post.write_text(f"---\ntitle: 长\n---\n## 很长的一张\n\n{long}\n\n## 下一张\n\n短。\n")

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await until(lambda: speaker.room.audience_size == (80, 24))
        await p.press("right")
        await until(lambda: audience.slide == 1)
        pages = audience.room.page_count()
        assert pages > 2 and speaker.room.page_count() == pages
        for number in range(2, pages + 1):
            await p.press("right")
            await until(lambda n=number: audience.page == n)  # type: ignore[misc]
            await p.pause()
            first = next(
                "".join(row.split())
                for row in screen_text(audience)[3:]
                if row.strip() and "第" in row
            )[:12]
            preview = "".join("".join(row.split()) for row in screen_text(speaker)[:16])
            assert first in preview, (number, first)
        assert audience.slide == 1
        await p.press("right")
        await until(lambda: audience.slide == 2)

    run_linked(scenario, path=post, audience_size=(80, 24))


def test_blank_from_the_speaker_blanks_the_projector_not_the_notes() -> None:
    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("right", "b")
        await until(lambda: audience.view.blank)
        await p.pause()
        assert not speaker.view.blank and "观众屏幕已黑屏" in text_of(speaker)
        assert "备注" in text_of(speaker)
        assert not any(row.strip() for row in screen_text(audience))
        await p.press("right")  # the first key brings the slide back, as on the projector
        await until(lambda: not audience.view.blank)
        assert audience.slide == speaker.slide == 1
        await a.press("b")
        await until(lambda: speaker.blank)

    run_linked(scenario)


def test_the_same_deck_opened_by_another_path_is_linked() -> None:
    """`slides/`, `slides/index.md` and an absolute path are one deck."""
    first = make_app(options(SLIDES, link=True))
    second = make_app(options(SLIDES / "index.md", link=True))

    async def main() -> None:
        async with first.run_test(size=(100, 30)) as a, second.run_test(size=(100, 30)):
            await until(lambda: first.link is not None and second.link is not None)
            assert first.link.path == second.link.path  # type: ignore[union-attr]
            await until(lambda: {first.link.role, second.link.role} == {"server", "client"})  # type: ignore[union-attr]
            await a.press("right")
            await until(lambda: second.slide == 1)

    asyncio.run(main())


def test_when_one_view_quits_the_other_keeps_working_and_a_new_one_joins() -> None:
    audience = make_app(options(link=True))
    speaker = make_app(options(link=True, presenter=True))

    async def main() -> None:
        async with speaker.run_test(size=(100, 30)) as p:
            async with audience.run_test(size=(100, 30)) as a:
                await until(lambda: audience.link is not None and speaker.link is not None)
                await until(lambda: audience.link.role != "alone")  # type: ignore[union-attr]
                await until(lambda: speaker.link.role != "alone")  # type: ignore[union-attr]
                await a.press("right")
                await until(lambda: speaker.slide == 1)
            # The audience's view is gone; the speaker goes on alone.
            await p.press("right")
            await p.pause()
            assert speaker.slide == 2 and "当前 · Istio 取得重大发展的一年" in text_of(speaker)
            late = make_app(options(link=True))
            async with late.run_test(size=(100, 30)):
                # A view that joins late goes where the talk is.
                await until(lambda: late.slide == 2)
                await p.press("right")
                await until(lambda: late.slide == 3)

    asyncio.run(main())


def test_two_views_that_look_for_the_socket_at_the_same_moment_still_link(
    runtime_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two views started together (serve and the presenter's app, a view quitting and two
    others electing a new listener) both find no socket: the second must not take the
    first's name (both would listen, and neither would ever hear the other); it joins."""
    path = socket_path(SLIDES, "key")
    heard: list[int] = []

    async def main() -> None:
        first = sync_module.Link(path, lambda p: None, lambda: Position(0))
        await first.start()
        await until(lambda: first.role == "server")
        looked = [0]
        real = sync_module.check_socket

        def looked_too_early(where: Path) -> bool:  # before the first view had bound it
            looked[0] += 1
            return False if looked[0] <= 2 else real(where)

        monkeypatch.setattr(sync_module, "check_socket", looked_too_early)
        second = sync_module.Link(path, lambda p: heard.append(p.slide), lambda: Position(0))
        await second.start()
        await until(lambda: second.role == "client")
        assert looked[0] > 2 and first.role == "server"
        assert os.stat(path).st_ino == first._inode  # the first view's socket, still there
        await until(lambda: len(first._peers) == 1)  # (its end of the connection accepted)
        first.send(Position(2, moved_at=time.time()))
        await until(lambda: heard == [2])
        second.close_now()
        first.close_now()

    asyncio.run(main())


def test_a_socket_left_by_a_view_that_crashed_is_taken_over(runtime_dir: Path) -> None:
    path = socket_path(SLIDES, "key")
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening, never removed: a crashed view's
    dead.close()
    heard: list[int] = []

    async def main() -> None:
        first = sync_module.Link(path, lambda p: None, lambda: Position(0))
        await first.start()
        await until(lambda: first.role == "server")
        second = sync_module.Link(path, lambda p: heard.append(p.slide), lambda: Position(0))
        await second.start()
        await until(lambda: second.role == "client" and len(first._peers) == 1)
        first.send(Position(3, moved_at=time.time()))
        await until(lambda: heard == [3])
        second.close_now()
        first.close_now()

    asyncio.run(main())


def test_another_deck_is_not_moved(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(SLIDES, other)
    first = make_app(options(link=True))
    second = make_app(options(other, link=True))
    assert socket_path(SLIDES, "a") != socket_path(other, "b")

    async def main() -> None:
        async with first.run_test(size=(100, 30)) as a, second.run_test(size=(100, 30)):
            await until(lambda: first.link is not None and second.link is not None)
            await a.press("right", "right")
            await a.pause(0.3)
            assert first.slide == 2 and second.slide == 0
            assert first.link.role == second.link.role == "server"  # type: ignore[union-attr]

    asyncio.run(main())


def test_a_deck_in_a_long_named_folder_gets_a_socket_path_that_fits(tmp_path: Path) -> None:
    """A Unix socket's path has at most 107 bytes: the folder's name in it gives way (the
    views then link; before, binding failed and they retried forever); a runtime folder
    too long even for that is refused with the reason."""
    deck = tmp_path / ("讲稿-a-long-folder-name-for-the-talk" * 2)
    deck.mkdir()
    digest = socket_path(deck, "key", Path("/tmp/r")).name[-21:]
    assert socket_path(deck, "key", Path("/tmp/r")).name.startswith("讲稿-a-long")
    for depth in (10, 60, 80):
        folder = Path("/tmp") / ("r" * depth)
        path = socket_path(deck, "key", folder)
        assert len(os.fsencode(path)) <= 107 and path.parent == folder
        assert path.name.endswith(digest) and deck.name.startswith(path.name[:-22])
    with pytest.raises(SyncRefused, match="too long"):
        socket_path(deck, "key", Path("/tmp") / ("r" * 100))


def test_a_folder_open_to_other_users_is_refused(runtime_dir: Path) -> None:
    folder = runtime_dir / "istio-deck"
    folder.mkdir(mode=0o700)
    folder.chmod(0o755)
    with pytest.raises(SyncRefused, match="chmod 700"):
        socket_dir()
    folder.chmod(0o700)
    assert socket_dir() == folder


def test_a_folder_or_socket_of_another_user_is_refused(
    runtime_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = socket_path(SLIDES, "key")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        os.chmod(path, 0o600)
        assert check_socket(path) is True  # ours and private: joined
        os.chmod(path, 0o666)
        with pytest.raises(SyncRefused, match="not private"):
            check_socket(path)
        os.chmod(path, 0o600)
        real = os.getuid()
        monkeypatch.setattr(sync_module.os, "getuid", lambda: real + 1)
        with pytest.raises(SyncRefused, match="another user"):
            check_socket(path)
        with pytest.raises(SyncRefused, match="another user"):
            socket_dir()
    finally:
        server.close()


def test_a_refused_link_leaves_the_view_working_and_says_so_until_fixed(
    runtime_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The talk goes on; the speaker is told why the views are not linked (a notice, then
    in the footer while it lasts); once the folder is fixed, the views link."""
    import tui_deck.app.app as app_module

    monkeypatch.setattr(app_module, "LINK_RETRY_SECONDS", 0.1)
    folder = runtime_dir / "istio-deck"
    folder.mkdir(mode=0o700)
    folder.chmod(0o755)
    app = make_app(options(link=True, presenter=True))

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(lambda: bool(app.views and app.views.problem))
            assert app.link is None

            def told() -> bool:  # a notice is a message to the app: it may come a moment later
                messages = [n.message for n in app._notifications]
                return any("视图未联动" in m and "chmod 700" in m for m in messages)

            await until(told)
            await pilot.pause()
            assert "⚠ 未联动" in screen_text(app)[-1]
            await pilot.press("right")
            assert app.slide == 1
            folder.chmod(0o700)
            await until(lambda: app.link is not None)
            await pilot.pause()
            assert app.views and not app.views.problem and "未联动" not in screen_text(app)[-1]

    asyncio.run(main())


def test_garbage_on_the_socket_is_ignored() -> None:
    assert Position.from_line(b'{"slide": 2, "page": 1, "pages": 1, "at": 5}\n') == Position(
        2, 1, 1, 5.0
    )
    line = Position(3, 2, 4, 7.5, 80, 24, True, False).to_line()
    assert Position.from_line(line) == Position(3, 2, 4, 7.5, 80, 24, True, False)
    for bad in (
        b"not json\n",
        b'{"slide": -1, "page": 1, "pages": 1, "at": 1}',
        b'{"slide": 1, "page": 3, "pages": 2, "at": 1}',
        b'{"slide": true, "page": 1, "pages": 1, "at": 1}',
        b'{"slide": 1}',
        b"[]",
        b'{"slide": 1, "page": 1, "pages": 1, "at": NaN}',
        b'{"slide": 1, "page": 1, "pages": 1, "at": 1, "size": [80, -1]}',
        b'{"slide": 1, "page": 1, "pages": 1, "at": 1, "blank": "yes"}',
    ):
        assert Position.from_line(bad) is None


def test_recording_a_deck_does_not_move_its_live_presentation(tmp_path: Path) -> None:
    """`istio-deck record` runs its own presenter: it must not drive the talk on stage."""
    import sys

    from tests.conftest import ROOT

    app = make_app(options(link=True))

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(lambda: app.link is not None and app.link.role == "server")
            cast = tmp_path / "talk.cast"
            recorder = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "tui_deck", "record", str(SLIDES), "-o", str(cast)),
                *("--interval", "0.3", "--images", "none"),
                cwd=ROOT,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            assert await asyncio.wait_for(recorder.wait(), 120) == 0
            await pilot.pause(0.2)
            assert cast.stat().st_size > 0
            assert app.slide == 0

    asyncio.run(main())


def test_a_picture_in_a_preview_keeps_the_frame_around_it() -> None:
    """At 160x45 the next slide's picture is drawn inside its preview box: every row of the
    box still ends with the frame's right edge."""
    app = make_app(options(presenter=True, images="blocks"))

    async def main() -> None:
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.press("right", "right")
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause()
            rows = screen_text(app)
            top = next(n for n, row in enumerate(rows) if "╭" in row)
            bottom = next(n for n, row in enumerate(rows) if n > top and "╰" in row)
            box = rows[top + 1 : bottom]
            assert any("▀" in row or "▄" in row for row in box)  # the picture is there
            assert all(row.rstrip().endswith("│") for row in box), "\n".join(box)

    asyncio.run(main())


def test_a_restarted_presenter_keeps_the_talks_time() -> None:
    """The speaker's terminal closed mid-talk: the new presenter view shows the talk's time,
    not 00:00. T starts the clock again (the talk begins now)."""
    now = [1000.0]

    def clock() -> float:
        return now[0]

    async def first_view() -> None:
        app = make_app(options(presenter=True, link=True, monotonic=clock))
        async with app.run_test(size=(100, 30)) as pilot:
            now[0] += 100  # 01:40 into the talk
            await pilot.press("t")  # paused
            await pilot.pause()
            assert "已用 01:40" in screen_text(app)[-1]

    async def second_view() -> None:
        app = make_app(options(presenter=True, link=True, monotonic=clock))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            footer = screen_text(app)[-1]
            assert "已用 01:40" in footer and "已暂停" in footer
            await pilot.press("T")
            now[0] += 5
            app.refresh_slide()
            await pilot.pause()
            footer = screen_text(app)[-1]
            assert "已用 00:05" in footer and "已暂停" not in footer

    asyncio.run(first_view())
    asyncio.run(second_view())
