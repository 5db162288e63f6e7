"""Picture files as people's folders hold them: phone photos stored sideways, 16-bit grey
PNGs, files that are not pictures, pictures too large to decode. Each is shown as a browser
shows it, or framed with a reason the presenter can act on; an export never stops for one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tui_deck.cli import main
from tui_deck.images import ImageProblem, decode, image_size


def _sideways_photo(path: Path) -> None:
    """A 400x200 picture, red on its left half, stored with EXIF orientation 6: a viewer
    turns it a quarter clockwise, so it shows 200x400 with red on its top half."""
    image = Image.new("RGB", (400, 200), (20, 20, 200))
    image.paste((220, 30, 30), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, exif=exif.tobytes(), quality=95)


def test_a_phone_photo_is_shown_upright(tmp_path: Path) -> None:
    photo = tmp_path / "phone.jpg"
    _sideways_photo(photo)
    assert image_size(photo) == (200, 400)  # the layout's box is upright too
    image = decode(photo)
    assert image.size == (200, 400)
    red, _, blue = image.getpixel((100, 50))
    assert red > 150 and blue < 100, "the top half is the red one"
    red, _, blue = image.getpixel((100, 350))
    assert blue > 150 and red < 100


def test_a_16_bit_grey_png_keeps_its_grey(tmp_path: Path) -> None:
    path = tmp_path / "grey16.png"
    grey = Image.new("I;16", (8, 8))
    grey.putdata([32768] * 64)  # half of 65535
    grey.save(path)
    assert decode(path).getpixel((4, 4)) == (128, 128, 128)


def test_a_file_that_is_no_picture_says_so_without_its_path(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.png"
    path.write_bytes(b"this is not a PNG")
    with pytest.raises(ImageProblem) as caught:
        decode(path)
    for lang in ("en", "zh"):
        message = caught.value.problem.text(lang)
        assert str(tmp_path) not in message
        assert "PNG" in message and "JPEG" in message


def test_an_export_goes_on_past_a_decompression_bomb(
    tmp_path: Path,
    write_post: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 20000x20000 picture (400 MP, past Pillow's own limit) is framed as too large in
    every page; the export writes every page and says nothing of Pillow on the terminal."""
    post = write_post("---\ntitle: Bomb\n---\n\n## One\n\n![big](bomb.png)\n\n## Two\n\nText.\n")
    Image.new("1", (20000, 20000)).save(post.parent / "bomb.png")
    for fmt in ("text", "svg", "png"):
        out = tmp_path / fmt
        code = main(
            ["export", str(post.parent), "--format", fmt, "--size", "80x24", "-o", str(out)]
        )
        assert code == 0
        assert len(list(out.glob("00*"))) == 3  # the title slide and the two slides
        captured = capsys.readouterr()
        assert "Decompression" not in captured.err + captured.out
    svg = (tmp_path / "svg" / "002.svg").read_text(encoding="utf-8")
    assert "bomb.png: too large" in svg and "<image" not in svg


def test_check_warns_of_a_picture_too_tall_or_too_wide_to_read(
    write_post: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A long screenshot is a few cells wide on any screen, a banner a row or two high:
    `check` tells the author at the picture's line; an ordinary picture is not named."""
    post = write_post(
        "---\ntitle: Shapes\n---\n\n## Pictures\n\n![tall](tall.png)\n\n"
        "![banner](banner.png)\n\n![fine](fine.png)\n"
    )
    Image.new("RGB", (300, 3000)).save(post.parent / "tall.png")
    Image.new("RGB", (8000, 200)).save(post.parent / "banner.png")
    Image.new("RGB", (1200, 675)).save(post.parent / "fine.png")
    assert main(["check", str(post.parent)]) == 0  # warnings: the talk still works
    out = capsys.readouterr().out
    assert f"{post}:7: warning: image tall.png is 300x3000 pixels: too tall" in out
    assert f"{post}:9: warning: image banner.png is 8000x200 pixels: too wide" in out
    assert "fine.png" not in out
