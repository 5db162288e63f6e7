"""The Textual presenter: a thin shell over the pure core (deck, layout)."""

from tui_deck.app.app import AppOptions, DeckApp, make_app

__all__ = ["AppOptions", "DeckApp", "make_app"]
