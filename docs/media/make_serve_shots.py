"""Make docs/media/serve-presenter.png and serve-audience.png: ``istio-deck serve slides/``
in headless Chromium (Debian's ``chromium``, driven by Playwright), the presenter's tab and
an audience tab on seed slide 3 (the dense Chinese one).

    python docs/media/make_serve_shots.py [--chromium /usr/bin/chromium]

The presenter's tab is the app in xterm.js with the page's font stack ("Noto Sans Mono CJK
SC", …: fonts-noto-cjk); the audience's is the HTML deck. Each PNG is saved with a palette
when that keeps it under 300 KB (the slides have few colours).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
MEDIA = ROOT / "docs" / "media"
#: Seed slide 3 (data-slide counts from the title, 0).
SLIDE = 2
LIMIT = 300_000
SHOWN_SLIDE = """want => {
  const shown = [...document.querySelectorAll('section.page')].filter(p => !p.hidden);
  return shown.length === 1 && Number(shown[0].dataset.slide) === want;
}"""


def settled(page: Page, frames: list[float], quiet: float = 0.5, seconds: float = 30) -> None:
    """Until the app has stopped drawing for ``quiet`` seconds."""
    deadline = time.monotonic() + seconds
    while not frames or time.monotonic() - frames[-1] < quiet:
        if time.monotonic() > deadline:
            raise SystemExit("the presenter's app never stopped drawing")
        page.wait_for_timeout(100)


def save(png: bytes, path: Path) -> None:
    """The smallest of the PNG as it is and with a 256-colour palette, at most LIMIT bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    best = b""
    for candidate in (image, image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=0)):
        out = io.BytesIO()
        candidate.save(out, "PNG", optimize=True)
        if not best or len(out.getvalue()) < len(best):
            best = out.getvalue()
    if len(best) > LIMIT:
        raise SystemExit(f"{path.name} is {len(best)} bytes (more than {LIMIT})")
    path.write_bytes(best)
    width, height = image.size
    print(f"wrote {path.relative_to(ROOT)} ({len(best) // 1024} KB, {width}x{height})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    runtime = Path(tempfile.mkdtemp(prefix="istio-deck-shots-"))
    os.chmod(runtime, 0o700)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(runtime)}
    command = [sys.executable, "-m", "tui_deck", "serve", "slides", "--port", "0", "--no-watch"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert server.stdout is not None
        urls = dict(line.split(":", 1) for line in (server.stdout.readline() for _ in range(3)))
        presenter_url, audience_url = urls["presenter"].strip(), urls["audience"].strip()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            # 1000 x 870 CSS pixels at 20 px: the app gets 100 x 30 cells, as in the other shots.
            context = browser.new_context(viewport={"width": 1000, "height": 870})
            presenter = context.new_page()
            frames: list[float] = []
            presenter.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda _: frames.append(time.monotonic())),
            )
            presenter.goto(presenter_url + "?fontsize=20")
            audience = context.new_page()
            audience.goto(audience_url)
            presenter.wait_for_selector("body.-first-byte", timeout=30_000)
            settled(presenter, frames)
            presenter.bring_to_front()
            presenter.focus(".xterm-helper-textarea")
            # → until the talk reaches the slide (a slide may take more than one page).
            for _ in range(8):
                presenter.keyboard.press("ArrowRight")
                presenter.wait_for_timeout(500)
                if audience.evaluate(SHOWN_SLIDE, SLIDE):
                    break
            else:
                raise SystemExit(f"the talk never reached slide {SLIDE + 1}")
            settled(presenter, frames)
            save(presenter.screenshot(), MEDIA / "serve-presenter.png")
            audience.bring_to_front()
            # The audience's tab as tall as its page and a little wider (the page keeps its
            # proportions; the tab's own "3/4" sits in the margin).
            box = audience.evaluate(
                "() => document.querySelector('section.page:not([hidden]) svg').viewBox.baseVal"
                ".height / document.querySelector('section.page:not([hidden]) svg').viewBox"
                ".baseVal.width"
            )
            audience.set_viewport_size({"width": 1100, "height": round(1000 * box)})
            audience.wait_for_timeout(300)
            save(audience.screenshot(), MEDIA / "serve-audience.png")
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    main()
