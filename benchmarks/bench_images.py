"""Image timings: the seed's 1200x675 PNG on its slide, beside laying out the same slide.

Prints milliseconds for: laying out the slide (no pixels), the first render of its picture
(decode + half-blocks, as the worker does it, with Pillow already imported), the cached
re-render the slide does on every repaint, and the half-blocks of a corpus diagram
(external_authz.svg, decoded once; ../shared/corpus) in a 96x24 box, the picture box of a
100x30 screen. Ratios are against the layout.
Usage: python benchmarks/bench_images.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tui_deck.deck import load_deck
from tui_deck.images import decode, render_blocks
from tui_deck.layout import page as page_module
from tui_deck.layout.theme import DEFAULT_THEME
from tui_deck.pictures import Pictures, overlay

SLIDES = Path(__file__).resolve().parents[1] / "slides"
DIAGRAM = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/zh/2021-better-external-authz/external_authz.svg"
)


def median_ms(repeats: int, work: object) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repetitions (for CI)")
    repeats = 3 if parser.parse_args().quick else 20
    deck = load_deck(SLIDES)
    width, height = 100, 30

    def layout() -> None:
        page_module.clear_caches()
        page_module.layout_slide(deck, 1, width, height)

    [page] = page_module.layout_slide(deck, 1, width, height)
    [slot] = page.images
    key = Pictures.key(slot, DEFAULT_THEME.background)
    assert key is not None
    # Import Pillow once, as the app's first picture does, outside the timings.
    render_blocks(decode(SLIDES / "1.png", DEFAULT_THEME.background), 4, 2)

    def first() -> None:
        Pictures().produce(key)

    cache = Pictures()
    cache.produce(key)

    def cached() -> None:
        picture = cache.get(key)
        assert picture is not None
        overlay(list(page.lines), slot, picture, "yellow")

    t_layout = median_ms(repeats, layout)
    t_first = median_ms(repeats, first)
    t_cached = median_ms(repeats * 50, cached)
    rows = [
        ("lay out the slide (no pixels)", t_layout),
        ("first render of 1.png (decode + blocks)", t_first),
        ("cached re-render (lookup + overlay)", t_cached),
    ]
    if DIAGRAM.exists():
        diagram = decode(DIAGRAM, "#ffffff")
        t_diagram = median_ms(repeats, lambda: render_blocks(diagram, 96, 24))
        rows.append(("half-blocks of external_authz.svg, 96x24", t_diagram))
    print(f"seed slide 2 at {width}x{height}, picture {slot.width}x{slot.height} cells")
    print(f"{'what':<44}{'ms (median)':>12}{'x layout':>10}")
    for label, value in rows:
        print(f"{label:<44}{value:>12.3f}{value / t_layout:>10.2f}")
    print("targets: first render < 150 ms, cached < 5 ms; slide changes never wait (worker)")


if __name__ == "__main__":
    main()
