from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tui_deck.deck import Deck, Options, load_deck

ROOT = Path(__file__).resolve().parents[1]
SLIDES = ROOT / "slides"
#: Real Istio posts the tests need, copied from the shared corpus (Apache-2.0, see LICENSE).
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
#: The shared corpus beside the project, when it is there: extra material, never required.
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_posts() -> list[Path]:
    """The bundles of the fixture corpus, and those of the shared corpus it lacks."""
    posts = sorted(p.parent for p in CORPUS.glob("*/*/index.md"))
    if SHARED_CORPUS.is_dir():
        have = {p.relative_to(CORPUS) for p in posts}
        posts += sorted(
            p.parent
            for p in SHARED_CORPUS.glob("*/*/index.md")
            if p.parent.relative_to(SHARED_CORPUS) not in have
        )
    return posts


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
