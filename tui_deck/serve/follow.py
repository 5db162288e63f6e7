"""The script a served HTML deck carries: it follows the talk.

It opens the server's event stream and shows the page of the talk's position (slide id,
page, step), the zoom page of the picture the talk zooms (z), blanks the screen when the
talk is blank, and reloads the deck when the
server made a new one (a good save). The stream carries data only: numbers, booleans and
the slide's id, which the script compares and never puts into the page. A viewer's own
keys (or clicks) move only their tab, until ``f`` follows the talk again.
"""

from __future__ import annotations

import json

from tui_deck.words import say

_SCRIPT = """
(() => {
const words = %(words)s;
const talk = {slide: 0, id: '', page: 1, pages: 1, step: 0, blank: false, zoom: null};
let following = true, heard = false;
const veil = document.createElement('div');
veil.style.cssText = 'position:fixed;inset:0;background:#000;display:none;z-index:10';
const badge = document.createElement('div');
badge.style.cssText = 'position:fixed;right:1em;top:0.5em;color:#c9d1d9;z-index:11;'
  + 'background:rgba(0,0,0,0.6);padding:2px 8px;border-radius:4px;font:14px sans-serif';
document.body.append(veil, badge);
// The browser's zoom (Ctrl +) makes the page larger than the window, to scroll, as on any
// web page (the deck's pages fit the window otherwise, at every zoom).
const fit = document.createElement('style');
fit.textContent = 'body { display: grid; place-items: safe center; place-content: safe center; }'
  + ' .page svg, .zoom svg { display: block; width: calc(100vw * var(--zoom, 1));'
  + ' height: calc(100vh * var(--zoom, 1)); }'
  + ' #pos { display: none; }';  // the page's own footer says where it is
document.head.append(fit);
const unzoomed = window.devicePixelRatio || 1;
function browserZoom() {
  const z = Math.max(1, (window.devicePixelRatio || 1) / unzoomed);
  document.documentElement.style.setProperty('--zoom', String(Math.min(z, 8)));
}
window.addEventListener('resize', browserZoom);
function say() {
  badge.textContent = following ? '' : words.own;
  badge.style.display = following ? 'none' : 'block';  // no empty pill while following
  document.body.dataset.following = following ? 'yes' : 'no';
}
function where(t) {
  const same = pages.filter(
    p => t.id ? p.dataset.id === t.id : Number(p.dataset.slide) === t.slide);
  if (!same.length) return -1;
  const count = Number(same[0].dataset.pages);
  const page = t.pages > 1 && count > 1
    ? 1 + Math.round((Math.min(t.page, t.pages) - 1) * (count - 1) / (t.pages - 1)) : 1;
  const onPage = same.filter(p => Number(p.dataset.page) === page);
  if (!onPage.length) return Number(same[0].dataset.n);
  let pick = onPage[onPage.length - 1];
  if (t.step > 0) {
    const upTo = onPage.filter(p => Number(p.dataset.step) <= t.step);
    pick = upTo.length ? upTo[upTo.length - 1] : onPage[0];
  }
  return Number(pick.dataset.n);
}
const zooms = [...document.querySelectorAll('section.zoom')];
function zoomed(t) {
  if (t.zoom === null) return null;
  return zooms.find(z => (t.id ? z.dataset.id === t.id : Number(z.dataset.slide) === t.slide)
    && Number(z.dataset.zoom) === t.zoom) || null;
}
function apply() {
  say();
  if (!following || !heard) { veil.style.display = 'none'; unzoom(); return; }
  veil.style.display = talk.blank ? 'block' : 'none';
  const n = where(talk);
  if (n >= 0) show(n, false);
  const z = zoomed(talk);
  zooms.forEach(s => { s.hidden = s !== z; });
  document.body.dataset.zoom = z ? String(talk.zoom) : '';
}
function unzoom() {
  zooms.forEach(s => { s.hidden = true; });
  document.body.dataset.zoom = '';
}
function number(v) { return Number.isInteger(v) && v >= 0 && v <= 100000; }
function heardMove(data) {
  if (!data || typeof data !== 'object') return;
  if (![data.slide, data.page, data.pages, data.step].every(number)) return;
  if (typeof data.blank !== 'boolean' || typeof data.id !== 'string') return;
  if (data.zoom !== null && !number(data.zoom)) return;
  for (const key of Object.keys(talk)) talk[key] = data[key];
  heard = true;
  apply();
}
const base = location.pathname.replace(/\\/?$/, '/');
const stream = new EventSource(base + 'events' + location.search);
stream.onmessage = e => { try { heardMove(JSON.parse(e.data)); } catch (_) {} };
// A new deck (a good save): the tab loads it; a viewer reading on their own stays where they
// were, still on their own (kept for this tab only, read back once at load).
const KEEP = 'istio-deck-own';
stream.addEventListener('reload', () => {
  try {
    const p = pages[current].dataset;
    if (!following) sessionStorage.setItem(KEEP, JSON.stringify({id: p.id,
      slide: Number(p.slide), page: Number(p.page), pages: Number(p.pages),
      step: Number(p.step)}));
  } catch (_) {}
  location.reload();
});
function keptOwn() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEEP) || 'null');
    sessionStorage.removeItem(KEEP);
    if (!kept || typeof kept !== 'object' || typeof kept.id !== 'string') return;
    if (![kept.slide, kept.page, kept.pages, kept.step].every(number)) return;
    const n = where(kept);
    if (n < 0) return;
    following = false;
    show(n, false);
  } catch (_) {}
}
const own = ['ArrowRight', 'PageDown', ' ', 'l', 'j', 'ArrowLeft', 'PageUp', 'Backspace',
  'h', 'k', 'Home', 'End'];
document.addEventListener('keydown', e => {
  if (e.key === 'f' || e.key === 'F') { following = true; apply(); }
  else if (own.includes(e.key)) alone();
}, true);
function alone() { following = false; say(); veil.style.display = 'none'; unzoom(); }
document.addEventListener('click', alone, true);
keptOwn();
say();
})();
"""


def follow_script(lang: str) -> str:
    """The script, with the words a viewer reads in the deck's language."""
    words = {"own": say(lang, "serve_own")}
    # json.dumps with "<" escaped: the words can never close the script element.
    text = json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")
    return _SCRIPT % {"words": text}
