"""Fuzz the loader, the shortcode parser and the line breaker for a fixed time.

    python fuzz/fuzz_deck.py --seconds 60

Generated Markdown/Hugo input (headings, lists, shortcodes, CJK, emoji, control characters)
goes through load_deck and the layout at a few sizes. Any exception is a crash: the input is
saved to tests/fixtures/fuzz/crash-<hash>.md, which the test suite then loads as a
regression case (tests/test_fuzz_corpus.py). Exit status 1 when a crash was found.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui_deck.deck import load_deck
from tui_deck.diagnostics import DeckError
from tui_deck.layout.linebreak import wrap_plain
from tui_deck.layout.page import layout_slide

CRASHES = ROOT / "tests" / "fixtures" / "fuzz"
PIECES = [
    "## ",
    "### ",
    "# ",
    "#### ",
    "{#id}",
    "{##x}",
    "{{< ",
    " >}}",
    "{{<",
    ">}}",
    "{{< /",
    "{< ",
    "{{{< ",
    "{{% ",
    " %}}",
    "image",
    "text",
    "tip",
    "tab",
    "tabset",
    "quote",
    "gloss",
    'link="./1.png"',
    'caption="图"',
    'name="标签"',
    "bash",
    "\n",
    "\n\n",
    "    ",
    "- ",
    "1. ",
    "> ",
    "```",
    "~~~",
    "|a|b|\n|-|-|\n",
    "[链接](/zh/x/#id)",
    "![图](x.png)",
    "<!-- notes: 备注 -->",
    "\n<!-- end_slide -->\n",
    "\n<!-- pause -->\n",
    "\n<!-- column_layout: [1, 2] -->\n",
    "\n<!-- column: 1 -->\n",
    "\n<!-- column: 9 -->\n",
    "\n<!-- reset_layout -->\n",
    "\n<!-- alignment: center -->\n",
    "\n<!-- new_lines: 3 -->\n",
    "\n<!-- jump_to_middle -->\n",
    "\n<!-- skip_slide -->\n",
    "\n<!-- no_footer -->\n",
    "\n<!-- speaker_note: 备注 -->\n",
    "\n<!-- incremental_lists: true -->\n",
    "\n<!-- exec -->\n",
    "```bash +exec\n",
    "<!-- end_slid -->",
    "<!--",
    "-->",
    "中文，标点。",
    "（括号）",
    "“引号”",
    "Istio",
    "StatefulSet",
    "4,000",
    "1.10",
    "`code`",
    "**",
    "_",
    "~~",
    "\x1b[31m",
    "\x1b]52;c;x\x07",
    "\x00",
    "\u202e",
    "---\n",
    "+++\n",
    "😀",
    "👩‍💻",
    "é",
    "\t",
    "\r\n",
    "https://istio.io/a/b",
]
SIZES = [(40, 12), (80, 24), (160, 45)]


def generate(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 80)):
        if rng.random() < 0.8:
            parts.append(rng.choice(PIECES))
        else:
            parts.append("".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(1, 6))))
    return "".join(parts)


def check(text: str, folder: Path) -> None:
    source = folder / "index.md"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        deck = load_deck(folder)
    except DeckError:
        return
    for width, height in SIZES:
        for index in range(min(len(deck.slides), 20)):
            layout_slide(deck, index, width, height)
    for width in (1, 2, 7, 33):
        for line in wrap_plain(text[:2000], width):
            assert len(line) >= 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    deadline = time.monotonic() + args.seconds
    runs = crashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        while time.monotonic() < deadline:
            text = generate(rng)
            runs += 1
            try:
                check(text, folder)
            except Exception:
                crashes += 1
                digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
                CRASHES.mkdir(parents=True, exist_ok=True)
                path = CRASHES / f"crash-{digest}.md"
                path.write_text(text, encoding="utf-8", errors="surrogatepass")
                print(f"crash saved to {path}:\n{traceback.format_exc()}", file=sys.stderr)
    print(f"fuzz: seed {seed}, {runs} inputs in {args.seconds:.0f} s, {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
