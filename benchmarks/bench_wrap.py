"""Benchmark: ``tui_deck.layout.linebreak.wrap`` against rich's ``Text.wrap``.

How to read it: both wrap the same styled paragraphs (every paragraph of every post in
``../shared/corpus``) at 40, 80 and 160 cells. "para/s" is paragraphs wrapped per second
(the best of several repetitions, so background noise counts less); "ours/rich" is the
time ratio: 1.00 means as fast as rich, 2.00 twice as slow, 0.50 twice as fast. The target
is a ratio of at most 2. rich's wrap also justifies and truncates each line, ours breaks
CJK text properly and applies kinsoku, so the work is comparable but not identical.

    python benchmarks/bench_wrap.py            # 20 repetitions
    python benchmarks/bench_wrap.py --quick    # 3 repetitions

The script never fails on timings: it exits 0 whatever the numbers are.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.style import Style
from rich.text import Text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui_deck import model as m  # noqa: E402
from tui_deck.deck import load_deck  # noqa: E402
from tui_deck.layout.linebreak import wrap  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
WIDTHS = (40, 80, 160)


def styled(inlines: m.Inlines) -> Text:
    text = Text()
    for run in inlines:
        style = Style(
            bold=m.BOLD in run.styles or None,
            italic=m.ITALIC in run.styles or None,
            link=run.url,
        )
        text.append(run.text, style=style if style else None)
    return text


def paragraphs() -> list[Text]:
    posts = sorted({md.parent for md in CORPUS.rglob("index.md")})
    out: list[Text] = []
    for post in posts:
        for slide in load_deck(post).slides:
            for block in m.walk(slide.blocks):
                if isinstance(block, m.Paragraph):
                    out.append(styled(block.inlines))
    return out


def best_time(texts: list[Text], fn: Callable[[Text], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 20")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 20

    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing to measure")
        return 0
    texts = paragraphs()
    chars = sum(len(t.plain) for t in texts)
    print(f"{len(texts)} paragraphs, {chars} characters, best of {repeat} repetitions\n")
    print(f"{'width':>5}  {'ours para/s':>12}  {'rich para/s':>12}  {'ours/rich':>9}")
    ratios = []
    for width in WIDTHS:
        console = Console(width=width, file=io.StringIO(), color_system=None)
        ours = best_time(texts, lambda t, w=width: wrap(t, w), repeat)
        theirs = best_time(texts, lambda t, w=width, c=console: t.wrap(c, w), repeat)
        ratios.append(ours / theirs)
        print(
            f"{width:>5}  {len(texts) / ours:>12,.0f}  {len(texts) / theirs:>12,.0f}"
            f"  {ours / theirs:>9.2f}"
        )
    print(f"\nworst ratio ours/rich: {max(ratios):.2f} (target: at most 2.00)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
