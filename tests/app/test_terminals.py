"""Terminals that misbehave: resize storms, tiny and huge sizes, SIGTERM, NO_COLOR, TERM=dumb."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import struct
import sys
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.test_app import run, screen_text
from tests.conftest import ROOT, SLIDES
from tui_deck.app import DeckApp


def test_resize_storm_keeps_the_slide_and_never_crashes() -> None:
    sizes = [(1 + (i * 37) % 400, 1 + (i * 23) % 120) for i in range(50)]

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.slide == 2
        assert "Istio 取得重大发展的一年" in "\n".join(screen_text(app))

    run(scenario, start="3")


@pytest.mark.parametrize(("width", "height"), [(1, 1), (3, 2), (400, 120)])
def test_extreme_sizes(width: int, height: int) -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right", "right")
        await pilot.pause()
        lines = screen_text(app)
        assert len(lines) == height and all(len(line) <= width for line in lines)

    run(scenario, size=(width, height))


def test_fifty_broken_images_on_one_slide_render_within_a_second(tmp_path: Path) -> None:
    for n in range(50):
        (tmp_path / f"bad{n}.png").write_bytes(b"not an image")
    body = "\n\n".join(
        f'{{{{< image link="./bad{n}.png" caption="broken {n}" >}}}}' for n in range(50)
    )
    (tmp_path / "index.md").write_text(f"## Broken\n\n{body}\n", encoding="utf-8")

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        started = time.perf_counter()
        await pilot.press("right")
        await pilot.pause()
        assert "Broken" in "\n".join(screen_text(app))
        assert time.perf_counter() - started < 1.0

    run(scenario, path=tmp_path, images="blocks")


def _spawn(env_extra: dict[str, str]) -> tuple[int, int]:
    env = {**os.environ, "TERM": "xterm-256color", **env_extra}
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(
            sys.executable, [sys.executable, "-m", "tui_deck", str(SLIDES), "--no-watch"], env
        )
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def _read_until(fd: int, needle: bytes, seconds: float) -> bytes:
    data = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and needle not in data:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.parametrize("how", ["SIGTERM", "q", "ctrl+c"])
def test_terminal_is_restored_on_exit(how: str) -> None:
    pid, fd = _spawn({})
    try:
        started = _read_until(fd, "生日快乐".encode(), 15)
        assert b"\x1b[?1049h" in started  # the alternate screen
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
        else:
            os.write(fd, b"q" if how == "q" else b"\x03")
        ended = _read_until(fd, b"\x1b[?1049l", 10)
        assert b"\x1b[?1049l" in ended  # back to the normal screen
        for _ in range(50):
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        assert done, "the presenter did not exit"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.close(fd)


def test_no_color_still_presents() -> None:
    pid, fd = _spawn({"NO_COLOR": "1"})
    try:
        shown = _read_until(fd, "生日快乐".encode(), 15)
        assert "生日快乐".encode() in shown
        os.write(fd, b"q")
        _read_until(fd, b"\x1b[?1049l", 10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def test_a_dumb_terminal_is_told_in_one_line_that_it_cannot_present() -> None:
    """TERM=dumb draws escape sequences as garbage: say so, as without a terminal."""
    pid, fd = _spawn({"TERM": "dumb"})
    try:
        said = _read_until(fd, b"export PATH", 15)
        _done, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 2
    lines = said.decode().strip().splitlines()
    assert lines == [
        "istio-deck: error: presenting needs a terminal that can draw (TERM=dumb cannot); "
        "to write files use: istio-deck export PATH"
    ]
    assert b"\x1b[" not in said
