"""Live commands in the app (``e``, only with ``--allow-exec``): the panel that shows what
the command prints, over the slide's lower part (above its footer), and the room's part
(``LiveRoom``: which block ``e`` runs, Esc, ↑ ↓, leaving the slide). The running itself
is tui_deck/runner.py; its thread posts messages to the panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui_deck import model as m
from tui_deck.layout.miniature import span_of
from tui_deck.layout.page import margin_for
from tui_deck.runner import Ended, Inbox, Run, Transcript
from tui_deck.sanitize import clean_line

if TYPE_CHECKING:
    from tui_deck.app.app import DeckApp
    from tui_deck.app.widgets import SlideView
    from tui_deck.layout.page import Page

#: The panel takes at most this share of the screen's height at the bottom of the slide.
MAX_SHARE = 0.45
#: The fewest rows the panel is given (its border and two lines).
MIN_ROWS = 4


class LivePanel(VerticalScroll, can_focus=False):
    """A command's output, the last lines in view while it runs (↑ ↓ or the wheel scroll
    back); its title the command, its subtitle running / ``✓ 0 · 1.2 s``."""

    DEFAULT_CSS = """
    LivePanel {
        layer: overlay;
        dock: bottom;
        height: auto;
        border: round $accent;
        padding: 0 1;
        display: none;
    }
    LivePanel > Static { width: 100%; height: auto; }
    """

    class Output(Message):
        """More output waits in the run's inbox."""

        def __init__(self, run: Run) -> None:
            super().__init__()
            self.run = run

    class Finished(Message):
        def __init__(self, run: Run, ended: Ended) -> None:
            super().__init__()
            self.run, self.ended = run, ended

    def __init__(self) -> None:
        super().__init__(id="live")
        self.body = Static("", markup=False)
        self.transcript = Transcript()
        self.inbox = Inbox()
        self.run: Run | None = None
        #: Output arrived since the panel was last drawn (drawn ten times a second at most).
        self.dirty = False
        self.room = (76, 12)
        #: The code block whose output this is.
        self.block: m.CodeBlock | None = None
        #: Which of the page's exec blocks it is, and how many there are (None: not known).
        self.order: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield self.body

    def on_mount(self) -> None:
        self.set_interval(0.1, self._draw_news)

    @property
    def deck_app(self) -> DeckApp:
        return cast("DeckApp", self.app)

    def start(self, block: m.CodeBlock, order: tuple[int, int] | None = None) -> None:
        """Run ``block`` in the deck's folder and show the panel."""
        app = self.deck_app
        self.block, self.order, self.transcript = block, order, Transcript()
        folder = app.deck.root if app.deck.root.is_dir() else app.deck.root.parent
        inbox = self.inbox = Inbox()

        def arrived(data: bytes) -> None:  # (the reading thread)
            if inbox.put(data):
                self.post_message(self.Output(run))
            inbox.wait_room()

        def ended(end: Ended) -> None:  # (the reading thread)
            self.post_message(self.Finished(run, end))

        self.place()
        run = Run(block.code, folder, arrived, ended, size=self.room)
        self.run = run
        self.styles.border_subtitle_color = None
        lines = [line for line in block.code.splitlines() if line.strip()]
        first = clean_line(lines[0] if lines else "")[:200] + (" …" if len(lines) > 1 else "")
        self.border_title = Text("$ " + first)  # (Text: never markup)
        self.display = True
        try:
            run.start()
        except OSError as error:
            self.run = None
            self.border_subtitle = Text(app.say("exec_cannot", error=clean_line(str(error))))
            self.show()
            return
        self.border_subtitle = Text(app.say("exec_running"))
        self.show()

    def stop(self) -> bool:
        """Esc: stop the running command (False: none runs)."""
        if self.run is None or not self.run.running:
            return False
        self.run.stop()
        self.border_subtitle = Text(self.deck_app.say("exec_stopping"))
        return True

    def close(self) -> None:
        """Another slide: stop the command, hide the panel."""
        self.stop()
        self.display = False

    @property
    def running(self) -> bool:
        return self.run is not None and self.run.running

    def on_live_panel_output(self, message: Output) -> None:
        if message.run is self.run:
            self.transcript.feed(self.inbox.take())
            self.dirty = True

    def _draw_news(self) -> None:
        if self.dirty:
            self.show()

    def on_live_panel_finished(self, message: Finished) -> None:
        if message.run is not self.run:
            return
        self.transcript.feed(self.inbox.take())
        self.transcript.finish()
        ended = message.ended
        key = "exec_ok" if ended.ok else "exec_failed"
        seconds = f"{ended.seconds:.1f}"
        said = self.deck_app.say(key, status=ended.status_text(), seconds=seconds)
        self.border_subtitle = Text(said)
        self.styles.border_subtitle_color = "green" if ended.ok else "red"
        self.show()

    def show(self) -> None:
        """Draw the transcript; keep the last line in view unless scrolled back."""
        self.dirty = False
        following = self.scroll_y >= self.max_scroll_y - 1
        self.body.update(Text("\n").join(self.transcript.lines))
        if following:
            self.call_after_refresh(self.scroll_end, animate=False)

    def place(self) -> None:
        """Just under its code block when the page leaves room there (the block's key ``▶ e``
        ends its last row), else over the slide's lower part; the page's side margins, above
        its footer."""
        screen = self.screen
        width, height = screen.size
        view: SlideView | None = getattr(screen, "view", None)
        page = view.last_view.page if view is not None else None
        footer = page.footer_rows if page is not None else 0
        margin = max(0, margin_for(width) - 2)
        self.styles.width = max(10, width - 2 * margin)
        #: The columns and rows inside the border (what the command is told it has).
        self.room = (max(20, width - 2 * margin - 4), max(4, height // 2))
        below = self._below_code(page)
        top = (view.region.y if view is not None else 0) + (below or 0)
        if below is not None and height - footer - top >= MIN_ROWS:
            self.styles.dock = "top"
            self.styles.margin = (top, margin, 0, margin)
            self.styles.max_height = height - footer - top
        else:
            self.styles.dock = "bottom"
            self.styles.margin = (0, margin, footer, margin)
            self.styles.max_height = max(MIN_ROWS, int(height * MAX_SHARE))
        theme = self.deck_app.deck_theme
        self.styles.background = theme.code_background
        self.styles.color = theme.foreground

    def _below_code(self, page: Page | None) -> int | None:
        """The row under the block being run, if the page shows its key (None: unknown)."""
        if page is None or self.order is None:
            return None
        marker = self.deck_app.say("exec_marker")
        keys = [n for n, line in enumerate(page.lines) if line.plain.rstrip().endswith(marker)]
        number, count = self.order
        return keys[number] + 1 if len(keys) == count else None

    def on_unmount(self) -> None:
        if self.run is not None:
            self.run.kill()  # the app quits: nothing it started keeps running

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()  # the wheel scrolls the output here, not the slides

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()


class LiveRoom(Screen[None]):
    """A room's part in live commands (mixed into DeckScreen)."""

    def on_mount(self) -> None:
        self.watch(self.app, "slide", self._left_slide, init=False)

    def _left_slide(self) -> None:
        """Another slide: its command stops, its panel goes."""
        panel = self.live_panel()
        if panel is not None:
            panel.close()

    def live_panel(self) -> LivePanel | None:
        panels = self.query(LivePanel)
        return panels.first() if panels else None

    def action_exec(self) -> None:
        """e: run the page's live command (the first on the page, then the next one)."""
        app = cast("DeckApp", self.app)
        if not app.options.allow_exec:
            app.notify(app.say("exec_off"), severity="warning", timeout=8)
            return
        panel = self.live_panel()
        if panel is not None and panel.running:
            app.notify(app.say("exec_busy"), severity="warning", timeout=3)
            return
        blocks, on_page = self._page_exec_blocks()
        if not blocks:
            app.notify(app.say("exec_none"), severity="information", timeout=3)
            return
        ids = [id(block) for block in blocks]
        last = id(panel.block) if panel is not None and panel.display else None
        after = ids.index(last) + 1 if last in ids else 0
        number = after % len(blocks)
        order = (number, len(blocks)) if on_page else None
        if panel is None:
            panel = LivePanel()
            self.mount(panel)
            self.call_after_refresh(panel.start, blocks[number], order)
        else:
            panel.start(blocks[number], order)

    def stop_live(self) -> None:
        """Esc: stop a running command; when none runs, put its output away."""
        panel = self.live_panel()
        if panel is not None and not panel.stop():
            panel.display = False

    def on_slide_view_page_shown(self) -> None:
        panel = self.live_panel()
        if panel is not None and panel.display:
            panel.place()  # another size: the page, and the block, moved

    def action_live_scroll(self, rows: int) -> None:
        panel = self.live_panel()
        if panel is not None and panel.display:
            panel.scroll_relative(y=rows, animate=False)

    def _page_exec_blocks(self) -> tuple[list[m.CodeBlock], bool]:
        """The live commands of the page shown, and True; else (when the page's cannot be
        told) the slide's, and False."""
        app = cast("DeckApp", self.app)
        slide = app.deck.slides[app.slide]
        code = [b for b in m.walk(slide.blocks) if isinstance(b, m.CodeBlock)]
        every = [b for b in code if b.exec]
        try:
            pages: list[Page] = self.pages(app.slide)  # type: ignore[attr-defined]
            start, end = span_of(pages, app.page)
        except Exception:
            return every, False
        shown = m.visible(slide.blocks)
        last = len(shown) if end is None else end[0] + (1 if end[1] > 0 else 0)
        wanted = {id(block) for block in every}
        walked = m.walk(shown[start[0] : last])
        here = [b for b in walked if isinstance(b, m.CodeBlock) and id(b) in wanted]
        return (here, True) if here else (every, False)
