"""Live commands in the presenter: `e` runs the page's `<!-- exec -->` block only with
--allow-exec, its output streams into the panel (colours kept, every other escape dropped),
Esc stops it, and without the flag nothing runs."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.test_app import options, screen_text
from tui_deck.app import DeckApp, make_app
from tui_deck.app.screens.live import LivePanel

HELLO = "echo 你好; sleep 0.2; printf '\\033]0;pwned\\007'; echo done"


def deck(tmp_path: Path, code: str, lang: str = "zh") -> Path:
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "index.md").write_text(
        f"---\ntitle: 演示\nlanguage: {lang}\n---\n\n## 命令\n\n先看结果。\n\n"
        f"<!-- exec -->\n```bash\n{code}\n```\n",
        encoding="utf-8",
    )
    return folder


def run_app(path: Path, scenario, **kwargs: object) -> DeckApp:  # type: ignore[no-untyped-def]
    app = make_app(options(path, start="2", **kwargs))

    async def main() -> None:
        async with app.run_test(size=(90, 28)) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())
    return app


async def until(pilot: Pilot[int], done, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def panel_of(app: DeckApp) -> LivePanel:
    return app.screen.query_one(LivePanel)


def test_output_streams_into_the_panel_colours_kept_escapes_dropped(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        assert "▶ e" in "\n".join(screen_text(app))  # the key shows: it can run
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: "你好" in panel.transcript.plain())
        assert "done" not in panel.transcript.plain()  # streamed: the first line before the end
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        assert panel.transcript.plain().splitlines() == ["你好", "done"]
        shown = "\n".join(screen_text(app))
        assert "你好" in shown and "done" in shown
        assert "✓ 0 · " in shown and " 秒" in shown  # the exit status and time, in Chinese
        # What Textual would write to the terminal for the whole screen (a headless
        # driver writes nothing): the output is there, the title sequence is not.
        update = app.screen._compositor.render_full_update()
        written = update.render_segments(app.console)
        assert "你好" in written and "done" in written
        # (the code itself, shown on the slide, spells the sequence out as \\033]0;pwned)
        assert "\x1b]" not in written and "\x07" not in written
        assert "pwned" not in panel.transcript.plain()

    run_app(deck(tmp_path, HELLO), scenario, allow_exec=True)


def test_colours_are_kept(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        (line,) = panel.transcript.lines
        assert line.plain == "red"
        assert any(span.style.color.number == 1 for span in line.spans)  # type: ignore[union-attr]

    run_app(deck(tmp_path, "printf '\\033[31mred\\033[0m\\n'"), scenario, allow_exec=True)


def test_a_failing_command_shows_its_status(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        assert "✗ 2 · 0." in "\n".join(screen_text(app))
        assert panel.transcript.plain() == "oops"

    run_app(deck(tmp_path, "echo oops >&2; exit 2", lang="en"), scenario, allow_exec=True)


def test_it_runs_in_the_deck_folder(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        assert panel.transcript.plain() == str((tmp_path / "talk").resolve())

    run_app(deck(tmp_path, "pwd -P"), scenario, allow_exec=True)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_escape_stops_a_long_command_within_a_second(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: "started" in panel.transcript.plain())
        run = panel.run
        assert run is not None and run.pid is not None and not gone(run.pid)
        pid = run.pid
        began = time.monotonic()
        await pilot.press("escape")
        await until(pilot, lambda: not panel.running, seconds=1.0)
        assert time.monotonic() - began < 1.0
        assert gone(pid)
        await pilot.pause(0.1)
        assert "✗ " in "\n".join(screen_text(app))

    run_app(deck(tmp_path, "echo started; sleep 100"), scenario, allow_exec=True)


def test_leaving_the_slide_stops_the_command_and_hides_the_panel(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: "started" in panel.transcript.plain())
        await pilot.press("left")
        await until(pilot, lambda: not panel.running, seconds=2.0)
        assert not panel.display
        assert "started" not in "\n".join(screen_text(app))

    run_app(deck(tmp_path, "echo started; sleep 100"), scenario, allow_exec=True)


def test_long_output_shows_its_last_lines_and_scrolls_back(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.2)
        shown = "\n".join(screen_text(app))
        assert "line 200" in shown and "line 1\n" not in shown + "\n"
        for _ in range(30):
            await pilot.press("up")
        await pilot.pause(0.1)
        assert "line 200" not in "\n".join(screen_text(app))
        assert app.slide == 1  # ↑ scrolled the output, the slide stayed

    run_app(
        deck(tmp_path, "for i in $(seq 1 200); do echo line $i; done"), scenario, allow_exec=True
    )


def test_without_the_flag_nothing_runs_and_the_flag_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(subprocess, "Popen", refuse)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        assert "▶ e" not in "\n".join(screen_text(app))  # no key promised
        await pilot.press("e")
        await pilot.pause()
        assert not app.screen.query(LivePanel)
        (note,) = [n.message for n in app._notifications]
        assert "--allow-exec" in note and "实时命令未开启" in note

    run_app(deck(tmp_path, "touch ran"), scenario)
    assert not (tmp_path / "talk" / "ran").exists()


def test_e_on_a_page_without_a_live_command_says_so(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("left")
        await pilot.press("e")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["本页没有实时命令（e）"]

    run_app(deck(tmp_path, "true"), scenario, allow_exec=True)


def test_brackets_in_the_command_and_its_output_are_text_not_markup(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        shown = "\n".join(screen_text(app))
        assert "$ echo '[/] [bold]x [red]' [" in shown  # the panel's title, as written
        assert "[/] [bold]x [red] [" in shown  # the output, as printed

    run_app(deck(tmp_path, "echo '[/] [bold]x [red]' [", lang="en"), scenario, allow_exec=True)


def test_the_panel_opens_just_under_its_block_and_e_runs_the_next_one(tmp_path: Path) -> None:
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: Demo\n---\n\n## Two\n\n<!-- exec -->\n```bash\necho first\n```\n\n"
        "Then:\n\n```bash +exec\necho second\n```\n",
        encoding="utf-8",
    )

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        rows = screen_text(app)
        keys = [n for n, row in enumerate(rows) if row.endswith("▶ e")]
        assert len(keys) == 2
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        rows = screen_text(app)
        assert rows[keys[0] + 1].lstrip().startswith("╭─ $ echo first")
        assert rows[keys[0] + 2].strip("│ ") == "first"
        await pilot.press("e")
        await until(pilot, lambda: panel.block is not None and "second" in panel.block.code)
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        rows = screen_text(app)
        assert rows[keys[1] + 1].lstrip().startswith("╭─ $ echo second")
        assert rows[keys[1] + 2].strip("│ ") == "second"

    run_app(folder, scenario, allow_exec=True)


def test_the_panel_follows_its_block_on_resize_and_esc_puts_it_away(tmp_path: Path) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        for size in ((120, 30), (60, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            rows = screen_text(app)
            key = next(n for n, row in enumerate(rows) if row.endswith("▶ e"))
            assert rows[key + 1].lstrip().startswith("╭─ $ echo hi")
            assert max(len(row) for row in rows) <= size[0]
            assert rows[key + 1].rstrip().endswith("╮")  # the whole panel on the screen
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.display
        assert "╭─ $" not in "\n".join(screen_text(app))

    run_app(deck(tmp_path, "echo hi", lang="en"), scenario, allow_exec=True)


def test_a_flood_of_output_keeps_the_presenter_answering_and_esc_stops_it(
    tmp_path: Path,
) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        panel = panel_of(app)
        await until(pilot, lambda: len(panel.transcript.lines) > 100)
        await pilot.pause(0.5)
        run = panel.run
        assert run is not None and run.pid is not None
        await pilot.press("escape")
        await until(pilot, lambda: not panel.running, seconds=3.0)
        assert gone(run.pid)
        assert panel.transcript.lines[-2].plain == "flood of output"
        assert len(panel.transcript.lines) <= 2000  # only the last lines are kept

    run_app(deck(tmp_path, "yes 'flood of output'", lang="en"), scenario, allow_exec=True)
