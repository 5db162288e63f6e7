"""PNG (for social posts) and a self-contained HTML deck, both made from the page SVGs."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from tui_deck.diagnostics import DeckError
from tui_deck.words import say


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
    from PIL import Image

    from tui_deck.images import ImageProblem, _rgb, cairosvg_module

    try:
        cairosvg = cairosvg_module()
    except ImageProblem as exc:
        raise DeckError(str(exc)) from None

    natural = _svg_dimensions(svg)
    if natural is None:  # not one of ours: render once to learn its size
        rendered = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
        natural = Image.open(io.BytesIO(rendered)).size
    scale = min(width / natural[0], height / natural[1])
    size = (max(1, round(natural[0] * scale)), max(1, round(natural[1] * scale)))
    # Rendered at the target size rather than resampled: text stays crisp. Read from
    # cairo's memory (no PNG written and read back in between).
    tree = cairosvg.parser.Tree(bytestring=svg.encode("utf-8"))
    surface = cairosvg.surface.PNGSurface(
        tree, None, 96, output_width=size[0], output_height=size[1]
    )
    pixels = surface.cairo
    pixels.flush()
    page = Image.frombuffer(
        "RGBA", size, bytes(pixels.get_data()), "raw", "BGRA", pixels.get_stride(), 1
    ).convert("RGB")
    surface.finish()
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


@dataclass(frozen=True)
class HtmlPage:
    """One page of the HTML deck and what the speaker mode shows beside it."""

    svg: str
    slide: int  #: 0-based slide of the page
    title: str
    #: The slide's speaker notes, rendered from Markdown to safe HTML ("" when none).
    notes: str = ""
    #: The slide's id, the page of the slide (of ``pages``) and the step it shows: what a
    #: served deck finds the talk's position by (istio-deck serve).
    id: str = ""
    page: int = 1
    pages: int = 1
    step: int = 1
    #: For a served deck's zoom page: which of the slide's pictures it shows full screen.
    zoom: int | None = None


def notes_html(markdown: str) -> str:
    """Speaker notes as HTML: Markdown rendered with raw HTML escaped (notes are content
    of the post, not trusted), links kept but never followed on load."""
    if not markdown.strip():
        return ""
    from markdown_it import MarkdownIt

    from tui_deck.hugo.cjk_emphasis import cjk_friendly_plugin

    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    parser.use(cjk_friendly_plugin)  # **注意：**笔记 is bold in the notes as on the slides
    return str(parser.render(markdown))


def html_deck(
    title: str,
    pages: Sequence[HtmlPage],
    background: str,
    lang: str = "en",
    served: str = "",
    zooms: Sequence[HtmlPage] = (),
) -> str:
    """One self-contained HTML file: every page inline, ← → (and clicks) to move; S opens
    the speaker mode (current and next page, notes, timer) and a window for the audience,
    which follows it both ways.

    ``served``: a script added for a deck served to an audience (istio-deck serve), which
    follows the talk; such a deck has no speaker mode and tells no other window its moves.
    ``zooms``: its zoom pages (one a picture, ``HtmlPage.zoom``), shown over the deck when
    the talk zooms a picture; never a step of ← →.
    """
    words = {
        "notes": say(lang, "notes"),
        "next": say(lang, "next_page"),
        "none": say(lang, "no_notes"),
        "end": say(lang, "end_page"),
        "hint": say(lang, "serve_hint" if served else "html_hint"),
    }
    sections = "\n".join(
        f'<section class="page" data-n="{n}" data-slide="{page.slide}"'
        f' data-title="{escape(page.title)}" data-id="{escape(page.id)}" data-page="{page.page}"'
        f' data-pages="{page.pages}" data-step="{page.step}"'
        f"{'' if n == 0 else ' hidden'}>{page.svg}</section>"
        for n, page in enumerate(pages)
    )
    sections += "".join(
        f'\n<section class="zoom" data-slide="{page.slide}" data-id="{escape(page.id)}"'
        f' data-zoom="{page.zoom}" hidden>{page.svg}</section>'
        for page in zooms
    )
    notes = "\n".join(
        f'<template class="notes" data-n="{n}">{page.notes}</template>'
        for n, page in enumerate(pages)
    )
    # Windows of this deck talk to each other; another exported deck in the same browser
    # has another name and is never moved.
    name = "\n".join([title, *(page.title for page in pages)])
    deck_id = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"""<!doctype html>
<html lang="{escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
html, body {{ margin: 0; height: 100%; background: {background}; }}
body {{ display: flex; align-items: center; justify-content: center; }}
.page svg, .zoom svg {{ width: 100vw; height: 100vh; }}
.zoom {{ position: fixed; inset: 0; z-index: 5; background: {background}; display: flex;
  align-items: center; justify-content: center; }}
