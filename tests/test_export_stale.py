"""Exporting again into the same folder leaves no page of the earlier export behind."""

from __future__ import annotations

from pathlib import Path

from tui_deck.cli import main
from tui_deck.deck import load_deck
from tui_deck.export.text import export
from tui_deck.layout.page import Size

SLIDES = Path(__file__).resolve().parents[1] / "slides"


def test_every_stale_page_goes_in_every_format_and_width(tmp_path: Path) -> None:
    earlier = ["001.txt", "002.svg", "003.png", "999.txt", "1000.txt", "1001.svg", "12345.png"]
    mine = ["notes.md", "1.txt", "01.txt", "0001.txt", "001.txt.bak", "cover.png", "deck.css"]
    for name in [*earlier, *mine, "deck.html", "index.json"]:
        (tmp_path / name).write_text("old")
    (tmp_path / "004.txt").mkdir()  # a folder is never removed
    assert main(["export", str(SLIDES), "--slides", "1", "-o", str(tmp_path)]) == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["001.txt", "004.txt", "index.json", *mine])
    assert (tmp_path / "001.txt").read_text() != "old"


def test_a_second_export_in_another_format_replaces_the_first(tmp_path: Path) -> None:
    deck = load_deck(SLIDES)
    export(deck, tmp_path, Size(60, 24), "text")
    assert len(list(tmp_path.glob("*.txt"))) > 1
    export(deck, tmp_path, Size(60, 24), "svg", slides=[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["001.svg", "index.json"]
