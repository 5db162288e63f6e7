"""The served deck's script (serve/follow.py) in Node.js against a small stand-in for the
browser, as tests/layout/test_html_speaker.py runs the export's: messages from the stream
move the tab; a viewer's own keys move only their tab until f; bad messages are ignored."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import SLIDES
from tui_deck.deck import Options, load_deck
from tui_deck.serve.run import ServeOptions, served_page
from tui_deck.words import say

BROWSER = r"""
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const steps = JSON.parse(process.argv[3]);
const stored = JSON.parse(process.argv[4] || '{}');
global.sessionStorage = {
  getItem: k => (k in stored ? stored[k] : null),
  setItem: (k, v) => { stored[k] = String(v); },
  removeItem: k => { delete stored[k]; },
};
const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(m => m[1]);
function element(extra) {
  return Object.assign({ hidden: false, innerHTML: '', textContent: '', dataset: {}, style: {},
    classList: { names: new Set(), add(n) { this.names.add(n); } } }, extra || {});
}
const tag = /<section class="page" ([^>]*)>/g;
const pages = [...html.matchAll(tag)].map(m => {
  const data = {};
  for (const a of m[1].matchAll(/data-([a-z]+)="([^"]*)"/g)) data[a[1]] = a[2];
  return element({ dataset: data });
});
const zooms = [...html.matchAll(/<section class="zoom" ([^>]*)>/g)].map(m => {
  const data = {};
  for (const a of m[1].matchAll(/data-([a-z]+)="([^"]*)"/g)) data[a[1]] = a[2];
  return element({ dataset: data, hidden: true });
});
const handlers = { capture: {}, bubble: {} };
const ids = {};
const rootStyle = {};
const created = [];  // the follow script's: the veil, the badge, its style
const windowHandlers = {};
global.document = {
  body: element({ append: () => {} }),
  head: element({ append: () => {} }),
  documentElement: { style: { setProperty: (k, v) => { rootStyle[k] = v; } } },
  querySelectorAll: s => s === '.page' ? pages : s === 'section.zoom' ? zooms : [],
  getElementById: id => ids[id] || (ids[id] = element()),
  createElement: () => { const e = element(); created.push(e); return e; },
  addEventListener: (type, f, capture) => {
    const phase = capture ? handlers.capture : handlers.bubble;
    (phase[type] = phase[type] || []).push(f);
  },
};
let reloaded = 0;
global.location = { hash: '', href: 'http://127.0.0.1/a/T/', pathname: '/a/T/', search: '',
  reload: () => { reloaded += 1; } };
global.history = { replaceState: (a, b, url) => { location.hash = url; } };
global.innerWidth = 1000;
global.window = global;
window.addEventListener = (type, f) => {
  (windowHandlers[type] = windowHandlers[type] || []).push(f);
};
window.devicePixelRatio = 1.5;
global.setInterval = () => 0;
delete global.BroadcastChannel;
const streams = [];
global.EventSource = function (url) {
  this.url = url; this.listeners = {}; streams.push(this);
  this.addEventListener = (type, f) => { this.listeners[type] = f; };
};
// One script after the other share their top-level names, as classic scripts in a page do.
eval(scripts.join('\n;\n'));
const seen = [];
for (const step of steps) {
  if (step.talk !== undefined) {
    const data = typeof step.talk === 'string' ? step.talk : JSON.stringify(step.talk);
    streams[0].onmessage({ data });
  } else if (step.browserZoom) {
    window.devicePixelRatio = 1.5 * step.browserZoom;
    for (const f of windowHandlers.resize || []) f({});
  } else if (step.reload) {
    streams[0].listeners.reload({ data: '{}' });
  } else {
    const event = { key: step.key, clientX: 900 };
    for (const f of handlers.capture[step.key ? 'keydown' : 'click'] || []) f(event);
    for (const f of handlers.bubble[step.key ? 'keydown' : 'click'] || []) f(event);
  }
  const zoomed = zooms.filter(z => !z.hidden).map(z => [Number(z.dataset.slide), z.dataset.zoom]);
  seen.push({ shown: pages.findIndex(p => !p.hidden), following: document.body.dataset.following,
    zoom: document.body.dataset.zoom, zoomed, browserZoom: rootStyle['--zoom'],
    badge: created[1].style.display + ':' + created[1].textContent });
}
console.log(JSON.stringify({ seen, url: streams[0].url, reloaded, stored,
  following: document.body.dataset.following, start: pages.findIndex(p => !p.hidden) }));