.zoom[hidden] {{ display: none; }}
#pos {{ position: fixed; right: 1em; bottom: 0.5em; color: #8b949e; font: 14px sans-serif; }}
#speaker {{ display: none; }}
body.speaker {{ display: block; color: #e6e6e6; font: 18px/1.6 "Noto Sans CJK SC", sans-serif; }}
body.speaker > .page {{ display: none; }}
body.speaker #speaker {{ display: grid; grid-template-columns: 3fr 2fr;
  grid-template-rows: auto 1fr auto; gap: 12px; height: 100vh; box-sizing: border-box;
  padding: 12px; }}
#speaker .now svg, #speaker .next svg {{ width: 100%; height: auto; border: 2px solid #7fb3ff; }}
#speaker .next svg {{ border-color: #8b949e; }}
#speaker h2 {{ margin: 0 0 4px; font-size: 15px; color: #8b949e; font-weight: normal; }}
#speaker .notes-box {{ grid-column: 1 / 3; overflow: auto; }}
#speaker .clock {{ grid-column: 1 / 3; font-size: 22px; }}
#speaker .late {{ color: #ff6b6b; }}
</style>
</head>
<body>
{sections}
{notes}
<div id="speaker">
  <div class="now"><h2 id="now-title"></h2><div id="now"></div></div>
  <div class="next"><h2>{words["next"]}</h2><div id="next"></div></div>
  <div class="notes-box"><h2>{words["notes"]}</h2><div id="notes"></div></div>
  <div class="clock"><span id="where"></span> · <span id="elapsed">00:00</span></div>
</div>
<div id="pos" title="{words["hint"]}"></div>
<script>
const pages = [...document.querySelectorAll('.page')];
const notes = [...document.querySelectorAll('template.notes')];
const words = {{ none: "{words["none"]}", end: "{words["end"]}" }};
const deck = "{deck_id}";
let current = 0, speaker = false, started = Date.now(), other = null;
const served = {"true" if served else "false"};
const channel = !served && 'BroadcastChannel' in window
  ? new BroadcastChannel('istio-deck-' + deck) : null;
function copy(n) {{
  return n < pages.length ? pages[n].innerHTML : '<p>' + words.end + '</p>';
}}
function render() {{
  pages.forEach((p, i) => p.hidden = speaker || i !== current);
  document.getElementById('pos').textContent = (current + 1) + ' / ' + pages.length;
  if (speaker) {{
    document.getElementById('now').innerHTML = copy(current);
    document.getElementById('next').innerHTML = copy(current + 1);
    document.getElementById('now-title').textContent = pages[current].dataset.title;
    const body = notes[current].innerHTML.trim();
    document.getElementById('notes').innerHTML = body || '<p>' + words.none + '</p>';
    document.getElementById('where').textContent = (current + 1) + ' / ' + pages.length;
  }}
}}
function show(n, tell = true) {{
  current = Math.max(0, Math.min(pages.length - 1, n));
  render();
  history.replaceState(null, '', '#' + (current + 1) + (speaker ? '-speaker' : ''));
  if (!tell) return;
  const message = {{ istioDeck: current, deck }};
  if (channel) channel.postMessage(message);
  if (served) return;
  for (const w of [other, window.opener]) if (w && !w.closed) w.postMessage(message, '*');
}}
function follow(data) {{
  if (data && data.deck === deck && Number.isInteger(data.istioDeck)) show(data.istioDeck, false);
}}
window.addEventListener('message', e => {{
  if (e.source && (e.source === other || e.source === window.opener)) follow(e.data);
}});
if (channel) channel.onmessage = e => follow(e.data);
function tick() {{
  const s = Math.floor((Date.now() - started) / 1000);
  const text = String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  document.getElementById('elapsed').textContent = text;
}}
setInterval(tick, 1000);
function speakerMode() {{
  if (served) return;
  speaker = true;
  document.body.classList.add('speaker');
  started = Date.now();
  const audience = location.href.split('#')[0] + '#' + (current + 1);
  if (!other || other.closed) other = window.open(audience);
  show(current, false);
}}
document.addEventListener('keydown', e => {{
  if (['ArrowRight', 'PageDown', ' ', 'l', 'j'].includes(e.key)) show(current + 1);
  if (['ArrowLeft', 'PageUp', 'Backspace', 'h', 'k'].includes(e.key)) show(current - 1);
  if (e.key === 'Home') show(0);
  if (e.key === 'End') show(pages.length - 1);
  if (e.key === 's' || e.key === 'S') speakerMode();
  if (e.key === 'r' || e.key === 'R') {{ started = Date.now(); tick(); }}
}});
document.addEventListener('click', e => {{
  if (!speaker) show(current + (e.clientX > innerWidth / 2 ? 1 : -1));
}});
const hash = location.hash.slice(1);
if (hash.endsWith('-speaker')) speakerMode();
show(parseInt(hash || '1', 10) - 1, false);
</script>
{f"<script>{served}</script>" if served else ""}
</body>
</html>
"""
