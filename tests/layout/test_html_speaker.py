"""The HTML deck's speaker mode: notes, next page and a timer, the audience's window following.

The page script runs in Node.js against a small stand-in for the browser (.ci/run installs
Node.js): keys are dispatched as a browser would, and what the speaker and the audience see
is read back from the elements the script changed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SLIDES
from tui_deck.cli import main
from tui_deck.export.raster import notes_html

BROWSER = r"""
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const script = html.match(/<script>([\s\S]*)<\/script>/)[1];
const keys = JSON.parse(process.argv[3]);
function element(extra) {
  return Object.assign({ hidden: false, innerHTML: '', textContent: '', dataset: {},
    classList: { names: new Set(), add(n) { this.names.add(n); } } }, extra || {});
}
const section = /<section class="page" data-n="(\d+)" data-slide="(\d+)" data-title="([^"]*)"/g;
const pages = [...html.matchAll(section)]
  .map(m => element({ dataset: { title: m[3] }, innerHTML: 'page ' + m[1] }));
const notes = [...html.matchAll(/<template class="notes" data-n="\d+">([\s\S]*?)<\/template>/g)]
  .map(m => element({ innerHTML: m[1] }));
const ids = {};
const handlers = {};
const sent = [];
const opened = [];
global.document = {
  body: element(),
  querySelectorAll: s => s === '.page' ? pages : notes,
  getElementById: id => ids[id] || (ids[id] = element()),
  addEventListener: (type, f) => { handlers[type] = f; },
};
global.location = { hash: '', href: 'file:///deck.html' };
global.history = { replaceState: (a, b, url) => { location.hash = url; } };
global.innerWidth = 1000;
global.window = global;
const deckId = html.match(/const deck = "([0-9a-f]+)"/)[1];
window.opener = { closed: false, postMessage: m => sent.push(m) };
window.open = url => { const w = { closed: false, url, postMessage: m => sent.push(m) };
  opened.push(url); return w; };
window.addEventListener = (type, f) => { handlers['window-' + type] = f; };
global.setInterval = () => 0;
delete global.BroadcastChannel;  // Node has one; a file:// page in a browser may not
eval(script);
const seen = [];
for (const key of keys) {
  if (key.startsWith('message:')) {  // from the window that opened this one
    handlers['window-message']({ data: { istioDeck: +key.slice(8), deck: deckId },
      source: window.opener });
  } else if (key.startsWith('stranger:')) {  // another deck, or a page that is not ours
    handlers['window-message']({ data: { istioDeck: +key.slice(9), deck: 'other' },
      source: window.opener });
    handlers['window-message']({ data: { istioDeck: +key.slice(9), deck: deckId },
      source: { not: 'ours' } });
  } else {
    handlers.keydown({ key });
  }
  seen.push({
    key,
    visible: pages.map(p => !p.hidden),
    speaker: document.body.classList.names.has('speaker'),
    now: ids.now ? ids.now.innerHTML : '',
    next: ids.next ? ids.next.innerHTML : '',
    notes: ids.notes ? ids.notes.innerHTML : '',
    where: ids.where ? ids.where.textContent : '',
    hash: location.hash,
  });
}
console.log(JSON.stringify({ seen, sent, opened }));
process.exit(0);
"""


@pytest.fixture
def deck_html(tmp_path: Path) -> Path:
    assert main(["export", str(SLIDES), "--format", "html", "-o", str(tmp_path)]) == 0
    return tmp_path / "deck.html"


def browse(html: Path, keys: list[str], tmp_path: Path) -> dict[str, list[dict[str, object]]]:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js runs the HTML deck's script in these tests (.ci/run installs it)"
    runner = tmp_path / "browser.js"
    runner.write_text(BROWSER, encoding="utf-8")
    out = subprocess.run(
        [node, str(runner), str(html), json.dumps(keys)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, list[dict[str, object]]] = json.loads(out.stdout)
    return result


def test_the_html_deck_carries_each_slides_notes_as_safe_html(deck_html: Path) -> None:
    html = deck_html.read_text(encoding="utf-8")
    templates = re.findall(r'<template class="notes" data-n="\d+">(.*?)</template>', html, re.S)
    assert len(templates) == 4  # one per page
    assert templates[0] == ""  # the title slide has none
    assert "<strong>开场</strong>" in templates[1]
    assert "<li>今天是 Istio 的 <strong>4" in templates[1]
    assert "<ol>" in templates[2]
    assert "Pratima Nambiar" in templates[3]


def test_raw_html_in_notes_is_shown_as_text_never_run() -> None:
    rendered = notes_html('Say hi <script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<script>" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;" in rendered
    assert notes_html("   ") == ""


def test_speaker_mode_shows_notes_and_next_page_and_opens_the_audience(
    deck_html: Path, tmp_path: Path
) -> None:
    result = browse(deck_html, ["ArrowRight", "s", "ArrowRight", "message:0", "End"], tmp_path)
    first, speaker, moved, followed, end = result["seen"]
    assert first["visible"] == [False, True, False, False] and not first["speaker"]
    assert speaker["speaker"] and speaker["visible"] == [False] * 4  # the speaker's own layout
    assert speaker["now"] == "page 1" and speaker["next"] == "page 2"
    assert "<strong>开场</strong>" in str(speaker["notes"]) and speaker["where"] == "2 / 4"
    assert result["opened"] == ["file:///deck.html#2"]  # the audience's window
    assert moved["now"] == "page 2" and "<ol>" in str(moved["notes"])
    sent = [message["istioDeck"] for message in result["sent"]]  # type: ignore[index]
    assert 2 in sent  # the audience's window follows
    assert followed["now"] == "page 0" and "本页没有备注" in str(followed["notes"])
    assert 0 not in sent  # a followed move is not sent back
    assert end["next"].startswith("<p>（已是最后一页）")  # type: ignore[union-attr]


def test_the_audience_window_follows_and_leads(deck_html: Path, tmp_path: Path) -> None:
    result = browse(deck_html, ["message:2", "ArrowLeft", "stranger:3", "Home"], tmp_path)
    followed, back, stranger, home = result["seen"]
    assert followed["visible"] == [False, False, True, False] and followed["hash"] == "#3"
    assert back["visible"] == [False, True, False, False]
    assert {
        "istioDeck": 1,
        "deck": re.search(r'const deck = "(\w+)"', deck_html.read_text())[1],
    } in result["sent"]  # type: ignore[index]
    assert stranger["visible"] == back["visible"]  # another deck's or a stranger's message
    assert home["visible"][0] is True and not home["speaker"]
