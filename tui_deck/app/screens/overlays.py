"""Overlays over the slide: help, overview, jump and search prompts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_deck.app.widgets import SlideView
from tui_deck.deck import Deck
from tui_deck.layout.page import Page
from tui_deck.layout.theme import Theme
from tui_deck.pictures import Pictures
from tui_deck.words import WORDS, say

#: The help screen's rows: the keys (a word key, or keys written the same in both
#: languages) and what they do (a word key of tui_deck.words).
HELP = [
    ("help_next_keys", "help_next"),
    ("help_previous_keys", "help_previous"),
    ("Home g / End G", "help_ends"),
    ("help_number_keys", "help_number"),
    (":", "help_jump"),
    ("o Tab", "help_overview"),
    ("/  n  N", "help_search"),
    ("t / T", "help_timer"),
    ("f", "help_footer"),
    ("b", "help_blank"),
    ("z", "help_zoom"),
    ("e", "help_exec"),
    ("↑ ↓", "help_notes"),
    ("r", "help_reload"),
    ("?", "help_help"),
    ("q Ctrl+C", "help_quit"),
    ("help_mouse_keys", "help_mouse"),
]


def help_text(lang: str, room: int = 0) -> Text:
    """The keys in two columns; narrower than ``room`` cells (when given and the columns do
    not fit), each key over its meaning, the meaning wrapped under it."""
    rows = [(say(lang, k) if k in WORDS else k, say(lang, what)) for k, what in HELP]
    title = say(lang, "keys")
    text = Text(f"{title}\n\n", style="bold")
    width = max(Text(k).cell_len for k, _ in rows) + 3
    stacked = room > 0 and width + max(Text(w).cell_len for _, w in rows) > room
    for keys, what in rows:
        text.append(keys, "bold")
        if stacked:
            for line in Text(what).wrap(Console(width=room), max(8, room - 4)):
                text.append("\n    ")
                text.append_text(line)
            text.append("\n")
        else:
            text.append(" " * (width - Text(keys).cell_len) + what + "\n")
    text.rstrip()
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "close")]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):  # scrolls on screens too small for it
            yield Static(help_text(self.lang), id="help")

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Within the screen, above the footer: two columns when they fit, else each key
        over its meaning; taller than the room left, it scrolls."""
        width, height = self.app.size
        box = self.query_one("#help-box", VerticalScroll)
        box.styles.max_height = max(3, height - 3)
        # The box takes 90% of the width; its border, padding and a scroll bar the rest.
        room = int(width * 0.9) - 2 - 6 - 2
        self.query_one("#help", Static).update(help_text(self.lang, room))

    def on_click(self) -> None:
        self.dismiss()


class OverviewScreen(ModalScreen[int | None]):
    """Every slide with its first line; arrows move, Enter opens."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,o,tab,q", "dismiss_none", "close")]

    def __init__(self, deck: Deck, current: int) -> None:
        super().__init__()
        self.deck = deck
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        room = max(10, int(self.app.size.width * 0.9) - 12)
        for pos, slide in enumerate(self.deck.slides):
            first = next((line for line in slide.text().split("\n")[1:] if line.strip()), "")
            label = Text.assemble(
                (f"{pos + 1:>3}  ", "dim"),
                ("  " * max(0, slide.level - 1), ""),
                (slide.title, "bold"),
            )
            if first:
                preview = Text(first, "dim")
                preview.truncate(room, overflow="ellipsis")
                label.append("\n      ")
                label.append_text(preview)
            options.append(Option(label, id=str(pos)))
        yield OptionList(*options, id="overview")

    def on_mount(self) -> None:
        overview = self.query_one(OptionList)
        overview.highlighted = self.current
        overview.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


#: A live preview is a real slide page at this size (the smallest the layout supports).
CARD_WIDTH, CARD_HEIGHT = 40, 12


@dataclass(frozen=True)
class Cards:
    """What the grid overview shows: each slide's card page (slide, width, height → the
    page, ``layout.miniature.card``), and how its pictures are drawn (None: frames only)."""

    deck: Deck
    page: Callable[[int, int, int], Page]
    theme: Theme
    pictures: Pictures | None = None
    backing: str = "auto"


class Card(Widget):
    """One slide of the grid overview: its card page in a SlideView, which draws the
    pictures when their workers are done (the frame until then)."""

    DEFAULT_CSS = f"""
    Card SlideView {{ width: {CARD_WIDTH}; height: {CARD_HEIGHT}; }}
    """

    def __init__(self, cards: Cards, position: int) -> None:
        super().__init__(classes="card")
        self.cards = cards
        self.position = position
        self.border_title = str(position + 1)

    def compose(self) -> ComposeResult:
        view = SlideView()
        view.source = self._page
        view.theme_colors = self.cards.theme
        view.lang = self.cards.deck.lang
        view.pictures = self.cards.pictures
        view.backing = self.cards.backing
        yield view

    def _page(self, width: int, height: int) -> Page:
        try:
            return self.cards.page(self.position, width, height)
        except Exception:  # the slide shows its error when opened; its card, its title
            title = Text(self.cards.deck.slides[self.position].title)
            return Page(self.position, 1, 1, [title] + [Text() for _ in range(height - 1)])

    def on_click(self) -> None:
        screen = self.screen
        if isinstance(screen, GridOverviewScreen):
            screen.dismiss(self.position)


class GridBox(VerticalScroll, can_focus=False):
    """The grid's scroll box: it follows the highlight; the arrows move the highlight."""


