"""Image captions are Markdown, as Hugo renders them: `code` is code, not backticks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from rich.console import Console

from tui_deck import model as m
from tui_deck.deck import Deck, Options, load_deck
from tui_deck.layout.page import layout_slide
from tui_deck.layout.theme import DEFAULT_THEME

POST = """---
title: Ambient
---

## Overlay

{{< image width="75%"
    link="./overlay.png"
    caption="Inbound requests from sleep to `productpage` with **secure** [overlay](https://istio.io/)"
    >}}
"""


def _deck(write_post: Callable[..., Path]) -> Deck:
    path = write_post(POST)
    Image.new("RGB", (80, 40)).save(path.parent / "overlay.png")
    return load_deck(path, Options())


def test_the_caption_keeps_its_inline_styles_and_plain_text(
    write_post: Callable[..., Path],
) -> None:
    deck = _deck(write_post)
    block = deck.slides[1].blocks[0]
    assert isinstance(block, m.ImageBlock)
    image = block.image
    plain = "Inbound requests from sleep to productpage with secure overlay"
    assert image.caption == plain and image.alt == plain
    styles = {run.text: run.styles for run in image.caption_runs if run.styles}
    assert styles == {
        "productpage": {m.CODE},
        "secure": {m.BOLD},
        "overlay": {m.LINK},
    }
    assert deck.slides[1].links[0].url == "https://istio.io/"
    assert deck.diagnostics == []


def test_the_page_shows_the_caption_without_backticks_and_code_styled(
    write_post: Callable[..., Path],
) -> None:
    deck = _deck(write_post)
    page = layout_slide(deck, 1, 80, 24)[0]
    text = page.text()
    assert "`" not in text and "**" not in text
    row = next(line for line in page.lines if "productpage" in line.plain)
    style = row.get_style_at_offset(Console(), row.plain.index("productpage"))
    assert style.bgcolor is not None
    assert style.bgcolor.name == DEFAULT_THEME.code_background
    assert style.italic


def test_a_quote_caption_is_markdown_too(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '## Q\n\n{{< quote caption="**张三**，`Istio` 维护者" >}}\n好用。\n{{< /quote >}}\n'
    )
    quote = deck.slides[1].blocks[0]
    assert isinstance(quote, m.Quote)
    assert quote.caption == "张三，Istio 维护者"
    assert [(r.text, set(r.styles)) for r in quote.caption_runs] == [
        ("张三", {m.BOLD}),
        ("，", set()),
        ("Istio", {m.CODE}),
        (" 维护者", set()),
    ]
    page = layout_slide(deck, 1, 40, 12)[0].text()
    assert "— 张三，Istio 维护者" in page and "*" not in page and "`" not in page
