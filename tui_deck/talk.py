"""The talk file beside a post, and slide picks.

``istio-deck.toml`` in the deck's folder turns a post into a talk without editing it::

    theme = "light"
    split_level = 2
    duration = "20m"          # or 20 (minutes), "1h30m", "25:00"
    incremental_lists = true
    slides = "1-3,5,7-"       # the post's slide numbers, as `outline` shows them

    [shortcodes]              # values for {{< param >}}-style shortcodes
    version = "1.24"

The command line beats the talk file, which beats the front matter. A bad value is reported
at its line (``check``) and ignored. :func:`parse_slides` is the one reading of a slide list,
for ``--slides`` (present, export, record) and the talk file alike.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_NAME = "istio-deck.toml"


@dataclass(frozen=True)
class Problem:
    """A bad value in the talk file: its line, a ``words`` key and the key's values."""

    line: int
    key: str
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TalkFile:
    path: Path | None = None
    shortcodes: dict[str, object] = field(default_factory=dict)
    theme: str | None = None
    split_level: int | None = None
    duration: float | None = None
    incremental_lists: bool | None = None
    slides: str | None = None
    #: The line of each setting (for errors found later, e.g. an unknown theme).
    lines: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def talk_path(root: Path) -> Path:
    """Where the talk file of a deck is: beside the post, or in the folder given."""
    return (root if root.is_dir() else root.parent) / CONFIG_NAME


def read_talk(root: Path) -> TalkFile:
    """The talk file of the deck at ``root`` (an empty one when there is none)."""
    path = talk_path(root)
    if not path.is_file():
        return TalkFile()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return TalkFile(path, problems=(_unreadable(1, exc),))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        return TalkFile(path, problems=(_unreadable(int(found.group(1)) if found else 1, exc),))
    lines = {key: _line_of(text, key) for key in data}
    problems: list[Problem] = []

    def bad(key: str, words: str) -> None:
        value = str(data[key])[:40]
        problems.append(Problem(lines[key], words, (("setting", key), ("value", value))))

    table = data.get("shortcodes", {})
    shortcodes = {str(k).lower(): v for k, v in table.items()} if isinstance(table, dict) else {}
    theme = data.get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        bad("theme", "diag_talk_theme")
        theme = None
    level = data.get("split_level")
    if level is not None and not (type(level) is int and 1 <= level <= 6):
        bad("split_level", "diag_talk_level")
        level = None
    duration = None
    if "duration" in data:
        duration = parse_duration(str(data["duration"]))
        if duration is None or isinstance(data["duration"], bool):
            bad("duration", "diag_talk_duration")
            duration = None
    incremental = data.get("incremental_lists")
    if incremental is not None and not isinstance(incremental, bool):
        bad("incremental_lists", "diag_talk_bool")
        incremental = None
    slides = data.get("slides")
    if slides is not None:
        if isinstance(slides, int) and not isinstance(slides, bool):
            slides = str(slides)
        if not isinstance(slides, str) or slide_list_problem(slides):
            bad("slides", "diag_talk_slides")
            slides = None
    return TalkFile(
        path,
        shortcodes,
        theme.strip() if isinstance(theme, str) else None,
        level,
        duration,
        incremental,
        slides,
        lines,
        tuple(problems),
    )


def _unreadable(line: int, exc: Exception) -> Problem:
    return Problem(line, "diag_talk_unreadable", (("problem", str(exc)[:80]),))


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


# --------------------------------------------------------------------------- slide lists

_PART = re.compile(r"(\d+)(?:[ \t]*(-)[ \t]*(\d*))?")


def slide_list_problem(spec: str) -> str:
    """What is wrong with a slide list's form ("" when nothing is), whatever the deck."""
    try:
        _ranges(spec)
    except ValueError as exc:
        return str(exc)
    return ""


def _ranges(spec: str) -> list[tuple[int, int | None]]:
    """The (first, last) numbers of each part (last None: to the end)."""
    out: list[tuple[int, int | None]] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        match = _PART.fullmatch(part)
        if match is None:
            raise ValueError(f"slides {spec!r}: {part!r} is not a number or a range like 3-5")
        start = int(match.group(1))
        end = None if match.group(2) and not match.group(3) else int(match.group(3) or start)
        if end is not None and start > end:
            raise ValueError(f"slides {spec!r}: range {part!r} is reversed; write {end}-{start}")
        if start < 1:
            raise ValueError(f"slides {spec!r}: slides are numbered from 1")
        out.append((start, end))
    if not out:
        raise ValueError(f"slides {spec!r} names no slide")
    return out


def parse_slides(spec: str, count: int) -> list[int]:
    """``1-3,5,7-`` → [0, 1, 2, 4, 6, 7, …] (0-based positions of slides numbered from 1, as
    ``outline`` numbers them; ``7-`` runs to the last slide); raises ValueError naming the
    bad part."""
    chosen: list[int] = []
    seen: set[int] = set()
    for start, end in _ranges(spec):
        last = count if end is None else end
        if start > count or last > count:
            part = f"{start}-{end if end is not None else ''}" if end != start else str(start)
            raise ValueError(f"slides {spec!r}: {part!r} is outside 1-{count}")
        for number in range(start - 1, last):
            if number not in seen:
                seen.add(number)
                chosen.append(number)
    return chosen


def parse_duration(text: str) -> float | None:
    """``20m``, ``1h30m``, ``45s``, ``90`` (minutes), ``25:00`` or ``1:30:00`` → seconds (None
    when it is no length of time)."""
    value = text.strip().lower().replace(" ", "")
    seconds = None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value) * 60
    elif re.fullmatch(r"\d+(:\d{1,2}){1,2}", value):
        parts = [int(p) for p in value.split(":")]
        if all(p < 60 for p in parts[1:]):
            seconds = float(sum(p * 60**n for n, p in enumerate(reversed(parts))))
    elif re.fullmatch(r"(\d+h)?(\d+m)?(\d+s)?", value) and value:
        units = {"h": 3600, "m": 60, "s": 1}
        seconds = float(sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([hms])", value)))
    return seconds if seconds is not None and seconds > 0 else None
