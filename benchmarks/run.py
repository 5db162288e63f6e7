"""istio-deck's speed, each figure beside a baseline measured in the same run.

    python benchmarks/run.py            # the full run (about two minutes)
    python benchmarks/run.py --quick    # fewer repetitions: what CI runs (no asserts)

Prints a table and writes ``benchmarks/results.json`` (``--json PATH`` elsewhere):

* cold start: process start until the title slide is on a real pseudo-terminal (the output
  read through the pyte VT emulator), against a minimal Textual app painting one line;
* slide change: a key written to the terminal until the next slide's title is on it, over
  the seed deck and a generated 500-slide deck with 100 pictures, against the same minimal
  app swapping its line;
* picture slide: → until slide 2's picture is on the screen as half-blocks, on its first
  visit (decoded and drawn off the UI thread) and when it is seen again (cached);
* memory: peak RSS of the presenter after going through every slide of that deck, against
  the minimal app's;
* layout: slides per second over ../shared/corpus at 80x24, 100x30 and 160x45, against
  rich's own Markdown render of the same posts at the same widths;
* export: seconds per SVG and per PNG page of the seed deck, against rich's
  ``Console.export_svg`` of the same page (and that SVG rasterised the same way);
* serve: ``istio-deck serve`` with 50 audience streams (500 and the presenter's key in a
  full run; bench_serve.py), a move to the last viewer against 1 viewer on the same server,
  and the server's RSS with the streams against before them.

Targets (checked by people reading benchmarks/RESULTS.md, never asserted here): cold start
<= 1.3x the floor; slide change median <= 20 ms, p95 <= 50 ms; memory <= 200 MB; layout
>= 1x rich. Child processes run with bytecode caching on, as an installed package does.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import importlib.util
import io
import json
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import bench_serve  # beside this file
import pyte
from bench_serve import commit, machine

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "slides"
CACHE_HOME = tempfile.mkdtemp(prefix="istio-deck-bench-")
RUNTIME_DIR = tempfile.mkdtemp(prefix="istio-deck-bench-run-")  # mode 0700, as it must be
COLUMNS, LINES = 100, 30

FLOOR_APP = """
import sys
from textual.app import App
from textual.widgets import Static
class Floor(App):
    n = 0
    def compose(self):
        yield Static("floor-0")
    def on_key(self, event):
        self.n += 1 if event.key == "right" else -1
        self.query_one(Static).update(f"floor-{self.n}")
Floor().run()
"""


@dataclass
class Row:
    what: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_what: str = ""
    target: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


# --------------------------------------------------------------------------- the terminal


class Terminal:
    """A child process on a pseudo-terminal, its output read through a VT emulator."""

    def __init__(self, argv: Sequence[str], cwd: Path = ROOT) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode is cached
        env["XDG_CACHE_HOME"] = CACHE_HOME  # the parse cache of this run only
        env["XDG_RUNTIME_DIR"] = RUNTIME_DIR  # views linked among themselves, never to a talk
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execvpe(argv[0], list(argv), env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        # Not pyte's Screen.display: it fails on the empty cell after a wide character.
        buffer, columns = self.screen.buffer, self.screen.columns
        return "\n".join(
            "".join(buffer[y][x].data for x in range(columns)) for y in range(self.screen.lines)
        )

    def wait_for(
        self, needle: str, seconds: float = 30, footer: str = "", blocks: int = 0
    ) -> float:
        """The time the output that put ``needle`` on the screen (and ``footer`` at the end
        of its last row, and at least ``blocks`` half-block cells of a picture) was read."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            chunk, stamp = b"", 0.0
            while ready:  # read the whole frame (until 3 ms of quiet), then emulate it:
                try:  # emulation is slow and must not delay the time stamps
                    data = os.read(self.fd, 1 << 16)
                except OSError:
                    raise RuntimeError(f"the program ended before showing {needle!r}") from None
                if not data:
                    break
                chunk, stamp = chunk + data, time.perf_counter()
                ready, _, _ = select.select([self.fd], [], [], 0.003)
            self.stream.feed(chunk)
            text = self.text()
            drawn = text.count("\u2580") + text.count("\u2584") >= blocks
            if needle in text and text.rstrip().endswith(footer) and drawn:
                return stamp
        raise TimeoutError(f"{needle!r} not on the screen after {seconds} s:\n{self.text()}")

    def press(self, key: bytes) -> float:
        os.write(self.fd, key)
        return time.perf_counter()

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


