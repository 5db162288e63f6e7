"""Which characters are CJK: the one definition the parser and the layout engine share."""

from __future__ import annotations

import unicodedata

# Ranges of characters that are written without spaces between them (Han, kana, CJK
# punctuation and full-width forms). Hangul is left out: Korean puts spaces between words.
_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi
    (0x2FF0, 0x303F),  # ideographic description, CJK symbols and punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3190, 0x31FF),  # Kanbun, CJK strokes, Katakana ext
    (0x3200, 0x4DBF),  # enclosed CJK, CJK compatibility, extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)


def is_cjk(char: str) -> bool:
    """True for a character of a script written without spaces (Chinese, Japanese)."""
    if not char:
        return False
    code = ord(char[0])
    if code < 0x2E80:
        return False
    return any(low <= code <= high for low, high in _RANGES)


def cjk_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_cjk(c)) / len(letters)


#: Marks that are full-width in Chinese text (“零信任”, 等等……, 前者——后者) and narrow in
#: English: they count as CJK next to a CJK character.
_AMBIGUOUS = "“”‘’…—·"


def _fullwidth_mark(char: str) -> bool:
    """A CJK punctuation mark, symbol or space (，。（）、％ …): it carries its own space."""
    return is_cjk(char) and unicodedata.category(char)[0] in "PSZ"


def _cjk_side(char: str, own_side: str, across: str) -> bool:
    """``char`` counts as CJK: it is CJK, or a quote or dash written next to CJK text.

    ``own_side`` is the text beyond ``char`` away from the break, nearest first.
    """
    if is_cjk(char):
        return True
    if char not in _AMBIGUOUS:
        return False
    neighbour = next((c for c in own_side if c not in _AMBIGUOUS), "")
    return is_cjk(neighbour) or is_cjk(across)


def soft_break_joins(before: str, after: str) -> bool:
    """True when a soft line break between ``before`` and ``after`` adds no space.

    ``before`` is the text that ends at the break, ``after`` the text that starts there
    (a few characters of each are enough). No space goes between two CJK characters, after
    a full-width mark (``，`` ``。`` ``）`` ``」``), before one (``（`` ``「``), or beside a
    quote, ellipsis or dash that sits next to CJK text (``”`` in ``“零信任”``). Between a CJK
    character and a Latin word the break is one space, as Istio's posts write it on one
    line (``使用 Envoy 代理``).
    """
    if not before or not after:
        return False
    last, first = before[-1], after[0]
    if _fullwidth_mark(last) or _fullwidth_mark(first):
        return True
    return _cjk_side(last, before[-2::-1], first) and _cjk_side(first, after[1:], last)
