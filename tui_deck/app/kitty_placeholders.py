"""Kitty graphics that tmux keeps in place: unicode placeholders.

A picture is sent to the terminal once, with a *virtual placement* the size of its image box
(``a=T,U=1,c=<cols>,r=<rows>``); inside tmux the command travels in tmux's passthrough
(``ESC P tmux; … ESC \\``, every ESC inside doubled). The box is then filled with ordinary
cells: U+10EEEE followed by two combining diacritics naming the cell's row and column of the
picture, the image id in the cell's 24-bit foreground colour. tmux stores, scrolls and redraws
those cells like any text; the outer terminal (kitty, Ghostty) draws the picture's tile in each
(it fits the picture into the box, keeping its shape, centred).

Everything here builds strings and never writes or asks the terminal: ``PlaceholderPictures``
(the picture cache for this method) makes the PNG and the rows in a worker thread and hands
the transmit escape to the ``write`` it was given (the app's driver) the first time the
picture is shown; pictures no longer kept are deleted from the terminal (``a=d,d=I``). The
only escape sequences emitted are the ones built here, from numbers and base64.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.color import Color
from rich.style import Style
from rich.text import Text

from tui_deck.pictures import Picture, PictureKey, Pictures

if TYPE_CHECKING:
    from PIL import Image

PLACEHOLDER = "\U0010eeee"

# The row/column diacritics of kitty's protocol (rowcolumn-diacritics.txt), as runs of
# consecutive code points: (first, how many). Diacritic n stands for row or column n.
_RUNS = (
    (0x0305, 1), (0x030D, 2), (0x0310, 1), (0x0312, 1), (0x033D, 3), (0x0346, 1),
    (0x034A, 3), (0x0350, 3), (0x0357, 1), (0x035B, 1), (0x0363, 13), (0x0483, 5),
    (0x0592, 4), (0x0597, 3), (0x059C, 6), (0x05A8, 2), (0x05AB, 2), (0x05AF, 1),
    (0x05C4, 1), (0x0610, 8), (0x0657, 5), (0x065D, 2), (0x06D6, 7), (0x06DF, 4),
    (0x06E4, 1), (0x06E7, 2), (0x06EB, 2), (0x0730, 1), (0x0732, 2), (0x0735, 2),
    (0x073A, 1), (0x073D, 1), (0x073F, 3), (0x0743, 1), (0x0745, 1), (0x0747, 1),
    (0x0749, 2), (0x07EB, 7), (0x07F3, 1), (0x0816, 4), (0x081B, 9), (0x0825, 3),
    (0x0829, 5), (0x0951, 1), (0x0953, 2), (0x0F82, 2), (0x0F86, 2), (0x135D, 3),
    (0x17DD, 1), (0x193A, 1), (0x1A17, 1), (0x1A75, 8), (0x1B6B, 1), (0x1B6D, 7),
    (0x1CD0, 3), (0x1CDA, 2), (0x1CE0, 1), (0x1DC0, 2), (0x1DC3, 7), (0x1DCB, 2),
    (0x1DD1, 22), (0x1DFE, 1), (0x20D0, 2), (0x20D4, 4), (0x20DB, 2), (0x20E1, 1),
    (0x20E7, 1), (0x20E9, 1), (0x20F0, 1), (0x2CEF, 3), (0x2DE0, 32), (0xA66F, 1),
    (0xA67C, 2), (0xA6F0, 2), (0xA8E0, 18), (0xAAB0, 1), (0xAAB2, 2), (0xAAB7, 2),
    (0xAABE, 2), (0xAAC1, 1), (0xFE20, 7), (0x10A0F, 1), (0x10A38, 1), (0x1D185, 5),
    (0x1D1AA, 4), (0x1D242, 3),
)  # fmt: skip
DIACRITICS: tuple[str, ...] = tuple(chr(first + n) for first, count in _RUNS for n in range(count))
#: The most rows or columns a placement can address (a wider box is padded with blanks).
MAX_CELLS = len(DIACRITICS)
#: The protocol's largest base64 payload in one escape code.
CHUNK = 4096
#: Pixels sent per cell at most (the terminal scales them to its own cells, keeping the
#: picture's shape): sharp on a HiDPI screen, a picture never sent larger than it is.
CELL_PIXELS = (20, 40)
#: Pictures kept in the terminal at once; the least recently shown beyond are deleted.
KEEP = 12


def image_id(key: PictureKey, salt: int = 0) -> int:
    """A picture's id, the same for the same picture at the same size (and ``salt``: one
    app's pictures never delete another's): 24 bits, never 0, as the cells' colour holds it."""
    import hashlib  # off the start-up path, as the rest of the picture work

    name = f"{salt}\0{key.path}\0{key.mtime}\0{key.width}x{key.height}\0{key.background}"
    digest = hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=3).digest()
    return int.from_bytes(digest, "big") or 1


def graphics_command(control: str, payload: str = "") -> str:
    """One kitty graphics escape code (APC ``G``)."""
    return f"\x1b_G{control}{';' + payload if payload else ''}\x1b\\"


