"""PNG (for social posts) and a self-contained HTML deck, both made from the page SVGs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from html import escape

from tui_deck.diagnostics import DeckError


def cjk_font_available() -> bool:
    """Whether fontconfig knows a font with Chinese glyphs (what cairosvg draws with)."""
    if shutil.which("fc-list") is None:
        return False
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.strip())


def require_cjk_font() -> None:
    if not cjk_font_available():
        raise DeckError(
            "no font with Chinese glyphs found (fontconfig); install one, e.g. "
            "'apt-get install fonts-noto-cjk' on Debian/Ubuntu, then export again"
        )


def svg_to_png(svg: str, width: int, height: int, background: str) -> bytes:
    """The SVG scaled to fit exactly ``width`` x ``height`` pixels, letterboxed."""
    import cairosvg
    from PIL import Image

    from tui_deck.images import _rgb

    natural = _svg_dimensions(svg)
    if natural is None:  # not one of ours: render once to learn its size
        rendered = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
        natural = Image.open(io.BytesIO(rendered)).size
    scale = min(width / natural[0], height / natural[1])
    size = (max(1, round(natural[0] * scale)), max(1, round(natural[1] * scale)))
    # Rendered at the target size rather than resampled: text stays crisp.
    rendered = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=size[0], output_height=size[1]
    )
    page = Image.open(io.BytesIO(rendered)).convert("RGB")
    canvas = Image.new("RGB", (width, height), _rgb(background))
    canvas.paste(page, ((width - page.width) // 2, (height - page.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=False)
    return out.getvalue()


def _svg_dimensions(svg: str) -> tuple[float, float] | None:
    """The width and height the root ``<svg>`` tag declares, in pixels."""
    tag = re.search(r"<svg\b[^>]*>", svg[:4096])
    if tag is None:
        return None
    found = [
        re.search(rf'\b{name}="([0-9]+(?:\.[0-9]+)?)(?:px)?"', tag.group(0))
        for name in ("width", "height")
    ]
    if found[0] is None or found[1] is None:
        return None
    width, height = float(found[0].group(1)), float(found[1].group(1))
    return (width, height) if width > 0 and height > 0 else None


def html_deck(title: str, svgs: Sequence[str], background: str) -> str:
    """One self-contained HTML file: every page inline, ← → (and clicks) to move."""
    pages = "\n".join(
        f'<section class="page" data-n="{n}"{"" if n == 0 else " hidden"}>{svg}</section>'
        for n, svg in enumerate(svgs)
    )
    return f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
html, body {{ margin: 0; height: 100%; background: {background}; }}
body {{ display: flex; align-items: center; justify-content: center; }}
.page svg {{ width: 100vw; height: 100vh; }}
#pos {{ position: fixed; right: 1em; bottom: 0.5em; color: #8b949e; font: 14px sans-serif; }}
</style>
</head>
<body>
{pages}
<div id="pos"></div>
<script>
const pages = [...document.querySelectorAll('.page')];
let current = 0;
function show(n) {{
  current = Math.max(0, Math.min(pages.length - 1, n));
  pages.forEach((p, i) => p.hidden = i !== current);
  document.getElementById('pos').textContent = (current + 1) + ' / ' + pages.length;
  history.replaceState(null, '', '#' + (current + 1));
}}
document.addEventListener('keydown', e => {{
  if (['ArrowRight', 'PageDown', ' ', 'l', 'j'].includes(e.key)) show(current + 1);
  if (['ArrowLeft', 'PageUp', 'Backspace', 'h', 'k'].includes(e.key)) show(current - 1);
  if (e.key === 'Home') show(0);
  if (e.key === 'End') show(pages.length - 1);
}});
document.addEventListener('click', e => show(current + (e.clientX > innerWidth / 2 ? 1 : -1)));
show(parseInt(location.hash.slice(1) || '1', 10) - 1);
</script>
</body>
</html>
"""
