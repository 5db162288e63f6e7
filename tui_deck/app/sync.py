"""Keeping the views of one deck in step: the audience's and the speaker's terminals.

Every view of a deck joins a per-user Unix socket named after the deck's path. The first
view to start listens on it; the others connect. Each move is sent as one JSON line with
the wall time it was made; the view that listens passes every line on to the others, and
the newest move wins (so a view that rejoins does not drag the others back). When the
listening view quits, the others elect a new one among themselves; a view that is alone
keeps working. No network port is ever opened.

The socket lives in ``$XDG_RUNTIME_DIR/istio-deck`` (or ``<tmp>/istio-deck-<uid>``), a
directory that must be the user's own with mode 0700; a directory or a socket owned by
someone else, or open to others, is refused: the view then runs alone and says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import os
import random
import socket
import stat
import struct
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tui_deck.sanitize import clean_line

#: The longest line a view accepts (a position is a few dozen bytes).
MAX_LINE = 4096
#: The longest path a Unix socket may have (sun_path is 108 bytes with its NUL on Linux).
MAX_SOCKET_PATH = 107
#: A live command's news is not written to a view this many bytes behind in reading.
LIVE_BEHIND = 256 * 1024


class SyncRefused(Exception):
    """The socket or its folder is not safe to use; the message says what to do."""


@dataclass(frozen=True)
class Position:
    slide: int
    page: int = 1
    #: How many pages the sender's screen has for this slide.
    pages: int = 1
    #: Wall time of the move (time.time()): the newest move wins.
    moved_at: float = 0.0
    #: The sender's screen in cells (0 x 0 for the speaker's view, which shows no pages).
    width: int = 0
    height: int = 0
    #: Whether the audience's screen is blanked (b).
    blank: bool = False
    #: Sent by a presenter (speaker's) view.
    speaker: bool = False
    #: Which of the slide's pictures is zoomed full screen (z), None for the slide itself.
    zoom: int | None = None
    #: The step of the slide shown (a slide revealed step by step); 0: all of the page, as
    #: the lines of a view without steps say.
    step: int = 0
    #: The slide's id: views that pick other slides of the post (--slides, the talk file)
    #: follow the slide itself, not its position ("" from a view that does not say).
    id: str = ""

    def to_line(self) -> bytes:
        data = {
            "slide": self.slide,
            "page": self.page,
            "pages": self.pages,
            "at": self.moved_at,
            "size": [self.width, self.height],
            "blank": self.blank,
            "speaker": self.speaker,
            "zoom": self.zoom,
            "step": self.step,
            "id": self.id,
        }
        return (json.dumps(data) + "\n").encode()

    @classmethod
    def from_line(cls, line: bytes) -> Position | None:
        try:
            return cls.from_data(json.loads(line))
        except ValueError:
            return None

    @classmethod
    def from_data(cls, data: object) -> Position | None:
        if not isinstance(data, dict):
            return None
        try:
            slide, page, pages, at = data["slide"], data["page"], data["pages"], data["at"]
        except (ValueError, KeyError, TypeError):
            return None
        numbers = (slide, page, pages)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            return None
        if not isinstance(at, int | float) or not math.isfinite(at):
            return None
        if slide < 0 or not 1 <= page <= pages <= 10_000:
            return None
        size = data.get("size", [0, 0])
        blank, speaker = data.get("blank", False), data.get("speaker", False)
        if not (isinstance(size, list) and len(size) == 2):
            return None
        if not all(type(n) is int and 0 <= n <= 10_000 for n in size):
            return None
        if not (isinstance(blank, bool) and isinstance(speaker, bool)):
            return None
        zoom = data.get("zoom")  # absent from the lines of a view without zoom: not zoomed
        if zoom is not None and not (type(zoom) is int and 0 <= zoom <= 10_000):
            return None
        step = data.get("step", 0)  # absent from the lines of a view without steps: all shown
        if not (type(step) is int and 0 <= step <= 10_000):
            return None
        ident = data.get("id", "")  # absent from the lines of older views
        if not (isinstance(ident, str) and len(ident) <= 1000):
            return None
        return cls(
            slide, page, pages, float(at), size[0], size[1], blank, speaker, zoom, step, ident
        )


def slide_id(slides: Sequence[Any], index: int) -> str:
    """The id of slide ``index`` of ``slides`` ("" past the end), for Position.id."""
    return str(slides[index].id) if 0 <= index < len(slides) else ""


#: What a live command's message may say (see Live).
LIVE_KINDS = ("start", "lines", "end", "stop", "close")
#: The longest line of output a live message carries (characters, SGR codes included).
LIVE_LINE = 1000
#: The most lines one live message carries.
LIVE_LINES = 200


@dataclass(frozen=True)
class Live:
    """A live command's news between the views (``e`` runs it once, in the view where it
    was pressed; the others show a read-only mirror of its panel). Data only: lines of
    output as text with SGR codes (sanitised again by whoever shows them), never bytes from
    a terminal, never code to run. A line with ``"live"`` and no ``"page"``: a view
    without live mirrors reads it as no position and ignores it.

    ``start``: a run began (``title``, ``order`` of its block on the page, on ``slide``);
    ``lines``: its output from line number ``first`` on (an earlier number replaces the
    lines from there: a growing last line; a later one: lines were skipped); ``end``: it
    ended (``status``, ``seconds``; ``error``: bash could not start); ``stop``: a mirror
    asks the running view to stop it; ``close``: its panel is put away.
    """

    kind: str
    run: str
    slide: int = 0
    title: str = ""
    order: tuple[int, int] | None = None
    first: int = 0
    lines: tuple[str, ...] = ()
    status: int = 0
    seconds: float = 0.0
    error: str = ""

    def to_line(self) -> bytes:
        data: dict[str, object] = {"live": self.kind, "run": self.run}
        if self.kind == "start":
            data.update(slide=self.slide, title=self.title, order=self.order)
        elif self.kind == "lines":
            data.update(first=self.first, lines=list(self.lines))
        elif self.kind == "end":
            data.update(status=self.status, seconds=self.seconds, error=self.error)
        return (json.dumps(data, ensure_ascii=False) + "\n").encode()

    @classmethod
    def from_data(cls, data: object) -> Live | None:
        """The news a line says, or None when it is not well formed (dropped)."""
        if not isinstance(data, dict):
            return None
        kind, run = data.get("live"), data.get("run")
        if kind not in LIVE_KINDS or not isinstance(run, str) or not 0 < len(run) <= 64:
            return None
        assert isinstance(kind, str)
        if kind == "start":
            slide, title, order = data.get("slide"), data.get("title"), data.get("order")
            if type(slide) is not int or slide < 0 or not isinstance(title, str):
                return None
            pair: tuple[int, int] | None = None
            if order is not None:
                if not (isinstance(order, list) and len(order) == 2):
                    return None
                if not all(type(n) is int and 0 <= n <= 10_000 for n in order):
                    return None
                pair = (order[0], order[1])
            return cls(kind, run, slide=slide, title=title[:LIVE_LINE], order=pair)
        if kind == "lines":
            first, lines = data.get("first"), data.get("lines")
            if type(first) is not int or first < 0 or not isinstance(lines, list):
                return None
            if len(lines) > LIVE_LINES or not all(isinstance(x, str) for x in lines):
                return None
            return cls(kind, run, first=first, lines=tuple(x[:LIVE_LINE] for x in lines))
        if kind == "end":
            status, seconds, error = data.get("status"), data.get("seconds"), data.get("error")
            if type(status) is not int or not isinstance(error, str):
                return None
            if not isinstance(seconds, int | float) or not math.isfinite(seconds):
                return None
            return cls(kind, run, status=status, seconds=float(seconds), error=error[:LIVE_LINE])
        return cls(kind, run)


#: What one flush of a live command's output sends at most: lines, messages, bytes a message.
LIVE_SEND = 60
LIVE_MESSAGES = 4
LIVE_BYTES = 3600


def live_batches(run: str, first: int, lines: list[str]) -> list[Live]:
    """``lines`` (numbered from ``first``) as few messages, each under the link's line
    limit; when there are too many, only the last ones (the mirror says how many it
    missed)."""
    groups: list[list[str]] = []  # from the newest line back
    size = LIVE_BYTES
    number = len(lines)
    while number > 0 and len(lines) - number < LIVE_SEND:
        line = lines[number - 1][:LIVE_LINE]
        while len(json.dumps(line, ensure_ascii=False).encode()) > LIVE_BYTES // 2:
            line = line[: len(line) * 2 // 3]
        cost = len(json.dumps(line, ensure_ascii=False).encode()) + 2
        if size + cost > LIVE_BYTES:
            if len(groups) == LIVE_MESSAGES:
                break
            groups.append([])
            size = 0
        groups[-1].append(line)
        size += cost
        number -= 1
    batches: list[Live] = []
    at = first + number
    for group in reversed(groups):
        batches.append(Live("lines", run, first=at, lines=tuple(reversed(group))))
        at += len(group)
    return batches


def parse_line(line: bytes) -> Position | Live | None:
    """A line from another view: a position, a live command's news, or None (dropped)."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if isinstance(data, dict) and "live" in data:
        return Live.from_data(data)
    return Position.from_data(data)


