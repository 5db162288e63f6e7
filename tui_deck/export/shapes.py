"""Box-drawing and block characters as shapes that fill their cell, as terminals draw them.

A font draws ``│`` one em tall and ``─`` one em wide: in a cell taller than the em (lines
must not touch) a table's borders break between rows, and a CJK font's em-wide ``┐`` sticks
out of its cell. Terminals (kitty, xterm.js, VTE) draw these characters themselves, edge to
edge; so does this module: each character becomes polygons in its cell, read from its
Unicode name (``BOX DRAWINGS DOWN LIGHT AND RIGHT HEAVY``) or the block elements' table.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

Point = tuple[float, float]
Polygon = tuple[Point, ...]


class Shape:
    """A character's polygons in a ``width`` x ``height`` cell, and their opacity."""

    __slots__ = ("opacity", "polygons", "spans")

    def __init__(self, polygons: list[Polygon], width: float, opacity: float = 1.0) -> None:
        self.polygons = tuple(polygons)
        self.opacity = opacity
        #: Whether every polygon is a rectangle across the whole cell (─ ━ ▀ █ ░): a run of
        #: the character is then one rectangle per polygon, however long.
        self.spans = all(_is_band(p, width) for p in polygons)


def _is_band(polygon: Polygon, width: float) -> bool:
    xs = {x for x, _ in polygon}
    return len(polygon) == 4 and xs == {0.0, width}


def is_shape(char: str) -> bool:
    """Whether ``char`` is drawn as a shape (box drawing U+2500–257F, blocks U+2580–259F)."""
    return "\u2500" <= char <= "\u259f"


def path(char: str, count: int, x: float, y: float, width: float, height: float) -> str:
    """The SVG path data of ``count`` cells of ``char`` from (x, y) ("" for none)."""
    shape = shape_of(char, width, height)
    if shape is None:
        return ""
    parts = []
    if shape.spans:
        for polygon in shape.polygons:
            (_, top), (_, bottom) = polygon[0], polygon[2]
            parts.append(_rect(x, y + top, width * count, bottom - top))
    else:
        for cell in range(count):
            left = x + cell * width
            for polygon in shape.polygons:
                parts.append(_polygon(polygon, left, y))
    return "".join(parts)


def _rect(x: float, y: float, width: float, height: float) -> str:
    return f"M{_n(x)} {_n(y)}h{_n(width)}v{_n(height)}h{_n(-width)}z"


def _polygon(polygon: Polygon, x: float, y: float) -> str:
    points = [f"{_n(x + px)} {_n(y + py)}" for px, py in polygon]
    return "M" + "L".join(points) + "z"


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


# --------------------------------------------------------------------------- box drawing

_WEIGHTS = {"LIGHT": 1, "SINGLE": 1, "HEAVY": 3, "DOUBLE": 2}
_DIRECTIONS = {
    "UP": ("up",),
    "DOWN": ("down",),
    "LEFT": ("left",),
    "RIGHT": ("right",),
    "VERTICAL": ("up", "down"),
    "HORIZONTAL": ("left", "right"),
}
_DASHES = {"DOUBLE": 2, "TRIPLE": 3, "QUADRUPLE": 4}


def _arms(name: str) -> tuple[dict[str, int], int, str] | None:
    """The weight of each arm (1 light, 3 heavy, 2 double), the dashes, and a diagonal."""
    words = name.removeprefix("BOX DRAWINGS ").split()
    dashes = 0
    if "DASH" in words:
        at = words.index("DASH")
        dashes = _DASHES.get(words[at - 1], 0)
        del words[at - 1 : at + 1]
    if "DIAGONAL" in words:
        return {}, 0, " ".join(words[words.index("DIAGONAL") + 1 :])
    words = [w for w in words if w not in ("AND", "ARC")]
    arms: dict[str, int] = {}
    if words and words[0] in _WEIGHTS:  # LIGHT DOWN AND RIGHT, LIGHT UP AND HEAVY DOWN
        weight = 0
        for word in words:
            if word in _WEIGHTS:
                weight = _WEIGHTS[word]
            else:
                arms.update(dict.fromkeys(_DIRECTIONS.get(word, ()), weight))
    else:  # DOWN LIGHT AND RIGHT HEAVY, LEFT UP HEAVY AND RIGHT DOWN LIGHT
        pending: list[str] = []
        for word in words:
            if word in _WEIGHTS:
                arms.update(dict.fromkeys(pending, _WEIGHTS[word]))
                pending = []
            else:
                pending.extend(_DIRECTIONS.get(word, ()))
    if not arms or 0 in arms.values():
        return None
    return arms, dashes, ""