DECK = [sys.executable, "-m", "tui_deck"]
PRESENT = ["--no-watch", "--no-clock"]
RIGHT, LEFT = b"\x1b[C", b"\x1b[D"


def cold_start(runs: int) -> dict[str, list[float]]:
    """Seconds to first paint: the floor app; the seed deck as a presenter starts it again
    (its parse cache warm); the seed deck parsed from scratch (--no-cache). Interleaved."""
    title = "生日快乐，Istio！"
    variants = {
        "floor": ([sys.executable, "-c", FLOOR_APP], "floor-0"),
        "deck": ([*DECK, str(SEED), *PRESENT], title),
        "deck_no_cache": ([*DECK, str(SEED), *PRESENT, "--no-cache"], title),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs + 1):
        for name, (argv, needle) in variants.items():
            term = Terminal(argv)
            try:
                started = term.wait_for(needle) - term.started
                if not run:
                    time.sleep(1)  # a first run keeps its parse for the next start
            finally:
                term.close()
            if run:  # the first round warms the disk cache, bytecode and the parse cache
                times[name].append(started)
    return times


def changes(
    argv: Sequence[str],
    titles: Sequence[str],
    moves: int,
    numbered: bool = True,
    warm: bool = False,
) -> tuple[list[float], float]:
    """Milliseconds from → until the next slide is painted (its title, and ``N / M`` at the
    end of the footer), ← back at the end of the deck; and the peak RSS. ``warm``: go
    through the deck once first, as a speaker rehearsing (pictures rendered, layouts cached)."""
    term = Terminal(argv)
    times = []

    def footer(position: int) -> str:
        return f"{position + 1} / {len(titles)}" if numbered else ""

    try:
        term.wait_for(titles[0], footer=footer(0))
        time.sleep(0.3)  # let the first slide's pictures start, as a speaker would
        if warm:
            for position in range(1, len(titles)):
                term.press(RIGHT)
                term.wait_for(titles[position], footer=footer(position))
                time.sleep(0.5)
            term.press(b"\x1b[H")  # Home
            term.wait_for(titles[0], footer=footer(0))
            time.sleep(0.5)
        position, step = 0, 1
        for _ in range(moves):
            if not 0 <= position + step < len(titles):
                step = -step
            position += step
            sent = term.press(RIGHT if step > 0 else LEFT)
            painted = term.wait_for(titles[position], footer=footer(position))
            times.append((painted - sent) * 1000)
            time.sleep(0.03)  # a key every few dozen milliseconds: faster than any speaker
        return times, term.peak_rss_mb()
    finally:
        term.close()


def picture_times(runs: int) -> dict[str, list[float]]:
    """Milliseconds from → on the seed deck's first slide until slide 2's picture is on the
    screen as half-blocks: the first visit (decoded, resampled and drawn off the UI thread)
    and a return to it (from the cache). A fresh presenter each run."""
    titles = seed_titles()
    first, again = [], []
    for _ in range(runs):
        term = Terminal([*DECK, str(SEED), *PRESENT])
        try:
            term.wait_for(titles[0], footer=f"1 / {len(titles)}")
            time.sleep(0.3)
            sent = term.press(RIGHT)
            first.append((term.wait_for(titles[1], blocks=PICTURE_CELLS) - sent) * 1000)
            term.press(RIGHT)
            term.wait_for(titles[2], footer=f"3 / {len(titles)}")
            time.sleep(0.3)
            sent = term.press(LEFT)
            again.append((term.wait_for(titles[1], blocks=PICTURE_CELLS) - sent) * 1000)
        finally:
            term.close()
    return {"first": first, "again": again}


#: Half-block cells that mean the picture is drawn (slide 2's is over 1,000 at 100x30).
PICTURE_CELLS = 500


def change_rows(deck: str, moves: list[float], floor: list[float]) -> list[Row]:
    """Median and p95 of slide changes beside the minimal app's line swaps."""
    return [
        Row(f"slide change: {deck}, {name}", measure(moves), "ms", measure(floor),
            f"minimal app, line swap, {name}", target)
        for name, measure, target in (
            ("median", statistics.median, "<= 20 ms"),
            ("p95", p95, "<= 50 ms"),
        )
    ]  # fmt: skip


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def make_big_deck(folder: Path, slides: int = 500, images: int = 100) -> list[str]:
    """The soak deck: ``slides`` Chinese slides, a picture on every fifth. Returns titles."""
    from PIL import Image

    for n in range(images):
        Image.new("RGB", (800 + n, 450), (n * 2 % 255, 120, 200)).save(folder / f"img{n}.png")
    parts = ["---\ntitle: 长演讲\n---\n"]
    titles = ["长演讲"]
    every = slides // images
    for n in range(slides - 1):
        titles.append(f"第 {n + 1} 张")
        parts.append(f"## 第 {n + 1} 张 {{#s{n}}}\n\n" + "在过去的 12 个月里，Istio 项目。" * 6)
        if n % every == 0:
            parts.append(f'\n\n{{{{< image link="./img{n // every}.png" >}}}}\n')
        parts.append("\n\n")
    (folder / "index.md").write_text("".join(parts), encoding="utf-8")
    return titles


