"""Cold start and slide changes, in a real pseudo-terminal.

Cold start: process start until the title slide's text is on the terminal, against the
floor: a minimal Textual app that paints one line (measured the same way, same run).
Slide change: a → key written to the terminal until the next slide's title arrives.
Usage: python benchmarks/bench_startup.py [--quick]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_APP = """
from textual.app import App
from textual.widgets import Static
class Floor(App):
    def compose(self):
        yield Static("floor-ready")
Floor().run()
"""


def spawn(argv: list[str]) -> tuple[int, int, float]:
    env = {**os.environ, "TERM": "xterm-256color"}
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd, started


def wait_for(fd: int, needle: bytes, seconds: float = 20) -> float:
    data = b""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                data += os.read(fd, 65536)
            except OSError:
                break
            if needle in data:
                return time.perf_counter()
    raise TimeoutError(needle)


def stop(pid: int, fd: int) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)


def cold(argv: list[str], needle: bytes) -> float:
    pid, fd, started = spawn(argv)
    try:
        return wait_for(fd, needle) - started
    finally:
        stop(pid, fd)


TITLES = ["生日快乐，Istio！", "庆祝 Istio 的 4 岁生日", "Istio 取得重大发展的一年"]
TITLES += ["如何参加 Istio 的 4 岁生日庆典"]


def changes(count: int) -> list[float]:
    """Milliseconds from a key to the next slide's title, forth and back through the deck."""
    argv = [sys.executable, "-m", "tui_deck", "slides", "--no-watch", "--no-clock"]
    pid, fd, _ = spawn(argv)
    times = []
    position = 0
    try:
        wait_for(fd, TITLES[0].encode())
        for n in range(count):
            forward = (n // 3) % 2 == 0
            position += 1 if forward else -1
            os.write(fd, b"\x1b[C" if forward else b"\x1b[D")
            sent = time.perf_counter()
            times.append((wait_for(fd, TITLES[position].encode()) - sent) * 1000)
            time.sleep(0.05)
    finally:
        stop(pid, fd)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    runs = 2 if parser.parse_args().quick else 7
    floor = [cold([sys.executable, "-c", FLOOR_APP], b"floor-ready") for _ in range(runs)]
    deck = [
        cold([sys.executable, "-m", "tui_deck", "slides", "--no-watch"], "生日快乐".encode())
        for _ in range(runs)
    ]
    moves = changes(12 if runs == 2 else 60)
    f, d = statistics.median(floor), statistics.median(deck)
    print(f"{'what':<44}{'median':>10}{'ratio':>8}")
    print(f"{'cold start, minimal Textual app (floor)':<44}{f * 1000:>8.0f}ms{1:>8.2f}")
    print(f"{'cold start, seed deck title slide':<44}{d * 1000:>8.0f}ms{d / f:>8.2f}")
    p95 = sorted(moves)[max(0, int(len(moves) * 0.95) - 1)]
    print(f"{'slide change (median / p95)':<44}{statistics.median(moves):>8.0f}ms  p95 {p95:.0f}ms")


if __name__ == "__main__":
    main()
