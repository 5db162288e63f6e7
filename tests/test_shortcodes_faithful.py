"""Shortcodes as real posts write them: indented in lists and quotes, broken, or unknown.

Whatever the source, no shortcode delimiter reaches a slide (outside code and escaped
``{{</* */>}}``), and whatever the deck did not understand is a diagnostic at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui_deck import model as m
from tui_deck.deck import Deck, load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Size

FAITHFUL = Path(__file__).parent / "fixtures" / "faithful"
SIZES = [Size(40, 12), Size(80, 24), Size(160, 45)]
DELIMITERS = re.compile(r"\{\{[<%]|[>%]\}\}|\{#")


def screen_lines_with_delimiters(deck: Deck, size: Size) -> list[str]:
    rows = [row for page in all_pages(deck, size) for row in page.text().split("\n")]
    return [row.strip() for row in rows if DELIMITERS.search(row)]


def code_blocks(deck: Deck) -> list[m.CodeBlock]:
    return [
        block
        for slide in deck.slides
        for block in m.walk(slide.blocks)
        if isinstance(block, m.CodeBlock)
    ]


def test_indented_shortcodes_become_code_blocks_at_every_depth() -> None:
    deck = load_deck(FAITHFUL / "sc-indented")
    codes = [(block.line, block.lang, block.code) for block in code_blocks(deck)]
    assert codes == [
        (11, "bash", "$ kubectl apply -f samples/sleep/sleep.yaml"),  # 4 spaces in a list
        (16, "bash", "$ kubectl get pods -n foo"),  # 8 spaces, no blank line before
        (24, "yaml", "apiVersion: v1\nkind: ConfigMap"),  # nested list
        (31, "bash", "$ kubectl apply -f opa.yaml"),  # 12 spaces in a nested list
        (37, "bash", "$ istioctl version"),  # a tab
        (45, "bash", "$ curl http://httpbin:8000/headers"),  # in a blockquote
        (51, "json", '{"path": "L2hlYWRlcnM="}'),  # in a list in a blockquote
        (
            65,
            "bash",
            "$ kubectl exec ${SLEEP_POD} -c sleep -- curl http://httpbin-with-opa:8000/headers"
            "\n403",
        ),  # in a tab of a tabset in a list
        (76, "plain", "✔ Istio core installed"),  # 4 spaces after a paragraph
        (80, "markdown", "在 Markdown 代码中短代码原样显示：{{< text bash >}}"),  # real code
    ]
    blocks = [b for slide in deck.slides for b in m.walk(slide.blocks)]
    assert [(b.line, b.kind) for b in blocks if isinstance(b, m.Callout)] == [(57, "tip")]
    assert [(b.line, b.label) for b in blocks if isinstance(b, m.Section)] == [
        (63, "在同一个 Pod 中")
    ]
    assert "这个提示缩进了八个空格。" in [m.block_text(b) for b in blocks]
    assert deck.diagnostics == []


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_indented_shortcodes_never_show_their_tags(size: Size) -> None:
    deck = load_deck(FAITHFUL / "sc-indented")
    # Only the fenced Markdown example shows a tag: it is the author's code.
    shown = screen_lines_with_delimiters(deck, size)
    assert shown and all("{{< text" in line or line.startswith("bash >}}") for line in shown)
    assert "".join(shown).count("{{<") == 1


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_broken_shortcodes_never_reach_the_screen(size: Size) -> None:
    deck = load_deck(FAITHFUL / "sc-broken")
    shown = screen_lines_with_delimiters(deck, size)
    # Only the escaped {{</* text bash */>}} shows a tag, as the literal its author meant.
    assert shown and all("{{< text" in line or line.startswith("bash >}}") for line in shown)
    assert "".join(shown).count("{{<") == 1


def test_every_broken_or_unknown_shortcode_is_reported_at_its_line() -> None:
    deck = load_deck(FAITHFUL / "sc-broken")
    found = {(d.line, d.severity, d.message.split(";")[0]) for d in deck.diagnostics}
    expected = {
        (7, "error", 'unterminated quote in {{< image link="./missing.png" caption=…'),
        (9, "error", 'shortcode {{< image link="./missing.png" is never closed with >}}'),
        (13, "error", "shortcode {{< tip >}} is never closed"),
        (22, "error", "{{< /warning >}} closes a shortcode that was never opened"),
        (24, "warning", ">}} closes no shortcode"),
        (
            26,
            "warning",
            "unknown shortcode {{< notice >}}: its tag is left out and its inner text is kept",
        ),
        (30, "warning", "unknown shortcode {{< version >}} is shown as ‹version›"),
        (30, "warning", "unknown shortcode {{< release_manager >}} is shown as ‹release_manager›"),
        # istio.io's company_logo is a picture (logo="…"): this one names none.
        (32, "warning", "{{< company_logo >}} without its picture"),
        (34, "error", "shortcode {{< >}} has no name"),
        (
            36,
            "warning",
            "{# comment #} is left out: an id in braces belongs at the end of a heading line",
        ),
        (42, "warning", "video shown as a link (youtube.com): it cannot play in a terminal"),
    }
    assert expected <= found
    assert any(d.line == 46 and "text_import" in d.message for d in deck.diagnostics)


def test_sentences_keep_their_words_around_unknown_values() -> None:
    deck = load_deck(FAITHFUL / "sc-broken")
    texts = [m.block_text(b) for s in deck.slides for b in m.walk(s.blocks)]
    assert "Istio ‹version› was released by ‹release_manager› this year." in texts
    assert "A closing delimiter with no opening one in the middle." in texts
    assert "A lone in a paragraph." in texts
    assert "Show the syntax: {{< text bash >}} writes a code block." in texts


def test_known_istio_shortcodes_are_shown() -> None:
    deck = load_deck(FAITHFUL / "sc-broken")
    known = deck.slides[-1]
    assert m.block_text(known.blocks[0]) == "▶ video: https://www.youtube.com/watch?v=w7Ft2ymGmfc"
    assert "https://www.youtube.com/watch?v=w7Ft2ymGmfc" in [link.url for link in known.links]
    figure = known.blocks[1]
    assert isinstance(figure, m.ImageBlock) and figure.image.caption == "A figure"
    note = known.blocks[2]
    assert isinstance(note, m.Callout) and "sleep.yaml" in m.block_text(note.blocks[0])
    assert m.block_text(known.blocks[3]) == "See the guide and run istioctl."
    assert [link.url for link in known.links][-1] == "https://istio.io/docs/setup/getting-started/"
