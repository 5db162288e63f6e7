"""CJK-aware line breaking: split a paragraph into lines that fit a number of terminal cells.

``wrap(text, width)`` is pure (no terminal, no console) and keeps rich styles and links:
every output line is a ``rich.text.Text`` whose spans are those of the input for the same
characters.

The rules, in order of strength:

1. No line is wider than ``width`` cells (``text_width``). The one exception is a single
   character that is wider than the whole line (a 2-cell character when ``width == 1``): it
   gets a line of its own, because dropping it would lose text.
2. Hard line breaks ("\\n") always break.
3. A Latin word or number (``IstioCon``, ``4,000``, ``1.10``, a URL) is never split, unless
   it alone is wider than the line; then it is folded. A URL or path folds after a ``/``
   (or before ``?`` ``&`` ``#``), else after ``-`` or ``.``; other words at the width. A
   folded line is never a lone punctuation mark unless a word that fits would be split.
4. Kinsoku: no line starts with closing punctuation (``，。、）」”’…`` and friends, and
   ``,.;:!?)]}%`` when they directly follow a character or stand alone after a space, as in
   ``拦截 , sidecar``) and no line ends with opening punctuation (``（「『【《“‘`` and
   ``([{`` directly before text). The character before the closing mark (or the opening
   mark itself) moves to the next line instead. Only a cluster that is wider than the line
   on its own can break these rules.
5. Lines are filled greedily: a line ends early only when the next unit does not fit.

Break opportunities: between two CJK characters, at spaces (dropped at the break), after a
hyphen inside a Latin word (``service-`` / ``mesh``, but not in URLs or paths), and between
a CJK character and a Latin word or number, in both directions. Emoji break like
ideographs.

How it works: one compiled regular expression cuts each hard line into *clusters*: a space
run, or an unbreakable unit (one CJK character, an emoji sequence or a Latin word) with the
punctuation that kinsoku glues to it. A greedy loop then fills lines with clusters, with
cluster widths from a cache. Only a cluster wider than the whole line goes through the
slower grapheme-by-grapheme fold, which weighs every place to break (``_fold``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import cache, lru_cache
from typing import NamedTuple

import rich.cells
from rich.text import Span, Text

from tui_deck.cjk import _RANGES as _CJK_RANGES
from tui_deck.layout.cells import text_width

__all__ = [
    "NO_END",
    "NO_START",
    "NO_START_AFTER_CHAR",
    "line_ranges",
    "longest_unit",
    "wrap",
    "wrap_plain",
]

# --- character classes ---------------------------------------------------------------------

#: Closing punctuation that never starts a line (all are CJK per ``tui_deck.cjk.is_cjk``),
#: plus the Japanese iteration marks, prolonged sound mark and small kana.
_NS_CJK = (
    "，。、；：！？）」』】》〉〕〗〙〛｝］｠｡､｣％．・〞〟"
    "ー々〻ゝゞヽヾ゛゜ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
#: Non-CJK closing punctuation that never starts a line, and superscript digits (a
#: footnote marker stays with the word it annotates).
_NS_OTHER = "”’…‥⁰¹²³⁴⁵⁶⁷⁸⁹"
#: ASCII closing punctuation that does not start a line when it directly follows a
#: character (after a space it may: "a , b").
_NS_ASCII = ",.;:!?)]}%"
#: Of those, the ones that never begin a word: after a space they stay with the word before.
_NS_ASCII_LEADING = ",;)]}"
#: Opening punctuation that never ends a line.
_NE_CJK = "（「『【《〈〔〖〘〚［｛｟｢〝"
_NE_OTHER = "“‘"
#: ASCII opening punctuation: never at the end of a line when text follows directly.
_NE_ASCII = "([{"

NO_START: frozenset[str] = frozenset(_NS_CJK + _NS_OTHER)
NO_START_AFTER_CHAR: frozenset[str] = frozenset(_NS_ASCII)
NO_END: frozenset[str] = frozenset(_NE_CJK + _NE_OTHER + _NE_ASCII)
_NS_ALL = NO_START | NO_START_AFTER_CHAR

#: Emoji and pictographs: they break like ideographs.
_EMOJI_RANGES = (
    (0x231A, 0x231B),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x25FD, 0x25FE),
    (0x2600, 0x27BF),
    (0x2B05, 0x2B55),
    (0x1F000, 0x1FAFF),
)
_RI = "\U0001f1e6-\U0001f1ff"  # regional indicators: a pair is one flag


def _rng(low: int, high: int) -> str:
    return f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}"


def _in(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _zero_width_ranges() -> list[tuple[int, int]]:
    """Characters rich measures as 0 cells (combining marks, ZWJ, variation selectors)."""
    try:
        # rich >= 14 has its table here (not exported, hence getattr).
        table = getattr(rich.cells, "load_cell_table")("auto").widths  # noqa: B009
        ranges = [(max(low, 1), high) for low, high, width in table if width == 0 and high]
    except Exception:  # pragma: no cover - another rich: the common combining blocks
        ranges = [(0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF)]
    return [*ranges, (0x200B, 0x200F), (0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF)]


def _esc(chars: str) -> str:
    return "".join(f"\\U{ord(c):08x}" for c in chars)


#: Blocks whose zero-width characters can follow a CJK character, an emoji or punctuation
#: in real text: combining diacritics, zero-width (non-)joiners, combining marks for
#: symbols (keycaps), CJK tone and kana voicing marks, variation selectors, skin tones, tags.
_ATTACHING_BLOCKS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x200B, 0x200F),
    (0x20D0, 0x20FF),
    (0x302A, 0x302F),
    (0x3099, 0x309A),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0x1F3FB, 0x1F3FF),
    (0xE0000, 0xE0FFF),
)

_ZW = _zero_width_ranges()
_C = "".join(_rng(lo, hi) for lo, hi in _CJK_RANGES)
_E = "".join(_rng(lo, hi) for lo, hi in _EMOJI_RANGES)
#: All zero-width characters: a grapheme never splits before one (used when folding).
_Z_ALL = "".join(_rng(lo, hi) for lo, hi in _ZW)
#: The zero-width characters of ``_ATTACHING_BLOCKS``: the cluster pattern repeats this
#: class, and the whole table (some 340 ranges) would make it slow to compile. Other
#: zero-width characters inside a Latin word stay in it anyway.
_Z = "".join(
    _rng(max(lo, blo), min(hi, bhi))
    for lo, hi in _ZW
    for blo, bhi in _ATTACHING_BLOCKS
    if lo <= bhi and blo <= hi
)
# Zero-width characters inside the CJK or emoji ranges (kana voicing marks, skin tones):
# they must not end a Latin run.
_ZX = "".join(
    _rng(lo, hi)
    for lo, hi in _ZW
    if any(_in(_CJK_RANGES, c) or _in(_EMOJI_RANGES, c) for c in (lo, hi))
)

_SP = r"[ \t]"
_LATIN = rf"[^ \t\n{_C}{_E}]+(?:[{_ZX}]+[^ \t\n{_C}{_E}]*)*"
_EMOJI = rf"(?:[{_RI}][{_RI}]|[{_E}])(?:\u200d[^ \t\n]?|[{_Z}])*"
_CJKCHAR = rf"[{_C}][{_Z}]*"
_CORE = rf"(?:{_EMOJI}|{_CJKCHAR}|{_LATIN})"
_TAIL = (
    r"(?:"
    rf"{_SP}*[{_esc(_NS_CJK)}][{_Z}]*"  # closing CJK punctuation, even after a space
    # ”’… even after a space, ,.;:!?)]}% right after a character (with the rest of the word)
    rf"|(?:{_SP}*(?=[{_esc(_NS_OTHER)}])|(?=[{_esc(_NS_ASCII)}])){_LATIN}"
    # after a space, ,.;:!?)]}% standing alone ("拦截 , sidecar", "拦截 ,代理") or ,;)]} before
    # a word ("拦截 ,sidecar"): kept with the word before (".gitignore" may start a line)
    rf"|{_SP}+(?=[{_esc(_NS_ASCII)}])"
    rf"(?:[{_esc(_NS_ASCII)}]+(?![^ \t\n{_C}{_E}])|(?=[{_esc(_NS_ASCII_LEADING)}]){_LATIN})"
    # what follows an opening mark: （「“‘ even before a space, ([{ only right before text
    rf"|(?<=[{_esc(_NE_CJK + _NE_OTHER + _NE_ASCII)}])"
    rf"(?:(?<![{_esc(_NE_ASCII)}]){_SP}+)?{_CORE}"
    r")*"
)
#: Where a cluster may break after a hyphen: "service-mesh", not "-1", "x-1" or "--set",
#: nor after or before a piece of one or two letters ("T-Mobile", "In-Cluster", "x-add").
_HYPHEN = re.compile(r"(?<=[^\W_]{3}-)(?=[^\W\d_]{3})")
#: The word in a run: from its first letter or digit to its last ("“IstioCon”," → IstioCon).
_WORD = re.compile(r"[^\W_](?:.*[^\W_])?", re.DOTALL)


class _Patterns(NamedTuple):
    #: One cluster: a run of spaces, or an unbreakable unit with its kinsoku glue.
    cluster: re.Pattern[str]
    #: One grapheme, for folding (a ZWJ joins the next character, as rich measures it).
    grapheme: re.Pattern[str]
    #: A Latin run (a word, number or URL, with its punctuation), for folding.
    run: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    """The big patterns, compiled on first use (their CJK classes take ~40 ms to compile)."""
    return _Patterns(
        cluster=re.compile(rf"{_SP}+|{_CORE}{_TAIL}"),
        grapheme=re.compile(rf"(?:[{_RI}][{_RI}]|.)(?:\u200d.?|[{_Z_ALL}])*", re.DOTALL),
        run=re.compile(_LATIN),
    )


@lru_cache(maxsize=1 << 16)
def _width_narrow(text: str) -> int:
    return text_width(text)


@lru_cache(maxsize=1 << 16)
def _width_wide(text: str) -> int:
    return text_width(text, True)


def _split_hyphens(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if "-" in tok and "/" not in tok and tok[0] not in " \t":
            out.extend(_HYPHEN.split(tok))
        else:
            out.append(tok)
    return out


# --- breaking ------------------------------------------------------------------------------


def line_ranges(plain: str, width: int, *, ambiguous_wide: bool = False) -> list[tuple[int, int]]:
    """Where the lines of ``plain`` are: ``(start, end)`` offsets, one pair per line.

    The characters between one line's end and the next line's start are the break spaces
    that were dropped (and the "\\n" of a hard break).
    """
    width = max(1, width)
    measure = _width_wide if ambiguous_wide else _width_narrow
    out: list[tuple[int, int]] = []
    append = out.append
    base = 0
    for hard in plain.split("\n"):
        if not hard:
            append((base, base))
            base += 1
            continue
        if text_width(hard, ambiguous_wide) <= width:  # common at wide widths: one line
            stop = len(hard.rstrip(" \t"))
            append((base, base + stop) if stop else (base, base))
            base += len(hard) + 1
            continue
        # The patterns compile on the first line that needs breaking, not before the first
        # paint (a title slide has none).
        tokens = _patterns().cluster.findall(hard)
        if "-" in hard:
            tokens = _split_hyphens(tokens)
        pos = base
        emitted = len(out)
        line_start = -1  # offset where the current line starts; -1: nothing on it yet
        line_end = base  # offset after the last non-space character on the line
        used = 0  # cells of the line up to line_end
        pending = 0  # cells of the spaces after line_end
        indent_start = -1  # leading spaces of the hard line: kept if the first unit fits
        indent = 0
        for tok, cells in zip(tokens, map(measure, tokens), strict=True):
            end = pos + len(tok)
            first = tok[0]
            if first == " " or first == "\t":
                if line_start >= 0:
                    pending += cells
                elif pos == base:
                    indent_start = pos
                    indent = cells
                pos = end
                continue
            if line_start >= 0 and used + pending + cells <= width:
                used += pending + cells
                line_end = end
                pending = 0
            elif cells <= width:
                if line_start >= 0:
                    append((line_start, line_end))
                    line_start = pos
                    used = cells
                elif indent_start >= 0 and indent + cells <= width:
                    line_start = indent_start
                    used = indent + cells
                else:
                    line_start = pos
                    used = cells
                line_end = end
                pending = 0
            else:
                if line_start >= 0:
                    append((line_start, line_end))
                line_start, line_end, used = _fold(plain, pos, end, width, measure, out)
                pending = 0
            indent_start = -1
            pos = end
        if line_start >= 0:
            append((line_start, line_end))
        elif len(out) == emitted:
            append((base, base))  # only spaces
        base += len(hard) + 1
    return out


#: Penalties of a break inside a cluster that is folded: the least bad break is taken.
_SPLIT_WORD = 8  # inside a word or number that would fit a line of its own
_MARKS_ONLY = 4  # a line (or what is left) of nothing but punctuation
_SPLIT_URL = 3  # at a "/" of a URL that fits the line but not with the marks around it
_IN_SEGMENT = 2  # inside a segment of a URL, path or long word
_MINOR_POINT = 1  # after "-" or "." in a URL, path or long word (after "/" is better)
_KINSOKU = 1  # closing punctuation at the start of a line, opening at the end
_SHORT_LINE = 1  # a line less than a quarter full


@lru_cache(maxsize=4096)
def _is_mark(grapheme: str) -> bool:
    """A punctuation mark, math or currency sign or a space (a line of only these says
    nothing); an emoji or other symbol is content."""
    category = unicodedata.category(grapheme[0])
    return grapheme.isspace() or category[0] == "P" or category in ("Sm", "Sc", "Sk")


#: The places where ``_fold_cost`` may be less than ``_IN_SEGMENT``.
_FOLD_AT = re.compile(r"(?<=/)(?!/)|(?<=[-.])(?=[^\W_])|(?<![?&#])(?=[?&#])")


def _fold_cost(text: str, q: int, url: bool) -> int:
    """The penalty of folding a too-wide URL, path or long word before ``text[q]``.

    Best after a ``/`` and, in a URL or path, before ``?``, ``&`` or ``#``; next best after
    ``-`` or ``.`` before a letter or digit (not inside a number such as ``1.20``) and after
    the ``//`` of ``https://``; anywhere else the cut is inside a segment.
    """
    prev, char = text[q - 1], text[q]
    if prev == "/":
        if char == "/":
            return _IN_SEGMENT
        return _MINOR_POINT if q > 1 and text[q - 2] == "/" else 0
    if url and char in "?&#" and prev not in "?&#":
        return 0
    if (prev == "-" or prev == ".") and char.isalnum():
        if prev == "." and char.isdigit() and q > 1 and text[q - 2].isdigit():
            return _IN_SEGMENT
        return _MINOR_POINT
    return _IN_SEGMENT


def _fold(
    plain: str,
    start: int,
    end: int,
    width: int,
    measure: Callable[[str], int],
    out: list[tuple[int, int]],
) -> tuple[int, int, int]:
    """Fold one cluster wider than the line; return the last piece, which stays open.

    Pieces are as full as possible, but a piece ends earlier (still inside the cluster) to
    avoid, from worst to least bad: splitting a word that fits the width; a line of nothing
    but punctuation (or a piece that starts with only punctuation left); cutting a URL or
    path inside a segment when it has a place to fold (after ``/``, ``-`` or ``.``, before
    ``?`` ``&`` ``#``, see ``_fold_cost``); breaking kinsoku.
    """
    segment = plain[start:end]
    patterns = _patterns()
    graphemes: list[str] = patterns.grapheme.findall(segment)
    count = len(graphemes)
    offsets = [start]
    for grapheme in graphemes:
        offsets.append(offsets[-1] + len(grapheme))
    cells = [measure(g) for g in graphemes]
    space = [g == " " or g == "\t" for g in graphemes]
    # Penalty of breaking before grapheme p (see _SPLIT_WORD and friends).
    penalty = [0] * (count + 1)
    for p in range(1, count):
        left = p - 1
        while left > 0 and space[left]:
            left -= 1
        right = p
        while right < count - 1 and space[right]:
            right += 1
        if graphemes[right][0] in _NS_ALL or graphemes[left][0] in NO_END:
            penalty[p] = _KINSOKU
    # Nothing but punctuation would be left after a break in the cluster's tail.
    p = count - 1
    while p > 0 and _is_mark(graphemes[p]):
        penalty[p] += _MARKS_ONLY
        p -= 1
    # Grapheme index of each offset in the segment (one character per grapheme is common).
    index_of: dict[int, int] | None = None
    if count < len(segment):
        index_of = {offset - start: i for i, offset in enumerate(offsets)}

    def add(first: int, stop: int, amount: int) -> None:
        """Add ``amount`` to the penalty of breaking before the offsets first..stop-1."""
        if index_of is None:
            penalty[first:stop] = [cost + amount for cost in penalty[first:stop]]
        else:
            for q in range(first, stop):
                i = index_of.get(q)
                if i is not None:
                    penalty[i] += amount

    for run in patterns.run.finditer(segment):
        # After a hyphen a run breaks as in wrapping ("service-" / "mesh"): each hyphenated
        # piece is a word of its own.
        run_start, run_end = run.span()
        pieces: list[tuple[int, int]] = []
        low = run_start
        if "-" in run.group() and "/" not in run.group():
            for hyphen in _HYPHEN.finditer(segment, run_start, run_end):
                pieces.append((low, hyphen.start()))
                low = hyphen.start()
        pieces.append((low, run_end))
        for piece_start, piece_end in pieces:
            word = _WORD.search(segment, piece_start, piece_end)
            if not word:
                continue
            low, high = word.span()
            fits = measure(word.group()) <= width
            url = "/" in word.group()
            inside = _SPLIT_WORD if fits else _IN_SEGMENT
            add(low + 1, high, inside)
            if fits and not url:
                continue
            for point in _FOLD_AT.finditer(segment, low + 1, high):
                q = point.start()
                i = q if index_of is None else index_of.get(q, -1)
                cost = _fold_cost(segment, q, url)
                if i < 0 or cost == _IN_SEGMENT:
                    continue
                if fits:  # a URL that fits, but not with the marks around it
                    cost = _SPLIT_URL
                if segment[q] == "?":
                    penalty[i] = cost  # a query string may start a line: no kinsoku
                else:
                    penalty[i] += cost - inside
    i = 0
    while True:
        used = 0
        j = i
        while j < count and used + cells[j] <= width:
            used += cells[j]
            j += 1
        if j == count:
            return offsets[i], offsets[count], used
        if j == i:
            # A grapheme wider than the whole line: alone on its line.
            if i + 1 == count:
                return offsets[i], offsets[count], cells[i]
            cut = i + 1
        else:
            # The line would hold only punctuation if it ended at or before ``lone``.
            lone = i
            while lone < j and _is_mark(graphemes[lone]):
                lone += 1
            cut = j
            best = penalty[j] + (_MARKS_ONLY if j <= lone else 0)
            p = j - 1
            filled = used  # cells of graphemes[i:p + 1]
            while best and p > i:
                filled -= cells[p]
                cost = penalty[p] + (_MARKS_ONLY if p <= lone else 0)
                if 4 * filled < width:
                    cost += _SHORT_LINE
                if cost < best:
                    cut, best = p, cost
                p -= 1
        stop = cut
        while stop > i + 1 and space[stop - 1]:
            stop -= 1
        out.append((offsets[i], offsets[stop]))
        i = cut
        while i < count and space[i]:
            i += 1
        if i == count:  # pragma: no cover - clusters never end with a space
            return -1, offsets[count], 0


def longest_unit(plain: str, *, ambiguous_wide: bool = False) -> int:
    """The cells of the widest piece of ``plain`` that ``line_ranges`` never breaks: the
    narrowest width at which no word is cut (a CJK character, with its kinsoku glue, is a
    piece of its own)."""
    measure = _width_wide if ambiguous_wide else _width_narrow
    widest = 0
    for hard in plain.split("\n"):
        tokens = _patterns().cluster.findall(hard)
        if "-" in hard:
            tokens = _split_hyphens(tokens)
        for tok in tokens:
            if tok[0] not in " \t":
                widest = max(widest, measure(tok))
    return widest


def wrap_plain(text: str, width: int, *, ambiguous_wide: bool = False) -> list[str]:
    """``wrap`` for a plain string: the lines as strings."""
    return [text[s:e] for s, e in line_ranges(text, width, ambiguous_wide=ambiguous_wide)]


def wrap(text: Text, width: int, *, ambiguous_wide: bool = False) -> list[Text]:
    """Break ``text`` into lines of at most ``width`` cells (see the module docstring).

    Each line is a new ``Text`` with the style, justify and overflow of ``text`` and the
    spans of ``text`` clipped to its characters.
    """
    plain = text.plain
    ranges = line_ranges(plain, width, ambiguous_wide=ambiguous_wide)
    style, justify, overflow = text.style, text.justify, text.overflow
    no_wrap, end, tab_size = text.no_wrap, text.end, text.tab_size
    lines = [
        Text(
            plain[s:e],
            style=style,
            justify=justify,
            overflow=overflow,
            no_wrap=no_wrap,
            end=end,
            tab_size=tab_size,
        )
        for s, e in ranges
    ]
    spans = text.spans
    if spans:
        starts = [s for s, _ in ranges]
        count = len(ranges)
        for span_start, span_end, span_style in spans:
            i = max(0, bisect_right(starts, span_start) - 1)
            while i < count:
                line_start, line_end = ranges[i]
                if line_start >= span_end:
                    break
                a = span_start if span_start > line_start else line_start
                b = span_end if span_end < line_end else line_end
                if b > a:
                    lines[i].spans.append(Span(a - line_start, b - line_start, span_style))
                i += 1
    return lines
