"""Front matter: YAML between ``---`` lines, TOML between ``+++`` lines, or a JSON object.

Parsing never raises: problems become diagnostics with the line they are on, and the post
keeps its body.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from tui_deck.diagnostics import Reporter

_YAML_FENCE = re.compile(r"^---[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")


@dataclass
class FrontMatter:
    data: dict[str, Any]
    #: The body of the post (what follows the front matter).
    body: str
    #: 1-based line of the source on which ``body`` starts.
    body_line: int


def split(text: str, report: Reporter) -> FrontMatter:
    """Split ``text`` into front matter and body, reporting problems to ``report``."""
    lines = text.split("\n")
    first = lines[0] if lines else ""
    if _YAML_FENCE.match(first):
        return _fenced(lines, _YAML_FENCE, "---", _load_yaml, report)
    if _TOML_FENCE.match(first):
        return _fenced(lines, _TOML_FENCE, "+++", _load_toml, report)
    if first.startswith("{"):
        try:
            data, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError:
            return FrontMatter({}, text, 1)
        body_line = text.count("\n", 0, end) + 1
        rest = text[end:]
        if rest.startswith("\n"):
            rest, body_line = rest[1:], body_line + 1
        return FrontMatter(_check_mapping(data, 1, report), rest, body_line)
    return FrontMatter({}, text, 1)


def _fenced(
    lines: list[str],
    fence: re.Pattern[str],
    marker: str,
    load: Any,
    report: Reporter,
) -> FrontMatter:
    for end in range(1, len(lines)):
        if fence.match(lines[end]):
            break
    else:
        report.error(1, "diag_fm_unclosed", marker=marker)
        return FrontMatter({}, "\n".join(lines[1:]), 2)
    source = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    try:
        data = load(source)
    except _FrontMatterError as exc:
        report.error(1 + exc.line, "diag_fm_invalid", kind=exc.kind, problem=exc.message)
        data = {}
    return FrontMatter(_check_mapping(data, 1, report), body, end + 2)


class _FrontMatterError(Exception):
    def __init__(self, kind: str, line: int, message: str) -> None:
        super().__init__(message)
        self.kind, self.line, self.message = kind, line, message


def _load_yaml(source: str) -> Any:
    try:
        # python-frontmatter's YAML handler uses yaml's safe loader (no object construction).
        return YAMLHandler().load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _FrontMatterError("YAML", line, str(problem)) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise _FrontMatterError("YAML", 1, str(exc) or type(exc).__name__) from None


def _load_toml(source: str) -> Any:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else source.count("\n") + 1
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise _FrontMatterError("TOML", line, message) from None


def _check_mapping(data: Any, line: int, report: Reporter) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        if isinstance(data, list):
            report.error(line, "diag_fm_list")
        else:
            report.error(line, "diag_fm_not_mapping", kind=type(data).__name__)
        return {}
    return {str(k).lower(): v for k, v in data.items()}


def text_value(data: dict[str, Any], *keys: str) -> str:
    """The first of ``keys`` that holds text (lists are joined with commas)."""
    for key in keys:
        value = data.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value if v is not None)
        if isinstance(value, dict):
            continue
        return str(value)
    return ""


def date_value(data: dict[str, Any], *keys: str) -> dt.date | None:
    """The first of ``keys`` that holds a date (YAML/TOML dates, or ISO strings)."""
    for key in keys:
        value = data.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            text = value.strip()
            try:
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
            except ValueError:
                try:
                    return dt.date.fromisoformat(text[:10])
                except ValueError:
                    continue
    return None
