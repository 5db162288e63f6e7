"""Layout throughput: the whole shared corpus laid out at three terminal sizes.

Prints slides per second for istio-deck's layout (line breaking, blocks, pagination, footer)
beside two baselines measured in the same run on the same posts:

* rich ``Text.wrap`` of the same paragraphs (the issue's bar: no slower than 2x);
* rich's own ``Markdown`` render of the same posts at the same widths.

A ratio above 1 means istio-deck is slower than the baseline by that factor. The wrap row
compares like with like: our CJK line breaker against rich's wrap on the same paragraphs.
Usage: python benchmarks/bench_layout.py [--quick]
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from tui_deck import model as m
from tui_deck.deck import load_deck
from tui_deck.layout import page as page_module
from tui_deck.layout.linebreak import wrap

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SIZES = [(80, 24), (100, 30), (160, 45)]


def best_of(repeats: int, work: object) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repetition (for CI)")
    repeats = 1 if parser.parse_args().quick else 5
    posts = sorted(p.parent for p in CORPUS.glob("*/*/index.md"))
    decks = [load_deck(p) for p in posts]
    slides = sum(len(d.slides) for d in decks)
    paragraphs = [
        m.plain(b.inlines)
        for d in decks
        for s in d.slides
        for b in m.walk(s.blocks)
        if isinstance(b, m.Paragraph)
    ]
    bodies = [(p / "index.md").read_text(encoding="utf-8").split("---", 2)[-1] for p in posts]

    def ours() -> None:
        page_module.clear_caches()
        for width, height in SIZES:
            for deck in decks:
                for index in range(len(deck.slides)):
                    page_module.layout_slide(deck, index, width, height)

    def rich_wrap() -> None:
        for width, _ in SIZES:
            console = Console(width=width, file=io.StringIO())
            for text in paragraphs:
                Text(text).wrap(console, width - 8)

    def our_wrap() -> None:
        for width, _ in SIZES:
            for text in paragraphs:
                wrap(Text(text), width - 8)

    def rich_markdown() -> None:
        for width, _ in SIZES:
            console = Console(width=width, file=io.StringIO(), color_system="truecolor")
            for body in bodies:
                console.print(Markdown(body))

    t_ours = best_of(repeats, ours)
    t_wrap = best_of(repeats, rich_wrap)
    t_md = best_of(repeats, rich_markdown)
    t_our_wrap = best_of(repeats, our_wrap)
    total = slides * len(SIZES)
    print(f"corpus: {len(posts)} posts, {slides} slides, {len(paragraphs)} paragraphs; ")
    print(f"sizes: {', '.join(f'{w}x{h}' for w, h in SIZES)}; best of {repeats}")
    print(f"{'what':<40}{'seconds':>10}{'slides/s':>12}{'ratio':>8}")
    print(f"{'istio-deck layout (all pages)':<40}{t_ours:>10.4f}{total / t_ours:>12.0f}{1:>8.2f}")
    print(
        f"{'rich Text.wrap, same paragraphs':<40}{t_wrap:>10.4f}{total / t_wrap:>12.0f}"
        f"{t_ours / t_wrap:>8.2f}"
    )
    print(
        f"{'istio-deck wrap (CJK), same paragraphs':<40}{t_our_wrap:>10.4f}"
        f"{'':>12}{t_our_wrap / t_wrap:>8.2f}  <- vs rich Text.wrap (target <= 2)"
    )
    print(
        f"{'rich Markdown render, same posts':<40}{t_md:>10.4f}{total / t_md:>12.0f}"
        f"{t_ours / t_md:>8.2f}"
    )


if __name__ == "__main__":
    main()
