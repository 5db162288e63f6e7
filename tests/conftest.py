from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tui_deck.deck import Deck, Options, load_deck

ROOT = Path(__file__).resolve().parents[1]
SLIDES = ROOT / "slides"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def write_post(tmp_path: Path) -> Callable[..., Path]:
    """Write a post (text or bytes) into a fresh bundle folder and return its path."""

    def write(content: str | bytes, name: str = "index.md") -> Path:
        path = tmp_path / "post" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def load_text(write_post: Callable[..., Path]) -> Callable[..., Deck]:
    """Load a deck from Markdown text."""

    def load(content: str | bytes, split_level: int = 3) -> Deck:
        return load_deck(write_post(content), Options(split_level=split_level))

    return load
