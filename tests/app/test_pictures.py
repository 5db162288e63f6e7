"""Images on slides: every format, transparency, every failure, and never a wait."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PIL import Image
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot

from tests.app.test_app import run, screen_text
from tui_deck import images
from tui_deck.app import DeckApp
from tui_deck.images import ImageProblem, Problem, decode
from tui_deck.pictures import PictureKey, Pictures

BACKGROUND = "#15181e"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">'
    '<rect width="100" height="100" fill="#ff0000"/><rect x="100" width="100" height="100" '
    'fill="#0000ff"/></svg>'
)


def _make(path: Path, fmt: str) -> Path:
    if fmt == "svg":
        path.write_text(SVG)
        return path
    image = Image.new("RGB", (200, 100), (255, 0, 0))
    image.paste((0, 0, 255), (100, 0, 200, 100))
    image.save(path, fmt.upper() if fmt != "jpg" else "JPEG")
    return path


def _key(path: Path, width: int = 20, height: int = 5) -> PictureKey:
    return PictureKey(str(path), path.stat().st_mtime_ns, width, height, BACKGROUND)


@pytest.mark.parametrize("fmt", ["png", "jpg", "gif", "webp", "svg"])
def test_every_format_renders_red_left_blue_right(fmt: str, tmp_path: Path) -> None:
    path = _make(tmp_path / f"pic.{fmt}", fmt)
    rows = Pictures().produce(_key(path))
    assert isinstance(rows, list) and len(rows) == 5
    assert all(row.cell_len == 20 for row in rows)
    r1, _, b1 = _colour(rows[2], 2)
    r2, _, b2 = _colour(rows[2], 17)
    assert r1 > 200 > b1 and b2 > 200 > r2


def _colour(row: Text, x: int) -> tuple[int, int, int]:
    """The colour a cell shows: the upper half-block's, or the background of a space."""
    style = row.get_style_at_offset(Console(), x)
    colour = style.color if row.plain[x] == "▀" else style.bgcolor
    assert colour is not None
    return tuple(colour.get_truecolor())  # type: ignore[return-value]


def test_transparent_image_is_composed_on_the_theme_background(tmp_path: Path) -> None:
    path = tmp_path / "clear.png"
    Image.new("RGBA", (40, 20), (255, 255, 255, 0)).save(path)
    image = decode(path, BACKGROUND)
    assert image.mode == "RGB"
    assert image.getpixel((5, 5)) == (0x15, 0x18, 0x1E)


def test_aspect_ratio_is_kept_by_layout(tmp_path: Path) -> None:
    path = tmp_path / "tall.png"
    Image.new("RGB", (100, 400)).save(path)
    assert images.image_size(path) == (100, 400)


@pytest.mark.parametrize(
    ("content", "reason", "zh"),
    [
        (b"not an image at all", "not a picture file", "不是图片文件"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "cannot read", "无法读取："),
    ],
)
def test_corrupt_files_give_a_reason(content: bytes, reason: str, zh: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ImageProblem):
        decode(path)
    result = Pictures().produce(_key(path))
    assert isinstance(result, Problem) and result.text("en").startswith(reason)
    # The frame says it in the deck's language.
    assert result.text("zh").startswith(zh)


def test_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.png"
    Image.new("RGB", (1000, 1000)).save(path)
    monkeypatch.setattr(images, "MAX_PIXELS", 500_000)
    with pytest.raises(ImageProblem, match=r"too large: 1000x1000 pixels"):
        decode(path)


def test_big_image_is_scaled_down_for_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (6000, 4000), (10, 200, 10)).save(path, "JPEG")
    image = decode(path)
    assert max(image.size) <= images.MAX_SIDE


def _deck_with(tmp_path: Path, body: str) -> Path:
    (tmp_path / "index.md").write_text(f"---\ntitle: Pictures\n---\n\n{body}", encoding="utf-8")
    return tmp_path


