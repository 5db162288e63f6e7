"""presenterm's comment commands in a Hugo post (``<!-- end_slide -->``, ``<!-- alignment:
center -->``…): what the audience sees at 80x24 and what ``check`` says.

Golden fixtures: ``fixtures/commands/NAME.md`` is a small post using one command (and its
wrong forms); ``NAME.txt`` is what ``check`` reports, the outline and every page of the text
export at 80x24. Run with ``UPDATE_GOLDEN=1`` to rewrite them, then read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui_deck import model as m
from tui_deck.cli import main
from tui_deck.deck import Deck, Options, load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Page, Size

FIXTURES = Path(__file__).parent / "fixtures" / "commands"
POSTS = sorted(FIXTURES.glob("*.md"))
SIZE = Size(80, 24)


def load(path: Path) -> Deck:
    return load_deck(path, Options(talk=True))


def pages(deck: Deck) -> list[Page]:
    return list(all_pages(deck, SIZE))


def page_lines(page: Page) -> list[str]:
    return [line.rstrip() for line in page.text().split("\n")]


def render(path: Path) -> str:
    deck = load(path)
    out = ["# check"]
    out += [f"{d.line}: {d.severity}: {d.message}" for d in deck.diagnostics]
    out.append("# outline")
    out += [f"{s.index} {s.title} #{s.id}" for s in deck.slides]
    for page in pages(deck):
        out.append(f"# slide {page.slide + 1}, page {page.page}/{page.pages}")
        out += page_lines(page)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("post", POSTS, ids=[p.stem for p in POSTS])
def test_command_golden(post: Path) -> None:
    expected = post.with_suffix(".txt")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(render(post), encoding="utf-8")
    assert render(post) == expected.read_text(encoding="utf-8")


def body_text(deck: Deck) -> str:
    return "\n".join("\n".join(page_lines(p)) for p in pages(deck))


def warnings(deck: Deck) -> list[tuple[int, str]]:
    return [(d.line, d.key) for d in deck.diagnostics]


def write(tmp_path: Path, text: str, name: str = "index.md") -> Path:
    folder = tmp_path / "post"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- commands in effect


def test_end_slide_breaks_a_section_in_two_under_its_title_continued() -> None:
    deck = load(FIXTURES / "end_slide.md")
    titles = [s.title for s in deck.slides]
    assert titles == ["服务网格入门", "为什么需要服务网格", "为什么需要服务网格（续）", "控制平面"]
    assert len({s.id for s in deck.slides}) == len(deck.slides)
    text = body_text(deck)
    first, second = deck.slides[1], deck.slides[2]
    assert "代理" not in " ".join(m.block_text(b) for b in first.blocks)
    assert "代理" in " ".join(m.block_text(b) for b in second.blocks)
    # The wrong form is reported at its line, and the text after it still shows.
    assert (19, "diag_command_no_argument") in warnings(deck)
    assert "这一段仍然显示。" in text
    assert "end_slide" not in text and "<!--" not in text


def test_end_slide_in_english_says_cont(tmp_path: Path) -> None:
    post = "---\ntitle: T\n---\n\n## Routing\n\nOne.\n\n<!-- end_slide -->\n\nTwo.\n"
    deck = load(write(tmp_path, post))
    assert [s.title for s in deck.slides][1:] == ["Routing", "Routing (cont.)"]


def test_outline_json_lists_the_new_slides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", "--json", str(FIXTURES / "end_slide.md")]) == 0
    slides = json.loads(capsys.readouterr().out)["slides"]
    assert [s["title"] for s in slides][2:] == ["为什么需要服务网格（续）", "控制平面"]
    assert [s["line"] for s in slides][2:] == [11, 15]


def test_skip_slide_leaves_the_slide_out_of_outline_and_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = FIXTURES / "skip_slide.md"
    assert main(["outline", str(path)]) == 0
    outline = capsys.readouterr().out
    assert "Backup slide" not in outline and "Also kept" in outline
    assert main(["export", str(path), "-o", str(tmp_path / "out")]) == 0
    exported = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.txt"))
    assert "Only for questions" not in exported and "Shown too." in exported


def test_no_footer_takes_the_footer_and_progress_bar_off_that_slide_only() -> None:
    deck = load(FIXTURES / "no_footer.md")
    quote, other = pages(deck)[1], pages(deck)[2]
    assert quote.footer_rows == 0 and not any("━" in line for line in page_lines(quote))
    assert not any("2 / 3" in line for line in page_lines(quote))
    assert any("3 / 3" in line for line in page_lines(other))
    assert any("━" in line for line in page_lines(other))


def test_alignment_centres_and_right_aligns_by_cells() -> None:
    deck = load(FIXTURES / "alignment.md")
    centre, right = pages(deck)[1], pages(deck)[2]
    lines = page_lines(centre)
    chinese = next(line for line in lines if "服务网格" in line)
    # 14 characters, 28 cells, centred in the 72 cells between the 4-cell margins.
    assert chinese == " " * (4 + (72 - 28) // 2) + "服务网格让流量管理变得简单。"
    english = next(line for line in lines if "Centred" in line)
    assert len(english) - len(english.lstrip()) == 4 + (72 - len("Centred English line.")) // 2
    right_lines = page_lines(right)
    row = next(line for line in right_lines if "右对齐的" in line)
    assert row.endswith("右对齐的一行文字")
    assert len(row) - len(row.lstrip()) == 4 + 72 - 16  # ends at the right margin, by cells
    stays = next(line for line in right_lines if "stays" in line or "line" in line)
    assert len(stays.rstrip()) == 76
    assert (19, "diag_command_align") in warnings(deck)


def test_new_lines_add_blank_rows() -> None:
    deck = load(FIXTURES / "new_lines.md")
    lines = page_lines(pages(deck)[1])
    first = lines.index("    First line.")
    three = next(n for n, line in enumerate(lines) if "three" in line)
    one = next(n for n, line in enumerate(lines) if "one more" in line)
    wrong = next(n for n, line in enumerate(lines) if "wrong count" in line)
    assert three - first == 1 + 1 + 3  # the usual blank row, then three more
    assert one - three == 1 + 1 + 1
    assert wrong - one == 2  # the wrong one adds nothing
    assert (17, "diag_command_int") in warnings(deck)


def test_jump_to_middle_puts_what_follows_in_the_middle_of_the_page() -> None:
    deck = load(FIXTURES / "jump_to_middle.md")
    lines = page_lines(pages(deck)[1])
    top = next(n for n, line in enumerate(lines) if "流量管理" in line)
    bottom = next(n for n, line in enumerate(lines) if "路由" in line)
    body = SIZE.height - 2  # above the footer's two rows
    assert abs((top + bottom) / 2 - body / 2) <= 1
    assert top > 5


def test_speaker_note_is_a_note_of_the_slide_and_never_shown() -> None:
    deck = load(FIXTURES / "speaker_note.md")
    slide = deck.slides[1]
    assert slide.notes == "Open the terminal before this slide."
    assert "Open the terminal" not in body_text(deck)
    assert (11, "diag_command_needs_argument") in warnings(deck)
    # presenterm's note over several lines.
    assert deck.slides[2].notes == "First line of the note.\nSecond line."
    assert "Second line" not in body_text(deck)


def test_speaker_note_shows_in_the_presenter_view() -> None:
    from tui_deck.layout.presenter import layout_presenter

    deck = load(FIXTURES / "speaker_note.md")
    page = layout_presenter(deck, 1, 1, 1, 120, 30)
    assert "Open the terminal before this slide." in page.text()


# --------------------------------------------------------------------------- read, effect later


def test_pause_is_kept_on_the_model_and_shows_nothing() -> None:
    deck = load(FIXTURES / "pause.md")
    slide = deck.slides[1]
    assert [b.name for b in slide.blocks if isinstance(b, m.Command)] == ["pause"]
    text = body_text(deck)
    assert text.index("First, the sidecar.") < text.index("Then the control plane.")
    assert "pause" not in text
    # Inside a list item it is reported, and the list still shows whole.
    assert warnings(deck) == [(14, "diag_command_nested")]
    assert "• one" in text and "• two" in text


def test_incremental_lists_from_front_matter_and_commands() -> None:
    deck = load(FIXTURES / "incremental_lists.md")
    assert deck.posts[0].incremental_lists is True
    values = [b.value for b in deck.slides[1].blocks if isinstance(b, m.Command)]
    assert values == [False]
    assert warnings(deck) == [(13, "diag_command_bool")]
    assert "• timeouts" in body_text(deck)


def test_columns_are_checked_against_their_layout() -> None:
    deck = load(FIXTURES / "columns.md")
    # The commands became the structure they describe: two columns, then the text after.
    columns, below = deck.slides[1].blocks
    assert isinstance(columns, m.Columns) and columns.widths == (1, 2)
    assert [[m.block_text(b) for b in column] for column in columns.columns] == [
        ["Left text."],
        ["Right text."],
    ]
    assert m.block_text(below) == "Below the columns."
    assert warnings(deck) == [
        (17, "diag_command_column_out"),
        (21, "diag_command_widths"),
        (23, "diag_command_no_layout"),
    ]
    text = body_text(deck)
    assert text.index("Left text.") < text.index("Right text.") < text.index("Below the columns.")


def test_exec_marks_the_code_block_which_still_highlights_as_its_language() -> None:
    deck = load(FIXTURES / "exec.md")
    codes = [b for b in deck.slides[1].blocks if isinstance(b, m.CodeBlock)]
    assert [(c.lang, c.exec, c.code) for c in codes] == [
        ("bash", True, "kubectl get pods"),
        ("bash", True, "echo hello"),
    ]
    assert warnings(deck) == [(17, "diag_command_exec_alone")]
    assert "+exec" not in body_text(deck)


def test_unknown_commands_are_warned_ordinary_comments_are_silent() -> None:
    deck = load(FIXTURES / "unknown.md")
    assert warnings(deck) == [(16, "diag_command_unknown_near"), (18, "diag_command_unknown_near")]
    text = body_text(deck)
    assert "Text stays." in text
    assert "TODO" not in text and "more" not in text and "over lines" not in text
    assert "<!-- pause -->" in text  # inside a code fence it is code
    assert deck.slides[1].notes == "a note, as before"


def test_commands_alone_before_the_first_heading_make_no_empty_slide(tmp_path: Path) -> None:
    post = (
        "---\ntitle: T\n---\n\n<!-- alignment: center -->\n<!-- new_lines: 2 -->\n\n## A\n\nText.\n"
    )
    deck = load(write(tmp_path, post))
    assert [s.kind for s in deck.slides] == ["title", "content"]
    assert warnings(deck) == []


def test_a_wrong_command_in_a_quote_or_shortcode_leaves_the_text_shown(tmp_path: Path) -> None:
    post = (
        "---\ntitle: T\n---\n\n## A\n\n> <!-- pause -->\n> quoted\n\n"
        "{{< tip >}}\n<!-- column_layout: [1, 2] -->\ntip text\n{{< /tip >}}\n"
    )
    deck = load(write(tmp_path, post))
    assert warnings(deck) == [(7, "diag_command_nested"), (11, "diag_command_nested")]
    text = body_text(deck)
    assert "quoted" in text and "tip text" in text and "<!--" not in text
