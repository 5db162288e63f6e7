"""A long talk: autoplay through a generated 500-slide deck with 100 pictures.

Runs the real app headless (Textual's pilot) at 100x30, pressing → as fast as the app paints,
and prints, per 100 slides, the time per slide change and the peak RSS so far. "Nothing
slows down" means the last block's time per slide is close to the first's (ratio ~1);
memory should level off once the picture caches are full.
Usage: python benchmarks/bench_soak.py [--quick] [--laps N]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui_deck.app import AppOptions, make_app  # noqa: E402


def make_deck(folder: Path, slides: int, images: int) -> None:
    for n in range(images):
        Image.new("RGB", (800 + n, 450), (n * 2 % 255, 120, 200)).save(folder / f"img{n}.png")
    parts = ["---\ntitle: 长演讲\n---\n"]
    for n in range(slides):
        parts.append(f"## 第 {n + 1} 张 {{#s{n}}}\n\n" + "在过去的 12 个月里，Istio 项目。" * 6)
        if n % (slides // images) == 0:
            parts.append(f'\n\n{{{{< image link="./img{n * images // slides}.png" >}}}}\n')
        parts.append("\n\n")
    (folder / "index.md").write_text("".join(parts), encoding="utf-8")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def soak(folder: Path, laps: int) -> list[tuple[int, float, float]]:
    app = make_app(AppOptions(path=folder, clock=None, watch=False, images="blocks"))
    rows = []
    async with app.run_test(size=(100, 30)) as pilot:
        count = len(app.deck.slides)
        moved = 0
        for _lap in range(laps):
            await pilot.press("home")
            block_start = time.perf_counter()
            for _ in range(count - 1):
                await pilot.press("right")
                moved += 1
                if moved % 100 == 0:
                    spent = (time.perf_counter() - block_start) / 100 * 1000
                    rows.append((moved, spent, rss_mb()))
                    block_start = time.perf_counter()
        await app.workers.wait_for_complete()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 slides, 20 pictures, 1 lap")
    parser.add_argument("--laps", type=int, default=2)
    args = parser.parse_args()
    slides, images, laps = (100, 20, 1) if args.quick else (500, 100, args.laps)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_deck(folder, slides, images)
        start_rss = rss_mb()
        rows = asyncio.run(soak(folder, laps))
    print(f"{slides} slides, {images} pictures, {laps} lap(s) at 100x30")
    print(f"RSS before the app: {start_rss:.0f} MB")
    print(f"{'slides moved':>13}{'ms / change':>13}{'peak RSS MB':>13}")
    for moved, spent, peak in rows:
        print(f"{moved:>13}{spent:>13.1f}{peak:>13.0f}")
    if len(rows) >= 2:
        print(f"last/first time per change: {rows[-1][1] / rows[0][1]:.2f}")


if __name__ == "__main__":
    main()
