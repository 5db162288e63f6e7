"""Live commands in the app (``e``, only with ``--allow-exec``): the panel that shows what
the command prints, over the slide's lower part (above its footer), and the room's part
(``LiveRoom``: which block ``e`` runs, Esc, ↑ ↓, leaving the slide). The running itself
is tui_deck/runner.py; its thread posts messages to the panel.

A command runs once, in the view where ``e`` was pressed; its panel's news (start, lines of
output ten times a second at most, end) goes over the link to the other views, which show
a read-only mirror of the panel (``LivePanel.mirror``); Esc in a mirror asks the running
view to stop it."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui_deck import model as m
from tui_deck.app.sync import Live, live_batches
from tui_deck.layout.miniature import span_of
from tui_deck.layout.page import margin_for
from tui_deck.runner import Ended, Inbox, Mirror, Run, Transcript
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
        #: This view's run, as the other views know it, and the line number not yet sent.
        self.run_id = ""
        self.sent = 0
        #: Another view's run shown here (read only), its id, and whether it still runs.
        self.mirror: Mirror | None = None
        self.mirror_run = ""
        self.mirror_running = False

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
        self.mirror, self.mirror_run, self.mirror_running = None, "", False
        self.run_id, self.sent = uuid.uuid4().hex[:16], 0
        folder = app.deck.root if app.deck.root.is_dir() else app.deck.root.parent
        inbox = self.inbox = Inbox()

        def arrived(data: bytes) -> None:  # (the reading thread)
            if inbox.put(data):
                self.post_message(self.Output(run))
            inbox.wait_room()

        def ended(end: Ended) -> None:  # (the reading thread)
            self.post_message(self.Finished(run, end))

        self.place()
        run = Run(block.code, folder, arrived, ended, size=self.room, language=block.lang)
        self.run = run
        self.styles.border_subtitle_color = None
        lines = [line for line in block.code.splitlines() if line.strip()]
        first = clean_line(lines[0] if lines else "")[:200] + (" …" if len(lines) > 1 else "")
        self.border_title = Text("$ " + first)  # (Text: never markup)
        self.display = True
        self.tell(Live("start", self.run_id, slide=app.slide, title="$ " + first, order=order))
        try:
            run.start()
        except OSError as error:
            self.run = None
            said = clean_line(str(error))
            self.border_subtitle = Text(app.say("exec_cannot", error=said))
            self.tell(Live("end", self.run_id, status=-1, error=said))
            self.show()
            return
        self.border_subtitle = Text(app.say("exec_running"))
        self.show()

    def tell(self, news: Live) -> None:
        """Tell the other views (their mirrors of this panel)."""
        views = self.deck_app.views
        if views is not None:
            views.send_live(news)

    def stop(self) -> bool:
        """Esc: stop the running command, here or (a mirror) in the view running it
        (False: none runs)."""
        if self.mirror is not None:
            if not self.mirror_running:
                return False
            self.tell(Live("stop", self.mirror_run))
        elif self.run is None or not self.run.running:
            return False
        else:
            self.run.stop()
        self.border_subtitle = Text(self.deck_app.say("exec_stopping"))
        return True

    def close(self) -> None:
        """Another slide: stop the command, hide the panel."""
        self.stop()
        self.hide()

    def hide(self) -> None:
        """Put the panel away, in every view."""
        if self.display:
            self.tell(Live("close", self.mirror_run if self.mirror is not None else self.run_id))
        self.display = False

    @property
    def running(self) -> bool:
        if self.mirror is not None:
            return self.mirror_running
        return self.run is not None and self.run.running

    def news(self, news: Live) -> None:
        """Another view's news about its run (shown here read only), or a mirror's request
        about this view's run."""
        if news.run == self.run_id and self.mirror is None:
            if news.kind == "stop":
                self.stop()
            elif news.kind == "close":
                self.stop()
                self.display = False
            return
        app = self.deck_app
        if news.kind == "start":
            self.run, self.block, self.order = None, None, news.order
            self.mirror, self.mirror_run, self.mirror_running = (
                Mirror(self._skipped),
                news.run,
                True,
            )
            self.border_title = Text(clean_line(news.title))
            self.styles.border_subtitle_color = None
            self.border_subtitle = Text(app.say("exec_running"))
            self.display = True
            self.place()
            self.show()
            return
        if self.mirror is None or news.run != self.mirror_run:
            return
        if news.kind == "lines":
            self.mirror.take(news.first, news.lines)
            self.dirty = True
        elif news.kind == "end":
            self.mirror_running = False
            if news.error:
                said = app.say("exec_cannot", error=clean_line(news.error))
                self.border_subtitle = Text(said)
            else:
                self._say_end(Ended(news.status, news.seconds))
            self.show()
        elif news.kind == "close":
            self.mirror_running = False
            self.display = False

    def _skipped(self, count: int) -> str:
        return self.deck_app.say("exec_skipped", count=count)

    def _send_news(self) -> None:
        """The lines printed since the last time, to the mirrors (only the last ones when
        there are too many: a flood never holds up a view)."""
        if self.mirror is not None or not self.run_id or self.deck_app.views is None:
            return
        transcript = self.transcript
        total = transcript.dropped + len(transcript.lines)
        start = max(self.sent, transcript.dropped)
        for batch in live_batches(self.run_id, start, transcript.sgr[start - transcript.dropped :]):
            self.tell(batch)
        self.sent = total - (1 if transcript.open else 0)

    def on_live_panel_output(self, message: Output) -> None:
        if message.run is self.run:
            self.transcript.feed(self.inbox.take())
            self.dirty = True

    def _draw_news(self) -> None:
        if self.dirty:
            self._send_news()
            self.show()

    def on_live_panel_finished(self, message: Finished) -> None:
        if message.run is not self.run:
            return
        self.transcript.feed(self.inbox.take())
        self.transcript.finish()
        ended = message.ended
        self._send_news()
        self.tell(Live("end", self.run_id, status=ended.status, seconds=ended.seconds))
        self._say_end(ended)
        self.show()

    def _say_end(self, ended: Ended) -> None:
        key = "exec_ok" if ended.ok else "exec_failed"
        seconds = f"{ended.seconds:.1f}"
        said = self.deck_app.say(key, status=ended.status_text(), seconds=seconds)
        self.border_subtitle = Text(said)
        self.styles.border_subtitle_color = "green" if ended.ok else "red"

    def show(self) -> None:
        """Draw the transcript; keep the last line in view unless scrolled back."""
        self.dirty = False
        following = self.scroll_y >= self.max_scroll_y - 1
        lines = self.mirror.lines if self.mirror is not None else self.transcript.lines
        self.body.update(Text("\n").join(lines))
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
            panel.hide()

    def live_news(self, news: Live) -> None:
        """A live command's news from another view (see LivePanel.news)."""
        panel = self.live_panel()
        if panel is None:
            if news.kind != "start" or news.slide != cast("DeckApp", self.app).slide:
                return
            panel = LivePanel()
            self.mount(panel)
            self.call_after_refresh(panel.news, news)
            return
        if news.kind == "start":
            if panel.running and panel.mirror is None:
                return  # this view runs its own (both pressed e at once)
            if news.slide != cast("DeckApp", self.app).slide:
                return
        panel.news(news)

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
