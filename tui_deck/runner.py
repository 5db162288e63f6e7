"""Live commands (``<!-- exec -->`` code blocks), without Textual: run one in ``bash`` (a
``python`` block in ``python3``), stream what it prints, stop it, say how it ended.

The code goes to ``bash -c CODE`` (``python3 -c CODE``) as one argument (never spliced
into another shell string), in the deck's folder, in a session of its own so that a stop
reaches every process it started. Its output comes through a pseudo-terminal when one can
be opened (so tools that colour only a terminal still colour), else a pipe; stdin is
``/dev/null``.
:class:`Transcript` keeps the lines, SGR colours only: every other escape sequence (a
title, a clipboard write, cursor moves) and control character is dropped before a line
is ever drawn.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text

from tui_deck.sanitize import clean_line

#: The stop ladder: SIGINT, then SIGTERM, then SIGKILL, each after this many seconds.
STOP_STEP = 0.5
#: The most lines a transcript keeps (the oldest go first).
MAX_LINES = 2000
#: The most bytes read and not yet taken before the reading thread waits (a flood of
#: output slows the command down rather than the presenter).
BEHIND = 1 << 20

_SGR = re.compile(r"\x1b\[[0-9;:]*m")


def sgr_only(raw: str) -> str:
    """``raw`` with its SGR colour codes kept and every other escape sequence and control
    character removed (a partial sequence at the end too)."""
    kept: list[str] = []
    at = 0
    for match in _SGR.finditer(raw):
        kept.append(clean_line(raw[at : match.start()]))
        kept.append(match.group(0))
        at = match.end()
    kept.append(clean_line(raw[at:]))
    return "".join(kept)


def shown_line(raw: str) -> Text:
    """One line of output as the panel shows it: colours kept, a carriage return's
    overwrite applied (a progress bar shows its last state), nothing else obeyed."""
    return _from_ansi(sgr_only(_overwritten(raw)))


def _overwritten(raw: str) -> str:
    pieces = [piece for piece in raw.split("\r") if piece]
    return pieces[-1] if pieces else ""


def _from_ansi(kept: str) -> Text:
    text = Text.from_ansi(kept)
    text.end = ""
    return text


@dataclass
class Transcript:
    """What a command printed, as lines (the last one may still be growing)."""

    lines: list[Text] = field(default_factory=list)
    #: The same lines as text with their SGR codes (what an export keeps).
    sgr: list[str] = field(default_factory=list)
    _partial: str = ""
    #: How many lines went out of the front (``lines[0]`` is line number ``dropped``).
    dropped: int = 0
    #: Whether the last of ``lines`` is the partial line (no newline yet).
    _open: bool = False
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace")
    )

    def feed(self, data: bytes, final: bool = False) -> None:
        text = self._partial + self._decoder.decode(data, final)
        *complete, self._partial = text.split("\n")
        if self.lines and self._open:
            self.lines.pop()  # the partial line shown last time, now longer
            self.sgr.pop()
        self._open = bool(self._partial)
        self.dropped += max(0, len(complete) - MAX_LINES)
        complete = complete[-MAX_LINES:]  # (a flood: only the lines that will be kept)
        for line in [*complete, self._partial] if self._open else complete:
            kept = sgr_only(_overwritten(line))
            self.sgr.append(kept)
            self.lines.append(_from_ansi(kept))
        self.dropped += max(0, len(self.lines) - MAX_LINES)
        del self.lines[:-MAX_LINES]
        del self.sgr[:-MAX_LINES]

    @property
    def open(self) -> bool:
        """Whether the last line is still growing (no newline yet)."""
        return self._open

    def finish(self) -> None:
        """The output has ended: a last incomplete character is shown as such."""
        self.feed(b"", final=True)

    def plain(self) -> str:
        return "\n".join(line.plain for line in self.lines)


class Mirror:
    """Another view's transcript, as its lines come over the link (see sync.Live): each
    line sanitised again here (SGR codes only), a gap said with ``skipped(count)``."""

    def __init__(self, skipped: Callable[[int], str]) -> None:
        self.lines: list[Text] = []
        self.skipped = skipped
        #: The sender's number of the next line.
        self.total = 0

    def take(self, first: int, lines: tuple[str, ...] | list[str]) -> None:
        if first < self.total:  # the sender's last line grew: it replaces it
            del self.lines[max(0, len(self.lines) - (self.total - first)) :]
        elif first > self.total:  # the sender was ahead: older lines were dropped
            self.lines.append(Text(self.skipped(first - self.total), style="dim italic"))
        self.total = first
        for line in lines:
            self.lines.append(_from_ansi(sgr_only(line)))
            self.total += 1
        del self.lines[:-MAX_LINES]

    def plain(self) -> str:
        return "\n".join(line.plain for line in self.lines)


class Inbox:
    """Output on its way from the reading thread to the screen: ``put`` says when a batch
    starts (one message a batch, not one a read), ``take`` empties it, and ``wait_room``
    holds the reader while the screen is ``BEHIND`` (at most a second at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._size = 0
        self._room = threading.Event()
        self._room.set()

    def put(self, data: bytes) -> bool:
        with self._lock:
            first = not self._chunks
            self._chunks.append(data)
            self._size += len(data)
            if self._size > BEHIND:
                self._room.clear()
        return first

    def wait_room(self) -> None:
        self._room.wait(1.0)

    def take(self) -> bytes:
        with self._lock:
            data = b"".join(self._chunks)
            self._chunks.clear()
            self._size = 0
            self._room.set()
        return data


#: The programs a live command's code block is run by, by its language (presenterm runs
#: ``+exec`` blocks of several languages; these two are what an Istio demo uses).
BASH = ("bash", "-c")
INTERPRETERS = {
    **dict.fromkeys(("", "bash", "sh", "shell", "console", "zsh"), BASH),
    **dict.fromkeys(("python", "python3", "py"), ("python3", "-c")),
}


def interpreter(language: str) -> tuple[str, ...] | None:
    """The program (and its flag) that runs a code block of ``language``; None: none."""
    return INTERPRETERS.get(language.strip().lower())


@dataclass(frozen=True)
class Ended:
    """How a command ended: its exit status (a signal's as ``-N``) and how long it ran."""

    status: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status == 0

    def status_text(self) -> str:
        if self.status < 0:
            with contextlib.suppress(ValueError):
                return signal.Signals(-self.status).name
        return str(self.status)


class Run:
    """One run of a live command. ``on_output`` gets each chunk of bytes from the reading
    thread; ``on_end`` gets the :class:`Ended` once the output is read to its end and the
    process has exited (both are called from that thread)."""

    def __init__(
        self,
        code: str,
        cwd: Path,
        on_output: Callable[[bytes], object],
        on_end: Callable[[Ended], object],
        monotonic: Callable[[], float] = time.monotonic,
        size: tuple[int, int] | None = None,
        language: str = "bash",
    ) -> None:
        self.code = code
        #: The interpreter and its flag the code is given to (``interpreter(language)``).
        self.argv = interpreter(language) or BASH
        #: The terminal size the command is told (columns, rows), for tools that fit it.
        self.size = size
        self.cwd = cwd
        self.on_output = on_output
        self.on_end = on_end
        self.monotonic = monotonic
        self.process: subprocess.Popen[bytes] | None = None
        self.ended: Ended | None = None
        self._started = 0.0
        self._stopping: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.ended is None

    def start(self) -> None:
        """Start the command (raises OSError when bash cannot be started)."""
        reader, writer = _output_channel(self.size)
        try:
            self.process = subprocess.Popen(
                [*self.argv, self.code],
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=writer,
                stderr=writer,
                start_new_session=True,
                close_fds=True,
            )
        except OSError:
            os.close(reader)
            raise
        finally:
            os.close(writer)
        self._started = self.monotonic()
        threading.Thread(target=self._read, args=(reader,), daemon=True).start()

    def _read(self, reader: int) -> None:
        try:
            while True:
                try:
                    data = os.read(reader, 65536)
                except OSError:  # a pty's reading end says EIO once the writers are gone
                    break
                if not data:
                    break
                self.on_output(data)
        finally:
            os.close(reader)
        assert self.process is not None
        status = self.process.wait()
        self.ended = Ended(status, self.monotonic() - self._started)
        self.on_end(self.ended)

    def stop(self) -> None:
        """SIGINT to the command's process group, then SIGTERM after ``STOP_STEP``
        seconds, then SIGKILL after as long again, as long as it still runs (in a thread:
        this returns at once)."""
        if not self.running or self._stopping is not None:
            return
        self._stopping = threading.Thread(target=self._ladder, daemon=True)
        self._stopping.start()

    def _ladder(self) -> None:
        process = self.process
        assert process is not None
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
            try:
                process.wait(STOP_STEP)
            except subprocess.TimeoutExpired:
                continue
            # bash is gone; what it left running in its group is stopped too
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            return

    def kill(self) -> None:
        """Stop it now, every process of its group (the app quits)."""
        if self.process is not None and self.ended is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> Ended | None:
        """Wait for the end (tests and exports); None if it has not ended in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.ended is None:
            if deadline is not None and time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        return self.ended


def _output_channel(size: tuple[int, int] | None) -> tuple[int, int]:
    """A pseudo-terminal's two ends (reader, writer), of ``size`` (columns, rows) when
    given, else a pipe's."""
    try:
        import pty

        reader, writer = pty.openpty()
    except (ImportError, OSError):
        return os.pipe()
    with contextlib.suppress(Exception):
        import termios

        attrs = termios.tcgetattr(writer)
        attrs[1] &= ~termios.ONLCR  # "\n" stays "\n"
        termios.tcsetattr(writer, termios.TCSANOW, attrs)
    if size is not None:
        with contextlib.suppress(Exception):
            import fcntl
            import struct

            columns, rows = size
            fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return reader, writer


#: How long ``export --allow-exec`` lets each command run before stopping it.
EXPORT_TIMEOUT = 10.0


def run_for_export(code: str, cwd: Path, lang: str, language: str = "bash") -> tuple[str, str]:
    """Run ``code`` (a block of ``language``) once, to the end or for ``EXPORT_TIMEOUT``
    seconds: its output (SGR codes kept) and how it ended, in ``lang`` (``✓ 0 · 0.2 s``)."""
    from tui_deck.words import say

    transcript = Transcript()
    run = Run(code, cwd, transcript.feed, lambda ended: None, language=language)
    try:
        run.start()
    except OSError as error:
        return "", say(lang, "exec_cannot", error=clean_line(str(error)))
    ended = run.wait(EXPORT_TIMEOUT)
    if ended is None:
        run.stop()
        run.wait(3 * STOP_STEP + 1)
        run.kill()
        outcome = say(lang, "exec_timeout", seconds=f"{EXPORT_TIMEOUT:g}")
    else:
        key = "exec_ok" if ended.ok else "exec_failed"
        outcome = say(lang, key, status=ended.status_text(), seconds=f"{ended.seconds:.1f}")
    transcript.finish()
    return "\n".join(transcript.sgr), outcome
