"""CJK-friendly emphasis: ``**新功能：**您一直在…`` is bold, as the author meant.

CommonMark decides whether a run of ``*``, ``_`` or ``~`` can open or close emphasis from the
characters on either side of it (the "flanking" rules). A run between a full-width punctuation
mark and a Chinese character fails those rules, so the asterisks stay on the page
(commonmark-spec#650). This plugin applies the CJK-friendly amendments to CommonMark (the
markdown-cjk-friendly specification, a revision candidate implemented by markdown-it-cjk-friendly
and Markdig): next to a CJK character, a CJK punctuation mark or an ideographic variation
selector, punctuation no longer blocks a delimiter run. Text without CJK characters (or
variation selectors) parses exactly as CommonMark.

The flanking decision lives in ``StateInline.scanDelims``, which markdown-it's ``emphasis``
and ``strikethrough`` rules call; the plugin gives the inline parser a state whose
``scanDelims`` follows the amended definitions.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType

# Characters with Emoji_Presentation=Yes and East Asian Width W (UTS #51 emoji-data.txt,
# Unicode 16): wide, but emoji, so not CJK. Regional indicators are narrow and left out.
_EMOJI_PRESENTATION = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x1F004, 0x1F004), (0x1F0CF, 0x1F0CF),
    (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F201, 0x1F201), (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F), (0x1F232, 0x1F236), (0x1F238, 0x1F23A), (0x1F250, 0x1F251),
    (0x1F300, 0x1F320), (0x1F32D, 0x1F335), (0x1F337, 0x1F37C), (0x1F37E, 0x1F393),
    (0x1F3A0, 0x1F3CA), (0x1F3CF, 0x1F3D3), (0x1F3E0, 0x1F3F0), (0x1F3F4, 0x1F3F4),
    (0x1F3F8, 0x1F43E), (0x1F440, 0x1F440), (0x1F442, 0x1F4FC), (0x1F4FF, 0x1F53D),
    (0x1F54B, 0x1F54E), (0x1F550, 0x1F567), (0x1F57A, 0x1F57A), (0x1F595, 0x1F596),
    (0x1F5A4, 0x1F5A4), (0x1F5FB, 0x1F64F), (0x1F680, 0x1F6C5), (0x1F6CC, 0x1F6CC),
    (0x1F6D0, 0x1F6D2), (0x1F6D5, 0x1F6D8), (0x1F6DC, 0x1F6DF), (0x1F6EB, 0x1F6EC),
    (0x1F6F4, 0x1F6FC), (0x1F7E0, 0x1F7EB), (0x1F7F0, 0x1F7F0), (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945), (0x1F947, 0x1F9FF), (0x1FA70, 0x1FA7C), (0x1FA80, 0x1FA8A),
    (0x1FA8E, 0x1FAC6), (0x1FAC8, 0x1FAC8), (0x1FACD, 0x1FADC), (0x1FADF, 0x1FAEA),
    (0x1FAEF, 0x1FAF8),
)  # fmt: skip
# Script=Hangul (UAX #24): Korean counts as CJK whatever its width.
_HANGUL = (
    (0x1100, 0x11FF), (0x302E, 0x302F), (0x3131, 0x318E), (0x3200, 0x321E), (0x3260, 0x327E),
    (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xFFA0, 0xFFBE),
    (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC),
)  # fmt: skip
_EMOJI_STARTS = [low for low, _ in _EMOJI_PRESENTATION]
_HANGUL_STARTS = [low for low, _ in _HANGUL]
# ‘ ’ “ ” followed by U+FE01 are their full-width forms (StandardizedVariants.txt).
_FULLWIDTH_QUOTES = "\u2018\u2019\u201c\u201d"


def _in(code: int, starts: list[int], ranges: tuple[tuple[int, int], ...]) -> bool:
    index = bisect_right(starts, code) - 1
    return index >= 0 and code <= ranges[index][1]


def is_cjk_char(char: str) -> bool:
    """A CJK character of the specification: wide, full-width or half-width but not an emoji,
    or Hangul."""
    code = ord(char)
    if code < 0x1100:
        return False
    if unicodedata.east_asian_width(char) in ("W", "F", "H"):
        return not _in(code, _EMOJI_STARTS, _EMOJI_PRESENTATION)
    return _in(code, _HANGUL_STARTS, _HANGUL)


def _is_general_vs(char: str) -> bool:
    """A non-emoji general-use variation selector (U+FE00–U+FE0E)."""
    return "\ufe00" <= char <= "\ufe0e"


def _is_ideographic_vs(char: str) -> bool:
    return "\U000e0100" <= char <= "\U000e01ef"


def _is_punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


class Side(NamedTuple):
    """What is on one side of a delimiter run."""

    space: bool
    #: A punctuation character (after the run) or sequence (before it).
    punct: bool
    #: A CJK character, or before the run: a CJK sequence, an ideographic variation selector
    #: or a full-width quotation mark.
    cjk: bool

    @property
    def non_cjk_punct(self) -> bool:
        return self.punct and not self.cjk


def before(src: str, start: int) -> Side:
    """The side before the run at ``start`` (the beginning of the line counts as a space)."""
    if start <= 0:
        return Side(True, False, False)
    char = src[start - 1]
    main = char
    # A variation selector belongs to the character before it (not to a space before it).
    if _is_general_vs(char) and start >= 2 and not isWhiteSpace(ord(src[start - 2])):
        main = src[start - 2]
        if char == "\ufe01" and main in _FULLWIDTH_QUOTES:
            return Side(False, True, True)
    cjk = is_cjk_char(main) or _is_ideographic_vs(main)
    return Side(isWhiteSpace(ord(main)), _is_punct(main), cjk)


def after(src: str, end: int, maximum: int) -> Side:
    """The side after a run that ends at ``end`` (the end of the line counts as a space)."""
    if end >= maximum:
        return Side(True, False, False)
    char = src[end]
    return Side(isWhiteSpace(ord(char)), _is_punct(char), is_cjk_char(char))


def flanking(prev: Side, nxt: Side) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) by the CJK-friendly definitions. Without CJK on either
    side these are CommonMark's: punctuation blocks a run only when it is not CJK."""
    left = not nxt.space and (not nxt.non_cjk_punct or prev.space or prev.punct or prev.cjk)
    right = not prev.space and (not prev.non_cjk_punct or nxt.space or nxt.punct or nxt.cjk)
    return left, right


class CjkFriendlyState(StateInline):
    """markdown-it's inline state, deciding flanking by the CJK-friendly rules."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        marker = self.src[start]
        pos = start
        while pos < self.posMax and self.src[pos] == marker:
            pos += 1
        prev = before(self.src, start)
        nxt = after(self.src, pos, self.posMax)
        left, right = flanking(prev, nxt)
        if canSplitWord:  # `*` and `~`
            return Scanned(left, right, pos - start)
        # `_` may not open or close inside a word.
        can_open = left and (not right or prev.punct)
        can_close = right and (not left or nxt.punct)
        return Scanned(can_open, can_close, pos - start)


class CjkFriendlyParserInline(ParserInline):
    """markdown-it's inline parser with :class:`CjkFriendlyState`."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        state = CjkFriendlyState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    """Parse emphasis, strong emphasis and strikethrough by the CJK-friendly rules."""
    if isinstance(md.inline, CjkFriendlyParserInline):
        return
    parser = CjkFriendlyParserInline()
    # Keep the rules the parser has (presets, enabled extensions, other plugins' rules).
    parser.__dict__.update(vars(md.inline))
    md.inline = parser
