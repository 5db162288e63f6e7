"""Pictures with transparency (diagrams drawn for istio.io's white page) on a light backing.

On the dark theme a transparent diagram's black labels and arrows vanished into the
background; ``--picture-backing auto`` (the default) lays such pictures on white there, as
istio.io shows them, and on the theme's own background on a light theme.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tui_deck.cli import main
from tui_deck.images import DARK_BACKING, LIGHT_BACKING, backing_color
from tui_deck.layout.theme import THEMES


@pytest.mark.parametrize(
    ("theme", "backing", "expected"),
    [
        ("dark", "auto", LIGHT_BACKING),
        ("light", "auto", THEMES["light"].background),
        ("dark", "none", THEMES["dark"].background),
        ("light", "dark", DARK_BACKING),
        ("dark", "light", LIGHT_BACKING),
    ],
)
def test_the_backing_follows_the_theme_and_the_option(
    theme: str, backing: str, expected: str
) -> None:
    assert backing_color(THEMES[theme].background, backing) == expected


def _fills(svg: str) -> set[str]:
    """The colours of the cells drawn at a place (half-block pictures, code) and of the
    pictures embedded from their pixels, not the page's background."""
    fills = set(
        re.findall(r'<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="([^"]+)"', svg)
    )
    for data in re.findall(r'href="data:image/\w+;base64,([^"]+)"', svg):
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            colours = image.convert("RGB").getcolors(1 << 20) or []
            fills.update("#{:02x}{:02x}{:02x}".format(*rgb) for _, rgb in colours)
    return fills


@pytest.mark.parametrize("pictures", ["pixels", "cells"])
@pytest.mark.parametrize(("backing", "white"), [("auto", True), ("none", False)])
def test_a_transparent_diagram_is_exported_on_white_on_the_dark_theme(
    backing: str, white: bool, pictures: str, write_post: Callable[..., Path], tmp_path: Path
) -> None:
    post = write_post("---\ntitle: D\n---\n## Diagram\n\n![arch](./arch.png)\n")
    diagram = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # transparent, with black lines
    for x in range(0, 200, 20):
        for y in range(100):
            diagram.putpixel((x, y), (0, 0, 0, 255))
    diagram.save(post.parent / "arch.png")
    out = tmp_path / "out"
    args = ["export", str(post.parent), "--format", "svg", "--size", "80x24"]
    args += ["--pictures", pictures, "--picture-backing", backing, "--slides", "2"]
    assert main([*args, "-o", str(out)]) == 0
    fills = _fills((out / "001.svg").read_text(encoding="utf-8"))
    assert ("#ffffff" in fills) is white
    assert (THEMES["dark"].background in fills) is not white
