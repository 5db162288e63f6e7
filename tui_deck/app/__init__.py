"""The Textual presenter: a thin shell over the pure core (deck, layout)."""

from tui_deck.app.app import DeckApp, make_app
from tui_deck.app.options import AppOptions

__all__ = ["AppOptions", "DeckApp", "make_app"]
