"""Which way to draw pictures: colour half-blocks everywhere, Kitty graphics or Sixel where
the terminal is known to have them.

Detection never queries the terminal while Textual runs: ``auto`` decides from the
environment (Kitty sets ``KITTY_WINDOW_ID``; Ghostty and WezTerm name themselves in
``TERM_PROGRAM``), and falls back to half-blocks wherever it is unsure — inside tmux, on a
pipe, on a dumb terminal. Sixel is used only when asked for (``--images sixel``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

MODES = ("auto", "blocks", "kitty", "sixel", "none")
KITTY_TERMINALS = ("ghostty", "wezterm")


def choose(mode: str, environ: Mapping[str, str] | None = None, tty: bool | None = None) -> str:
    """The drawing method for ``--images MODE``: kitty, sixel, blocks or none."""
    env = os.environ if environ is None else environ
    if mode in ("blocks", "none"):
        return mode
    if mode in ("kitty", "sixel"):
        return mode if _available() else "blocks"
    is_tty = sys.stdout.isatty() if tty is None else tty
    if not is_tty or env.get("TMUX") or env.get("TERM", "") in ("", "dumb", "linux"):
        return "blocks"
    kitty = env.get("KITTY_WINDOW_ID") or env.get("TERM") == "xterm-kitty"
    if kitty or env.get("TERM_PROGRAM", "").lower() in KITTY_TERMINALS:
        return "kitty" if _available() else "blocks"
    return "blocks"


def _available() -> bool:
    try:
        import textual_image  # noqa: F401
    except ImportError:
        return False
    return True


def prepare(method: str) -> None:
    """Load the pixel protocol before the app starts (textual-image asks the terminal for
    its cell size once, at import: it must not happen while Textual owns the screen)."""
    if method in ("kitty", "sixel"):
        import textual_image.widget  # noqa: F401
