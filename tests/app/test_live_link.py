"""Live commands in a talk of two linked views (issue 16): the speaker's `e` runs the
command once, in the view where it was pressed, and the projector shows a read-only
mirror of its panel (lines, status and time); Esc in either view stops it; a view without
--allow-exec runs nothing; a flood of output keeps both views answering."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.app.test_app import options, screen_text
from tests.app.test_live import deck
from tests.app.test_presenter import until
from tui_deck.app import DeckApp, make_app
from tui_deck.app.screens.live import LivePanel
from tui_deck.app.sync import MAX_LINE, Live, Position, live_batches, parse_line
from tui_deck.runner import MAX_LINES, Mirror

Views = Callable[[DeckApp, Pilot[int], DeckApp, Pilot[int]], Awaitable[None]]


def linked(
    path: Path, scenario: Views, audience_exec: bool = True, speaker_exec: bool = True
) -> None:
    """The projector's view (100x30) and the speaker's (120x30), linked, on slide 2."""
    audience = make_app(options(path, link=True, allow_exec=audience_exec, start="2"))
    speaker = make_app(options(path, link=True, presenter=True, allow_exec=speaker_exec, start="2"))

    async def main() -> None:
        async with (
            audience.run_test(size=(100, 30)) as a,
            speaker.run_test(size=(120, 30)) as p,
        ):
            await until(lambda: audience.link is not None and speaker.link is not None)
            await until(lambda: {audience.link.role, speaker.link.role} == {"server", "client"})  # type: ignore[union-attr]
            await scenario(audience, a, speaker, p)

    asyncio.run(main())


def panel(app: DeckApp) -> LivePanel | None:
    panels = app.screen.query(LivePanel)
    return panels.first() if panels else None


def mirrored(app: DeckApp) -> str:
    shown = panel(app)
    return shown.mirror.plain() if shown is not None and shown.mirror is not None else ""


RUNS = "echo ran >> runs.txt; echo 你好; sleep 0.2; printf '\\033]0;pwned\\007'; echo done"


def test_the_speakers_e_runs_once_and_the_projector_shows_its_panel(tmp_path: Path) -> None:
    folder = deck(tmp_path, RUNS)

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("e")
        await until(lambda: "你好" in mirrored(audience))
        await until(lambda: "✓ 0 · " in "\n".join(screen_text(audience)), 5.0)
        shown = "\n".join(screen_text(audience))
        assert "你好" in shown and "done" in shown and " 秒" in shown
        assert mirrored(audience).splitlines() == ["你好", "done"]  # the title sequence: gone
        mirror = panel(audience)
        assert mirror is not None and mirror.run is None  # the projector ran nothing
        await asyncio.sleep(0.5)
        assert (folder / "runs.txt").read_text().splitlines() == ["ran"]  # once, in all
        # Esc in the projector's view (nothing runs) puts the panel away in both views
        await a.press("escape")
        own = panel(speaker)
        assert own is not None
        await until(lambda: not own.display and not mirror.display)

    linked(folder, scenario)


def test_esc_on_the_projector_stops_the_speakers_command(tmp_path: Path) -> None:
    folder = deck(tmp_path, "echo started; sleep 100")

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("e")
        await until(lambda: "started" in mirrored(audience))
        own = panel(speaker)
        assert own is not None and own.running
        began = time.monotonic()
        await a.press("escape")
        await until(lambda: not own.running, 3.0)
        assert time.monotonic() - began < 1.5
        await until(lambda: "✗ SIGINT · " in "\n".join(screen_text(audience)))

    linked(folder, scenario)


def test_a_view_without_the_flag_runs_nothing_and_says_so(tmp_path: Path) -> None:
    folder = deck(tmp_path, RUNS)

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("e")
        await asyncio.sleep(0.6)
        assert not (folder / "runs.txt").exists()  # neither view ran it
        assert panel(audience) is None or not panel(audience).display  # type: ignore[union-attr]
        (note,) = [n.message for n in speaker._notifications]
        assert note.startswith("实时命令未开启：用 --allow-exec 启动")
        # a start the projector is told of is data: it shows a panel, it runs nothing
        news = Live("start", "forged", slide=speaker.slide, title="$ echo ran >> runs.txt")
        speaker.views.send_live(news)  # type: ignore[union-attr]
        await until(lambda: panel(audience) is not None and panel(audience).display)  # type: ignore[union-attr]
        await asyncio.sleep(0.3)
        assert not (folder / "runs.txt").exists()

    linked(folder, scenario, speaker_exec=False)


def test_a_flood_mirrored_keeps_both_views_answering(tmp_path: Path) -> None:
    folder = deck(tmp_path, "yes 你好 | cat -n")

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await p.press("e")
        await until(lambda: "你好" in mirrored(audience))
        await asyncio.sleep(1.5)
        mirror = panel(audience)
        assert mirror is not None and mirror.mirror is not None
        assert len(mirror.mirror.lines) <= MAX_LINES
        assert "lines skipped" in mirror.mirror.plain() or "跳过了" in mirror.mirror.plain()
        began = time.monotonic()
        await a.press("left")  # the projector moves: both views follow, the command stops
        await until(lambda: audience.slide == 0 and speaker.slide == 0, 1.0)
        assert time.monotonic() - began < 1.0
        own = panel(speaker)
        assert own is not None
        await until(lambda: not own.running, 3.0)

    linked(folder, scenario)


# ----------------------------------------------------------------- the lines on the link


def test_live_news_round_trips_and_bad_news_is_dropped() -> None:
    news = Live("start", "r1", slide=3, title="$ echo 你好", order=(0, 2))
    assert parse_line(news.to_line()) == news
    lines = Live("lines", "r1", first=5, lines=("a", "\x1b[31mb\x1b[0m"))
    assert parse_line(lines.to_line()) == lines
    end = Live("end", "r1", status=-2, seconds=1.5)
    assert parse_line(end.to_line()) == end
    for bad in (
        {"live": "run", "run": "r1"},  # not a kind of news: a view is never asked to run
        {"live": "lines", "run": "r1", "first": -1, "lines": []},
        {"live": "lines", "run": "r1", "first": 0, "lines": [1]},
        {"live": "end", "run": "r1", "status": "0", "seconds": 1, "error": ""},
        {"live": "start", "run": "", "slide": 0, "title": ""},
    ):
        assert parse_line(json.dumps(bad).encode()) is None
    # a view without live news reads its lines as no position (and ignores them)
    assert Position.from_line(news.to_line()) is None
    # the lines of a view without live news still move this one
    old = b'{"slide": 2, "page": 1, "pages": 1, "at": 5.0}\n'
    assert parse_line(old) == Position(2, 1, 1, 5.0)


def test_a_flood_is_sent_as_its_last_lines_each_message_under_the_limit() -> None:
    lines = [f"line {n} " + "你好" * 700 for n in range(5000)]
    batches = live_batches("r1", 100, lines)
    assert 1 <= len(batches) <= 4
    assert all(len(batch.to_line()) <= MAX_LINE for batch in batches)
    assert batches[-1].lines[-1].startswith("line 4999 ")  # the newest is sent
    assert batches[0].first > 100  # the older ones are skipped
    numbers = [int(line.split()[1]) for batch in batches for line in batch.lines]
    assert numbers == list(range(numbers[0], 5000))


def test_a_mirror_sanitises_replaces_a_growing_line_and_says_what_it_missed() -> None:
    mirror = Mirror(lambda count: f"… {count} lines skipped")
    mirror.take(0, ["one", "tw"])
    mirror.take(1, ["two\x1b]52;c;aGk=\x07\x1b[2J", "thr"])  # the growing last line, again
    mirror.take(10, ["ten"])
    assert mirror.plain().splitlines() == ["one", "two", "thr", "… 7 lines skipped", "ten"]
    assert "\x1b" not in mirror.plain() and "\x07" not in mirror.plain()
