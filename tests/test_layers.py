"""The layers hold: layout and exports know nothing of Textual, and layout never reads the
disk (what the deck builder learned about a picture travels on the model)."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT
from tui_deck.deck import load_deck
from tui_deck.layout import page as page_module
from tui_deck.layout.page import layout_slide


def test_layout_never_reads_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    decks = [load_deck(post.parent) for post in sorted(CORPUS.glob("*/*/index.md"))]
    assert sum(len(s.images) for d in decks for s in d.slides) >= 10

    def no_disk(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"layout touched the disk: {args!r}")

    page_module.clear_caches()
    monkeypatch.setattr(os, "stat", no_disk)
    monkeypatch.setattr(Path, "stat", no_disk)
    monkeypatch.setattr(Path, "is_file", no_disk)
    monkeypatch.setattr(Path, "exists", no_disk)
    monkeypatch.setattr(builtins, "open", no_disk)
    for deck in decks:
        for index in range(len(deck.slides)):
            for width, height in ((40, 12), (100, 30), (160, 45)):
                assert layout_slide(deck, index, width, height)


def test_exports_and_layout_never_import_textual(tmp_path: Path) -> None:
    """Every export of a deck with pictures (text, SVG, PNG, HTML, PDF) in a fresh interpreter."""
    script = f"""
import sys
from pathlib import Path
from tui_deck.deck import load_deck
from tui_deck.export.text import export
from tui_deck.layout.page import Size
deck = load_deck(Path({str(CORPUS / "zh" / "2021-istio-4th-birthday")!r}))
for fmt in ("text", "svg", "png", "html", "pdf"):
    export(deck, Path({str(tmp_path)!r}) / fmt, Size(80, 24), fmt, [3])
loaded = sorted(
    m for m in sys.modules if m.split(".")[0] == "textual" or m.startswith("tui_deck.app")
)
print(loaded)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
    assert list((tmp_path / "png").glob("*.png"))
    assert (tmp_path / "pdf" / "deck.pdf").is_file()
