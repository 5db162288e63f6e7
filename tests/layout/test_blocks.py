"""Lists, code and tables as a presenter sees them on real posts' shapes (issue 13).

The fixture posts in tests/fixtures/faithful are written the way Istio posts write them:
list items with a second paragraph or a command under them, long command lines, feature
matrices in tables (English and Chinese).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui_deck import model as m
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.blocks import Context, layout_block
from tui_deck.layout.linebreak import longest_unit
from tui_deck.layout.page import layout_slide
from tui_deck.layout.theme import DEFAULT_THEME

FAITHFUL = Path(__file__).resolve().parents[1] / "fixtures" / "faithful"
WIDTHS = [40, 60, 80, 100, 160]


def _deck(name: str) -> Deck:
    return load_deck(FAITHFUL / name)


def _slide_rows(deck: Deck, title: str, width: int, height: int = 200) -> list[str]:
    """The rows of a slide's page(s), right-trimmed."""
    index = next(i for i, s in enumerate(deck.slides) if s.title == title)
    rows: list[str] = []
    for page in layout_slide(deck, index, width, height):
        rows.extend(line.plain.rstrip() for line in page.lines)
    return rows


def _row_of(rows: list[str], text: str, after: int = -1) -> int:
    return next(i for i, row in enumerate(rows) if i > after and text in row)


def _indent(row: str) -> int:
    return len(row) - len(row.lstrip())


# --------------------------------------------------------------------------- lists


@pytest.mark.parametrize("width", [40, 80, 160])
def test_a_second_paragraph_in_a_list_item_is_a_blank_line_apart_under_the_text(
    width: int,
) -> None:
    rows = _slide_rows(_deck("list-blocks"), "Before you begin", width)
    first = _row_of(rows, "1. Download the new")
    second = _row_of(rows, "The release notes")
    assert rows[second - 1] == ""
    # The hanging indent: the paragraph starts under the item's text, not its number.
    assert _indent(rows[second]) == rows[first].index("Download")
    # Between the items of this loose list, a blank line too.
    assert rows[_row_of(rows, "2. Check that") - 1] == ""


@pytest.mark.parametrize("width", [40, 80, 160])
def test_a_command_in_a_list_item_and_the_paragraph_after_it_are_apart(width: int) -> None:
    rows = _slide_rows(_deck("list-blocks"), "Install the control plane", width)
    # {{< text bash >}} in the first item, a ``` fence in the second.
    for step, command, after in [
        ("Install the canary", "$ istioctl install", "The old and the new"),
        ("Label the namespace", "$ kubectl label", "Restart the workloads"),
    ]:
        code = _row_of(rows, command)
        paragraph = _row_of(rows, after)
        assert rows[code - 1] == "", (step, rows[code - 1])
        assert rows[paragraph - 1] == "", (step, rows[paragraph - 1])
        assert _indent(rows[paragraph]) == rows[_row_of(rows, step)].index(step)


def test_a_tight_list_stays_tight() -> None:
    rows = _slide_rows(_deck("list-blocks"), "Before you begin", 80)
    top = _row_of(rows, "• Istio 1.17")
    assert rows[top + 1].strip().startswith("• A Kubernetes cluster")
    assert rows[top + 2].strip().startswith("• The istioctl binary")


