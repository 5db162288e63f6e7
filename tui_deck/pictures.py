"""Pixels for image boxes: decoded and rendered in worker threads, cached with bounded memory.

The slide never waits for a picture: the box shows its frame until the worker has rendered
the half-blocks, then the slide refreshes. A file that cannot be shown becomes a framed
message naming the file and the reason.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from tui_deck.images import ImageProblem, Problem, backing_color, decode, render_blocks
from tui_deck.layout.blocks import ImageSlot

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class PictureKey:
    path: str
    mtime: int
    width: int
    height: int
    background: str


Picture = list[Text] | Problem  # the rows, or why there are none
Shown = list[Text] | str  # the rows, or why there are none in the deck's words

#: A picture still not ready after this many seconds shows why in its frame meanwhile.
SLOW_SECONDS = 5.0


class Pictures:
    """A bounded cache of decoded images and rendered half-block rows."""

    def __init__(self, rendered: int = 96, decoded: int = 6) -> None:
        self._rendered: OrderedDict[PictureKey, Picture] = OrderedDict()
        self._decoded: OrderedDict[tuple[str, int, str], Image.Image | Problem] = OrderedDict()
        self._max_rendered, self._max_decoded = rendered, decoded
        self._pending: set[PictureKey] = set()
        self._started: dict[PictureKey, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(slot: ImageSlot, background: str, backing: str = "auto") -> PictureKey | None:
        """What identifies a picture drawn into ``slot`` on a theme of ``background``, its
        transparent parts laid on the ``backing`` (images.backing_color)."""
        image = slot.image
        if image.remote or image.path is None or not image.exists:
            return None
        try:
            mtime = Path(image.path).stat().st_mtime_ns
        except OSError:
            return None
        laid_on = backing_color(background, backing)
        return PictureKey(str(image.path), mtime, slot.width, slot.height, laid_on)

    def get(self, key: PictureKey) -> Picture | None:
        with self._lock:
            found = self._rendered.get(key)
            if found is not None:
                self._rendered.move_to_end(key)
            return found

    def claim(self, key: PictureKey) -> bool:
        """True when the caller should produce this picture (nobody else is doing it)."""
        with self._lock:
            if key in self._rendered or key in self._pending:
                return False
            self._pending.add(key)
            self._started[key] = time.monotonic()
            return True

    def waiting(self, key: PictureKey) -> float:
        """How long this picture has been in the making (0 when it is not)."""
        with self._lock:
            started = self._started.get(key)
        return time.monotonic() - started if started is not None else 0.0

    def produce(self, key: PictureKey) -> Picture:
        """Decode (cached) and render one picture; runs in a worker thread."""
        try:
            image = self._image(key)
            if isinstance(image, Problem):
                result: Picture = image
            else:
                result = self.render(image, key)
        except Exception as exc:  # never let one picture take the deck down
            result = Problem("pic_cannot_show", type(exc).__name__)
        with self._lock:
            self._rendered[key] = result
            self._rendered.move_to_end(key)
            while len(self._rendered) > self._max_rendered:
                self._rendered.popitem(last=False)
            self._pending.discard(key)
            self._started.pop(key, None)
        return result

    def render(self, image: Image.Image, key: PictureKey) -> Picture:
        """A decoded picture as the rows of its box (half-blocks here); in a worker thread."""
        return render_blocks(image, key.width, key.height)

    def forget(self, key: PictureKey) -> None:
        """Drop a picture's rows: the next ``get`` finds none and it is made again."""
        with self._lock:
            self._rendered.pop(key, None)

    def decoded(self, key: PictureKey) -> Image.Image | Problem | None:
        """The decoded image if it is ready (for pixel protocols, which scale it themselves)."""
        with self._lock:
            return self._decoded.get((key.path, key.mtime, key.background))

    def decode(self, key: PictureKey) -> Image.Image | Problem:
        """Decode (cached) without rendering; runs in a worker thread."""
        try:
            return self._image(key)
        finally:
            with self._lock:
                self._pending.discard(key)

    def claim_decode(self, key: PictureKey) -> bool:
        with self._lock:
            ident = (key.path, key.mtime, key.background)
            if ident in self._decoded or key in self._pending:
                return False
            self._pending.add(key)
            return True

    def _image(self, key: PictureKey) -> Image.Image | Problem:
        ident = (key.path, key.mtime, key.background)
        with self._lock:
            cached = self._decoded.get(ident)
        if cached is not None:
            return cached
        try:
            decoded: Image.Image | Problem = decode(Path(key.path), key.background)
        except ImageProblem as problem:
            decoded = problem.problem
        except Exception as exc:  # never let one picture take the deck or an export down
            decoded = Problem("pic_cannot_show", type(exc).__name__)
        with self._lock:
            self._decoded[ident] = decoded
            while len(self._decoded) > self._max_decoded:
                self._decoded.popitem(last=False)
        return decoded


def shown(picture: Picture, lang: str) -> Shown:
    """A picture as its rows, or its problem in the deck's words."""
    return picture.text(lang) if isinstance(picture, Problem) else picture


def overlay(lines: list[Text], slot: ImageSlot, picture: Shown, warning: str) -> None:
    """Put a picture (or its problem) into the box the layout left for it."""
    rows = picture_rows(slot, picture, warning)
    for offset, row in enumerate(rows[: slot.height]):
        y = slot.row + offset
        if y >= len(lines):
            break
        line = lines[y]
        head, _ = _split_at(line, slot.col)
        _, tail = _split_at(line, slot.col + slot.width)
        new = Text()
        new.append_text(head)
        new.append_text(row)
        new.append_text(tail)
        lines[y] = new


def _split_at(line: Text, cells: int) -> tuple[Text, Text]:
    """``line`` cut at a cell (by cells, not characters: Chinese text may stand beside a
    picture, in a column): the part before, padded with spaces to exactly ``cells``, and
    the rest, a wide character cut in two becoming a space."""
    plain, index, used = line.plain, 0, 0
    while index < len(plain) and used + cell_len(plain[index]) <= cells:
        used += cell_len(plain[index])
        index += 1
    head, rest = line[:index], line[index:]
    head.append(" " * (cells - used))
    if index < len(plain) and used < cells:  # a wide character across the cut
        rest = Text(" " * (used + cell_len(plain[index]) - cells)) + line[index + 1 :]
    return head, rest


def picture_rows(slot: ImageSlot, picture: Shown, warning: str) -> list[Text]:
    """The rows that fill an image box: the picture, or a frame saying what is wrong."""
    return _message_box(slot, picture, warning) if isinstance(picture, str) else picture


def _message_box(slot: ImageSlot, message: str, warning: str) -> list[Text]:
    inner = max(0, slot.width - 2)
    name = Path(slot.image.src).name or slot.image.src
    label = Text(f"✗ {name}: {message}", style=warning)
    label.truncate(inner, overflow="ellipsis")
    rows = []
    for row in range(slot.height):
        if row == 0:
            rows.append(Text("┌" + "─" * inner + "┐", style=warning))
        elif row == slot.height - 1:
            rows.append(Text("└" + "─" * inner + "┘", style=warning))
        else:
            middle = label.copy() if row == slot.height // 2 else Text()
            middle.pad_right(inner - middle.cell_len)
            rows.append(Text.assemble(("│", warning), middle, ("│", warning)))
    return rows
