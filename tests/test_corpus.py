"""Every post of the corpus loads cleanly, and no Hugo syntax reaches a slide."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS, corpus_posts
from tui_deck import model as m
from tui_deck.deck import load_deck

POSTS = corpus_posts()


def test_the_corpus_is_there() -> None:
    assert len(POSTS) >= 6, f"expected the fixture corpus at {CORPUS}"


@pytest.mark.parametrize("post", POSTS, ids=[f"{p.parent.name}/{p.name}" for p in POSTS])
def test_post_loads_without_errors_and_without_hugo_syntax(post: object) -> None:
    deck = load_deck(post)  # type: ignore[arg-type]
    assert deck.errors == []
    assert len(deck.slides) >= 2
    for slide in deck.slides:
        texts = [slide.title, slide.text()]
        for block in m.walk(slide.blocks):
            if isinstance(block, m.CodeBlock):
                continue
            texts.append(m.block_text(block))
        for text in texts:
            for syntax in ("{{<", ">}}", "{{%", "{#", "\ue000"):
                assert syntax not in text, (slide.id, text[:80])


def test_whole_corpus_as_one_deck() -> None:
    deck = load_deck(CORPUS)
    assert deck.errors == []
    assert len(deck.posts) == len(list(CORPUS.glob("*/*/index.md")))
    # The warnings of the corpus are a real problem in a post (`{##id}`) and a YouTube
    # <iframe>, which a terminal shows as a link.
    assert sorted(d.message for d in deck.diagnostics) == [
        "heading id written {##test-the-opa-policy}; write {#test-the-opa-policy}",
        "video shown as a link (youtube.com): <iframe> cannot play in a terminal",
    ]
    assert len({s.id for s in deck.slides}) == len(deck.slides)
