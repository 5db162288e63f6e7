"""Images: their pixel size, read cheaply (header only), for layout.

Decoding and rendering pixels into the terminal arrive with the images feature; layout only
needs the aspect ratio, which it gets here without decoding the image.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

#: The fallback shape of an image whose size cannot be read (16:9).
DEFAULT_SIZE = (1600, 900)


def image_size(path: Path | None) -> tuple[int, int] | None:
    """(width, height) in pixels, or None when the file is missing or unreadable."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _size(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _size(path: str, mtime: int, size: int) -> tuple[int, int] | None:
    if path.lower().endswith(".svg"):
        return _svg_size(path)
    try:
        from PIL import Image

        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except Exception:  # a corrupt or unsupported file is not a layout problem
        return None
    return (width, height) if width > 0 and height > 0 else None


_NUMBER = r"([0-9]*\.?[0-9]+)"


def _svg_size(path: str) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
    tag = re.search(r"<svg\b[^>]*>", head, re.DOTALL)
    if not tag:
        return None
    attrs = tag.group(0)
    box = re.search(
        r'viewBox\s*=\s*["\']\s*' + (r"[-0-9.]+[\s,]+" * 2) + _NUMBER + r"[\s,]+" + _NUMBER, attrs
    )
    if box:
        width, height = float(box.group(1)), float(box.group(2))
    else:
        w = re.search(r'\bwidth\s*=\s*["\']' + _NUMBER, attrs)
        h = re.search(r'\bheight\s*=\s*["\']' + _NUMBER, attrs)
        if not (w and h):
            return None
        width, height = float(w.group(1)), float(h.group(1))
    if width <= 0 or height <= 0:
        return None
    return max(1, round(width)), max(1, round(height))
