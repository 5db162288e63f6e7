"""Side-by-side columns (``<!-- column_layout: [1, 1] -->``, ``<!-- column: N -->``,
``<!-- reset_layout -->``): what the audience sees at 120x30, stacked at 60x20, and the
post annotated as a talk that uses them (``fixtures/talk-4th-birthday``, the same files
as ``docs/talk-example``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from rich.cells import cell_len

from tui_deck import model as m
from tui_deck.cli import main
from tui_deck.deck import Deck, Options, load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.columns import GAP, column_widths
from tui_deck.layout.page import Page, Size, layout_slide, margin_for

ROOT = Path(__file__).parent.parent
TALK = Path(__file__).parent / "fixtures" / "talk-4th-birthday"
EXAMPLE = ROOT / "docs" / "talk-example"
ORIGINAL = Path(__file__).parent / "fixtures" / "corpus" / "zh" / "2021-istio-4th-birthday"

LEFT = (
    "服务网格把流量管理、安全和可观测性从应用代码中分离出来，交给每个工作负载旁边的代理。"
    "运维人员因此可以在不修改代码的情况下，统一地配置重试、超时、熔断和双向 TLS。"
)
RIGHT = "右栏：Envoy 代理拦截进出工作负载的全部流量。"

POST = f"""---
title: 并排
---

## 数据平面

<!-- column_layout: [1, 1] -->

<!-- column: 0 -->

{LEFT}

<!-- column: 1 -->

{RIGHT}

{{{{< image link="./wide.png" caption="代理" >}}}}

<!-- reset_layout -->

