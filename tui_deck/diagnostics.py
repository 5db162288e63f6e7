"""Problems found in a deck, reported as ``file:line: severity: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tui_deck.sanitize import clean_line

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    file: str
    line: int
    message: str

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
    """Collects diagnostics for one file; every message is cleaned for the terminal."""

    file: Path | str
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self._add("error", line, message)

    def warning(self, line: int, message: str) -> None:
        self._add("warning", line, message)

    def _add(self, severity: Severity, line: int, message: str) -> None:
        self.items.append(
            Diagnostic(severity, clean_line(str(self.file)), line, clean_line(message))
        )


class DeckError(Exception):
    """A problem that stops a deck from loading at all (exit status 2 in the CLI)."""
