"""Kitty graphics inside tmux: how the drawing method is chosen (asking the tmux server, never
the terminal), the escape codes that send a picture through tmux, the placeholder cells that
show it, and the app filling a picture's box with them."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from PIL import Image
from rich.cells import cell_len
from textual import events
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot

from tests.app.test_app import run
from tui_deck.app import DeckApp, protocols
from tui_deck.app.kitty_placeholders import (
    CHUNK,
    DIACRITICS,
    MAX_CELLS,
    PLACEHOLDER,
    PlaceholderPictures,
    delete,
    image_id,
    placeholder_rows,
    transmit,
)
from tui_deck.app.protocols import Tmux, choose, decide, probe_tmux
from tui_deck.pictures import PictureKey

TMUX_ENV = {"TERM": "tmux-256color", "TMUX": "/tmp/tmux-1000/default,42,0", "TMUX_PANE": "%3"}
KITTY = Tmux("xterm-kitty", "kitty(0.35.2)", "256,RGB,title,clipboard", True)


class Probe:
    """A stand-in for the tmux server: says ``facts``, counts the questions."""

    def __init__(self, facts: Tmux | None) -> None:
        self.facts = facts
        self.asked: list[Mapping[str, str]] = []

    def __call__(self, environ: Mapping[str, str]) -> Tmux | None:
        self.asked.append(environ)
        return self.facts


@pytest.fixture(autouse=True)
def no_subprocess_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """choose() never runs a program on its own (only the probe it is given) and never
    writes to the terminal (a query would be a write)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected subprocess/terminal use: {args}")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(protocols, "_available", lambda: True)


# ----------------------------------------------------------------- choosing the method


@pytest.mark.parametrize(
    ("facts", "method", "advice"),
    [
        (KITTY, "placeholders", ""),
        (Tmux("xterm-ghostty", "ghostty 1.1.0", "RGB", True), "placeholders", ""),
        (Tmux("xterm-256color", "kitty(0.32.1)", "256,RGB", True), "placeholders", ""),
        (Tmux("xterm-kitty", "kitty(0.35.2)", "256,RGB", False), "blocks", "tmux_passthrough"),
        (Tmux("xterm-kitty", "", "256,title", True), "blocks", "tmux_rgb"),
        (Tmux("xterm-256color", "XTerm(390)", "256,RGB", True), "blocks", ""),
        (Tmux("xterm-256color", "WezTerm 20240203", "256,RGB", True), "blocks", ""),
        (Tmux("", "", "", False), "blocks", ""),  # no client attached: unsure
        (None, "blocks", ""),  # tmux could not say
    ],
)
def test_inside_tmux_kitty_graphics_only_when_tmux_passes_them_to_a_kitty_terminal(
    facts: Tmux | None, method: str, advice: str, capfd: pytest.CaptureFixture[str]
) -> None:
    probe = Probe(facts)
    assert decide("auto", TMUX_ENV, True, probe) == (method, advice)
    assert choose("auto", TMUX_ENV, True, probe) == method
    assert [dict(asked) for asked in probe.asked] == [TMUX_ENV, TMUX_ENV]
    assert capfd.readouterr() == ("", "")  # nothing was sent to the terminal


def test_the_kitty_variables_tmux_inherited_do_not_decide() -> None:
    # tmux hands its server's KITTY_WINDOW_ID to every pane, even for a client in another
    # terminal: only the tmux server's word on its client counts.
    env = {**TMUX_ENV, "KITTY_WINDOW_ID": "1", "TERM_PROGRAM": "tmux"}
    assert choose("auto", env, True, Probe(Tmux("xterm-256color", "", "256,RGB", True))) == (
        "blocks"
    )


@pytest.mark.parametrize(
    ("facts", "method", "advice"),
    [
        (KITTY, "placeholders", ""),
        (None, "placeholders", ""),  # tmux could not say: the presenter knows best
        (Tmux("xterm-256color", "", "256,RGB", True), "placeholders", ""),
        (Tmux("xterm-kitty", "", "256,RGB", False), "blocks", "tmux_passthrough"),
        (Tmux("xterm-kitty", "", "256", True), "blocks", "tmux_rgb"),
    ],
)
@pytest.mark.parametrize("mode", ["kitty", "placeholders"])
def test_kitty_asked_for_inside_tmux_is_placeholders_unless_tmux_refuses(
    mode: str, facts: Tmux | None, method: str, advice: str
) -> None:
    assert decide(mode, TMUX_ENV, True, Probe(facts)) == (method, advice)