栏下的文字。
"""


def _deck(tmp_path: Path, text: str = POST) -> Deck:
    Image.new("RGB", (1200, 675), (40, 120, 200)).save(tmp_path / "wide.png")
    (tmp_path / "index.md").write_text(text, encoding="utf-8")
    return load_deck(tmp_path, Options())


def _pages(deck: Deck, width: int, height: int) -> list[Page]:
    return layout_slide(deck, 1, width, height)


def cells_between(line: str, start: int, end: int) -> str:
    """The characters of ``line`` in cells [start, end) (a 2-cell character counts where
    it starts)."""
    out, at = [], 0
    for char in line:
        if start <= at < end:
            out.append(char)
        at += cell_len(char)
    return "".join(out)


def _offset(line: str, text: str) -> int:
    """The cell where ``text`` starts in ``line``."""
    return cell_len(line[: line.index(text)])


def test_two_columns_side_by_side_each_broken_at_its_own_width(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    [page] = _pages(deck, 120, 30)
    lines = [line.plain for line in page.lines]
    margin = margin_for(120)
    widths = column_widths((1, 1), 120 - 2 * margin)
    second = margin + widths[0] + GAP
    assert 2 <= GAP <= 4 and abs(widths[0] - widths[1]) <= 1
    rows = [n for n, line in enumerate(lines) if cells_between(line, margin, second).strip()]
    body = range(page.body_top, len(lines) - page.footer_rows)
    rows = [n for n in rows if n in body and "栏下" not in lines[n]]
    # The left column is Chinese broken inside its column: every line within its width,
    # nothing lost, no line starting with a closing mark.
    left = [cells_between(lines[n], margin, second).rstrip() for n in rows]
    assert len(left) >= 3
    assert all(cell_len(piece) <= widths[0] for piece in left)
    assert all(lines[n][:margin] == " " * margin for n in rows)
    assert "".join(piece.strip() for piece in left).replace(" ", "") == LEFT.replace(" ", "")
    assert not any(piece.lstrip().startswith(("，", "。", "、")) for piece in left)
    # The right column's text starts at its offset, on the left column's first row.
    first = next(line for line in lines if "右栏" in line)
    assert _offset(first, "右栏") == second
    assert first.startswith(" " * margin + LEFT[:4])
    # Its picture takes the column's width, in the column, under its text.
    [slot] = page.images
    assert slot.col == second and slot.width == widths[1]
    assert slot.row > lines.index(first)
    assert slot.row < next(n for n, line in enumerate(lines) if "栏下" in line)
    # What follows reset_layout is below the columns, at the page's width.
    below = next(line for line in lines if "栏下" in line)
    assert _offset(below, "栏下") == margin


def test_columns_stack_in_column_order_below_80_terminal_columns(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    pages = _pages(deck, 60, 20)
    lines = [line.plain for page in pages for line in page.lines]
    margin = margin_for(60)
    left = next(n for n, line in enumerate(lines) if LEFT[:6] in line)
    right = next(n for n, line in enumerate(lines) if "右栏" in line)
    below = next(n for n, line in enumerate(lines) if "栏下" in line)
    assert left < right < below
    assert _offset(lines[left], LEFT[:6]) == margin
    assert _offset(lines[right], "右栏") == margin
    # Column 0's text is whole before column 1's starts.
    assert all("右栏" not in line for line in lines[left:right])
    # The picture is at the page's width now, never beside the text.
    slots = [slot for page in pages for slot in page.images]
    assert len(slots) == 1 and slots[0].col >= margin
    assert slots[0].width > column_widths((1, 1), 60 - 2 * margin)[1]
    for page in pages:
        assert len(page.lines) == 20 and all(line.cell_len <= 60 for line in page.lines)


def test_at_80_columns_they_are_still_side_by_side(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    lines = [line.plain for page in _pages(deck, 80, 24) for line in page.lines]
    assert any(LEFT[:4] in line and "右栏" in line for line in lines)


def test_a_column_the_layout_does_not_have_still_shows_its_content(tmp_path: Path) -> None:
    post = (
        "---\ntitle: T\n---\n\n## A\n\n<!-- column_layout: [1, 1] -->\n\n<!-- column: 5 -->\n\n"
        "Before any column.\n\n<!-- column: 0 -->\n\nLeft.\n\n<!-- column: 5 -->\n\n"
        "Still shown.\n\n<!-- column: 1 -->\n\nRight.\n"
    )
    deck = _deck(tmp_path, post)
    assert [(d.line, d.key) for d in deck.diagnostics] == [
        (9, "diag_command_column_out"),
        (17, "diag_command_column_out"),
    ]
    [page] = _pages(deck, 100, 30)
    lines = [line.plain for line in page.lines]
    text = "\n".join(lines)
    assert text.index("Before any column.") < text.index("Left.")
    # The wrong column's blocks stay in the column before it: the left one.
    shown = next(line for line in lines if "Still shown." in line)
    assert _offset(shown, "Still shown.") == margin_for(100)
    right = next(line for line in lines if "Right." in line)
    assert "Left." in right and _offset(right, "Right.") > 40


def _tall(count: int) -> str:
    paragraphs = "\n\n".join(f"第 {n} 段：{LEFT}" for n in range(1, count + 1))
    return (
        "---\ntitle: T\n---\n\n## A\n\n<!-- column_layout: [1, 1] -->\n\n<!-- column: 0 -->\n\n"
        f"{paragraphs}\n\n<!-- column: 1 -->\n\n{RIGHT}\n"
    )


def test_a_region_taller_than_a_page_side_by_side_stacks(tmp_path: Path) -> None:
    deck = _deck(tmp_path, _tall(6))  # 29 rows side by side, 19 stacked: one page
    [page] = _pages(deck, 120, 30)
    lines = [line.plain for line in page.lines]
    right = next(n for n, line in enumerate(lines) if "右栏" in line)
    assert lines[right].strip().startswith("右栏")
    assert max(n for n, line in enumerate(lines) if "第 6 段" in line) < right


def test_a_stacked_region_pages_between_its_blocks(tmp_path: Path) -> None:
    deck = _deck(tmp_path, _tall(12))
    pages = _pages(deck, 120, 30)
    assert len(pages) >= 2
    for page in pages[1:]:
        first = page.lines[page.body_top].plain.strip()
        assert first.startswith(("第", "右栏")), first
    text = "\n".join(page.text() for page in pages)
    assert text.index("第 12 段") < text.index("右栏")


def test_search_and_outline_see_the_text_in_columns(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    slide = deck.slides[1]
    assert "右栏" in slide.text() and LEFT[:10] in slide.text()
    assert [image.src for image in slide.images] == ["./wide.png"]
    assert any(isinstance(b, m.ImageBlock) for b in m.walk(slide.blocks))


# --------------------------------------------------------------------------- the example talk


def test_the_example_talk_is_the_same_files_in_docs_and_tests() -> None:
    names = sorted(p.name for p in TALK.iterdir())
    assert names == ["1.png", "2.png", "index.md", "istio-deck.toml"]
    assert sorted(p.name for p in EXAMPLE.iterdir()) == names
    for name in names:
        assert (EXAMPLE / name).read_bytes() == (TALK / name).read_bytes(), name


def test_the_talk_is_the_post_unchanged_for_hugo() -> None:
    """Only comment lines were added: without them, the post is istio.io's."""

    def content(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip()]

    comment = re.compile(r"<!--.*-->")
    talk = (TALK / "index.md").read_text(encoding="utf-8")
    original = (ORIGINAL / "index.md").read_text(encoding="utf-8")
    assert [line for line in content(talk) if not comment.fullmatch(line)] == content(original)
    for name in ("1.png", "2.png"):
        assert (TALK / name).read_bytes() == (ORIGINAL / name).read_bytes()
    used = {match.group(1) for match in re.finditer(r"<!-- (\w+)", talk)}
    assert used >= {
        "end_slide",
        "speaker_note",
        "column_layout",
        "column",
        "reset_layout",
        "alignment",
        "jump_to_middle",
        "pause",
        "incremental_lists",
    }


