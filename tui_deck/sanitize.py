"""Keep untrusted text from reaching the terminal raw.

Every string that comes from a post (body, front matter, captions, file names, URLs) passes
through :func:`clean` before it is stored in the model, so renderers and exporters never see
escape sequences or control characters.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [), OSC (ESC ]), DCS (ESC P), APC (ESC _), PM (ESC ^),
# SOS (ESC X), then the two-byte forms. String sequences run to BEL or ST (ESC \\ or 0x9c).
_ESC_SEQ = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)   # OSC / DCS / SOS / PM / APC ... terminator
    | \x1b[ -/]*[0-~]?                  # other ESC sequences (charset, keypad, ...)
    | [\x9b][0-?]*[ -/]*[@-~]?          # 8-bit CSI
    | [\x9d\x90\x98\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|$)  # 8-bit OSC/DCS/SOS/PM/APC
    """,
    re.VERBOSE | re.DOTALL,
)
# Remaining C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can make text display in a misleading order
# ("Trojan Source"); they are shown visibly instead of being obeyed.
_BIDI = {
    "\u202a": "⟨LRE⟩",
    "\u202b": "⟨RLE⟩",
    "\u202c": "⟨PDF⟩",
    "\u202d": "⟨LRO⟩",
    "\u202e": "⟨RLO⟩",
    "\u2066": "⟨LRI⟩",
    "\u2067": "⟨RLI⟩",
    "\u2068": "⟨FSI⟩",
    "\u2069": "⟨PDI⟩",
}
_BIDI_RE = re.compile("[" + "".join(_BIDI) + "]")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """Return ``text`` without escape sequences or control characters.

    Tabs become spaces in the terminal anyway, so they are kept; newlines are kept unless
    ``keep_newlines`` is false (then they become spaces).
    """
    if not text:
        return text
    if _needs_cleaning(text):
        text = _ESC_SEQ.sub("", text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL.sub("", text)
        text = _BIDI_RE.sub(lambda m: _BIDI[m.group(0)], text)
    if not keep_newlines:
        text = text.replace("\n", " ")
    return text


def clean_line(text: str) -> str:
    """Clean text for a one-line context (titles, messages, file names)."""
    return clean(text, keep_newlines=False).replace("\t", " ")


_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _needs_cleaning(text: str) -> bool:
    return _SUSPECT.search(text) is not None