@pytest.mark.parametrize(
    ("mode", "environ", "tty", "method"),
    [
        ("auto", {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, True, "kitty"),
        ("auto", {"TERM": "xterm-ghostty", "TERM_PROGRAM": "ghostty"}, True, "kitty"),
        # WezTerm has no unicode placeholders (textual-image's Kitty pictures use them)
        ("auto", {"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, True, "sixel"),
        (
            "auto",
            {"TERM": "screen-256color", "STY": "1.pts", "KITTY_WINDOW_ID": "1"},
            True,
            "blocks",
        ),
        ("auto", {"TERM": "xterm-kitty", "ZELLIJ": "0", "KITTY_WINDOW_ID": "1"}, True, "blocks"),
        ("auto", {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1", "NO_COLOR": "1"}, True, "blocks"),
        ("auto", {"TERM": "xterm-256color", "TERM_PROGRAM": "vscode"}, True, "blocks"),
        ("auto", {"TERM": "xterm-256color", "WT_SESSION": "x"}, True, "blocks"),
        ("auto", {"TERM": "linux"}, True, "blocks"),
        ("auto", {**TMUX_ENV, "KITTY_WINDOW_ID": "1"}, False, "blocks"),  # a pipe
        ("placeholders", {"TERM": "xterm-kitty"}, True, "placeholders"),  # no tmux: direct
        ("kitty", {"TERM": "xterm-kitty"}, True, "kitty"),
        ("sixel", {**TMUX_ENV}, True, "sixel"),
        ("blocks", {**TMUX_ENV}, True, "blocks"),
        ("none", {**TMUX_ENV}, True, "none"),
    ],
)
def test_outside_tmux_the_environment_decides_and_tmux_is_never_asked(
    mode: str, environ: dict[str, str], tty: bool, method: str
) -> None:
    probe = Probe(KITTY)
    assert choose(mode, environ, tty, probe) == method
    assert probe.asked == []


# ----------------------------------------------------------------- asking tmux


def _tmux_says(
    monkeypatch: pytest.MonkeyPatch, stdout: str, returncode: int = 0
) -> list[list[str]]:
    commands: list[list[str]] = []

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        assert kwargs["stdin"] is subprocess.DEVNULL  # tmux never reads our terminal
        return subprocess.CompletedProcess(command, returncode, stdout, "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    return commands


@pytest.mark.parametrize(
    ("value", "passthrough"), [("1", True), ("0", False), ("2", True), ("", False)]
)
def test_probe_reads_what_tmux_displays_for_this_pane(
    monkeypatch: pytest.MonkeyPatch, value: str, passthrough: bool
) -> None:
    commands = _tmux_says(monkeypatch, f"xterm-kitty\tkitty(0.35.2)\t256,RGB,title\t{value}\n")
    facts = probe_tmux(TMUX_ENV)
    assert facts == Tmux("xterm-kitty", "kitty(0.35.2)", "256,RGB,title", passthrough)
    [command] = commands
    assert command[:5] == ["tmux", "display-message", "-p", "-t", "%3"]
    assert "#{allow-passthrough}" in command[5] and "#{client_termname}" in command[5]


def test_probe_says_nothing_when_tmux_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    _tmux_says(monkeypatch, "", returncode=1)
    assert probe_tmux(TMUX_ENV) is None
    _tmux_says(monkeypatch, "an old tmux\n")
    assert probe_tmux(TMUX_ENV) is None

    def missing(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("tmux")

    monkeypatch.setattr(subprocess, "run", missing)
    assert probe_tmux(TMUX_ENV) is None


# ----------------------------------------------------------------- the escape codes

_WRAPPED = re.compile(r"\x1bPtmux;((?:[^\x1b]|\x1b\x1b)*)\x1b\\")
_COMMAND = re.compile(r"\x1b_G([A-Za-z0-9=,]*)(?:;([A-Za-z0-9+/=]*))?\x1b\\")


def _commands(output: str, tmux: bool) -> list[tuple[dict[str, str], str]]:
    """The graphics commands in ``output`` (control keys, payload), checking that nothing
    else is there and, for tmux, that each is wrapped with every ESC inside doubled."""
    if tmux:
        units = _WRAPPED.findall(output)
        assert "".join(f"\x1bPtmux;{unit}\x1b\\" for unit in units) == output
        inner = []
        for unit in units:
            assert unit.count("\x1b") == 4  # APC start and ST, each ESC doubled
            inner.append(unit.replace("\x1b\x1b", "\x1b"))
    else:
        inner = [match.group(0) for match in _COMMAND.finditer(output)]
        assert "".join(inner) == output
    out = []
    for command in inner:
        match = _COMMAND.fullmatch(command)
        assert match is not None, repr(command[:40])
        keys = dict(pair.split("=", 1) for pair in match.group(1).split(","))
        out.append((keys, match.group(2) or ""))
    return out


@pytest.mark.parametrize("tmux", [True, False])
def test_transmit_is_chunked_and_wrapped_for_tmux_passthrough(tmux: bool) -> None:
    png = bytes(range(256)) * 40  # 10,240 bytes: 13,656 in base64, four chunks
    output = transmit(png, 0xABCDEF, 30, 9, tmux)
    commands = _commands(output, tmux)
    assert len(commands) == 4
    first_keys, _ = commands[0]
    assert first_keys == {
        "a": "T",
        "f": "100",
        "t": "d",
        "U": "1",
        "i": str(0xABCDEF),
        "c": "30",
        "r": "9",
        "q": "2",
        "m": "1",
    }
    assert [keys for keys, _ in commands[1:]] == [{"m": "1"}, {"m": "1"}, {"m": "0"}]
    payloads = [payload for _, payload in commands]
    assert all(len(payload) == CHUNK for payload in payloads[:-1])
    assert 0 < len(payloads[-1]) <= CHUNK
    assert base64.standard_b64decode("".join(payloads)) == png


def test_a_small_picture_is_one_quiet_command_and_delete_frees_it() -> None:
    [(keys, payload)] = _commands(transmit(b"\x89PNG", 7, 4, 2, True), True)
    assert keys["m"] == "0" and keys["q"] == "2" and base64.b64decode(payload) == b"\x89PNG"
    [(keys, payload)] = _commands(delete(7, True), True)
    assert keys == {"a": "d", "d": "I", "i": "7", "q": "2"} and payload == ""


def test_diacritics_are_kittys_table() -> None:
    assert len(DIACRITICS) == MAX_CELLS == 297
    assert [ord(mark) for mark in DIACRITICS[:6]] == [0x305, 0x30D, 0x30E, 0x310, 0x312, 0x33D]
    assert ord(DIACRITICS[-1]) == 0x1D244
    assert len(set(DIACRITICS)) == 297
    assert all(cell_len(mark) == 0 for mark in DIACRITICS)  # they add no cell


@pytest.mark.parametrize(("width", "height"), [(1, 1), (37, 11), (300, 2)])
def test_placeholder_rows_fill_the_box_and_name_row_column_and_id(width: int, height: int) -> None:
    ident = 0x12A4F0
    rows = placeholder_rows(ident, width, height)
    assert len(rows) == height
    for number, row in enumerate(rows):
        assert cell_len(row.plain) == row.cell_len == width
        cells = row.plain.split(PLACEHOLDER)[1:]
        assert len(cells) == min(width, MAX_CELLS)
        for column, cell in enumerate(cells):
            expected = DIACRITICS[number] + DIACRITICS[column]
            assert cell.rstrip(" ") == expected
        color = row.style.color  # type: ignore[union-attr]
        assert color is not None and color.triplet is not None
        assert tuple(color.triplet) == (0x12, 0xA4, 0xF0)


def _key(path: Path, width: int = 12, height: int = 4) -> PictureKey:
    return PictureKey(str(path), path.stat().st_mtime_ns, width, height, "#ffffff")


def test_image_ids_are_stable_per_picture_and_size(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    Image.new("RGB", (4, 4)).save(path)
    key = _key(path)
    assert image_id(key, 5) == image_id(_key(path), 5)
    assert image_id(key, 5) != image_id(_key(path, 13, 4), 5)
    assert image_id(key, 5) != image_id(key, 6)  # another app's pictures are its own
    assert 0 < image_id(key, 5) < 1 << 24


def _picture(path: Path, color: tuple[int, int, int]) -> Path:
    Image.new("RGB", (64, 32), color).save(path)
    return path


def test_a_picture_is_sent_once_when_shown_and_deleted_when_no_longer_kept(
    tmp_path: Path,
) -> None:
    written: list[str] = []
    pictures = PlaceholderPictures(written.append, tmux=True, salt=1, keep=2)
    keys = [_key(_picture(tmp_path / f"{n}.png", (n * 60, 0, 0))) for n in range(3)]
    for key in keys[:2]:
        assert pictures.claim(key)
        pictures.produce(key)
    assert written == []  # made, not yet shown: nothing sent
    rows = pictures.get(keys[0])
    assert isinstance(rows, list) and len(rows) == 4
    [(first, _), *_] = _commands(written[0], True)
    assert first["i"] == str(image_id(keys[0], 1)) and (first["c"], first["r"]) == ("12", "4")
    assert pictures.get(keys[0]) is rows and len(written) == 1  # sent once
    pictures.get(keys[1])
    assert len(written) == 2
    pictures.claim(keys[2])
    pictures.produce(keys[2])
    pictures.get(keys[2])  # a third picture: the least recently shown one goes
    assert _commands(written[-1], True) == [
        ({"a": "d", "d": "I", "i": str(image_id(keys[0], 1)), "q": "2"}, "")
    ]
    assert pictures.get(keys[0]) is None  # made and sent again when shown again
    written.clear()
    pictures.resend()  # another terminal now: each picture goes again when next shown
    pictures.get(keys[2])
    [command] = written
    assert _commands(command, True)[0][0]["i"] == str(image_id(keys[2], 1))
    pictures.get(keys[2])
    assert len(written) == 1
    written.clear()
    pictures.delete_all()
    deleted = {_commands(command, True)[0][0]["i"] for command in written}
    assert deleted == {str(image_id(keys[1], 1)), str(image_id(keys[2], 1))}


# ----------------------------------------------------------------- the app


def test_the_app_fills_the_picture_box_with_placeholder_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []  # what went to the terminal through Textual's driver

    def write(driver: HeadlessDriver, data: str) -> None:
        if data.startswith("\x1bPtmux;"):  # ours (the rest: Textual's frames)
            written.append(data)

    monkeypatch.setattr(HeadlessDriver, "write", write)
    monkeypatch.setenv("TMUX", TMUX_ENV["TMUX"])
    _picture(tmp_path / "a.png", (200, 30, 30))
    (tmp_path / "index.md").write_text(
        '---\ntitle: Pictures\n---\n\n## A\n\n{{< image link="./a.png" caption="Sharp" >}}\n',
        encoding="utf-8",
    )

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if written:
                break
        await pilot.pause()
        page = app.view.last_view.page
        assert page is not None
        [slot] = page.images
        strips = app.screen._compositor.render_strips()
        box = [
            strips[slot.row + n].crop(slot.col, slot.col + slot.width) for n in range(slot.height)
        ]
        ids = set()
        for number, strip in enumerate(box):
            assert strip.cell_length == slot.width
            text = strip.text
            assert text.count(PLACEHOLDER) == slot.width
            assert text.split(PLACEHOLDER)[1][0] == DIACRITICS[number]
            for segment in strip:
                if PLACEHOLDER in segment.text:
                    triplet = segment.style.color.triplet  # type: ignore[union-attr]
                    ids.add((triplet.red << 16) | (triplet.green << 8) | triplet.blue)
        [ident] = ids
        [(keys, _), *_] = _commands(written[0], True)  # sent through the driver, for tmux
        assert keys["i"] == str(ident)
        assert (keys["c"], keys["r"]) == (str(slot.width), str(slot.height))
        screen = "\n".join(strip.text for strip in strips)
        assert "Sharp" in screen  # the caption stays text
        # Back in focus (perhaps tmux attached from another terminal): sent again.
        written.clear()
        app.post_message(events.AppBlur())
        app.post_message(events.AppFocus())
        for _ in range(40):
            await asyncio.sleep(0.05)
            await pilot.pause()
            if written:
                break
        [(keys, _), *_] = _commands(written[0], True)
        assert keys["i"] == str(ident)

    run(scenario, path=tmp_path, images="placeholders")


def test_placeholders_have_textual_write_24_bit_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    monkeypatch.setenv("COLORTERM", "")  # restored after the test
    monkeypatch.setenv("TERM", "tmux-256color")  # 256 colours would lose the ids
    protocols.prepare("placeholders")
    console = Console(force_terminal=True, _environ=dict(os.environ))
    assert console.color_system == "truecolor"
