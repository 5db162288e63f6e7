"""Image sizes come from the file header, without Pillow, and agree with Pillow."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PIL import Image

from tui_deck.images import image_size

CASES = [
    ("png", "RGB", {}),
    ("png", "RGBA", {}),
    ("png", "P", {}),
    ("gif", "P", {}),
    ("jpg", "RGB", {}),
    ("jpg", "RGB", {"progressive": True}),
    ("jpg", "L", {}),
    ("jpg", "RGB", {"exif": b"Exif\x00\x00" + b"\x00" * 5000}),
    ("webp", "RGB", {"lossless": False}),
    ("webp", "RGB", {"lossless": True}),
    ("webp", "RGBA", {"lossless": False}),
    ("bmp", "RGB", {}),
    ("tiff", "RGB", {}),  # not read from the header: Pillow answers
]


@pytest.mark.parametrize("suffix,mode,save", CASES, ids=lambda c: str(c)[:20])
@pytest.mark.parametrize("size", [(1, 1), (37, 1013), (1600, 900), (4097, 3)])
def test_header_size_agrees_with_pillow(tmp_path, suffix, mode, save, size):
    path = tmp_path / f"picture.{suffix}"
    Image.new(mode, size).save(path, **save)
    with Image.open(path) as image:
        expected = image.size
    assert image_size(path) == expected == size


def test_a_file_named_png_that_is_not_an_image_has_no_size(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage")
    assert image_size(path) is None
    path.write_bytes(b"<html>not found</html>")
    assert image_size(path) is None


def test_a_truncated_jpeg_has_no_size(tmp_path):
    path = tmp_path / "cut.jpg"
    Image.new("RGB", (300, 200)).save(path, exif=b"Exif\x00\x00" + b"\x00" * 5000)
    path.write_bytes(path.read_bytes()[:400])  # cut inside the EXIF segment
    assert image_size(path) is None


def test_loading_a_deck_with_pictures_does_not_import_pillow(tmp_path):
    """Pillow's import is a fifth of a second of start-up: the deck must not need it."""
    Image.new("RGB", (64, 32)).save(tmp_path / "a.png")
    Image.new("RGB", (64, 32)).save(tmp_path / "b.jpg")
    (tmp_path / "index.md").write_text(
        '---\ntitle: T\n---\n## One\n\n{{< image link="./a.png" >}}\n\n![b](./b.jpg)\n'
    )
    code = (
        "import sys; from pathlib import Path; from tui_deck.deck import load_deck;"
        f"d = load_deck(Path({str(tmp_path)!r}));"
        "print(len(d.diagnostics), 'PIL' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"], out.stdout