def test_the_example_talk_loads_with_no_problem_and_picks_its_slides(capsys: object) -> None:
    assert main(["check", str(TALK)]) == 0
    deck = load_deck(TALK, Options(talk=True))
    assert deck.diagnostics == []
    assert len(deck.slides) == 5  # slides = "1-4,6" in its istio-deck.toml
    assert deck.slides[-1].title == "如何参加 Istio 的 4 岁生日庆典"
    assert all(slide.notes for slide in deck.slides[1:])
    [page] = list(all_pages(deck, Size(120, 30)))[-1:]
    lines = [line.plain for line in page.lines]
    # Text beside the picture: the picture's slot on the right, the text on its rows.
    [slot] = page.images
    assert slot.image.src == "./2.png" and slot.col > 60
    beside = [lines[row] for row in range(slot.row, slot.row + slot.height)]
    assert sum(bool(cells_between(line, 0, slot.col).strip()) for line in beside) >= 5
    assert all(
        cell_len(cells_between(line, 0, slot.col).rstrip()) < slot.col - 1 for line in beside
    )


def test_the_column_slide_exports_as_png(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["export", str(TALK), "--format", "png", "--size", "120x30", "--slides", "6"]
    assert main([*args, "-o", str(out)]) == 0
    [png] = sorted(out.glob("*.png"))
    with Image.open(png) as image:
        assert image.size == (1200, 675)
        picture = image.convert("RGB").crop((700, 150, 1100, 400))
        # The photo is drawn in the right column: many colours, not the flat background.
        assert len(set(picture.getdata())) > 500


@pytest.mark.parametrize("pictures", ["pixels", "cells"])
def test_a_picture_beside_chinese_text_covers_its_whole_frame(
    pictures: str, tmp_path: Path
) -> None:
    """The export puts a picture into its box by cells: Chinese text left of it (two cells
    a character) does not shift it, so no piece of the frame or its label shows."""
    out = tmp_path / "out"
    args = ["export", str(TALK), "--format", "svg", "--size", "120x30", "--slides", "6"]
    assert main([*args, "--pictures", pictures, "-o", str(out)]) == 0
    [svg] = sorted(out.glob("*.svg"))
    text = svg.read_text(encoding="utf-8")
    assert "贡献是一个开源项目" in text and "Istio Community Meetup!" in text
    assert "2.png" not in text and "┌" not in text and "│" not in text


def test_the_speakers_preview_shows_the_columns_as_the_projector_does(tmp_path: Path) -> None:
    """A preview box is narrower than 80 cells, but it shows the audience's page: the
    picture stays beside the text, in the box."""
    from tui_deck.layout.miniature import miniature

    deck = _deck(tmp_path)
    page = miniature(deck, 1, 57, 14)
    [slot] = page.images
    lines = [line.plain for line in page.lines]
    first = next(line for line in lines if LEFT[:4] in line)
    assert slot.col > cell_len(first[: first.index(LEFT[:4])]) + 12
    assert slot.row + slot.height <= 14
    assert any("右栏" in line and LEFT[:2] in line for line in lines)


def test_an_alignment_before_the_columns_holds_inside_each_column(tmp_path: Path) -> None:
    post = (
        "---\ntitle: T\n---\n\n## A\n\n<!-- alignment: center -->\n\n"
        "<!-- column_layout: [1, 1] -->\n\n<!-- column: 0 -->\n\n左栏\n\n<!-- column: 1 -->\n\n"
        "右栏\n\n<!-- reset_layout -->\n\n中间\n"
    )
    deck = _deck(tmp_path, post)
    [page] = _pages(deck, 120, 30)
    lines = [line.plain for line in page.lines]
    margin = margin_for(120)
    widths = column_widths((1, 1), 120 - 2 * margin)
    row = next(line for line in lines if "左栏" in line)
    assert _offset(row, "左栏") == margin + (widths[0] - 4) // 2
    assert _offset(row, "右栏") == margin + widths[0] + GAP + (widths[1] - 4) // 2
    below = next(line for line in lines if "中间" in line)
    assert _offset(below, "中间") == margin + (120 - 2 * margin - 4) // 2
