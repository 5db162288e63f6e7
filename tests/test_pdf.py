"""The PDF handout (export --format pdf), read back with poppler's tools as a reader would."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from rich.cells import cell_len

from tests.conftest import SLIDES
from tui_deck.cli import main
from tui_deck.deck import load_deck
from tui_deck.export import raster
from tui_deck.export.svg import CELL_HEIGHT, CELL_WIDTH
from tui_deck.export.text import export
from tui_deck.layout.page import Size


def _pdf(tmp_path: Path, *args: str, deck: Path = SLIDES) -> Path:
    assert main(["export", str(deck), "--format", "pdf", *args, "-o", str(tmp_path)]) == 0
    return tmp_path / "deck.pdf"


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _page_text(pdf: Path, page: int) -> str:
    return _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")


def _info(pdf: Path) -> dict[str, str]:
    lines = _run("pdfinfo", "-enc", "UTF-8", str(pdf)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def test_one_pdf_page_per_slide_page_with_every_title_in_order(tmp_path: Path) -> None:
    """At 60x20 some slides take several pages: the PDF has exactly the text export's
    pages, in the same order, each headed by its slide's title."""
    pdf = _pdf(tmp_path / "pdf", "--size", "60x20")
    entries = export(load_deck(SLIDES), tmp_path / "text", Size(60, 20))
    assert len(entries) > len({entry.slide for entry in entries})  # continuation pages
    assert int(_info(pdf)["Pages"]) == len(entries)
    for number, entry in enumerate(entries, start=1):  # the title is each page's top line
        top = next(line for line in _page_text(pdf, number).splitlines() if line.strip())
        assert top.startswith(entry.title), (number, entry.title, top)
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == ["deck.pdf", "index.json"]
    index = json.loads((tmp_path / "pdf" / "index.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["title"]) for e in index] == [("deck.pdf", e.title) for e in entries]


def test_chinese_is_text_in_an_embedded_cjk_font(tmp_path: Path) -> None:
    """Chinese comes out of the PDF as written (no space between characters, so a reader
    finds "开源世界"), in a CJK font embedded in the file."""
    pdf = _pdf(tmp_path, "--slides", "2")
    text = _page_text(pdf, 1)
    assert "四年前的今天，Istio 项目诞生于开源世界。" in text
    assert "庆祝 Istio 的 4 岁生日" in text
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


def test_every_chinese_character_is_drawn(tmp_path: Path, write_post: Callable[..., Path]) -> None:
    """Every Chinese character cell of the page has ink when poppler draws the PDF:
    including 如, whose glyph cairo's font subsetter leaves blank."""
    post = write_post(
        '---\ntitle: "如何开始"\n---\n\n## 例如如何使用\n\n'
        "如果您想了解如何开始，例如安装和升级，请阅读。\n"
    )
    # 60x20 cells drawn at one point a pixel fill the page exactly: a cell is W x H pixels.
    w, h = CELL_WIDTH, CELL_HEIGHT
    size = f"{60 * w}x{20 * h}"
    pdf = _pdf(tmp_path, "--size", "60x20", "--png-size", size, "--slides", "2", deck=post)
    export(load_deck(post.parent), tmp_path / "t", Size(60, 20), slides=[1])
    rows = (tmp_path / "t" / "001.txt").read_text(encoding="utf-8").splitlines()
    _run("pdftoppm", "-r", "72", "-png", "-singlefile", str(pdf), str(tmp_path / "page"))
    image = Image.open(tmp_path / "page.png").convert("L")
    assert image.size == (60 * w, 20 * h)
    checked = 0
    for row, line in enumerate(rows):
        column = 0
        for char in line:
            if "\u4e00" <= char <= "\u9fff":
                box = image.crop((column * w, row * h, column * w + 2 * w, row * h + h))
                inked = sum(1 for value in box.getdata() if value > 90)
                assert inked > 15, (char, row, column, inked)
                checked += 1
            column += cell_len(char)
    assert checked > 30 and "如" in "".join(rows)


@pytest.mark.parametrize("size", ["1200x675", "1080x1080"])
def test_page_size_in_points_is_the_png_size(tmp_path: Path, size: str) -> None:
    pdf = _pdf(tmp_path, "--slides", "1", "--png-size", size)
    width, height = size.split("x")
    assert _info(pdf)["Page size"].startswith(f"{width} x {height} pts")


def test_title_and_author_are_the_posts(tmp_path: Path) -> None:
    info = _info(_pdf(tmp_path, "--slides", "1"))
    assert info["Title"] == "生日快乐，Istio！"
    assert info["Author"] == "Maria Cruz (Google), Aizhamal Nurmamat kyzy (Google)"


def _annotations(pdf: Path, height: float) -> list[tuple[tuple[float, ...], str]]:
    """(x0, y0, x1, y1 from the top left, target) of every link annotation."""
    raw = pdf.read_bytes().decode("latin-1")
    out = []
    for found in re.finditer(r"/Subtype /Link(.*?)endobj", raw, re.S):
        body = found.group(1)
        x0, y0, x1, y1 = (float(n) for n in re.search(r"/Rect \[([^\]]*)\]", body).group(1).split())  # type: ignore[union-attr]
        target = re.search(r"/URI \((.*?)\)|/Dest \((.*?)\)", body)
        assert target is not None, body
        out.append(((x0, height - y1, x1, height - y0), target.group(1) or target.group(2)))
    return out


def test_a_link_is_a_clickable_uri_over_its_words(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, "--slides", "3")
    boxes = _annotations(pdf, 675)
    urls = [url for _, url in boxes]
    assert "https://dzone.com/articles/defining-day-2-operations" in urls
    assert "https://istio.io/zh/blog/2021/statefulsets-made-easier/" in urls
    words = _run("pdftotext", "-bbox", str(pdf), "-")
    word = re.search(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">StatefulSet<', words
    )
    assert word is not None
    x = (float(word.group(1)) + float(word.group(3))) / 2
    y = (float(word.group(2)) + float(word.group(4))) / 2
    under = [url for (x0, y0, x1, y1), url in boxes if x0 <= x <= x1 and y0 <= y <= y1]
    assert under == ["https://istio.io/zh/blog/2021/statefulsets-made-easier/"]


def test_a_url_with_parentheses_and_chinese_is_a_valid_uri(
    tmp_path: Path, write_post: Callable[..., Path]
) -> None:
    """A PDF string ends at an unbalanced parenthesis and a URI is ASCII: both are
    percent-encoded, and the file stays readable."""
    post = write_post(
        '---\ntitle: "Links"\n---\n\n## One\n\n'
        "Read [this](https://example.com/a_(b)#如何) and [that](<https://example.com/c)d>).\n"
    )
    pdf = _pdf(tmp_path, deck=post)
    assert int(_info(pdf)["Pages"]) == 2
    assert sorted(url for _, url in _annotations(pdf, 675)) == [
        "https://example.com/a_%28b%29#%E5%A6%82%E4%BD%95",
        "https://example.com/c%29d",
    ]


def test_a_link_to_a_slide_leads_to_its_page_and_slides_are_bookmarks(
    tmp_path: Path, write_post: Callable[..., Path]
) -> None:
    post = write_post(
        '---\ntitle: "Links"\n---\n\n## First {#first}\n\nSee [the second part](#second).\n\n'
        "## Second {#second}\n\nThe end.\n"
    )
    pdf = _pdf(tmp_path, deck=post)
    raw = pdf.read_bytes().decode("latin-1")
    assert [url for _, url in _annotations(pdf, 675)] == ["slide-second"]
    # The named destination is on page 3 (title, First, Second) ...
    names = re.search(r"/Names \[\s*(.*?)\]\s*>>", raw, re.S)
    assert names is not None and "(slide-second)" in names.group(1)
    pages = re.findall(r"(\d+) 0 obj\s*<< /Type /Page\b", raw)
    dest = re.search(r"\(slide-second\) \[(\d+) 0 R", raw)
    assert dest is not None and pages.index(dest.group(1)) == 2
    # ... and every slide is a bookmark with its title.
    for title in ("Links", "First", "Second"):
        assert f"/Title ({title})" in raw


def test_page_4_looks_like_the_png_export(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "pdf")
    assert (
        main(
            ["export", str(SLIDES), "--format", "png", "--slides", "4", "-o", str(tmp_path / "png")]
        )
        == 0
    )
    _run(
        "pdftoppm",
        "-f",
        "4",
        "-l",
        "4",
        "-r",
        "72",
        "-png",
        "-singlefile",
        str(pdf),
        str(tmp_path / "page"),
    )
    from_pdf = Image.open(tmp_path / "page.png").convert("RGB")
    from_png = Image.open(tmp_path / "png" / "001.png").convert("RGB")
    assert from_pdf.size == from_png.size == (1200, 675)
    for a, b in zip(ImageStat.Stat(from_pdf).mean, ImageStat.Stat(from_png).mean, strict=True):
        assert abs(a - b) < 4, (a, b)
    # The picture sits where it does in the PNG: its half of the page is as bright.
    lower = (0, 270, 1200, 610)
    pdf_mean = ImageStat.Stat(from_pdf.crop(lower).convert("L")).mean[0]
    png_mean = ImageStat.Stat(from_png.crop(lower).convert("L")).mean[0]
    assert pdf_mean > 60 and abs(pdf_mean - png_mean) < 5


def test_no_cjk_font_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(raster, "cjk_font_available", lambda: False)
    assert main(["export", str(SLIDES), "--format", "pdf", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "apt-get install fonts-noto-cjk" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "deck.pdf").exists()


@pytest.mark.parametrize("where", ["file", "pdf-is-a-folder"])
def test_a_path_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    out = tmp_path / "out"
    if where == "file":
        out.write_text("not a folder")
    else:
        (out / "deck.pdf").mkdir(parents=True)
    assert main(["export", str(SLIDES), "--format", "pdf", "--slides", "1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_another_export_removes_the_pdf(tmp_path: Path) -> None:
    _pdf(tmp_path, "--slides", "1")
    assert main(["export", str(SLIDES), "--slides", "1", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["001.txt", "index.json"]


def test_a_character_the_cjk_font_lacks_is_drawn_not_a_box() -> None:
    """The code fold mark ↩ is not in Noto Sans Mono CJK: the PDF draws it in a font that
    has it, within its cell, where plain text would show a missing-glyph box."""
    from cairosvg.surface import cairo

    from tui_deck.export.pdf import GhostText

    def draw(ghost: bool) -> Image.Image:
        surface = cairo.ImageSurface(cairo.FORMAT_RGB24, 40, 30)
        context = cairo.Context(surface)
        context.set_source_rgb(1, 1, 1)
        context.select_font_face("Noto Sans Mono CJK SC", 0, 0)
        context.set_font_size(20)
        context.move_to(10, 22)
        (GhostText(context, 10) if ghost else context).show_text("↩")
        surface.flush()
        data = bytes(surface.get_data())
        return Image.frombuffer("RGBA", (40, 30), data, "raw", "BGRA", 0, 1).convert("L")

    box, drawn = draw(False), draw(True)
    assert list(box.getdata()) != list(drawn.getdata())
    ink = drawn.point(lambda v: 255 if v > 90 else 0).getbbox()
    assert ink is not None and ink[0] >= 9 and ink[2] <= 21  # in its cell (x 10 to 20)


def test_text_inside_a_pictures_svg_keeps_its_size(tmp_path: Path) -> None:
    """Glyphs are sized to fill the page's cells, never the text of an SVG picture drawn
    inside the page (its labels keep the size the diagram gives them)."""
    import base64

    from tui_deck.export.pdf import PdfPage, pdf_document
    from tui_deck.export.svg import page_svg
    from tui_deck.export.text import all_pages
    from tui_deck.layout.theme import DEFAULT_THEME

    deck = load_deck(SLIDES)
    page = next(all_pages(deck, Size(100, 30), [0]))
    diagram = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="50">'
        '<text x="0" y="20" font-size="10" font-family="DejaVu Sans Mono">Diagram</text></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(diagram.encode()).decode()
    picture = f'<image x="100" y="100" width="300" height="50" href="{uri}"/>\n</svg>'
    svg = page_svg(page, DEFAULT_THEME, 100).replace("</svg>", picture)
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(pdf_document(deck, [PdfPage(svg, page, 100)], Size(1000, 600), "#000000"))
    words = _run("pdftotext", "-bbox", str(pdf), "-")
    found = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Diagram<', words)
    assert found is not None
    assert float(found.group(2)) - float(found.group(1)) < 14  # a 10 pt font, not 16.6
