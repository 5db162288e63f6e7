"""What the presenter app is asked to do (the CLI and the tests fill it in), and the
words it says, in the deck's language."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui_deck.deck import Options
from tui_deck.layout.blocks import CELL_ASPECT

Clock = Callable[[], dt.datetime]


@dataclass
class AppOptions:
    path: Path
    deck_options: Options = field(default_factory=Options)
    theme: str = "dark"
    start: str | None = None
    autoplay: float | None = None
    loop: bool = False
    watch: bool = True
    ambiguous_wide: bool = False
    #: "auto" or "blocks": colour half-blocks; "kitty", "sixel": pixel protocols;
    #: "placeholders": Kitty graphics as unicode placeholders (tmux); "none": frames only.
    images: str = "auto"
    #: What pictures with transparency are laid on (tui_deck.images.BACKINGS).
    picture_backing: str = "auto"
    #: A terminal cell's width divided by its height, for the shape of pictures.
    cell_aspect: float = CELL_ASPECT
    #: The wall clock shown in the footer; None hides it (tests and exports).
    clock: Clock | None = dt.datetime.now
    #: The monotonic time the talk timer counts with (tests pass a fake).
    monotonic: Callable[[], float] = time.monotonic
    #: Start from the parsed deck kept by the last run when nothing changed (tui_deck.cache).
    cache: bool = False
    #: The speaker's view: current and next slide, notes, elapsed time and countdown.
    presenter: bool = False
    #: The talk's planned length in seconds (the presenter's countdown).
    duration: float | None = None
    #: Keep every view of this deck in step through a per-user socket (tui_deck.app.sync).
    link: bool = False
    #: Live commands (``<!-- exec -->`` code blocks) may run: ``e`` runs one (--allow-exec).
    allow_exec: bool = False
