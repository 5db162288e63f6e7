"""presenterm's comment commands (``<!-- end_slide -->``, ``<!-- alignment: center -->``…).

A post annotated for a talk stays the same post for Hugo: an HTML comment never shows on
istio.io. A line that is nothing but one comment is a *command* when the comment reads
``name`` or ``name: argument`` and ``name`` is one of presenterm's commands (``KNOWN``), or
looks like one (a lowercase word with an underscore, ``end_slides``; or a word a letter or
two from a known one, ``puase``): those are reported by ``check`` as unknown. Every other
comment (``<!-- TODO: fix -->``, ``<!-- more -->``, a comment over several lines, our
``<!-- notes: … -->``) is an ordinary comment: silent and invisible, as before.

The markdown-it block rule here turns a command line into a ``command`` token (outside code
fences; inside list items and quotes too) whose ``meta`` holds the name, the argument as
written and whether it stands inside another block. :func:`read` checks the argument; the
parser (``parse.py``) makes a ``model.Command`` of it and ``build.py`` acts on it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

#: Command name → what its argument is: "" (none), "int" (new_lines), "bool", "align",
#: "widths" (column_layout), "column" (an index from 0), "text" (speaker_note).
KNOWN: dict[str, str] = {
    "pause": "",
    "end_slide": "",
    "skip_slide": "",
    "no_footer": "",
    "jump_to_middle": "",
    "new_line": "",
    "new_lines": "int",
    "alignment": "align",
    "incremental_lists": "bool",
    "column_layout": "widths",
    "column": "column",
    "reset_layout": "",
    "exec": "",
    "speaker_note": "text",
}

#: Commands that work inside a list item or a quote (the others act between the slide's
#: blocks only, and are reported there).
NESTED_OK = frozenset({"speaker_note"})

#: Ordinary comments that look like commands: our speaker notes, Hugo's summary divider.
ORDINARY = frozenset({"note", "notes", "more"})

MAX_NEW_LINES = 50

_LINE = re.compile(r"<!--[ \t]*([A-Za-z][\w-]*)[ \t]*(?::[ \t]*(.*?))?[ \t]*-->[ \t]*")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


@dataclass(frozen=True)
class Reading:
    """A command's argument as read: its value, or the problem with it (a ``words`` key)."""

    value: object = None
    problem: str = ""


def is_command(name: str) -> bool:
    """Whether a one-line comment ``<!-- name … -->`` is meant as a command."""
    if name in KNOWN:
        return True
    if name in ORDINARY or name != name.lower():
        return False
    return bool(_SNAKE.fullmatch(name)) or bool(
        difflib.get_close_matches(name, KNOWN, n=1, cutoff=0.8)
    )


def suggestion(name: str) -> str:
    """The known command an unknown name was probably meant to be ("" when none is near)."""
    close = difflib.get_close_matches(name, KNOWN, n=1, cutoff=0.6)
    return close[0] if close else ""


def read(name: str, argument: str | None) -> Reading:
    """The value of ``<!-- name: argument -->``, or why it is wrong."""
    kind = KNOWN[name]
    if not kind:
        return Reading(None, "diag_command_no_argument" if argument else "")
    if argument is None or not argument.strip():
        return Reading(None, "diag_command_needs_argument")
    text = argument.strip()
    if kind == "text":
        return Reading(text)
    if kind in ("int", "column"):
        if not re.fullmatch(r"\d+", text):
            return Reading(None, f"diag_command_{kind}")
        number = int(text)
        if kind == "int" and not 1 <= number <= MAX_NEW_LINES:
            return Reading(None, "diag_command_int")
        return Reading(number)
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            return Reading(None, "diag_command_bool")
        return Reading(text.lower() == "true")
    if kind == "align":
        if text.lower() not in ("left", "center", "right"):
            return Reading(None, "diag_command_align")
        return Reading(text.lower())
    # column_layout: [1, 2] — whole numbers of at least 1, at least one of them.
    match = re.fullmatch(r"\[(.*)\]", text)
    parts = [p.strip() for p in match.group(1).split(",")] if match else []
    if not parts or not all(re.fullmatch(r"\d+", p) and int(p) >= 1 for p in parts):
        return Reading(None, "diag_command_widths")
    return Reading(tuple(int(p) for p in parts))


def _command_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    text = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    match = _LINE.fullmatch(text)
    if match is None or "-->" in (match.group(2) or ""):
        return False
    name = match.group(1)
    if not is_command(name):
        return False
    if silent:
        return True
    token = state.push("command", "", 0)
    token.map = [start, start + 1]
    token.meta = {"name": name, "argument": match.group(2), "nested": state.level > 0}
    state.line = start + 1
    return True


def commands_plugin(md: MarkdownIt) -> None:
    """A line that is one comment command becomes a ``command`` token (before raw HTML)."""
    md.block.ruler.before(
        "html_block",
        "command",
        _command_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