def passthrough(sequence: str) -> str:
    """``sequence`` wrapped for tmux to hand to the outer terminal as it is."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def transmit(png: bytes, ident: int, cols: int, rows: int, tmux: bool = False) -> str:
    """The escape codes that send a PNG and place it virtually in a ``cols`` x ``rows`` box,
    quietly (``q=2``: the terminal answers nothing Textual would read as keys), in chunks of
    at most 4096 base64 bytes (``m=1`` on all but the last), each wrapped for tmux."""
    import base64

    data = base64.standard_b64encode(png).decode("ascii")
    chunks = [data[at : at + CHUNK] for at in range(0, len(data), CHUNK)] or [""]
    out = []
    for number, chunk in enumerate(chunks):
        more = 1 if number < len(chunks) - 1 else 0
        if number == 0:
            control = f"a=T,f=100,t=d,U=1,i={ident},c={cols},r={rows},q=2,m={more}"
        else:
            control = f"m={more}"  # later chunks carry only m (the protocol's rule)
        command = graphics_command(control, chunk)
        out.append(passthrough(command) if tmux else command)
    return "".join(out)


def delete(ident: int, tmux: bool = False) -> str:
    """The escape code that deletes a picture and frees its data in the terminal."""
    command = graphics_command(f"a=d,d=I,i={ident},q=2")
    return passthrough(command) if tmux else command


def placeholder_rows(ident: int, width: int, height: int) -> list[Text]:
    """``height`` rows of ``width`` cells that show picture ``ident`` (a box larger than the
    protocol can address is padded with blank cells)."""
    red, green, blue = (ident >> 16) & 255, (ident >> 8) & 255, ident & 255
    style = Style(color=Color.from_rgb(red, green, blue))
    cols = min(width, MAX_CELLS)
    rows = []
    for row in range(height):
        if row >= MAX_CELLS:
            rows.append(Text(" " * width, end=""))
            continue
        mark = PLACEHOLDER + DIACRITICS[row]
        cells = "".join(mark + DIACRITICS[col] for col in range(cols))
        line = Text(cells, style=style, end="")
        if width > cols:
            line.append(" " * (width - cols))
        rows.append(line)
    return rows


def png_bytes(image: Image.Image, width: int, height: int) -> bytes:
    """The picture as PNG, at most ``width`` x ``height`` pixels, its shape kept (never
    enlarged: the terminal scales it to the box)."""
    from io import BytesIO

    from PIL import Image as PILImage

    scale = min(1.0, width / max(1, image.width), height / max(1, image.height))
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, PILImage.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class PlaceholderPictures(Pictures):
    """The picture cache for Kitty unicode placeholders: a picture's rows are placeholder
    cells, and the picture goes to the terminal (through ``write``) when first shown."""

    def __init__(
        self,
        write: Callable[[str], None],
        tmux: bool,
        salt: int | None = None,
        keep: int = KEEP,
    ) -> None:
        super().__init__()
        self.write = write
        self.tmux = tmux
        self.salt = os.getpid() if salt is None else salt
        self.keep = keep
        #: The transmit escape of each picture made lately (sent or not), to send it again.
        self._made: OrderedDict[PictureKey, str] = OrderedDict()
        #: In the terminal, least recently shown first: picture → its id.
        self._sent: OrderedDict[PictureKey, int] = OrderedDict()
        #: Every id sent and not deleted (after ``resend``, some may be in a former terminal).
        self._ids: set[int] = set()
        self._send_lock = threading.Lock()

    def render(self, image: Image.Image, key: PictureKey) -> Picture:
        """The PNG and its transmit escape (kept to be sent), and the placeholder rows."""
        cols, rows = min(key.width, MAX_CELLS), min(key.height, MAX_CELLS)
        width, height = CELL_PIXELS
        png = png_bytes(image, cols * width, rows * height)
        ident = image_id(key, self.salt)
        escape = transmit(png, ident, cols, rows, self.tmux)
        with self._send_lock:
            self._made[key] = escape
            self._made.move_to_end(key)
            while len(self._made) > 2 * self.keep:  # the oldest: made again if shown
                self._made.popitem(last=False)
        return placeholder_rows(ident, key.width, key.height)

    def get(self, key: PictureKey) -> Picture | None:
        """The rows of a picture ready to show; its pixels are sent now if not yet (on the UI
        thread, while the frame that shows them is made: the driver writes them first)."""
        found = super().get(key)
        if isinstance(found, list) and not self._send(key):
            self.forget(key)  # its pixels are gone: made (and sent) again
            return None
        return found

    def resend(self) -> None:
        """Send each picture again when next shown: the terminal may be another one now (a
        tmux session attached from elsewhere)."""
        with self._send_lock:
            self._sent.clear()

    def delete_all(self) -> None:
        """Delete every picture this cache sent (the app is closing)."""
        with self._send_lock:
            sent = sorted(self._ids)
            self._sent.clear()
            self._ids.clear()
        for ident in sent:
            self.write(delete(ident, self.tmux))

    def _send(self, key: PictureKey) -> bool:
        """Make sure the terminal has the picture; False when it cannot be sent."""
        evicted: list[tuple[PictureKey, int]] = []
        with self._send_lock:
            if key in self._sent:
                self._sent.move_to_end(key)
                return True
            escape = self._made.get(key)
            if escape is None:
                return False
            self._sent[key] = image_id(key, self.salt)
            self._ids.add(self._sent[key])
            while len(self._sent) > self.keep:
                old, ident = self._sent.popitem(last=False)
                self._made.pop(old, None)
                self._ids.discard(ident)
                evicted.append((old, ident))
        self.write(escape)
        for old, ident in evicted:
            self.write(delete(ident, self.tmux))
            self.forget(old)
        return True
