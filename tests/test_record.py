"""`istio-deck record`: a real asciicast of the real app, replayed through a VT emulator."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyte
from asciinema import asciicast

from tests.conftest import ROOT, SLIDES
from tui_deck.deck import load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Size

TITLES = [
    "生日快乐，Istio！",
    "庆祝 Istio 的 4 岁生日",
    "Istio 取得重大发展的一年",
    "如何参加 Istio 的 4 岁生日庆典",
]


# Sequences Textual sends that pyte does not parse (it would print their last letter):
# kitty keyboard flags (CSI > 25 u) and mode queries (CSI ? 2026 $ p).
_UNKNOWN_TO_PYTE = re.compile(r"\x1b\[[<=>][0-9;]*[A-Za-z]|\x1b\[\?[0-9;]*\$p")


def _feed(stream: pyte.Stream, data: str) -> None:
    stream.feed(_UNKNOWN_TO_PYTE.sub("", data))


def _display(screen: pyte.Screen) -> list[str]:
    """The screen's rows (pyte's own ``display`` trips over half-overwritten wide cells)."""
    return [
        "".join(screen.buffer[y][x].data for x in range(screen.columns))
        for y in range(screen.lines)
    ]


def _record(tmp_path: Path, *args: str) -> Path:
    cast = tmp_path / "talk.cast"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui_deck",
            "record",
            str(SLIDES),
            "-o",
            str(cast),
            "--size",
            "100x30",
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return cast


def test_recording_replays_every_slide_and_ends_on_the_last_page(tmp_path: Path) -> None:
    cast = _record(tmp_path, "--interval", "1", "--images", "none")
    with asciicast.open_from_url(str(cast)) as recording:  # asciinema's own reader
        header = recording.v2_header
        assert (header["width"], header["height"]) == (100, 30)
        assert header["title"] == "生日快乐，Istio！" and "TERM" in header["env"]
        events = list(recording.events())
    screen = pyte.Screen(100, 30)
    stream = pyte.Stream(screen)
    seen = []
    for _time, kind, data in events:
        assert kind == "o"
        _feed(stream, data)
        text = "\n".join(_display(screen))
        for title in TITLES:
            if title in text and (not seen or seen[-1] != title):
                seen.append(title)
    assert [t for t in TITLES if t in seen] == TITLES  # every slide was on screen, in order
    # The screen just before the app left the alternate screen: replay all but the exit.
    screen = pyte.Screen(100, 30)
    stream = pyte.Stream(screen)
    for _time, _kind, data in events:
        if "\x1b[?1049l" in data:
            _feed(stream, data.split("\x1b[?1049l")[0])
            break
        _feed(stream, data)
    final = [line.rstrip() for line in _display(screen)]
    deck = load_deck(SLIDES)
    last = list(all_pages(deck, Size(100, 30)))[-1]
    assert final == last.text().split("\n")[:-1]


def test_keys_are_pressed_in_order(tmp_path: Path) -> None:
    cast = _record(tmp_path, "--interval", "0.8", "--keys", "→ → o ⏎", "--images", "none")
    with asciicast.open_from_url(str(cast)) as recording:
        events = list(recording.events())
    screen = pyte.Screen(100, 30)
    stream = pyte.Stream(screen)
    overview_seen = False
    for _time, _kind, data in events:
        _feed(stream, data)
        if sum(title in "\n".join(_display(screen)) for title in TITLES) >= 3:
            overview_seen = True  # the overview shows several slides at once
    assert overview_seen


def test_slides_records_only_those(tmp_path: Path) -> None:
    """`record --slides 1,3` is the same talk `present --slides 1,3` gives."""
    cast = _record(tmp_path, "--interval", "0.8", "--images", "none", "--slides", "1,3")
    with asciicast.open_from_url(str(cast)) as recording:
        events = list(recording.events())
    screen = pyte.Screen(100, 30)
    stream = pyte.Stream(screen)
    # Each slide's first body line: the title slide's own title is also slide 2's section.
    firsts = {
        number: next(line.strip() for line in page.text().split("\n")[3:] if line.strip())
        for number, page in enumerate(all_pages(load_deck(SLIDES), Size(100, 30)), start=1)
        if page.page == 1
    }
    seen: set[int] = set()
    for _time, _kind, data in events:
        _feed(stream, data)
        text = "\n".join(_display(screen))
        seen.update(n for n, first in firsts.items() if n > 1 and first in text)
    assert seen == {3}