def socket_dir() -> Path:
    """The private folder for this user's sockets (created 0700; checked, never trusted)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        folder = Path(runtime) / "istio-deck"
    else:
        folder = Path(tempfile.gettempdir()) / f"istio-deck-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    _refuse_unsafe(folder, os.lstat(folder), "folder", 0o077, f"run chmod 700 {folder}")
    return folder


def deck_key(sources: list[Path]) -> str:
    """What names a deck: its Markdown files, however the deck was opened (``slides/``,
    ``slides/index.md`` or an absolute path are one deck)."""
    return "\n".join(sorted(str(source.resolve()) for source in sources))


def deck_socket(deck_path: Path, sources: list[Path]) -> Path:
    """Where the views of one deck meet (raises SyncRefused for an unsafe folder)."""
    return socket_path(deck_path, deck_key(sources))


def _refuse_unsafe(path: Path, info: os.stat_result, kind: str, loose: int, fix: str) -> None:
    """Raise SyncRefused unless ``path`` is a ``kind`` of this user's without ``loose`` bits."""
    is_kind = stat.S_ISDIR if kind == "folder" else stat.S_ISSOCK
    if not is_kind(info.st_mode):
        raise SyncRefused(f"{path} is not a {kind}; remove it to link the views")
    if info.st_uid != os.getuid():
        raise SyncRefused(f"{path} belongs to another user; the views are not linked")
    if info.st_mode & loose:
        raise SyncRefused(f"{path} is not private (mode {info.st_mode & 0o777:o}); {fix}")


