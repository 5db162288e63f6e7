"""Recording a talk as an asciicast v2 file: the real app in a pseudo-terminal.

The presenter runs in a pty of the requested size, as it would for a speaker; the recorder
presses the keys (by default: next, every ``interval`` seconds, until the end) and writes
each chunk of terminal output with its time, as ``asciinema play`` and the web player read.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

from tui_deck.diagnostics import DeckError
from tui_deck.sanitize import clean_line

KEYS = {
    "→": "\x1b[C",
    "right": "\x1b[C",
    "←": "\x1b[D",
    "left": "\x1b[D",
    "↑": "\x1b[A",
    "up": "\x1b[A",
    "↓": "\x1b[B",
    "down": "\x1b[B",
    "⏎": "\r",
    "enter": "\r",
    "space": " ",
    "esc": "\x1b",
    "tab": "\t",
    "home": "\x1b[H",
    "end": "\x1b[F",
}


def parse_keys(spec: str) -> list[str]:
    """``"→ → o ⏎"`` → the bytes each key sends; raises ValueError naming an unknown key."""
    keys = []
    for word in spec.split():
        if word.lower() in KEYS or word in KEYS:
            keys.append(KEYS.get(word, KEYS.get(word.lower(), "")))
        elif len(word) == 1:
            keys.append(word)
        else:
            known = ", ".join(sorted(k for k in KEYS if k.isascii()))
            raise ValueError(f"unknown key {word!r}; use one character or one of {known}")
    return keys


def record(
    deck_path: Path,
    out: Path,
    width: int,
    height: int,
    interval: float,
    keys: Sequence[str] | None,
    title: str,
    extra_args: Sequence[str] = (),
) -> int:
    """Record the presenter to ``out``; returns the number of output events written."""
    command = [sys.executable, "-m", "tui_deck", str(deck_path), "--no-watch", *extra_args]
    if keys is None:  # default: the next slide every interval, quitting at the end
        command += ["--autoplay", str(interval)]
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("NO_COLOR", None)
    env["COLUMNS"], env["LINES"] = str(width), str(height)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the presenter, in the pty
        try:
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    events: list[tuple[float, str]] = []
    start = time.monotonic()
    decoder = _Utf8()
    pending = list(keys or [])
    next_key = start + max(interval, 1.0)
    # Without --keys the app quits itself; with keys, q after the last one.
    deadline = start + (interval * 200 if keys is None else interval * (len(pending) + 2) + 10)
    quit_sent = False
    try:
        while True:
            now = time.monotonic()
            if now > deadline:
                break
            if keys is not None and now >= next_key:
                if pending:
                    os.write(fd, pending.pop(0).encode())
                    next_key = now + interval
                elif not quit_sent:
                    os.write(fd, b"q")
                    quit_sent = True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the presenter quit: the pty is closed
                break
            if not chunk:
                break
            text = decoder.feed(chunk)
            if text:
                events.append((round(time.monotonic() - start, 6), text))
    finally:
        _stop(pid)
        os.close(fd)
    header = {
        "version": 2,
        "width": width,
        "height": height,
        "timestamp": int(time.time()),
        "title": clean_line(title),
        "env": {"TERM": env["TERM"], "SHELL": os.environ.get("SHELL", "/bin/sh")},
    }
    try:
        with out.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps(header, ensure_ascii=False) + "\n")
            for moment, data in events:
                handle.write(json.dumps([moment, "o", data], ensure_ascii=False) + "\n")
    except OSError as exc:
        raise DeckError(f"{clean_line(str(out))}: cannot write ({exc.strerror})") from None
    return len(events)


class _Utf8:
    """Decode a byte stream without splitting a character between two chunks."""

    def __init__(self) -> None:
        import codecs

        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, data: bytes) -> str:
        return str(self._decoder.decode(data))


def _stop(pid: int) -> None:
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
        for _ in range(20):
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.05)
