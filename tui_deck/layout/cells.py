"""Terminal cell widths of characters and strings.

The widths come from rich's Unicode table (``rich.cells``), so they agree with what rich and
Textual measure when they render a line: CJK ideographs, kana and full-width forms take 2
cells, combining marks, zero-width joiners and variation selectors 0, emoji 2.

East-Asian-Ambiguous characters (``unicodedata.east_asian_width(ch) == "A"``: “”‘’…—· and
many more) are 1 cell in most terminals but 2 in terminals set up for CJK (for example with a
CJK locale or a "treat ambiguous characters as wide" option). ``ambiguous_wide=True`` counts
them as 2. Zero-width ambiguous characters (combining marks) stay 0.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

__all__ = ["ambiguous_extra", "char_width", "text_width"]


@lru_cache(maxsize=8192)
def ambiguous_extra(ch: str) -> int:
    """1 if ``ch`` is East-Asian-Ambiguous and 1 cell wide (so 2 when ambiguous is wide)."""
    return int(unicodedata.east_asian_width(ch) == "A" and get_character_cell_size(ch) == 1)


@lru_cache(maxsize=8192)
def _char_width_narrow(ch: str) -> int:
    return get_character_cell_size(ch)


@lru_cache(maxsize=8192)
def _char_width_wide(ch: str) -> int:
    return get_character_cell_size(ch) + ambiguous_extra(ch)


def char_width(ch: str, ambiguous_wide: bool = False) -> int:
    """The cells one character takes in a terminal: 0, 1 or 2."""
    if ambiguous_wide:
        return _char_width_wide(ch)
    return _char_width_narrow(ch)


def text_width(text: str, ambiguous_wide: bool = False) -> int:
    """The cells a string takes in a terminal.

    This is ``rich.cells.cell_len`` (which knows that a zero-width joiner glues two emoji
    into one 2-cell glyph and that VS16 widens some symbols), plus one cell for every
    ambiguous character when ``ambiguous_wide`` is set. For text without such sequences it
    equals ``sum(char_width(ch) for ch in text)``.
    """
    if text.isascii():
        if text.isprintable():
            return len(text)
        return cell_len(text)
    width = cell_len(text)
    if ambiguous_wide:
        width += sum(map(ambiguous_extra, text))
    return width