class GridOverviewScreen(ModalScreen[int | None]):
    """Live previews of every slide in a grid; arrows move, Enter opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,o,tab,q", "dismiss_none", "close"),
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move_row(-1)", show=False),
        Binding("down", "move_row(1)", show=False),
        Binding("enter", "open", show=False),
    ]

    def __init__(self, cards: Cards, current: int, columns: int) -> None:
        super().__init__()
        self.cards = cards
        self.current = current
        self.columns = columns

    def compose(self) -> ComposeResult:
        with GridBox(id="grid-box"), Grid(id="grid"):
            for position in range(len(self.cards.deck.slides)):
                yield Card(self.cards, position)

    def on_mount(self) -> None:
        grid = self.query_one("#grid", Grid)
        grid.styles.grid_size_columns = self.columns
        self._select(self.current)

    def _select(self, position: int) -> None:
        cards = list(self.query(Card))
        self.current = max(0, min(position, len(cards) - 1))
        for card in cards:
            card.set_class(card.position == self.current, "selected")
        cards[self.current].scroll_visible(animate=False)

    def action_move(self, step: int) -> None:
        self._select(self.current + step)

    def action_move_row(self, step: int) -> None:
        self._select(self.current + step * self.columns)

    def action_open(self) -> None:
        self.dismiss(self.current)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """One line of input at the bottom: a slide to jump to, or text to search for. With
    suggestions, the completion shown is what Enter opens; Tab (or →) accepts it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "cancel"),
        Binding("tab", "complete", "complete", show=False, priority=True),
    ]

    def __init__(self, prompt: str, suggestions: list[str] | None = None) -> None:
        super().__init__()
        self.prompt = prompt
        self.suggestions = suggestions or []

    def compose(self) -> ComposeResult:
        suggester = (
            SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
        )
        yield Input(placeholder=self.prompt, suggester=suggester, id="prompt")

    def completion(self, value: str) -> str:
        """What the input's suggester shows for ``value`` (the first suggestion it starts,
        ignoring case), or ``value`` itself."""
        folded = value.casefold()
        if not folded:
            return value
        return next((s for s in self.suggestions if s.casefold().startswith(folded)), value)

    def action_complete(self) -> None:
        field = self.query_one(Input)
        field.value = self.completion(field.value)
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self.completion(event.value).strip() or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ProblemsScreen(ModalScreen[None]):
    """The deck's problems (diagnostics, a broken edit), listed on request (`!`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,exclamation_mark,enter", "dismiss", "close")
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        text = Text(f"{self.title_text}\n\n", style="bold")
        text.append("\n".join(self.lines))
        with VerticalScroll(id="problems-box"):
            yield Static(text, id="problems")

    def on_click(self) -> None:
        self.dismiss()