def socket_path(deck_path: Path, key: str = "", folder: Path | None = None) -> Path:
    """The socket of one deck: its folder's name (readable) and a hash of ``key`` (its
    files, see deck_key; the resolved path when there is no key)."""
    resolved = deck_path.resolve()
    named = resolved.parent if resolved.is_file() and resolved.stem == "index" else resolved
    digest = hashlib.sha256((key or str(resolved)).encode("utf-8", "surrogateescape"))
    name = "".join(c for c in named.name if c.isalnum() or c in "-_")[:24]
    folder = folder or socket_dir()
    # A Unix socket's path has at most MAX_SOCKET_PATH bytes: the readable part gives way.
    room = MAX_SOCKET_PATH - len(os.fsencode(folder)) - len("/-0123456789abcdef.sock")
    name = (name or "deck").encode()[: max(0, room)].decode(errors="ignore")
    path = folder / f"{name}{'-' if name else ''}{digest.hexdigest()[:16]}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise SyncRefused(f"{folder} is too long a path for a socket; set XDG_RUNTIME_DIR")
    return path


def check_socket(path: Path) -> bool:
    """Whether a socket file may be connected to: ours, a socket, not open to others.
    False when there is none; raises SyncRefused for one that must not be used."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    # Connecting needs write permission: a socket others may write to is refused. (Read bits
    # do not matter; a fresh socket has the umask's until its view makes it 0600.)
    _refuse_unsafe(path, info, "socket", 0o022, "remove it")
    return True


def _peer_uid(writer: asyncio.StreamWriter) -> int | None:
    sock = writer.get_extra_info("socket")
    if sock is None or not hasattr(socket, "SO_PEERCRED"):
        return None
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    _pid, uid, _gid = struct.unpack("3i", creds)
    return int(uid)


class Link:
    """One view's end of the link: ``start()``, ``send()`` each move, ``close_now()``.

    ``on_move`` is called (in the event loop) with a newer position from another view;
    ``current`` gives this view's position (to settle who is ahead when views meet).
    """

    def __init__(
        self,
        path: Path,
        on_move: Callable[[Position], None],
        current: Callable[[], Position],
        on_seen: Callable[[Position], None] | None = None,
        on_live: Callable[[Live], None] | None = None,
    ) -> None:
        self.path = path
        self.on_move = on_move
        self.current = current
        #: Called with every position another view sends, newer or not (its screen size).
        self.on_seen = on_seen
        #: Called with a live command's news from another view.
        self.on_live = on_live
        self.role = "alone"  # "server", "client" or "alone"
        self._server: asyncio.AbstractServer | None = None
        self._peers: set[asyncio.StreamWriter] = set()
        self._upstream: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._newest = 0.0
        self._inode = -1
        #: Why the link stopped, when a socket turned out not to be safe.
        self.problem = ""

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Join (or open) the deck's socket. Raises SyncRefused when it is not safe."""
        check_socket(self.path)
        self._task = asyncio.create_task(self._run_safely())
        await asyncio.sleep(0)

    async def _run_safely(self) -> None:
        try:
            await self._run()
        except SyncRefused as exc:
            self.problem = str(exc)
            self.role = "alone"

    def close_now(self) -> None:
        """For a view that is ending: stop listening, leave the others, free the name."""
        self._closing = True
        if self._task is not None:
            self._task.cancel()
        for writer in [*self._peers, *([self._upstream] if self._upstream else [])]:
            with contextlib.suppress(Exception):
                writer.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == self._inode:
                    os.unlink(self.path)
        self.role = "alone"

    # ------------------------------------------------------------------ moves

    def send(self, position: Position) -> None:
        """Tell the other views about a move made here."""
        self._newest = max(self._newest, position.moved_at)
        line = position.to_line()
        if self._upstream is not None:
            self._write(self._upstream, line)
        for peer in list(self._peers):
            self._write(peer, line)

    def send_live(self, news: Live) -> None:
        """Tell the other views about a live command (dropped for a view that is far
        behind in reading: a flood of output never grows this view's memory)."""
        line = news.to_line()
        for writer in [*self._peers, *([self._upstream] if self._upstream else [])]:
            self._write(writer, line, live=True)

    def _write(self, writer: asyncio.StreamWriter, line: bytes, live: bool = False) -> None:
        try:
            if live and writer.transport.get_write_buffer_size() > LIVE_BEHIND:
                return
            writer.write(line)
        except Exception:
            self._peers.discard(writer)

    def _receive_live(self, news: Live, source: asyncio.StreamWriter | None) -> None:
        line = news.to_line()
        for peer in list(self._peers):  # the listening view passes it on
            if peer is not source:
                self._write(peer, line, live=True)
        if self.on_live is not None:
            self.on_live(news)

    def _receive(self, position: Position, source: asyncio.StreamWriter | None) -> None:
        line = position.to_line()
        for peer in list(self._peers):  # the listening view passes everything on
            if peer is not source:
                self._write(peer, line)
        if self.on_seen is not None:
            self.on_seen(position)
        if position.moved_at <= self._newest:
            return  # not newer than what this view shows: the newest move wins
        self._newest = position.moved_at
        self.on_move(position)

    # ------------------------------------------------------------------ roles

    async def _run(self) -> None:
        while not self._closing:
            if check_socket(self.path):
                try:
                    reader, writer = await asyncio.open_unix_connection(str(self.path))
                except (ConnectionRefusedError, FileNotFoundError):
                    await self._remove_if_dead()
                    continue
                await self._as_client(reader, writer)
            else:
                try:
                    await self._as_server()
                except OSError:  # another view was quicker: join it
                    await asyncio.sleep(random.uniform(0.01, 0.05))
                    continue
                return
            if not self._closing:  # the listening view went away: elect a new one
                await asyncio.sleep(random.uniform(0.02, 0.15))

    async def _as_server(self) -> None:
        # Bound here, not by asyncio (which removes a socket already at the path): of two
        # views that found no socket at the same moment, the second gets OSError and joins
        # the first instead of taking its name (two listening views would never link).
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(self.path))
            sock.listen(64)
        except OSError:
            sock.close()
            raise
        self._server = await asyncio.start_unix_server(self._serve, sock=sock, limit=MAX_LINE)
        os.chmod(self.path, 0o600)
        self._inode = os.stat(self.path).st_ino
        self.role = "server"

    async def _remove_if_dead(self) -> None:
        """A socket nobody answers on: left by a view that crashed (removed, so that a view
        can listen there), or one that another view has only just bound (asked again a
        moment later; never removed once it answers, nor once it is another file)."""
        try:
            inode = os.lstat(self.path).st_ino
        except OSError:
            return
        await asyncio.sleep(random.uniform(0.02, 0.06))
        try:
            _reader, writer = await asyncio.open_unix_connection(str(self.path))
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(OSError):
                if os.lstat(self.path).st_ino == inode:
                    os.unlink(self.path)
        else:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        uid = _peer_uid(writer)
        if uid is not None and uid != os.getuid():
            writer.close()
            return
        self._peers.add(writer)
        self._write(writer, self.current().to_line())  # where this view is, for a newcomer
        try:
            await self._read(reader, writer)
        finally:
            self._peers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()

    async def _as_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._upstream = writer
        self.role = "client"
        self._write(writer, self.current().to_line())  # the newer of the two positions wins
        try:
            await self._read(reader, None)
        finally:
            self._upstream = None
            self.role = "alone"
            with contextlib.suppress(Exception):
                writer.close()

    async def _read(
        self, reader: asyncio.StreamReader, source: asyncio.StreamWriter | None
    ) -> None:
        while True:
            try:
                line = await reader.readline()
            except (ValueError, ConnectionError):  # a line over the limit, a reset
                return
            if not line:
                return
            news = parse_line(line)
            if isinstance(news, Position):
                self._receive(news, source)
            elif isinstance(news, Live):
                self._receive_live(news, source)


