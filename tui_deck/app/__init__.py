"""The Textual presenter: a thin shell over the pure core (deck, layout).

The app is imported on first use (``from tui_deck.app import make_app``), so the modules of
this package that hold no Textual (sync: the link between views; reload) can be used by
``istio-deck serve`` without loading Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_deck.app.app import DeckApp, make_app
    from tui_deck.app.options import AppOptions

__all__ = ["AppOptions", "DeckApp", "make_app"]


def __getattr__(name: str) -> object:
    if name in ("DeckApp", "make_app"):
        from tui_deck.app import app

        return getattr(app, name)
    if name == "AppOptions":
        from tui_deck.app.options import AppOptions

        return AppOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