"""


def run(
    steps: list[dict[str, object]], tmp_path: Path, stored: dict[str, str] | None = None
) -> dict[str, object]:
    deck = load_deck(SLIDES, Options(talk=True))
    page = served_page(deck, ServeOptions(SLIDES, Options(talk=True)))
    (tmp_path / "deck.html").write_text(page, encoding="utf-8")
    (tmp_path / "browser.js").write_text(BROWSER, encoding="utf-8")
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js runs the served deck's script in these tests (.ci/run installs it)"
    out = subprocess.run(
        [
            node,
            str(tmp_path / "browser.js"),
            str(tmp_path / "deck.html"),
            json.dumps(steps),
            json.dumps(stored or {}),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def talk(slide: int, **more: object) -> dict[str, object]:
    deck = load_deck(SLIDES, Options(talk=True))
    data: dict[str, object] = {
        "slide": slide,
        "id": str(deck.slides[slide].id),
        "page": 1,
        "pages": 1,
        "step": 0,
        "blank": False,
        "zoom": None,
    }
    return data | more


def test_the_tab_follows_the_talk_until_its_own_keys_and_again_after_f(tmp_path: Path) -> None:
    result = run(
        [
            {"talk": talk(2)},
            {"key": "ArrowRight"},  # the viewer's own move: their tab only
            {"talk": talk(1)},  # the talk moves on; this tab stays where its viewer went
            {"key": "f"},  # follows again: the talk's slide at once
            {"talk": talk(0)},
            {"key": "ArrowLeft"},
            {"key": "F"},
        ],
        tmp_path,
    )
    assert result["url"] == "/a/T/events"
    seen = result["seen"]
    assert isinstance(seen, list)
    assert [s["shown"] for s in seen] == [2, 3, 3, 1, 0, 0, 0]
    assert [s["following"] for s in seen] == ["yes", "no", "no", "yes", "yes", "no", "yes"]
    own = say("zh", "serve_own")  # the seed deck is Chinese
    badges = [s["badge"] for s in seen]  # shown only on the viewer's own, never empty
    assert badges == [
        "none:",
        f"block:{own}",
        f"block:{own}",
        "none:",
        "none:",
        f"block:{own}",
        "none:",
    ]


def test_the_tab_shows_the_picture_the_talk_zooms(tmp_path: Path) -> None:
    """The seed's slides 2 and 4 have one photo each: z on the presenter's side shows that
    photo's zoom page over the deck; a zoom of a picture the slide lacks shows the slide;
    the viewer's own key closes the zoom, f brings it back."""
    result = run(
        [
            {"talk": talk(1, zoom=0)},
            {"talk": talk(3, zoom=0)},
            {"talk": talk(3)},  # the presenter left the zoom
            {"talk": talk(3, zoom=5)},  # no sixth picture: the slide itself
            {"talk": talk(1, zoom=0)},
            {"key": "ArrowRight"},
            {"key": "f"},
        ],
        tmp_path,
    )
    seen = result["seen"]
    assert isinstance(seen, list)
    assert [s["zoomed"] for s in seen] == [
        [[1, "0"]],
        [[3, "0"]],
        [],
        [],
        [[1, "0"]],
        [],
        [[1, "0"]],
    ]
    assert [s["zoom"] for s in seen] == ["0", "0", "", "", "0", "", "0"]
    assert [s["shown"] for s in seen][:5] == [1, 3, 3, 3, 1]