def test_a_tight_list_keeps_its_nested_list_under_the_item(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text(
        "---\ntitle: T\n---\n## Steps\n\n"
        "- Remove the old control plane:\n"
        "    - Uninstall the default revision.\n"
        "    - Delete the old webhook.\n"
        "- Remove the samples.\n"
    )
    rows = _slide_rows(deck, "Steps", 60)
    top = _row_of(rows, "• Remove the old")
    assert [row.strip()[:1] for row in rows[top : top + 4]] == ["•", "◦", "◦", "•"]


def test_markdown_it_tightness_reaches_the_model(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        "---\ntitle: T\n---\n## S\n\n- a\n- b\n\ntext\n\n- c\n\n- d\n\ntext\n\n"
        "1. e\n\n    more\n1. f\n"
    )
    lists = [b for b in m.walk(deck.slides[1].blocks) if isinstance(b, m.ListBlock)]
    assert [lst.tight for lst in lists] == [True, False, False]


def test_a_loose_list_of_one_paragraph_items_is_a_blank_line_apart(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text("---\ntitle: T\n---\n## S\n\n- first\n\n- second\n")
    rows = _slide_rows(deck, "S", 60)
    first = _row_of(rows, "• first")
    assert rows[first + 1] == ""
    assert rows[first + 2].strip() == "• second"


def test_blocks_in_list_items_in_the_corpus_never_touch(corpus_posts: list[Path]) -> None:
    """In the real posts, a paragraph or command inside an item has a blank line before it."""
    checked = 0
    for post in corpus_posts:
        deck = load_deck(post)
        ctx = Context(72, DEFAULT_THEME, deck.slides[0].lang)
        for slide in deck.slides:
            for block in m.walk(slide.blocks):
                if not isinstance(block, m.ListBlock):
                    continue
                rows = [line.plain.rstrip() for line in layout_block(block, ctx).lines]
                seen = 0
                for item in block.items:
                    for before, child in zip(item.blocks, item.blocks[1:], strict=False):
                        if isinstance(before, m.ListBlock):
                            continue
                        if isinstance(child, m.Paragraph):
                            start = m.plain(child.inlines)[:8]
                        elif isinstance(child, m.CodeBlock):
                            start = child.code.split("\n")[0].strip()[:16]
                        else:
                            continue
                        seen = _row_of(rows, start, seen)
                        assert rows[seen - 1] == "", (post.name, start)
                        checked += 1
    assert checked >= 3


@pytest.mark.parametrize(("width", "height"), [(40, 12), (60, 20), (80, 24), (100, 30)])
def test_a_page_that_continues_a_list_starts_with_its_text_not_a_gap(
    width: int, height: int, corpus_posts: list[Path]
) -> None:
    for post in [FAITHFUL / "list-blocks", FAITHFUL / "zh-lists-tables", *corpus_posts]:
        deck = load_deck(post)
        for index in range(1, len(deck.slides)):
            for page in layout_slide(deck, index, width, height):
                lines = page.lines[:-2]
                rows = [line.plain.strip() for line in lines]
                top = next((i for i, row in enumerate(rows) if row), None)
                if top is None or not any(rows[top + 1 :]):
                    continue
                while rows[top]:
                    top += 1  # the title (maybe two rows)
                # One blank row under the title, then text (or a blank row of code,
                # which is tinted, not a gap).
                after = lines[top + 1]
                gap = not after.plain.strip() and not after.spans and not after.style
                assert not gap, (post.name, index, page.page)


@pytest.fixture
def corpus_posts() -> list[Path]:
    from tests.conftest import CORPUS

    posts = sorted(p.parent for p in CORPUS.glob("*/*/index.md"))
    assert posts, f"no corpus at {CORPUS}"
    return posts


# --------------------------------------------------------------------------- code

COMMAND = (
    "$ kubectl set env deployment/istiod -n istio-system "
    "PILOT_ENABLE_STATUS=true DO_NOT_ENCRYPT=false"
)


def _code_rows(code: str, width: int, lang: str = "bash") -> list[Text]:
    ctx = Context(width, DEFAULT_THEME)
    return layout_block(m.CodeBlock(1, code, lang), ctx).lines


def _folds(rows: list[Text]) -> list[tuple[str, str]]:
    """The text on either side of each ``↩``: (end of the row, start of the next)."""
    plains = [row.plain.rstrip() for row in rows]
    return [
        (plains[i][:-1].rstrip(), plains[i + 1].lstrip())
        for i in range(len(plains) - 1)
        if plains[i].endswith("↩")
    ]


def _cut_inside(word: str, end: str, start: str) -> bool:
    """Whether a fold between ``end`` and ``start`` cuts ``word`` between two letters."""
    for cut in range(1, len(word)):
        left, right = word[:cut], word[cut:]
        if end.endswith(left) and start.startswith(right):
            return left[-1].isalnum() and right[0].isalnum()
    return False


@pytest.mark.parametrize("width", range(24, 90, 3))
def test_a_long_command_folds_between_words_not_inside_one(width: int) -> None:
    folds = _folds(_code_rows(COMMAND, width))
    assert folds
    for end, start in folds:
        for word in COMMAND.split():
            assert not _cut_inside(word, end, start), (end, start)
    # Nothing is lost: the rows hold the command's characters in order.
    joined = "".join(row.plain.rstrip().rstrip("↩") for row in _code_rows(COMMAND, width))
    assert joined.replace(" ", "") == COMMAND.replace(" ", "")


def test_known_bad_folds_from_real_posts_are_gone() -> None:
    cases = {
        "DO_NOT_ENCRYPT=false": COMMAND,
        "virtual-service-details-v2.yaml": (
            "$ kubectl apply -f samples/bookinfo/networking/virtual-service-details-v2.yaml"
        ),
        "MAXPODS": "$ export MAXPODS=$(kubectl get nodes -o jsonpath='{.items[0]}')",
    }
    for word, line in cases.items():
        for width in range(20, len(line) + 2):
            for end, start in _folds(_code_rows(line, width)):
                assert not _cut_inside(word, end, start), (width, end, start)


def test_a_folded_line_continues_at_its_indent_plus_two() -> None:
    code = "metadata:\n  name: reviews-route-with-a-rather-long-name-for-the-demonstration"
    rows = [row.plain for row in _code_rows(code, 36, "yaml")]
    assert rows[1].startswith("   name: reviews-route")
    # One cell of the code box, the line's two, and two more.
    for row in rows[2:]:
        assert _indent(row) == 5, rows


def test_a_token_with_no_break_is_still_cut_to_fit() -> None:
    token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9eyJwYXRoIjoiTDJobFlXUmxjbk09"
    rows = _code_rows(f'TOKEN="{token}"', 30)
    assert all(row.cell_len == 30 for row in rows)
    assert "".join(r.plain.rstrip().rstrip("↩").strip() for r in rows) == f'TOKEN="{token}"'


def _styled_chars(rows: list[Text]) -> list[tuple[str, Style]]:
    console = Console(width=200, color_system="truecolor")
    out = []
    for row in rows:
        for segment in row.render(console):
            for char in segment.text:
                if not char.isspace() and char != "↩":
                    out.append((char, segment.style or Style()))
    return out


def test_the_highlighting_survives_a_fold() -> None:
    code = (
        "apiVersion: networking.istio.io/v1\n"
        "  host: reviews.prod.svc.cluster.local # the reviews service of the demo"
    )
    whole = _styled_chars(_code_rows(code, 120, "yaml"))
    folded = _code_rows(code, 30, "yaml")
    assert any(row.plain.rstrip().endswith("↩") for row in folded)
    assert _styled_chars(folded) == whole
    assert len({style.color for _, style in whole}) > 1  # it was highlighted at all


# --------------------------------------------------------------------------- tables


def _table_words(deck: Deck, titles: list[str]) -> list[str]:
    """The unbreakable words of the tables on some slides ("Kubernetes-aware" is two)."""
    words: list[str] = []
    for slide in (s for s in deck.slides if s.title in titles):
        for block in m.walk(slide.blocks):
            if isinstance(block, m.Table):
                for row in [block.header, *block.rows]:
                    for cell in row:
                        for word in m.plain(cell).split():
                            words.extend(re.findall(r"[^-]+-?", word))
    return words


def _table_cells(rows: list[str]) -> list[str]:
    return [cell.strip() for row in rows if "│" in row for cell in row.split("│")]


def _whole(word: str) -> str:
    """A pattern for ``word`` not glued to letters ("Kubernetes-" may go on: "-aware")."""
    end = "" if word.endswith("-") else r"(?!\w)"
    return rf"(?<!\w){re.escape(word)}{end}"


def _whole_words(deck: Deck, titles: list[str], width: int) -> list[str]:
    """The table words of ``deck`` that are not whole in any cell at ``width``."""
    cells = [c for t in titles for c in _table_cells(_slide_rows(deck, t, width))]
    text = " ".join(cells)
    return [
        word
        for word in _table_words(deck, titles)
        if word.isascii() and not re.search(_whole(word), text)
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_feature_matrix_words_are_never_cut_when_the_columns_can_share_room(width: int) -> None:
    deck = _deck("feature-tables")
    assert _whole_words(deck, ["What each mode gives you"], width) == []


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_every_word_of_every_table_stays_whole_when_the_words_fit(width: int) -> None:
    deck = _deck("feature-tables")
    assert _whole_words(deck, ["What each mode gives you", "Which to choose"], width) == []
    assert _whole_words(_deck("zh-lists-tables"), ["模式对比"], width) == []


@pytest.mark.parametrize("width", [80, 100, 160])
def test_a_five_column_release_table_keeps_its_words_when_they_fit(width: int) -> None:
    assert _whole_words(_deck("feature-tables"), ["Supported releases"], width) == []


def test_columns_are_sized_by_content_not_shared_equally() -> None:
    deck = _deck("feature-tables")
    rows = _slide_rows(deck, "What each mode gives you", 60)
    header = next(row for row in rows if "Feature" in row)
    rule = next(row for row in rows if "┼" in row)
    widths = [len(part) for part in rule.strip().split("┼")]
    # The first column holds the long feature names; "Sidecar" holds Yes/No.
    assert widths[0] > widths[1]
    assert "Sidecar" in header


def test_a_word_wider_than_its_share_is_cut_and_the_other_columns_keep_theirs() -> None:
    table = m.Table(
        1,
        [(m.Run("Setting"),), (m.Run("Default"),)],
        [
            [(m.Run("PILOT_ENABLE_WORKLOAD_ENTRY_AUTOREGISTRATION"),), (m.Run("false"),)],
            [(m.Run("PILOT_TRACE_SAMPLING"),), (m.Run("1.0"),)],
        ],
    )
    rows = [line.plain for line in layout_block(table, Context(30, DEFAULT_THEME)).lines]
    assert all(len(row) <= 30 for row in rows)
    cells = _table_cells(rows)
    assert "Default" in cells and "false" in cells and "1.0" in cells


def test_chinese_cells_break_between_characters_so_latin_words_keep_their_room() -> None:
    deck = _deck("zh-lists-tables")
    rows = _slide_rows(deck, "模式对比", 40)
    cells = _table_cells(rows)
    assert "Sidecar" in " ".join(cells).split()
    assert "Kubernetes" in cells
    assert all(len(row) <= 40 for row in rows)


def test_the_longest_unbreakable_piece_of_a_cell() -> None:
    assert longest_unit("Kubernetes-aware load balancing") == len("Kubernetes-")
    assert longest_unit("感知 Kubernetes 的负载均衡") == len("Kubernetes")
    assert longest_unit("支持，需要部署") == 4  # 持， glued by kinsoku
    assert longest_unit("") == 0
