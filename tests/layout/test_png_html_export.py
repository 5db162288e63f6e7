"""PNG for social posts and the one-file HTML deck."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import SLIDES
from tui_deck.cli import main
from tui_deck.export import raster
from tui_deck.export.svg import CELL_HEIGHT, CELL_WIDTH


@pytest.mark.parametrize("size", ["1200x675", "1080x1080", "1600x900"])
def test_png_has_exactly_the_requested_size(size: str, tmp_path: Path) -> None:
    args = ["export", str(SLIDES), "--format", "png", "--slides", "4", "--png-size", size]
    assert main([*args, "-o", str(tmp_path)]) == 0
    width, height = (int(n) for n in size.split("x"))
    with Image.open(tmp_path / "001.png") as image:
        assert image.size == (width, height)
        # Letterboxed on the theme background where the aspect differs.
        assert image.convert("RGB").getpixel((0, 0)) == (0x15, 0x18, 0x1E)


def test_png_of_a_chinese_slide_is_the_same_every_time(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert (
            main(
                [
                    "export",
                    str(SLIDES),
                    "--format",
                    "png",
                    "--slides",
                    "3",
                    "-o",
                    str(tmp_path / name),
                ]
            )
            == 0
        )
    assert (tmp_path / "a" / "001.png").read_bytes() == (tmp_path / "b" / "001.png").read_bytes()


def test_chinese_glyphs_are_drawn_not_boxes(tmp_path: Path) -> None:
    """A font with the title's glyphs exists, and every cell of the title carries ink."""
    title = "如何参加 Istio 的 4 岁生日庆典"
    for char in set(title.replace(" ", "")):
        found = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True
        ).stdout
        assert found.strip(), f"no installed font has {char!r}"
    assert (
        main(
            [
                "export",
                str(SLIDES),
                "--format",
                "png",
                "--slides",
                "4",
                "--png-size",
                f"{100 * CELL_WIDTH}x{30 * CELL_HEIGHT}",
                "-o",
                str(tmp_path),
            ]
        )
        == 0
    )
    image = Image.open(tmp_path / "001.png").convert("L")
    # 100x30 cells fill the PNG exactly: the title is on row 1, centred.
    row = image.crop((0, CELL_HEIGHT, 100 * CELL_WIDTH, 2 * CELL_HEIGHT))
    start = (100 - 30) // 2  # the title is 30 cells wide
    inked = []
    for cell in range(len(_cells(title))):
        left = (start + cell) * CELL_WIDTH
        box = row.crop((left, 0, left + CELL_WIDTH, CELL_HEIGHT))
        inked.append(sum(1 for p in box.getdata() if p > 90))
    for cell, char in enumerate(_cells(title)):
        if char.strip():
            assert inked[cell] > 4, (char, inked)


def _cells(text: str) -> list[str]:
    from rich.cells import cell_len

    out = []
    for char in text:
        out.extend([char] * cell_len(char))
    return out


def test_png_without_a_cjk_font_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(raster, "cjk_font_available", lambda: False)
    assert main(["export", str(SLIDES), "--format", "png", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "apt-get install fonts-noto-cjk" in err and len(err.strip().splitlines()) == 1


def test_html_is_one_file_with_every_page_and_arrow_keys(tmp_path: Path) -> None:
    assert main(["export", str(SLIDES), "--format", "html", "-o", str(tmp_path)]) == 0
    html = (tmp_path / "deck.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4 and html.count('class="page"') == 4
    assert "ArrowRight" in html and "ArrowLeft" in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
