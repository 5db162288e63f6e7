"""The speaker's room (``--presenter``): current and next slide, notes, the talk's clock.

Slides are paged as the audience's screen pages them (its size comes over the link); b
blanks the projector, not this view; z zooms a picture on the projector while this view
keeps the notes and the clock (← → step through the pictures, z or Escape ends it); ↑ ↓
scroll the notes; the clock counts from the start.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.binding import Binding, BindingType

from tui_deck.app.screens.deck import DeckScreen
from tui_deck.app.screens.zoom import step_zoom
from tui_deck.app.sync import Position
from tui_deck.layout.page import Page
from tui_deck.layout.presenter import layout_presenter, notes_length


class PresenterScreen(DeckScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "notes(-3)", "scroll notes up", show=False),
        Binding("down", "notes(3)", "scroll notes down", show=False),
    ]

    RESTART_RUNNING = True

    def __init__(self) -> None:
        super().__init__()
        #: The audience's screen, as its view reports it (None until it has said).
        self.audience_size: tuple[int, int] | None = None
        #: How far the notes are scrolled (back to the top on another slide).
        self.notes_offset = 0

    def on_mount(self) -> None:
        super().on_mount()
        clock = self.deck_app.clock
        if not clock.restore():
            clock.reset(running=True)  # the talk starts now

    def page_size(self) -> tuple[int, int]:
        """The audience's screen; until it has said, the speaker's own."""
        return self.audience_size or super().page_size()

    def page_at(self, width: int, height: int) -> Page:
        """The speaker's view at this size, paged as the audience's screen is."""
        app = self.deck_app
        pages = self.page_count()
        page = min(max(app.page, 1), pages)
        if page != app.page:
            app.nav.page = page
            app.page = page
        notes = [app.say("blanked")] if app.blank else []
        if app.views is not None and app.views.problem:
            notes.append(app.say("alone"))
        if app.problem_count():
            notes.append(f"⚠ {app.problem_count()}")
        clock = app.options.clock
        talk = app.clock.talk(
            app.options.duration, clock().strftime("%H:%M") if clock else "", "  ".join(notes)
        )
        return layout_presenter(
            app.deck,
            app.slide,
            page,
            pages,
            width,
            height,
            app.deck_theme,
            talk,
            self.notes_offset,
            app.options.ambiguous_wide,
            app.options.cell_aspect,
            self.page_size(),
            app.reveal,
        )

    def position(self) -> Position:
        return self.talk_position(speaker=True)  # (0 x 0: the speaker's view shows no pages)

    def on_seen(self, position: Position) -> None:
        """The speaker's pages follow the audience's screen."""
        size = (position.width, position.height)
        if not position.speaker and size[0] > 0 and size != self.audience_size:
            self.audience_size = size
            self.view.refresh()

    def slide_changed(self) -> None:
        self.notes_offset = 0

    def report_problems(self, lines: list[str]) -> None:
        """The speaker is told (the projector only counts them in its footer)."""
        app = self.deck_app
        more = len(lines) - 1
        extra = f"\n({app.say('problems', more=more)})" if more > 0 else ""
        app.notify(lines[0] + extra, title=app.say("problems_title"), severity="warning", timeout=8)

    def tell_link_problem(self, problem: str) -> None:
        """The speaker is told (the footer keeps saying it while it lasts)."""
        app = self.deck_app
        app.notify(app.say("not_linked", why=problem), severity="warning", timeout=8)

    def tick(self) -> None:
        self.view.refresh()  # the talk's clock

    def beat(self) -> None:
        self.deck_app.clock.save()

    def show_zoom(self, zoom: int | None) -> None:
        """The projector zooms; the speaker keeps the notes and the clock, told which
        picture the room sees."""
        if zoom is not None:
            app = self.deck_app
            count = len(self.pictures())
            app.notify(app.say("zoom_projector", number=zoom + 1, count=count), timeout=4)

    def action_next(self) -> None:
        if self.deck_app.zoom is None:
            super().action_next()
        else:
            step_zoom(self.deck_app, self, 1)

    def action_previous(self) -> None:
        if self.deck_app.zoom is None:
            super().action_previous()
        else:
            step_zoom(self.deck_app, self, -1)

    def action_zoom(self) -> None:
        if self.deck_app.zoom is None:
            super().action_zoom()
        else:
            self.action_unzoom()

    def action_clear(self) -> None:
        if self.deck_app.zoom is None:
            super().action_clear()
        else:
            self.action_unzoom()

    def action_unzoom(self) -> None:
        app = self.deck_app
        app.step(partial(app.nav.zoom_to, None))

    def action_notes(self, rows: int) -> None:
        """↑ ↓: scroll the notes."""
        app = self.deck_app
        width = max(1, self.view.size.width)
        length = notes_length(app.deck, app.slide, width, app.deck_theme)
        self.notes_offset = min(max(0, self.notes_offset + rows), max(0, length - 1))
        self.view.refresh()
