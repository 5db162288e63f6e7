"""Which way to draw pictures: colour half-blocks everywhere, Kitty graphics or Sixel where
the terminal is known to have them.

Detection never queries the terminal: ``auto`` decides from the environment (Kitty sets
``KITTY_WINDOW_ID`` and ``TERM=xterm-kitty``; Ghostty and WezTerm name themselves in
``TERM_PROGRAM``) and falls back to half-blocks wherever it is unsure — on a pipe, on a dumb
terminal, inside screen or Zellij. Inside tmux it asks the tmux server (``tmux
display-message``, a subprocess: what tmux knows of the terminal it draws on, and whether it
passes graphics through): an outer kitty or Ghostty with ``allow-passthrough`` on and 24-bit
colour gets Kitty graphics as unicode placeholders (app/kitty_placeholders.py), any other
half-blocks, with advice for the presenter when one tmux setting is all that is missing.
WezTerm gets Sixel (it has no unicode placeholders, which textual-image's Kitty pictures
use). Sixel elsewhere only when asked for (``--images sixel``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

MODES = ("auto", "blocks", "kitty", "placeholders", "sixel", "none")
#: What the app is told to draw with (``auto`` resolved; anything else means half-blocks).
METHODS = ("kitty", "placeholders", "sixel", "none")
#: Outer terminals that draw kitty's unicode placeholders (tmux's names for them).
PLACEHOLDER_TERMINALS = ("kitty", "ghostty")
#: Terminal multiplexers other than tmux: they pass no graphics (half-blocks there).
MULTIPLEXERS = ("STY", "ZELLIJ")


@dataclass(frozen=True)
class Tmux:
    """What the tmux server says of the client terminal it draws on."""

    termname: str = ""  # the client's TERM, e.g. xterm-kitty
    termtype: str = ""  # what the terminal calls itself (tmux asks it), e.g. kitty(0.35.2)
    features: str = ""  # tmux's feature list for it, e.g. "256,RGB,title"
    passthrough: bool = False  # allow-passthrough is on (or all) for this pane

    @property
    def kitty(self) -> bool:
        """The outer terminal draws kitty's unicode placeholders."""
        name, kind = self.termname.lower(), self.termtype.lower()
        return any(term in name or kind.startswith(term) for term in PLACEHOLDER_TERMINALS)

    @property
    def rgb(self) -> bool:
        """tmux passes 24-bit colours on (the cells' colour carries the picture's id)."""
        return "RGB" in self.features.split(",")


TmuxProbe = Callable[[Mapping[str, str]], Tmux | None]

_FORMAT = "#{client_termname}\t#{client_termtype}\t#{client_termfeatures}\t#{allow-passthrough}"


def probe_tmux(environ: Mapping[str, str]) -> Tmux | None:
    """Ask the tmux server (never the terminal) about this pane's client; None if it cannot
    say (no tmux, too old, an error)."""
    command = ["tmux", "display-message", "-p"]
    pane = environ.get("TMUX_PANE", "")
    if pane:
        command += ["-t", pane]
    command.append(_FORMAT)
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=2.0,
            check=False,
            stdin=subprocess.DEVNULL,
            env=dict(environ),
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    fields = done.stdout.rstrip("\n").split("\t")
    if done.returncode != 0 or len(fields) != 4:
        return None
    # A flag option reads 1/0 (tmux 3.3), a choice its number (3.4: off 0, on 1, all 2).
    passthrough = fields[3].strip().lower() in ("1", "2", "on", "all")
    return Tmux(fields[0].strip(), fields[1].strip(), fields[2].strip(), passthrough)


def decide(
    mode: str,
    environ: Mapping[str, str] | None = None,
    tty: bool | None = None,
    tmux: TmuxProbe = probe_tmux,
) -> tuple[str, str]:
    """The drawing method for ``--images MODE`` (kitty, placeholders, sixel, blocks or none)
    and, inside tmux, the words key of advice for the presenter ("" when none)."""
    env = os.environ if environ is None else environ
    if mode in ("blocks", "none"):
        return mode, ""
    if mode == "sixel":
        return ("sixel" if _available() else "blocks"), ""
    in_tmux = bool(env.get("TMUX"))
    if mode == "placeholders" or (mode == "kitty" and in_tmux):
        # Asked for: Kitty graphics it is (inside tmux as placeholders), unless tmux says
        # it will not pass them on (then half-blocks, and how to change that).
        advice = _advice(tmux(env), asked=True) if in_tmux else ""
        return ("blocks" if advice else "placeholders"), advice
    if mode == "kitty":
        return ("kitty" if _available() else "blocks"), ""
    is_tty = sys.stdout.isatty() if tty is None else tty
    term = env.get("TERM", "")
    if not is_tty or term in ("", "dumb", "linux") or env.get("NO_COLOR"):
        return "blocks", ""  # no colours: the pictures' ids would be lost with them
    if in_tmux:
        facts = tmux(env)
        if facts is not None and facts.kitty and facts.passthrough and facts.rgb:
            return "placeholders", ""
        return "blocks", _advice(facts)
    if term.startswith("screen") or any(env.get(name) for name in MULTIPLEXERS):
        return "blocks", ""
    program = env.get("TERM_PROGRAM", "").lower()
    if env.get("KITTY_WINDOW_ID") or term == "xterm-kitty" or program == "ghostty":
        return ("kitty" if _available() else "blocks"), ""
    if program == "wezterm":
        return ("sixel" if _available() else "blocks"), ""
    return "blocks", ""


def choose(
    mode: str,
    environ: Mapping[str, str] | None = None,
    tty: bool | None = None,
    tmux: TmuxProbe = probe_tmux,
) -> str:
    """The drawing method for ``--images MODE``: kitty, placeholders, sixel, blocks or none."""
    return decide(mode, environ, tty, tmux)[0]


def _advice(facts: Tmux | None, asked: bool = False) -> str:
    """What the presenter is told when tmux stands between kitty (or, ``asked`` for Kitty
    graphics, any terminal) and the pictures."""
    if facts is None or not (facts.kitty or asked):
        return ""
    if not facts.passthrough:
        return "tmux_passthrough"
    if facts.features and not facts.rgb:
        return "tmux_rgb"
    return ""


def _available() -> bool:
    try:
        import textual_image  # noqa: F401
    except ImportError:
        return False
    return True


def prepare(method: str) -> None:
    """Before the app starts: load the pixel protocol (textual-image asks the terminal for
    its cell size once, at import: it must not happen while Textual owns the screen); for
    placeholders, have Textual write 24-bit colours (they carry the pictures' ids; tmux said
    its terminal takes them)."""
    if method in ("kitty", "sixel"):
        import textual_image.widget  # noqa: F401
    colorterm = os.environ.get("COLORTERM", "").lower()
    if method == "placeholders" and colorterm not in ("truecolor", "24bit"):
        os.environ["COLORTERM"] = "truecolor"
