"""Problems found in a deck, reported as ``file:line: severity: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tui_deck.sanitize import clean_line
from tui_deck.words import say

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    file: str
    line: int
    message: str
    #: The words.py key of the message and its values, to say it in the deck's language
    #: (``message`` is the English, for ``istio-deck check``).
    key: str = ""
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        """The message in the deck's language."""
        if not self.key:
            return self.message
        return clean_line(say(lang, self.key, **dict(self.values)))

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


@dataclass
class Reporter:
    """Collects diagnostics for one file. A message is a words.py key (``diag_…``) and its
    values, so it can be said in the deck's language; every value is cleaned for the
    terminal."""

    file: Path | str
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, line: int, key: str, **values: object) -> None:
        self._add("error", line, key, values)

    def warning(self, line: int, key: str, **values: object) -> None:
        self._add("warning", line, key, values)

    def _add(self, severity: Severity, line: int, key: str, values: dict[str, object]) -> None:
        self.items.append(diagnostic(severity, str(self.file), line, key, **values))


def diagnostic(severity: Severity, file: str, line: int, key: str, **values: object) -> Diagnostic:
    """A diagnostic said with the words.py ``key``; ``message`` is its English."""
    clean = tuple((name, clean_line(str(value))) for name, value in values.items())
    message = clean_line(say("en", key, **dict(clean)))
    return Diagnostic(severity, clean_line(file), line, message, key, clean)


class DeckError(Exception):
    """A problem that stops a deck from loading at all (exit status 2 in the CLI)."""