class ViewLink:
    """One view's part in the link, as the app uses it: joins the deck's socket (and tries
    again while it is refused), tells the other views where this view is, and follows their
    moves. No Textual: the app passes what it needs as callables.

    ``here`` is where this view is (its ``moved_at`` is filled in here); ``on_move`` follows a
    newer move of another view and returns False when it cannot (another version of the
    deck); ``on_seen`` hears every position (the audience's screen size); ``on_problem`` is
    told why the views are not linked ("" when they are again; and whether that is news).
    """

    def __init__(
        self,
        path: Callable[[], Path],
        here: Callable[[], Position],
        on_move: Callable[[Position], bool],
        on_seen: Callable[[Position], None],
        on_problem: Callable[[str, bool], None],
        retry_seconds: float = 5.0,
        on_live: Callable[[Live], None] | None = None,
    ) -> None:
        self.path = path
        self.on_live = on_live
        self.here = here
        self.on_move = on_move
        self.on_seen = on_seen
        self.on_problem = on_problem
        self.retry_seconds = retry_seconds
        self.link: Link | None = None
        #: Why the views are not linked ("" when they are).
        self.problem = ""
        #: When this view last moved (wall time): the newest move wins.
        self.moved_at = 0.0

    def position(self) -> Position:
        return replace(self.here(), moved_at=self.moved_at)

    async def run(self) -> None:
        """Join the deck's socket; while that is refused, try again every retry_seconds
        (the folder may have been fixed)."""
        while not await self.start():
            await asyncio.sleep(self.retry_seconds)

    async def start(self) -> bool:
        try:
            link = Link(self.path(), self._moved, self.position, self.on_seen, self.on_live)
            await link.start()
        except (SyncRefused, OSError) as exc:
            problem = clean_line(str(exc))
            self.on_problem(problem, problem != self.problem)
            self.problem = problem
            return False
        self.link = link
        if self.problem:
            self.on_problem("", True)
            self.problem = ""
        self.announce()  # the others learn this view's screen
        return True

    def announce(self, moved: bool = False) -> None:
        """Tell the others where this view is (``moved``: as a new move, which they follow;
        else only what it shows, such as its size after a resize)."""
        if self.link is None:
            return
        if moved:
            self.moved_at = time.time()
        self.link.send(self.position())

    def send_live(self, news: Live) -> None:
        """Tell the others about a live command (nothing when alone)."""
        if self.link is not None:
            self.link.send_live(news)

    def _moved(self, position: Position) -> None:
        if self.on_move(position):
            self.moved_at = position.moved_at

    def close(self) -> None:
        if self.link is not None:
            self.link.close_now()