def _box_drawing(char: str, width: float, height: float) -> Shape | None:
    found = _arms(unicodedata.name(char, ""))
    if found is None:
        return None
    arms, dashes, diagonal = found
    light = max(1.0, round(width / 10))
    if diagonal:
        return Shape(_diagonals(diagonal, width, height, light), width)
    cx, cy = width / 2, height / 2
    lines: list[tuple[bool, str, int]] = []  # (horizontal, arm or "" for edge to edge, weight)
    for first, second, horizontal in (("left", "right", True), ("up", "down", False)):
        one, two = arms.get(first, 0), arms.get(second, 0)
        if one and one == two:
            lines.append((horizontal, "", one))
            continue
        lines.extend((horizontal, arm, w) for arm, w in ((first, one), (second, two)) if w)
    # Where the strokes run across the cell: an arm reaches from its edge to the far side
    # of the strokes it meets, so corners and crossings close.
    strokes = {
        True: _strokes(cy, [w for h, _, w in lines if h], light),
        False: _strokes(cx, [w for h, _, w in lines if not h], light),
    }
    polygons: list[Polygon] = []
    for horizontal, arm, weight in lines:
        length = width if horizontal else height
        low, high = _band(strokes[not horizontal], cx if horizontal else cy, light)
        start, end = {"": (0.0, length), "left": (0.0, high), "up": (0.0, high)}.get(
            arm, (low, length)
        )
        for near, stroke in _stroke(cy if horizontal else cx, weight, light):
            for a, b in _dashed(start, end, dashes):
                if horizontal:
                    polygons.append(_box(a, near, b, near + stroke))
                else:
                    polygons.append(_box(near, a, near + stroke, b))
    return Shape(polygons, width)


def _stroke(middle: float, weight: int, light: float) -> list[tuple[float, float]]:
    """(where, how thick) of the strokes of a line of ``weight`` around ``middle``, in
    whole pixels so a 1-pixel line stays one pixel wide at the SVG's own size."""
    if weight == 2:
        return [(math.floor(middle + off - light / 2 + 0.5), light) for off in (-light, light)]
    stroke = 3 * light if weight == 3 else light
    return [(math.floor(middle - stroke / 2 + 0.5), stroke)]


def _strokes(middle: float, weights: list[int], light: float) -> list[tuple[float, float]]:
    return [part for weight in weights for part in _stroke(middle, weight, light)]


def _band(strokes: list[tuple[float, float]], middle: float, light: float) -> tuple[float, float]:
    """From the first to the last pixel of ``strokes`` (a light stroke's when none)."""
    strokes = strokes or _stroke(middle, 1, light)
    return min(near for near, _ in strokes), max(near + size for near, size in strokes)


def _dashed(start: float, end: float, dashes: int) -> list[tuple[float, float]]:
    """The line cut into ``dashes`` dashes with gaps between them (all of it for 0)."""
    if not dashes:
        return [(start, end)]
    step = (end - start) / dashes
    return [(start + i * step, start + i * step + step * 0.6) for i in range(dashes)]


def _diagonals(which: str, width: float, height: float, light: float) -> list[Polygon]:
    down = ((0.0, 0.0), (light, 0.0), (width, height), (width - light, height))
    up = ((width - light, 0.0), (width, 0.0), (light, height), (0.0, height))
    if which == "CROSS":
        return [down, up]
    return [down] if which.startswith("UPPER LEFT") else [up]


# --------------------------------------------------------------------------- blocks

#: Block elements as rectangles in eighths of the cell: (left, top, right, bottom).
_QUADRANTS = {"ul": (0, 0, 4, 4), "ur": (4, 0, 8, 4), "ll": (0, 4, 4, 8), "lr": (4, 4, 8, 8)}
_BLOCKS: dict[str, tuple[tuple[int, int, int, int], ...]] = {
    "\u2580": ((0, 0, 8, 4),),
    **{chr(0x2580 + k): ((0, 8 - k, 8, 8),) for k in range(1, 9)},  # ▁ … █
    **{chr(0x2588 + k): ((0, 0, 8 - k, 8),) for k in range(1, 8)},  # ▉ … ▏
    "\u2590": ((4, 0, 8, 8),),
    "\u2591": ((0, 0, 8, 8),),
    "\u2592": ((0, 0, 8, 8),),
    "\u2593": ((0, 0, 8, 8),),
    "\u2594": ((0, 0, 8, 1),),
    "\u2595": ((7, 0, 8, 8),),
    **{
        chr(0x2596 + i): tuple(_QUADRANTS[q] for q in quads.split())
        for i, quads in enumerate(
            [
                "ll",
                "lr",
                "ul",
                "ul ll lr",
                "ul lr",
                "ul ur ll",
                "ul ur lr",
                "ur",
                "ur ll",
                "ur ll lr",
            ]
        )
    },
}
_SHADES = {"\u2591": 0.25, "\u2592": 0.5, "\u2593": 0.75}


def _block(char: str, width: float, height: float) -> Shape | None:
    rects = _BLOCKS.get(char)
    if rects is None:
        return None
    polygons = [
        _box(left * width / 8, top * height / 8, right * width / 8, bottom * height / 8)
        for left, top, right, bottom in rects
    ]
    return Shape(polygons, width, _SHADES.get(char, 1.0))


@lru_cache(maxsize=512)
def shape_of(char: str, width: float, height: float) -> Shape | None:
    """The shape of a box-drawing or block character in a cell (None: draw it as text)."""
    if "\u2580" <= char <= "\u259f":
        return _block(char, width, height)
    if "\u2500" <= char <= "\u257f":
        return _box_drawing(char, width, height)
    return None