def test_the_browsers_zoom_makes_the_page_larger_to_scroll(tmp_path: Path) -> None:
    """Ctrl + in the viewer's browser (the device pixel ratio grows from the one the page
    opened with, 1.5 here) scales the deck's pages past the window; back at 100% they fit."""
    result = run(
        [{"talk": talk(1)}, {"browserZoom": 2}, {"browserZoom": 1.25}, {"browserZoom": 1}],
        tmp_path,
    )
    seen = result["seen"]
    assert isinstance(seen, list)
    assert [s.get("browserZoom") for s in seen] == [None, "2", "1.25", "1"]
    page = served_page(load_deck(SLIDES, Options(talk=True)), ServeOptions(SLIDES, Options()))
    assert "width: calc(100vw * var(--zoom, 1))" in page


def test_a_viewer_reading_on_their_own_stays_there_when_the_deck_is_made_again(
    tmp_path: Path,
) -> None:
    """A good save reloads every tab: one that follows lands on the talk (the stream's first
    message); one whose viewer went ahead on their own reopens on that page, still on
    their own, and f follows the talk again."""
    ahead = run(
        [{"talk": talk(1)}, {"key": "ArrowRight"}, {"key": "ArrowRight"}, {"reload": True}],
        tmp_path,
    )
    assert ahead["reloaded"] == 1
    stored = ahead["stored"]
    assert isinstance(stored, dict)
    assert json.loads(stored["istio-deck-own"])["slide"] == 3
    again = run([{"talk": talk(1)}, {"key": "f"}], tmp_path, stored)
    seen = again["seen"]
    assert isinstance(seen, list)
    assert [s["shown"] for s in seen] == [3, 1]  # still the viewer's page; f: the talk's
    assert [s["following"] for s in seen] == ["no", "yes"]
    assert again["stored"] == {}  # read back once
    following = run([{"talk": talk(1)}, {"reload": True}], tmp_path)
    assert following["stored"] == {}  # a following tab keeps nothing: it lands on the talk


def test_the_talk_is_found_by_the_slides_id(tmp_path: Path) -> None:
    """A presenter with other --slides picks: the id says which slide, not its number; a
    slide this deck leaves out is not followed."""
    result = run(
        [
            {"talk": talk(3) | {"slide": 0}},
            {"talk": talk(1) | {"id": "a-slide-not-here"}},
        ],
        tmp_path,
    )
    seen = result["seen"]
    assert isinstance(seen, list)
    assert [s["shown"] for s in seen] == [3, 3]


def test_bad_messages_are_ignored_and_a_new_deck_reloads(tmp_path: Path) -> None:
    result = run(
        [
            {"talk": talk(2)},
            {"talk": "<img src=x onerror=alert(1)>"},
            {"talk": talk(1) | {"slide": "1", "id": ""}},
            {"talk": talk(1) | {"blank": "yes"}},
            {"talk": json.dumps([1, 2])},
            {"reload": True},
        ],
        tmp_path,
    )
    seen = result["seen"]
    assert isinstance(seen, list)
    assert [s["shown"] for s in seen] == [2, 2, 2, 2, 2, 2]
    assert result["reloaded"] == 1


def test_the_served_page_sets_text_never_html_from_the_stream() -> None:
    deck = load_deck(SLIDES, Options(talk=True))
    page = served_page(deck, ServeOptions(SLIDES, Options(talk=True)))
    assert f'title="{say(deck.lang, "serve_hint")}"' in page  # the hint: no speaker mode
    assert say(deck.lang, "html_hint") not in page
    follow = re.findall(r"<script>([\s\S]*?)</script>", page)[-1]
    assert "innerHTML" not in follow and "insertAdjacentHTML" not in follow
    assert "document.write" not in follow and "eval(" not in follow
