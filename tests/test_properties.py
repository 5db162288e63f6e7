"""Property tests: whatever the input, a Deck (or a clear DeckError), never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# The same building blocks as the fuzzer: headings, shortcodes (well formed and not), lists,
# tables, links, notes, CJK with punctuation, escape sequences, NUL, emoji.
from fuzz.fuzz_deck import PIECES
from tui_deck import model as m
from tui_deck.deck import Deck, load_deck
from tui_deck.diagnostics import DeckError

markdown_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40).map("".join)
front_matter = st.dictionaries(
    st.sampled_from(["title", "subtitle", "description", "author", "publishdate", "weight", "x"]),
    st.text(max_size=20) | st.integers() | st.lists(st.text(max_size=5), max_size=3),
    max_size=5,
)


def _load(data: bytes) -> Deck | None:
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "index.md").write_bytes(data)
        return load_deck(folder)
    except DeckError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return None
    finally:
        shutil.rmtree(folder)


def _check(deck: Deck | None) -> None:
    if deck is None:
        return
    assert deck.slides and deck.slides[0].kind == "title"
    for slide in deck.slides:
        for syntax in ("{{<", ">}}", "{#", "\x1b", "\x00", "\ue000"):
            assert syntax not in slide.title
        for block in m.walk(slide.blocks):
            if not isinstance(block, m.CodeBlock):
                assert "\ue000" not in m.block_text(block)
                assert "\x1b" not in m.block_text(block)
    assert len({s.id for s in deck.slides}) == len(deck.slides)
    for diag in deck.diagnostics:
        assert "\n" not in diag.message and diag.line >= 0


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(markdown_text)
@example("# {{< ")  # an h1 that becomes the post title
def test_any_markdown_gives_a_deck(text: str) -> None:
    _check(_load(text.encode("utf-8", errors="surrogatepass")))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_give_a_deck_or_a_clear_error(data: bytes) -> None:
    _check(_load(data))


@SETTINGS
@given(front_matter, markdown_text)
def test_any_front_matter_gives_a_deck(data: dict[str, object], body: str) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    _check(_load(text.encode("utf-8", errors="surrogatepass")))