def test_picture_appears_on_the_slide(tmp_path: Path) -> None:
    _make(tmp_path / "a.png", "png")
    folder = _deck_with(tmp_path, '## A\n\n{{< image link="./a.png" caption="Red and blue" >}}\n')

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if "┌" not in "".join(screen_text(app)):
                break
        text = "\n".join(screen_text(app))
        # The frame the layout drew is covered by the picture; the caption stays.
        assert "┌" not in text and "▣ a.png" not in text and "Red and blue" in text
        strips = app.screen._compositor.render_strips()
        colours = {
            seg.style.bgcolor.get_truecolor()
            for strip in strips
            for seg in strip
            if seg.style is not None and seg.style.bgcolor is not None
        }
        assert (255, 0, 0) in colours and (0, 0, 255) in colours

    run(scenario, path=folder, images="blocks")


def test_a_broken_picture_shows_a_framed_reason_and_the_deck_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"garbage")
    folder = _deck_with(
        tmp_path, '## A\n\n{{< image link="./bad.png" caption="Broken" >}}\n\n## B\n\nnext\n'
    )

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if "✗ bad.png" in "".join(screen_text(app)):
                break
        assert "✗ bad.png: not a picture file" in "\n".join(screen_text(app))
        await pilot.press("right")
        await pilot.pause()
        assert app.slide == 2

    run(scenario, path=folder, images="blocks")


def test_navigation_never_waits_for_a_slow_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make(tmp_path / "slow.png", "png")
    folder = _deck_with(
        tmp_path, '## A\n\n{{< image link="./slow.png" caption="Slow" >}}\n\n## B\n\nafter\n'
    )
    import tui_deck.pictures as pictures_module

    real = pictures_module.decode

    def slow(path: Path, background: str = "#000000") -> Image.Image:
        time.sleep(1.5)
        return real(path, background)

    monkeypatch.setattr(pictures_module, "decode", slow)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        started = time.perf_counter()
        await pilot.press("right")
        await pilot.pause()
        assert "Slow" in "\n".join(screen_text(app))  # the frame and caption, at once
        await pilot.press("right")
        await pilot.pause()
        assert app.slide == 2
        assert time.perf_counter() - started < 1.0
        await asyncio.sleep(0)

    run(scenario, path=folder, images="blocks")


def test_images_outside_the_deck_are_refused_unless_allowed(tmp_path: Path) -> None:
    from tui_deck.deck import Options, load_deck

    outside = tmp_path / "secret.png"
    _make(outside, "png")
    deck_dir = tmp_path / "deck"
    deck_dir.mkdir()
    (deck_dir / "link.png").symlink_to(outside)
    (deck_dir / "index.md").write_text(
        '## A\n\n{{< image link="../secret.png" >}}\n\n{{< image link="./link.png" >}}\n',
        encoding="utf-8",
    )
    deck = load_deck(deck_dir)
    assert [(d.line, d.message) for d in deck.errors] == [
        (
            3,
            "image ../secret.png is outside the deck folder; copy it into the deck "
            "or present with --allow-outside",
        ),
        (
            5,
            "image ./link.png is outside the deck folder; copy it into the deck "
            "or present with --allow-outside",
        ),
    ]
    assert not any(image.exists for image in deck.slides[1].images)
    allowed = load_deck(deck_dir, Options(allow_outside=True))
    assert allowed.errors == []
    assert all(image.exists for image in allowed.slides[1].images)


def test_check_reports_corrupt_and_oversized_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_deck.deck import load_deck

    (tmp_path / "bad.png").write_bytes(b"garbage")
    Image.new("RGB", (2000, 1500)).save(tmp_path / "big.png")
    monkeypatch.setattr(images, "MAX_PIXELS", 2_000_000)
    (tmp_path / "index.md").write_text(
        '## A\n\n{{< image link="bad.png" >}}\n\n{{< image link="big.png" >}}\n', encoding="utf-8"
    )
    messages = [d.message for d in load_deck(tmp_path).errors]
    assert messages == [
        "image bad.png cannot be read (corrupt or not an image); replace it",
        "image big.png is 2000x1500 pixels, over the 2 MP limit; make it smaller",
    ]


