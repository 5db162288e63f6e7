"""Footnotes: superscript markers, the notes on the slides that cite them, `check`'s warnings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style

from tests.conftest import ROOT
from tui_deck import model as m
from tui_deck.deck import Deck, Options, load_deck
from tui_deck.layout.page import layout_slide
from tui_deck.layout.theme import DEFAULT_THEME

FIXTURE = ROOT / "tests" / "fixtures" / "faithful" / "footnotes-zh" / "index.md"

POST = """---
title: Notes
---

## One

Zero trust[^zt] needs identity[^id].

## Two

Identity[^id] again.

## Three

No notes here.

[^zt]: Never trust the network.
[^id]: SPIFFE, see [the spec](https://spiffe.io/).
"""


def _page(deck: Deck, index: int, width: int = 80, height: int = 24) -> str:
    return layout_slide(deck, index, width, height)[0].text()


def _notes(deck: Deck, index: int) -> list[tuple[int, str]]:
    blocks = [b for b in deck.slides[index].blocks if isinstance(b, m.Footnotes)]
    assert len(blocks) <= 1
    if not blocks:
        return []
    return [(n.number, m.block_text(n.blocks[0])) for n in blocks[0].notes]


def test_markers_are_superscript_numbers_in_the_order_of_first_citation(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text(POST)
    first = deck.slides[1].blocks[0]
    assert isinstance(first, m.Paragraph)
    assert m.plain(first.inlines) == "Zero trust¹ needs identity²."
    page = _page(deck, 1)
    assert "Zero trust¹ needs identity²." in page
    assert "[^" not in page


def test_each_slide_ends_with_the_notes_it_cites(load_text: Callable[..., Deck]) -> None:
    deck = load_text(POST)
    assert _notes(deck, 1) == [(1, "Never trust the network."), (2, "SPIFFE, see the spec.")]
    # A note cited from two slides is on both; a slide that cites none has none.
    assert _notes(deck, 2) == [(2, "SPIFFE, see the spec.")]
    assert _notes(deck, 3) == []
    assert isinstance(deck.slides[1].blocks[-1], m.Footnotes)
    # The definitions are not left at the end of the post as a paragraph.
    three = _page(deck, 3)
    assert "Never trust" not in three and "SPIFFE" not in three
    # Links inside a note are links of the slides that show it.
    assert [link.url for link in deck.slides[2].links] == ["https://spiffe.io/"]
    assert deck.diagnostics == []


def test_the_notes_read_as_a_compact_dim_block_after_a_rule(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text(POST)
    page = layout_slide(deck, 1, 40, 24)[0]
    rows = [line.plain.rstrip() for line in page.lines]
    rule = next(i for i, row in enumerate(rows) if row.strip().startswith("─"))
    assert rows[rule].strip() == "─" * 12
    assert rows[rule + 1].strip() == "¹ Never trust the network."
    assert rows[rule + 2].strip() == "² SPIFFE, see the spec."
    dim = Style(color=DEFAULT_THEME.muted)
    note = page.lines[rule + 1]
    assert note.get_style_at_offset(Console(), note.plain.index("Never")).color == dim.color


def test_a_long_chinese_note_wraps_under_its_text_within_the_width() -> None:
    deck = load_deck(FIXTURE, Options())
    slide = next(i for i, s in enumerate(deck.slides) if s.title == "背景")
    for width in (40, 50, 80):
        page = layout_slide(deck, slide, width, 40)[0]
        rows = [line.plain.rstrip() for line in page.lines]
        assert all(line.cell_len <= width for line in page.lines)
        start = next(i for i, row in enumerate(rows) if "³ SPIFFE" in row)
        column = rows[start].index("³")
        # Continuation rows hang under the text, not under the marker.
        assert rows[start + 1][: column + 2].strip() == ""
        assert rows[start + 1][column + 2 :].strip()
    text = _page(deck, slide)
    assert "零信任¹的概念最早由 Forrester 提出²。" in text
    assert "¹ 零信任（Zero Trust）" in text and "² 参见 Forrester 的报告" in text


def test_check_warns_at_an_undefined_reference_and_an_uncited_definition() -> None:
    deck = load_deck(FIXTURE, Options())
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    messages = {(d.line, d.severity, d.message.split(";")[0]) for d in deck.diagnostics}
    undefined = next(n for n, line in enumerate(lines, 1) if "脚注[^9]" in line)
    unused = next(n for n, line in enumerate(lines, 1) if line.startswith("[^unused]:"))
    assert messages == {
        (undefined, "warning", "footnote [^9] is not defined"),
        (unused, "warning", "footnote [^unused] is never cited"),
    }
    # The undefined reference stays as the author wrote it.
    slide = next(i for i, s in enumerate(deck.slides) if s.title == "实现")
    assert "脚注[^9]。" in _page(deck, slide)


def test_a_label_defined_twice_is_reported_and_the_first_definition_kept(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text("## A\n\nText[^a].\n\n[^a]: First.\n\n[^a]: Second.\n")
    assert _notes(deck, 1) == [(1, "First.")]
    assert [(d.line, d.message.split(";")[0]) for d in deck.diagnostics] == [
        (7, "footnote [^a] is defined twice (first at line 5)")
    ]


def test_references_in_code_are_code_and_no_footnotes_means_no_warnings(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text("## A\n\nWrite `[^1]` to cite a note.\n")
    assert deck.diagnostics == []
    assert "Write [^1] to cite a note." in _page(deck, 1)


def test_a_note_of_several_paragraphs_and_a_note_citing_another(
    load_text: Callable[..., Deck],
) -> None:
    post = (
        "## A\n\nSee[^long].\n\n## B\n\nOther[^other].\n\n"
        "[^long]: First paragraph.\n\n    Second paragraph, also see[^other].\n\n"
        "[^other]: The other note.\n"
    )
    deck = load_text(post)
    blocks = next(b for b in deck.slides[1].blocks if isinstance(b, m.Footnotes))
    assert [n.number for n in blocks.notes] == [1, 2]
    assert [m.block_text(b) for b in blocks.notes[0].blocks] == [
        "First paragraph.",
        "Second paragraph, also see².",
    ]
    assert deck.diagnostics == []


def test_notes_are_searchable_text_of_the_slide(load_text: Callable[..., Deck]) -> None:
    deck = load_text(POST)
    found = [b for b in m.walk(deck.slides[2].blocks) if "SPIFFE" in m.block_text(b)]
    assert len(found) == 1


def test_a_heading_with_an_id_cites_a_note(load_text: Callable[..., Deck]) -> None:
    deck = load_text("## Zero trust[^zt] {#zero}\n\nText.\n\n[^zt]: Never trust the network.\n")
    slide = deck.slides[1]
    assert (slide.id, slide.title) == ("zero", "Zero trust¹")
    assert _notes(deck, 1) == [(1, "Never trust the network.")]
    assert deck.diagnostics == []


def test_a_section_of_only_definitions_lists_every_note(load_text: Callable[..., Deck]) -> None:
    post = "## A\n\nOne[^a], two[^b].\n\n## 参考\n\n[^b]: Bee.\n[^a]: Ay.\n"
    deck = load_text(post)
    assert [s.title for s in deck.slides] == ["post", "A", "参考"]
    assert _notes(deck, 2) == [(1, "Ay."), (2, "Bee.")]
    assert deck.diagnostics == []


def test_a_marker_never_starts_a_line() -> None:
    deck = load_deck(FIXTURE, Options())
    markers = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    for width in range(40, 61):
        for index in range(len(deck.slides)):
            for page in layout_slide(deck, index, width, 12):
                rows = [line.plain.strip() for line in page.lines]
                # A note's own marker starts its row; a citation never does.
                cited = [r for r in rows if r and r[0] in markers and not r[1:2].isspace()]
                assert not cited, (width, cited)


_LABELS = ["a", "b", "note", "参考"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_LABELS), max_size=3), min_size=1, max_size=4),
    st.sets(st.sampled_from(_LABELS)),
)
def test_every_slide_shows_exactly_the_notes_it_cites(
    sections: list[list[str]], defined: set[str]
) -> None:
    body = "".join(
        f"## S{n}\n\n文字" + "".join(f"[^{label}]" for label in cites) + "。\n\n"
        for n, cites in enumerate(sections)
    )
    body += "".join(f"[^{label}]: 注{label}\n" for label in sorted(defined))
    with TemporaryDirectory() as folder:
        path = Path(folder) / "index.md"
        path.write_text(body, encoding="utf-8")
        deck = load_deck(path, Options())
    order: list[str] = []  # numbering: the order of first citation of a defined label
    for label in (label for cites in sections for label in cites):
        if label in defined and label not in order:
            order.append(label)
    for n, cites in enumerate(sections, start=1):
        wanted = sorted({order.index(label) + 1 for label in cites if label in defined})
        assert [number for number, _ in _notes(deck, n)] == wanted
        for number, text in _notes(deck, n):
            assert text == f"注{order[number - 1]}"
    undefined = {label for cites in sections for label in cites} - defined
    warned = {d.message.split("]")[0].split("[^")[1] for d in deck.diagnostics}
    uncited = defined - {label for cites in sections for label in cites}
    assert warned == undefined | uncited
