"""Finding and reading the Markdown files of a deck.

Reading never raises for bad content: encodings are detected (UTF-8 with or without BOM,
UTF-16 with BOM, else GB18030 with a warning), line endings normalised, control characters
removed. Only a path that cannot be read at all raises :class:`DeckError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tui_deck.diagnostics import DeckError, Reporter
from tui_deck.sanitize import clean, clean_line

MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Posts larger than this are refused: nobody presents 20 MB of Markdown.
MAX_BYTES = 20 * 1024 * 1024
_SKIP_DIRS = {"node_modules", "public", "resources", "__pycache__"}


@dataclass
class SourceFile:
    path: Path
    text: str


def read_source(path: Path, report: Reporter) -> SourceFile:
    """Read one Markdown file as text (see module docstring for the rules)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DeckError(
                f"{clean_line(str(path))}: file is {size // (1024 * 1024)} MB; "
                f"split it into posts under {MAX_BYTES // (1024 * 1024)} MB"
            )
        data = path.read_bytes()
    except PermissionError:
        raise DeckError(
            f"{clean_line(str(path))}: permission denied; make the file readable (chmod +r)"
        ) from None
    except IsADirectoryError:
        raise DeckError(f"{clean_line(str(path))}: is a folder, not a Markdown file") from None
    except FileNotFoundError:
        raise DeckError(f"{clean_line(str(path))}: no such file") from None
    except OSError as exc:
        raise DeckError(f"{clean_line(str(path))}: cannot read ({exc.strerror})") from None
    return SourceFile(path, decode(data, report))


def decode(data: bytes, report: Reporter) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
            report.warning(1, "diag_utf16")
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            if _looks_binary(data):
                report.error(1, "diag_not_text")
                return ""
            try:
                text = data.decode("gb18030")
                report.warning(line, "diag_gb18030")
            except UnicodeDecodeError:
                text = data.decode("utf-8", errors="replace")
                report.error(line, "diag_bad_utf8")
    if "\x00" in text:
        if _looks_binary(data):
            report.error(1, "diag_not_text")
            return ""
        line = text.count("\n", 0, text.index("\x00")) + 1
        report.warning(line, "diag_nul")
    return clean(text.replace("\r\n", "\n").replace("\r", "\n"))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if sample.count(b"\x00") > len(sample) // 10:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 10


def discover(path: Path) -> list[Path]:
    """The Markdown files a path stands for: a file, a bundle, or a folder of posts."""
    if not path.exists():
        raise DeckError(f"{clean_line(str(path))}: no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            raise DeckError(
                f"{clean_line(str(path))}: not a Markdown file; give a .md file or a folder"
            )
        return [path]
    if not os.access(path, os.R_OK | os.X_OK):
        raise DeckError(f"{clean_line(str(path))}: permission denied; make the folder readable")
    for name in ("index.md", "index.markdown"):
        if (path / name).is_file():
            return [path / name]
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    _walk(path, found, seen)
    if not found:
        raise DeckError(
            f"{clean_line(str(path))}: no Markdown found; point istio-deck at a .md file "
            "or a Hugo page bundle (a folder with index.md)"
        )
    return found


def _walk(folder: Path, found: list[Path], seen: set[tuple[int, int]]) -> None:
    try:
        stat = folder.stat()
    except OSError:
        return
    key = (stat.st_dev, stat.st_ino)
    if key in seen:  # a symlink loop, or the same folder twice
        return
    seen.add(key)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for name in ("index.md", "index.markdown"):  # a bundle inside: one post
        if (folder / name).is_file():
            found.append(folder / name)
            return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIP_DIRS:
            continue
        try:
            if entry.is_dir():
                _walk(entry, found, seen)
            elif entry.is_file() and entry.suffix.lower() in MARKDOWN_SUFFIXES:
                found.append(entry)
        except OSError:
            continue