def test_a_40_megapixel_photo_decodes_small_without_blocking(tmp_path: Path) -> None:
    """A 40 MP JPEG: the deck moves on at once, and decoding stays far below its raw size."""
    import subprocess
    import sys

    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (8000, 5000), (30, 120, 200)).save(photo, "JPEG", quality=70)
    probe = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from tui_deck.images import decode, render_blocks\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "image = decode(Path(sys.argv[1]))\n"
        "render_blocks(image, 80, 22)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(image.size[0], image.size[1], (after - before) // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(photo)], capture_output=True, text=True, timeout=60
    )
    width, height, grown_mb = (int(x) for x in result.stdout.split())
    assert max(width, height) <= images.MAX_SIDE
    assert grown_mb < 60, f"decoding a 40 MP photo grew the process by {grown_mb} MB"

    folder = _deck_with(
        tmp_path, '## A\n\n{{< image link="./photo.jpg" caption="Big" >}}\n\n## B\n\nafter\n'
    )

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        started = time.perf_counter()
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.slide == 2
        assert time.perf_counter() - started < 1.0

    run(scenario, path=folder, images="blocks")


@pytest.mark.parametrize(
    ("mode", "environ", "tty", "method"),
    [
        ("auto", {"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, True, "kitty"),
        # WezTerm draws no unicode placeholders (textual-image's Kitty pictures): Sixel
        ("auto", {"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, True, "sixel"),
        # (inside tmux the tmux server is asked: tests/app/test_protocols.py)
        ("auto", {"TERM": "xterm-kitty"}, False, "blocks"),  # a pipe, a recording
        ("auto", {"TERM": "xterm-256color"}, True, "blocks"),  # unsure: half-blocks
        ("auto", {"TERM": "dumb"}, True, "blocks"),
        ("sixel", {}, False, "sixel"),
        ("kitty", {}, False, "kitty"),
        ("none", {"KITTY_WINDOW_ID": "1"}, True, "none"),
    ],
)
def test_drawing_method_is_chosen_without_asking_the_terminal(
    mode: str, environ: dict[str, str], tty: bool, method: str
) -> None:
    from tui_deck.app.protocols import choose

    assert choose(mode, environ, tty) == method


@pytest.mark.parametrize("method", ["kitty", "sixel"])
def test_pixel_protocol_widgets_sit_exactly_over_the_image_boxes(
    method: str, tmp_path: Path
) -> None:
    from textual_image.widget import SixelImage, TGPImage

    _make(tmp_path / "a.png", "png")
    folder = _deck_with(
        tmp_path, '## A\n\n{{< image link="./a.png" caption="Pixels" >}}\n\n## B\n\nno image\n'
    )
    expected_class = TGPImage if method == "kitty" else SixelImage

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        widgets = []
        for _ in range(100):
            await pilot.pause()
            await app.workers.wait_for_complete()
            widgets = list(app.screen.query(".pixels"))
            if widgets:
                break
        page = app.view.last_view.page
        assert page is not None
        [slot] = page.images
        [widget] = widgets
        assert isinstance(widget, expected_class)
        assert (widget.region.x, widget.region.y) == (slot.col, slot.row)
        assert (widget.region.width, widget.region.height) == (slot.width, slot.height)
        assert "Pixels" in "\n".join(screen_text(app))  # the caption stays text
        await pilot.press("right")
        await pilot.pause()
        await pilot.pause()
        assert not list(app.screen.query(".pixels"))  # gone with the slide

    run(scenario, path=folder, images=method)


def test_a_picture_that_takes_too_long_says_so_in_its_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui_deck.app.app as app_module
    import tui_deck.app.widgets as widgets_module
    import tui_deck.pictures as pictures_module

    _make(tmp_path / "hang.png", "png")
    folder = _deck_with(tmp_path, '## A\n\n{{< image link="./hang.png" caption="Hangs" >}}\n')
    release = __import__("threading").Event()
    real = pictures_module.decode

    def hang(path: Path, background: str = "#000000") -> Image.Image:
        release.wait(10)
        return real(path, background)

    monkeypatch.setattr(pictures_module, "decode", hang)
    for module in (pictures_module, widgets_module, app_module):
        monkeypatch.setattr(module, "SLOW_SECONDS", 0.3, raising=False)

    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        await asyncio.sleep(0.8)
        await pilot.pause()
        assert "✗ hang.png: still loading after 0 s" in "\n".join(screen_text(app))
        await pilot.press("left")  # the deck goes on meanwhile
        assert app.slide == 0
        release.set()

    run(scenario, path=folder, images="blocks")
