"""The talk's clock: the timer (start, pause, reset), its footer text, the presenter's
countdown, and the small file that keeps the talk's time across a restarted speaker view.

Pure (no Textual): the app passes the monotonic and wall clocks (tests pass fakes).

The file is kept only while the talk goes on: every view of the deck touches it while it
runs, and a presenter starting later than ``KEEP_SECONDS`` after the last touch starts at
00:00 (a morning rehearsal does not make the evening's talk start late).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from tui_deck.layout.presenter import Talk, clock_text

#: How long the talk's time outlives the last running view of the deck.
KEEP_SECONDS = 10 * 60.0
#: How often a running view says the talk goes on (well under KEEP_SECONDS).
BEAT_SECONDS = 30.0


class TalkClock:
    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        file: Path | None = None,
    ) -> None:
        self.monotonic = monotonic
        self.wall = wall
        #: Where the talk's time is kept (None: nowhere, the footer's timer).
        self.file = file
        self.started: float | None = None
        self.before = 0.0

    # ------------------------------------------------------------------ the timer

    @property
    def running(self) -> bool:
        return self.started is not None

    def elapsed(self) -> float:
        """Seconds on the timer (paused time left out)."""
        if self.started is None:
            return self.before
        return self.before + self.monotonic() - self.started

    def toggle(self) -> None:
        """t: start or pause."""
        now = self.monotonic()
        if self.started is None:
            self.started = now
        else:
            self.before += now - self.started
            self.started = None
        self.save()

    def reset(self, running: bool = False) -> None:
        """T: back to zero (``running``: and counting at once, as the presenter's does)."""
        self.started = self.monotonic() if running else None
        self.before = 0.0
        self.save()

    def text(self) -> str:
        """The footer's timer: "" before it starts, "01:05", or "01:05 ⏸" when paused."""
        elapsed = self.elapsed()
        if self.started is None and not elapsed:
            return ""
        text = clock_text(elapsed)
        return text if self.started is not None else f"{text} ⏸"

    def talk(self, duration: float | None, clock: str = "", note: str = "") -> Talk:
        """The presenter's times (whole seconds), for the speaker's footer."""
        elapsed = float(int(self.elapsed()))
        return Talk(elapsed, duration, not self.running, clock, note)

    def countdown(self, duration: float) -> tuple[str, str]:
        """The time left ("04:55", or "-01:07" when over) and its colour state: "" on time,
        "amber" at five minutes or less, "red" when over."""
        talk = self.talk(duration)
        left = talk.left or 0.0
        return (clock_text(left) if left >= 0 else f"-{clock_text(-left)}"), talk.state

    # ------------------------------------------------------------------ the file

    def save(self) -> None:
        """Keep the talk's time (and say the talk goes on)."""
        if self.file is None:
            return
        data = {"elapsed": self.elapsed(), "running": self.running, "saved": self.wall()}
        with contextlib.suppress(OSError):
            partial = self.file.with_suffix(".talk-new")
            partial.write_text(json.dumps(data), encoding="utf-8")
            partial.replace(self.file)

    def restore(self) -> bool:
        """The talk's time from the last presenter, if a view of the talk ran within
        KEEP_SECONDS; False (and the clock untouched) otherwise."""
        if self.file is None:
            return False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            elapsed, running, saved = data["elapsed"], data["running"], float(data["saved"])
            alive = max(saved, self.file.stat().st_mtime)
        except (OSError, ValueError, KeyError, TypeError):
            return False
        now = self.wall()
        if not isinstance(running, bool) or now - alive > KEEP_SECONDS or now < saved:
            return False
        self.before = float(elapsed) + ((now - saved) if running else 0.0)
        self.started = self.monotonic() if running else None
        return True


def touch(file: Path, wall: Callable[[], float] = time.time) -> None:
    """A running view of the talk says it goes on (the file, if there is one, stays)."""
    with contextlib.suppress(OSError):
        now = wall()
        os.utime(file, (now, now))
