"""The talk's clock with fake monotonic and wall clocks (no Textual)."""

from __future__ import annotations

import os
from pathlib import Path

from tui_deck.app.clock import KEEP_SECONDS, TalkClock, touch


class Fake:
    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall = 1_700_000_000.0

    def pass_(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds

    def clock(self, file: Path | None = None) -> TalkClock:
        return TalkClock(lambda: self.mono, lambda: self.wall, file)


def test_start_pause_reset_and_footer_text() -> None:
    fake = Fake()
    clock = fake.clock()
    assert clock.text() == "" and not clock.running
    clock.toggle()
    fake.pass_(65)
    assert clock.text() == "01:05" and clock.elapsed() == 65
    clock.toggle()
    fake.pass_(100)
    assert clock.text() == "01:05 ⏸"
    clock.toggle()
    fake.pass_(3600)
    assert clock.text() == "1:01:05"
    clock.reset()
    assert clock.text() == "" and not clock.running
    clock.reset(running=True)
    fake.pass_(2)
    assert clock.text() == "00:02"


def test_countdown_text_and_colour() -> None:
    fake = Fake()
    clock = fake.clock()
    clock.toggle()
    fake.pass_(60)
    assert clock.countdown(1200) == ("19:00", "")
    fake.pass_(14 * 60)
    assert clock.countdown(1200) == ("05:00", "amber")
    fake.pass_(6 * 60 + 7)
    assert clock.countdown(1200) == ("-01:07", "red")
    talk = clock.talk(1200, "20:41", "note")
    assert (talk.elapsed, talk.paused, talk.clock, talk.note) == (
        21 * 60 + 7,
        False,
        "20:41",
        "note",
    )


def test_the_talks_time_survives_a_restarted_view(tmp_path: Path) -> None:
    fake = Fake()
    file = tmp_path / "deck.talk"
    first = fake.clock(file)
    first.reset(running=True)
    fake.pass_(100)
    first.save()
    fake.pass_(20)  # the terminal closed; a new one 20 s later
    second = fake.clock(file)
    assert second.restore() and second.running
    assert second.elapsed() == 120
    second.toggle()
    fake.pass_(50)
    third = fake.clock(file)
    assert third.restore() and not third.running and third.elapsed() == 120


def test_a_rehearsal_long_ago_does_not_start_the_talk_late(tmp_path: Path) -> None:
    """D4: the time is kept only for a short gap after the last view of the talk ran."""
    fake = Fake()
    file = tmp_path / "deck.talk"
    rehearsal = fake.clock(file)
    rehearsal.reset(running=True)
    fake.pass_(20 * 60)
    rehearsal.save()
    os.utime(file, (fake.wall, fake.wall))
    fake.pass_(KEEP_SECONDS + 1)  # nothing ran for ten minutes
    talk = fake.clock(file)
    assert not talk.restore()
    assert talk.elapsed() == 0 and talk.text() == ""


def test_a_running_view_keeps_the_talk_alive(tmp_path: Path) -> None:
    """The audience's view ran all along (the speaker's terminal was closed for an hour):
    the talk goes on, its time is kept."""
    fake = Fake()
    file = tmp_path / "deck.talk"
    speaker = fake.clock(file)
    speaker.reset(running=True)
    speaker.save()
    os.utime(file, (fake.wall, fake.wall))
    for _ in range(12):
        fake.pass_(5 * 60)
        touch(file, lambda: fake.wall)
    back = fake.clock(file)
    assert back.restore() and back.elapsed() == 3600


def test_a_missing_or_broken_file_starts_at_zero(tmp_path: Path) -> None:
    fake = Fake()
    assert not fake.clock(tmp_path / "none.talk").restore()
    bad = tmp_path / "bad.talk"
    bad.write_text("{not json", encoding="utf-8")
    assert not fake.clock(bad).restore()
    assert not fake.clock(None).restore()
