"""Block layout and pagination: what a presenter sees at a terminal size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import CORPUS, SLIDES
from tui_deck import model as m
from tui_deck.deck import Deck, load_deck
from tui_deck.export.text import export_text, parse_slides
from tui_deck.layout.page import Size, layout_slide, page_count

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "export"
SIZES = [(40, 12), (60, 20), (80, 24), (100, 30), (160, 45)]


@pytest.mark.parametrize("size", ["60x24", "100x30"])
def test_seed_text_export_matches_reviewed_pages(size: str, tmp_path: Path) -> None:
    """The reviewed pages in tests/fixtures/export/seed-SIZE are what the deck lays out."""
    export_text(load_deck(SLIDES), tmp_path, Size.parse(size))
    expected_dir = FIXTURES / f"seed-{size}"
    expected = sorted(p.name for p in expected_dir.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    for name in expected:
        got = (tmp_path / name).read_text(encoding="utf-8")
        assert got == (expected_dir / name).read_text(encoding="utf-8"), name


def test_seed_year_slide_at_60_columns_breaks_chinese_lines_properly() -> None:
    deck = load_deck(SLIDES)
    [first, second] = layout_slide(deck, 2, 60, 24)
    lines = [line.plain.rstrip() for line in first.lines]
    assert lines[1].strip() == "Istio 取得重大发展的一年"
    assert lines[3:6] == [
        "    在过去的 12 个月里，Istio 项目一直非常关注用户的第 0",
        "    天和第 1 天使用体验。并通过 UX 调查和 GitHub Issue",
        "    的形式积极倾听用户的反馈。",
    ]
    # Hanging indent: the continuation of a bullet starts under its text, not its bullet.
    bullet = lines.index("    • 我们简化了控制平面架构，让 Istio 更易于安装、配置")
    assert lines[bullet + 1] == "      和升级。"
    assert second.lines[1].plain.strip() == "Istio 取得重大发展的一年（续 2/2）"


def _corpus() -> list[Deck]:
    return [load_deck(p.parent) for p in sorted(CORPUS.glob("*/*/index.md"))]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_corpus_page_fits_the_screen(width: int, height: int) -> None:
    for deck in _corpus():
        for index in range(len(deck.slides)):
            for page in layout_slide(deck, index, width, height):
                assert len(page.lines) == height
                for line in page.lines:
                    assert cell_len(line.plain) <= width, (deck.title, index, line.plain)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_nothing_is_lost_across_pages(width: int, height: int) -> None:
    """Every top-level paragraph and list paragraph shows up whole, in order, on the pages."""
    for deck in _corpus():
        for index, slide in enumerate(deck.slides):
            pages = layout_slide(deck, index, width, height)
            # Drop the footer rows and the (repeated) title rows of each page.
            body = ""
            for page in pages:
                start = page.body_top if slide.kind != "title" else 0
                rows = page.lines[start : height - page.footer_rows]
                body += "".join(line.plain for line in rows)
            flat = _squash(body)
            position = 0
            for block in slide.blocks:
                paragraphs = [block] if isinstance(block, m.Paragraph) else []
                if isinstance(block, m.ListBlock):
                    paragraphs = [
                        b for i in block.items for b in i.blocks if isinstance(b, m.Paragraph)
                    ]
                for para in paragraphs:
                    text = _squash(m.plain(para.inlines))
                    found = flat.find(text, position)
                    assert found >= 0, (slide.title, width, height, text[:40])
                    position = found + len(text)


def test_titles_are_centred_by_cells() -> None:
    deck = load_deck(SLIDES)
    for width in (40, 61, 100):
        page = layout_slide(deck, 3, width, 30)[0]
        row = page.lines[1].plain.rstrip()
        text = row.strip()
        left = len(row) - len(row.lstrip())
        assert left == (width - cell_len(text)) // 2


def test_table_columns_line_up_by_cells() -> None:
    deck = load_deck(CORPUS / "zh" / "2019-isolated-clusters")
    page = layout_slide(deck, 1, 80, 40)[0]
    rows = [line.plain for line in page.lines if "│" in line.plain]
    assert len(rows) >= 5
    columns = {cell_len(row[: row.index("│")]) for row in rows}
    assert len(columns) == 1, rows


def test_image_box_keeps_the_aspect_ratio_and_caption() -> None:
    deck = load_deck(SLIDES)
    page = layout_slide(deck, 1, 100, 40)[0]
    [slot] = page.images
    # 1200x675 pixels; a cell is half as wide as it is tall.
    assert abs(slot.height - slot.width * 675 / 1200 / 2) <= 1
    text = page.text()
    assert "▣ 1.png" in text
    assert "Istio 的 4 岁生日" in text
    box = page.lines[slot.row].plain
    assert box[slot.col] == "┌"


def test_small_terminal_says_so() -> None:
    deck = load_deck(SLIDES)
    [page] = layout_slide(deck, 1, 15, 5)
    assert "".join(page.text().split()) == "终端太小：15x5（至少40x12）"  # the deck is Chinese
    assert len(page.lines) == 5
    assert all(line.cell_len <= 15 for line in page.lines)
    [page] = layout_slide(deck, 1, 39, 30)
    assert "终端太小" in page.text()
    assert "终端太小" not in layout_slide(deck, 1, 40, 12)[0].text()
    english = load_deck(CORPUS / "en" / "2021-istio-4th-birthday")
    [page] = layout_slide(english, 1, 30, 10)
    assert " ".join(page.text().split()) == "terminal too small: 30x10 (needs 40x12)"


def test_tall_slide_at_40x12_is_paginated_not_clipped() -> None:
    deck = load_deck(SLIDES)
    count = page_count(deck, 2, 40, 12)
    assert count > 2
    pages = layout_slide(deck, 2, 40, 12)
    assert [p.page for p in pages] == list(range(1, count + 1))
    assert all(p.pages == count for p in pages)
    assert f"p{count}/{count}" in pages[-1].lines[-1].plain


def test_code_is_not_rewrapped_and_long_lines_fold_visibly() -> None:
    deck = load_deck(CORPUS / "en" / "2022-get-started-ambient")
    slide = next(
        i for i, s in enumerate(deck.slides) if s.title == "Install Istio with Ambient Mode"
    )
    text = "".join(p.text() for p in layout_slide(deck, slide, 60, 40))
    assert "$ istioctl install --set profile=ambient" in text
    assert "↩" in text  # the long kubectl output folds with a marker


def test_parse_slides_ranges() -> None:
    assert parse_slides("1,3-5", 6) == [0, 2, 3, 4]
    with pytest.raises(ValueError, match="outside 1-4"):
        parse_slides("2-9", 4)
    with pytest.raises(ValueError, match="not a number"):
        parse_slides("x", 4)


def test_footer_names_the_post_of_the_slide_in_a_multi_post_deck() -> None:
    deck = load_deck(CORPUS)
    for index, slide in enumerate(deck.slides):
        footer = layout_slide(deck, index, 160, 45)[0].lines[-1].plain
        assert footer.strip().startswith(slide.post.title[:20]), (footer, slide.post.title)


def test_blocks_that_fit_a_page_are_not_split_and_images_shrink_into_the_room() -> None:
    deck = load_deck(SLIDES)
    first, second = layout_slide(deck, 2, 80, 24)
    # The IstioCon paragraph moves whole to the second page instead of breaking mid-word.
    assert "IstioCon" not in first.text()
    assert second.text().count("2021 年 2 月") == 1
    # Text and a smaller picture share one page, when the picture is still readable there
    # (at least half the text width, 46 of 92 cells) ...
    [page] = layout_slide(deck, 3, 100, 30)
    assert len(page.images) == 1 and 46 <= page.images[0].width < 92
    assert "Pratima" in page.text()
    # ... and where it would be a postage stamp (25x7 at 80x24), it takes the next page.
    text, picture = layout_slide(deck, 3, 80, 24)
    assert not text.images and "Pratima" in text.text()
    assert picture.images[0].width >= 36 and "Pratima" not in picture.text()


def test_cell_ratio_changes_the_shape_of_picture_boxes() -> None:
    deck = load_deck(SLIDES)
    [slot] = layout_slide(deck, 1, 100, 60)[0].images
    [square] = layout_slide(deck, 1, 100, 60, cell_aspect=1.0)[0].images
    assert abs(slot.height - slot.width * 675 / 1200 / 2) <= 1
    assert abs(square.height - square.width * 675 / 1200) <= 1


def test_at_80_columns_the_footer_shortens_the_deck_title_not_the_slide_title() -> None:
    deck = load_deck(CORPUS / "en" / "2022-get-started-ambient")
    index = next(i for i, s in enumerate(deck.slides) if s.title.startswith("Adding your app"))
    footer = layout_slide(deck, index, 80, 24)[0].lines[-1].plain
    assert "· Adding your application to the ambient mesh" in footer
    assert "Get Started with" in footer and "…" in footer


def test_an_intro_slide_names_the_deck_once_in_the_footer() -> None:
    deck = load_deck(CORPUS / "zh" / "2024-happy-7th-birthday")
    intro = next(i for i, s in enumerate(deck.slides) if s.kind == "intro")
    footer = layout_slide(deck, intro, 80, 24)[0].lines[-1].plain
    assert footer.count("七岁生日快乐") == 1, footer
