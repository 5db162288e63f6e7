"""Which characters are CJK: the one definition the parser and the layout engine share."""

from __future__ import annotations

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
