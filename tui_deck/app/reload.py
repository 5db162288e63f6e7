"""Reloading the deck while presenting, and the deck's problems in the speaker's words.

No Textual: the app calls ``reload_deck`` (from a key or the watcher thread started by
``watch_folder``) and shows what it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui_deck.deck import Deck, Options, load_deck
from tui_deck.diagnostics import DeckError, Diagnostic
from tui_deck.sanitize import clean_line
from tui_deck.words import say


@dataclass(frozen=True)
class Reloaded:
    """A new deck, or why the last good one stays (``problem``, under ``title``)."""

    deck: Deck | None
    problem: str = ""
    title: str = ""
    #: What the speaker may rely on meanwhile.
    note: str = ""


def reload_deck(path: Path, options: Options, old: Deck) -> Reloaded:
    """Load the deck again; a broken edit (it does not load, or it has new errors) keeps the
    last good deck."""
    lang = old.lang
    try:
        deck = load_deck(path, options)
    except DeckError as exc:
        return Reloaded(None, clean_line(str(exc)), say(lang, "reload_failed"))
    except Exception as exc:  # never let a reload take the talk down
        return Reloaded(None, clean_line(f"{type(exc).__name__}: {exc}")[:200])
    old_errors = {(d.file, d.message) for d in old.errors}
    new_errors = [d for d in deck.errors if (d.file, d.message) not in old_errors]
    if new_errors:
        shown, kept = _said(new_errors[0], lang), say(lang, "kept")
        return Reloaded(None, shown, say(lang, "not_reloaded"), kept)
    return Reloaded(deck)


def problem_lines(deck: Deck, edit_problem: str, path: Path) -> list[str]:
    """The deck's problems for the `!` list: paths relative to the deck, words in its
    language (``istio-deck check`` says them in English)."""
    root = path if path.is_dir() else path.parent
    prefixes = {str(root.resolve()) + "/", str(root) + "/"}
    lines = [say(deck.lang, "edit_broken"), edit_problem] if edit_problem else []
    lines.extend(_said(problem, deck.lang) for problem in deck.errors)
    warnings = [d for d in deck.diagnostics if d.severity != "error"]
    warnings.sort(key=lambda d: not d.key.startswith("diag_talk"))  # the talk file's first
    lines.extend(_said(problem, deck.lang) for problem in warnings)
    if deck.diagnostics:
        lines.append(say(deck.lang, "check"))
    for prefix in prefixes:
        lines = [line.replace(prefix, "") for line in lines]
    return lines


def _said(problem: Diagnostic, lang: str) -> str:
    """``file:line: severity: message`` in the deck's language."""
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    return f"{where}: {say(lang, problem.severity)}: {problem.text(lang)}"


def watch_folder(path: Path, stop: threading.Event, changed: Callable[[], None]) -> None:
    """Call ``changed`` after each save in the deck's folder, until ``stop`` (a thread)."""
    try:
        from watchfiles import watch
    except ImportError:
        return
    folder = path if path.is_dir() else path.parent
    try:
        for _changes in watch(folder, stop_event=stop, debounce=300):
            changed()
    except Exception:  # the folder went away; the deck on screen stays
        return