def seed_titles() -> list[str]:
    from tui_deck.deck import load_deck

    deck = load_deck(SEED)
    return [deck.title if s.kind == "title" else s.title for s in deck.slides]


# --------------------------------------------------------------------------- in-process


def best_of(repeats: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def layout_throughput(repeats: int) -> tuple[float, float, int]:
    """Slides per second: istio-deck's layout and rich's Markdown, whole corpus, 3 sizes."""
    from rich.console import Console
    from rich.markdown import Markdown

    from tui_deck.deck import load_deck
    from tui_deck.layout import page as page_module

    sizes = [(80, 24), (100, 30), (160, 45)]
    # The shared corpus when it is beside the checkout; the seed deck alone otherwise.
    posts = sorted(p.parent for p in CORPUS.glob("*/*/index.md")) or [SEED]
    decks = [load_deck(p) for p in posts]
    bodies = [(p / "index.md").read_text(encoding="utf-8").split("---", 2)[-1] for p in posts]
    slides = sum(len(d.slides) for d in decks) * len(sizes)

    def ours() -> None:
        page_module.clear_caches()
        for width, height in sizes:
            for deck in decks:
                for index in range(len(deck.slides)):
                    page_module.layout_slide(deck, index, width, height)

    def rich_markdown() -> None:
        for width, _ in sizes:
            console = Console(width=width, file=io.StringIO(), color_system="truecolor")
            for body in bodies:
                console.print(Markdown(body))

    return slides / best_of(repeats, ours), slides / best_of(repeats, rich_markdown), slides


def export_speed(repeats: int) -> dict[str, float]:
    """Seconds per page: our SVG and PNG export, rich's export_svg (and its PNG) of it."""
    from rich.console import Console

    from tui_deck.deck import load_deck
    from tui_deck.export.raster import svg_to_png
    from tui_deck.export.text import SOCIAL_SIZE, export
    from tui_deck.layout.page import Size, layout_slide

    deck = load_deck(SEED)
    size = Size(COLUMNS, LINES)
    pages = [p for i in range(len(deck.slides)) for p in layout_slide(deck, i, *(COLUMNS, LINES))]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        export(deck, out / "warm", size, "png")  # imports and fonts, outside the timings
        svg = best_of(repeats, lambda: export(deck, out / "svg", size, "svg")) / len(pages)
        png = best_of(repeats, lambda: export(deck, out / "png", size, "png")) / len(pages)

    def rich_svgs() -> list[str]:
        svgs = []
        for page in pages:
            console = Console(width=COLUMNS, file=io.StringIO(), record=True)
            for line in page.lines:
                console.print(line, crop=True, overflow="crop")
            svgs.append(console.export_svg(title=""))
        return svgs

    rich_svg = best_of(repeats, rich_svgs) / len(pages)
    made = rich_svgs()
    social = (SOCIAL_SIZE.width, SOCIAL_SIZE.height, "#000000")
    rasterise = best_of(repeats, lambda: [svg_to_png(s, *social) for s in made])
    rich_png = rasterise / len(pages) + rich_svg
    return {"svg": svg, "png": png, "rich_svg": rich_svg, "rich_png": rich_png}


def audience_rows(quick: bool) -> tuple[list[bench_serve.Run], list[Row]]:
    """The serve command's audience (bench_serve.py): the time from a move to the last of N
    viewers (50 in a quick run, the link's moves only; 500 in a full one, the presenter's
    key too) against 1 viewer on the same server, and the server's memory with N streams."""
    if importlib.util.find_spec("aiohttp") is None:
        print("(serve rows left out: the serve extra is not installed)", file=sys.stderr)
        return [], []
    count = 50 if quick else 500
    bench_serve.raise_file_limit(count)
    with tempfile.TemporaryDirectory(prefix="istio-deck-bench-serve-") as runtime:
        os.chmod(runtime, 0o700)
        runs, memory = asyncio.run(bench_serve.bench(count, SEED, not quick, runtime))
    rows = []
    label = {"link": "link move", "key": "presenter's key"}
    base = {run.kind: run.median for run in runs if run.asked == 1}
    for run in runs:
        if run.asked > 1:
            got = f"{run.received:,} of {run.asked * bench_serve.MOVES:,} messages"
            rows.append(
                Row(
                    f"serve: {label[run.kind]} → last of {run.asked} viewers",
                    run.median,
                    "ms",
                    base[run.kind],
                    f"1 viewer, same server, median; {got}",
                )
            )
    rows.append(
        Row(
            f"serve: server RSS with {count} streams",
            memory["streams"],
            "MB",
            memory["start"],
            "the same server before any stream",
        )
    )
    return runs, rows


# --------------------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="few repetitions (CI)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    quick = args.quick
    rows: list[Row] = []

    cold = cold_start(2 if quick else 9)
    f = statistics.median(cold["floor"])
    rows.append(
        Row(
            "cold start: seed deck, title slide",
            statistics.median(cold["deck"]) * 1000,
            "ms",
            f * 1000,
            "minimal Textual app, one line",
            "<= 1.3x",
        )
    )
    rows.append(
        Row(
            "cold start: same, --no-cache (first run)",
            statistics.median(cold["deck_no_cache"]) * 1000,
            "ms",
            f * 1000,
            "minimal Textual app, one line",
        )
    )

    floor_argv = [sys.executable, "-c", FLOOR_APP]
    floor_titles = [f"floor-{n}" for n in range(40)]
    floor_moves, floor_rss = changes(floor_argv, floor_titles, 20 if quick else 80, False)
    titles = seed_titles()
    seed_moves, _ = changes([*DECK, str(SEED), *PRESENT], titles, 12 if quick else 80, warm=True)
    rows.extend(change_rows("seed deck", seed_moves, floor_moves))
    shown = picture_times(2 if quick else 7)
    for name, label in (("first", "first visit"), ("again", "seen before")):
        rows.append(
            Row(
                f"picture slide: key to picture, {label}",
                statistics.median(shown[name]),
                "ms",
                statistics.median(floor_moves),
                "minimal app, line swap, median",
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        slides = 100 if quick else 500
        big_titles = make_big_deck(folder, slides, slides // 5)
        big_moves, rss = changes([*DECK, str(folder), *PRESENT], big_titles, len(big_titles) - 1)
    rows.extend(change_rows(f"{slides}-slide deck", big_moves, floor_moves))
    rows.append(
        Row(
            f"peak RSS: {slides} slides, {slides // 5} pictures, every slide",
            rss,
            "MB",
            floor_rss,
            "minimal app after its keys",
            "<= 200 MB",
        )
    )

    ours, theirs, count = layout_throughput(1 if quick else 5)
    rows.append(
        Row(
            f"layout: corpus, {count} slide pages, 3 sizes",
            ours,
            "slides/s",
            theirs,
            "rich Markdown, same posts and widths",
            ">= 1x rich",
        )
    )

    speed = export_speed(1 if quick else 3)
    rows.append(
        Row(
            "export: SVG page",
            speed["svg"] * 1000,
            "ms",
            speed["rich_svg"] * 1000,
            "rich Console.export_svg, same page",
        )
    )
    rows.append(
        Row(
            "export: PNG page",
            speed["png"] * 1000,
            "ms",
            speed["rich_png"] * 1000,
            "rich export_svg + same rasteriser",
        )
    )

    serve_runs, serve_rows = audience_rows(quick)
    rows.extend(serve_rows)

    print(f"istio-deck benchmarks{' (quick)' if quick else ''}: {machine()}; commit {commit()}")
    print(f"{'what':<46}{'value':>14}{'baseline':>12}{'ratio':>7}  target / baseline")
    for row in rows:
        ratio = f"{row.ratio:>7.2f}" if row.ratio is not None else f"{'':>7}"
        base = f"{row.baseline:>12.1f}" if row.baseline is not None else f"{'':>12}"
        value = f"{row.value:,.1f} {row.unit}"
        print(f"{row.what:<46}{value:>14}{base}{ratio}  {row.target or '-'}; {row.baseline_what}")
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": commit(),
        "machine": machine(),
        "quick": quick,
        "rows": [{**asdict(row), "ratio": row.ratio} for row in rows],
        "raw": {
            "cold_s": cold,
            "seed_change_ms": seed_moves,
            "big_change_ms": big_moves,
            "floor_change_ms": floor_moves,
            "serve_ms": {f"{run.kind}, {run.asked} viewers": run.latencies for run in serve_runs},
        },
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
