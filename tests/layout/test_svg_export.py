"""SVG export: Chinese at full cell width, text placed by cell, pictures drawn as pixels."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.cells import cell_len

from tests.conftest import SLIDES
from tui_deck.cli import main
from tui_deck.export.svg import CELL_HEIGHT, CELL_WIDTH

NS = "{http://www.w3.org/2000/svg}"


def _export(tmp_path: Path, *options: str) -> Path:
    args = ["export", str(SLIDES), "--format", "svg", "--size", "100x30", *options]
    assert main([*args, "-o", str(tmp_path)]) == 0
    return tmp_path


def test_every_text_run_is_as_long_as_its_cells(tmp_path: Path) -> None:
    out = _export(tmp_path)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [e["file"] for e in index] == ["001.svg", "002.svg", "003.svg", "004.svg"]
    chinese_runs = 0
    for entry in index:
        root = ET.parse(out / entry["file"]).getroot()  # parses as XML
        assert root.get("width") == str(100 * CELL_WIDTH)
        assert root.get("height") == str(30 * CELL_HEIGHT)
        for text in root.iter(f"{NS}text"):
            content = text.text or ""
            assert int(text.get("textLength", "0")) == cell_len(content) * CELL_WIDTH
            xs = [int(v) for v in (text.get("x") or "").split()]
            steps = [b - a for a, b in itertools.pairwise(xs)]
            assert steps == [cell_len(c) * CELL_WIDTH for c in content[:-1]]
            if any(cell_len(c) == 2 for c in content):
                chinese_runs += 1
    assert chinese_runs > 20


def test_svg_has_a_cjk_font_stack_and_the_theme_background(tmp_path: Path) -> None:
    root = ET.parse(_export(tmp_path) / "003.svg").getroot()
    assert "Noto Sans Mono CJK SC" in (root.get("font-family") or "")
    first_rect = next(root.iter(f"{NS}rect"))
    assert first_rect.get("fill") == "#15181e"
    texts = "".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert "Istio" in texts and "取得重大发展的一年" in texts


def test_pictures_as_cells_are_half_block_rectangles_not_glyphs(tmp_path: Path) -> None:
    """``--pictures cells``: the terminal's half-blocks, each cell's upper half a rectangle
    over its lower half's (no glyph, no embedded picture)."""
    svg = (_export(tmp_path, "--pictures", "cells") / "002.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    half = re.compile(rf"M\d+ \d+h(\d+)v{CELL_HEIGHT / 2:g}h-\1z")
    upper = [p for p in root.iter(f"{NS}path") if half.fullmatch(p.get("d", ""))]
    lower = [r for r in root.iter(f"{NS}rect") if r.get("height") == str(CELL_HEIGHT)]
    assert len(upper) > 500 and len(lower) > 500  # the 1.png picture, two pixels a cell
    assert "▀" not in "".join(t.text or "" for t in root.iter(f"{NS}text"))
    assert "<image" not in svg


def test_titles_and_captions_keep_the_themes_colour_and_weight(tmp_path: Path) -> None:
    """A title (a line with its own style and no spans) was drawn plain white."""
    from tui_deck.layout.theme import DEFAULT_THEME

    out = _export(tmp_path)
    texts: dict[str, ET.Element] = {}
    for name in ("003.svg", "004.svg"):
        for text in ET.parse(out / name).getroot().iter(f"{NS}text"):
            texts.setdefault((text.text or "").strip(), text)  # the first: not the footer's
    title = texts["Istio 取得重大发展的一年"]
    assert title.get("fill") == DEFAULT_THEME.title.color.get_truecolor().hex  # type: ignore[union-attr]
    assert title.get("font-weight") == "bold"
    caption = texts["Istio Community Meetup!"]
    assert caption.get("font-style") == "italic"


def test_bullets_and_separators_are_drawn_in_their_own_cell(tmp_path: Path) -> None:
    """A CJK font draws `•` and `·` a full em wide, a cell off their place: they take a
    Latin monospace font, at their cell."""
    from tui_deck.export.svg import NARROW_FONT

    out = _export(tmp_path)
    marks = [
        text
        for text in ET.parse(out / "003.svg").getroot().iter(f"{NS}text")
        if (text.text or "").strip() in ("•", "·")
    ]
    assert len(marks) >= 8  # the bullets of the list and the footer's separator
    assert all(mark.get("font-family") == NARROW_FONT for mark in marks)
