"""The app's rooms: the audience's slide, the speaker's view, and the overlays over them."""

from tui_deck.app.screens.deck import DeckScreen, SlideScreen
from tui_deck.app.screens.overlays import (
    CARD_HEIGHT,
    CARD_WIDTH,
    Card,
    GridOverviewScreen,
    HelpScreen,
    OverviewScreen,
    ProblemsScreen,
    PromptScreen,
)
from tui_deck.app.screens.presenter import PresenterScreen

__all__ = [
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "Card",
    "DeckScreen",
    "GridOverviewScreen",
    "HelpScreen",
    "OverviewScreen",
    "PresenterScreen",
    "ProblemsScreen",
    "PromptScreen",
    "SlideScreen",
]
