"""Hugo shortcodes: find them, pair them, and rewrite the source for the Markdown parser.

Hugo expands shortcodes before it renders Markdown, and so do we:

* *value* shortcodes (``github_raw``, ``checkmark_icon``, ``istio_version`` …) become their text;
* *inline* ones (``gloss``, unknown tags in running text) are dropped, their inner text kept;
* *block* ones (``image``, ``text``, ``tip``/``warning``/``idea``, ``quote``, ``tabset``/``tab``,
  ``boilerplate``) become a sentinel on a line of their own, which the block rule in
  ``tui_deck.parse`` turns into a markdown-it token carrying the parsed tag.

The rewrite keeps a map from each output line to its source line, so every token, block and
diagnostic points at the line the author wrote.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui_deck.diagnostics import Reporter

#: Shortcodes that stand for a block of their own.
CONTAINERS = frozenset({"tip", "warning", "idea", "quote", "tabset", "tab"})
CODE = "text"
BLOCK_SINGLE = frozenset({"image", "boilerplate"})
#: Shortcodes that must be closed; an unclosed one is an error.
PAIRED = CONTAINERS | {CODE, "gloss"}
ICONS = {
    "checkmark_icon": "✓",
    "cancel_icon": "✗",
    "warning_icon": "⚠",
    "idea_icon": "💡",
    "info_icon": "ℹ",
}
KNOWN = PAIRED | BLOCK_SINGLE | set(ICONS) | {"github_raw", "github_file", "github_blob"}
KNOWN |= {"github_tree", "branch_name", "source_branch_name"}
_VERSION_NAME = re.compile(r"^(istio|k8s|envoy|gateway)_.*(version|revision|name|year)")

SENTINEL_OPEN = "\ue000"
SENTINEL_CLOSE = "\ue001"
SENTINEL_RE = re.compile(f"{SENTINEL_OPEN}(\\d+){SENTINEL_CLOSE}")

# A tag: an opening of one to three braces and `<` or `%`, a name (or `/name`), arguments,
# and a closing `>` or `%` with one to three braces. Only `{{<`…`>}}` (or `{{%`…`%}}`) is
# well formed; the rest is recovered when the name is a known shortcode.
_TAG = re.compile(
    r"""
    (?P<open>\{{1,3})(?P<delim>[<%])
    (?P<comment>/\*)?
    [ \t\r\n]*(?P<slash>/)?[ \t\r\n]*
    (?P<name>[A-Za-z_][\w-]*)
    (?P<args>(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`|[^"`>%}{])*?)
    [ \t\r\n]*(?P<self>/)?[ \t\r\n]*
    (?P<endcomment>\*/)?
    (?P<close>[>%])(?P<braces>\}{1,3})
    """,
    re.VERBOSE,
)
_ARG = re.compile(
    r"""
    \s*(?:(?P<key>[\w-]+)\s*=\s*)?
    (?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|(?P<bare>[^\s"`]+))
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Tag:
    """One shortcode tag as written in the source."""

    name: str
    closing: bool
    start: int
    end: int
    line: int
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    #: The text of the tag exactly as written.
    raw: str = ""
    #: Index of the partner tag (open ↔ close) in the tag list, or -1.
    partner: int = -1
    #: 0-based column of the tag within its line.
    column: int = 0
    #: "value", "inline", "block", "code", "container", "literal" or "drop".
    role: str = "drop"
    #: The text a value shortcode stands for.
    value: str = ""

    def get(self, key: str, index: int | None = None, default: str = "") -> str:
        if key in self.named:
            return self.named[key]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return default


@dataclass
class Rewritten:
    """The source with shortcodes rewritten, and what the parser needs to read it."""

    text: str
    tags: list[Tag]
    #: line_map[i] is the 1-based source line of output line i (0-based).
    line_map: list[int]

    def source_line(self, out_line: int) -> int:
        """The 1-based source line of a 0-based output line."""
        if not self.line_map:
            return 1
        return self.line_map[min(max(out_line, 0), len(self.line_map) - 1)]


def parse_args(text: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        match = _ARG.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
        value = match.group("dq")
        if value is not None:
            value = re.sub(r"\\(.)", r"\1", value)
        else:
            value = match.group("bq") if match.group("bq") is not None else match.group("bare")
        if match.group("key"):
            named[match.group("key").lower()] = value
        else:
            positional.append(value)
    return positional, named


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        """0-based line of an offset."""
        return bisect.bisect_right(self.starts, offset) - 1


def scan(text: str, report: Reporter, first_line: int = 1) -> list[Tag]:
    """Every shortcode tag in ``text``, with malformed ones recovered or reported."""
    lines = _Lines(text)
    tags: list[Tag] = []
    pos = 0
    while True:
        brace = text.find("{", pos)
        if brace < 0:
            break
        match = _TAG.match(text, brace)
        if not match:
            pos = brace + 1
            continue
        name = match.group("name")
        line_no = lines.line(match.start())
        line = first_line + line_no
        well_formed = (
            match.group("open") == "{{"
            and match.group("braces") == "}}"
            and match.group("close") == match.group("delim").replace("<", ">")
        )
        if match.group("comment"):
            # {{</* name */>}} is Hugo's way of writing a shortcode literally.
            tag = Tag(name, False, match.start(), match.end(), line, raw=match.group(0))
            tag.role = "literal"
            tag.value = _literal(match.group(0))
            tags.append(tag)
            pos = match.end()
            continue
        if not well_formed:
            if name.lower() not in KNOWN:
                pos = brace + 1
                continue
            report.warning(
                line,
                f"malformed shortcode delimiters in {_shorten(match.group(0))}; "
                f"write {{{{< {name} … >}}}}",
            )
        positional, named = parse_args(match.group("args"))
        tags.append(
            Tag(
                name=name.lower(),
                closing=bool(match.group("slash")),
                start=match.start(),
                end=match.end(),
                line=line,
                positional=positional,
                named=named,
                raw=match.group(0),
                column=match.start() - lines.starts[line_no],
            )
        )
        if match.group("self"):
            tags[-1].partner = -2  # self-closed: never paired
        pos = match.end()
    return tags


def _literal(raw: str) -> str:
    return raw.replace("/*", "", 1)[::-1].replace("/*", "", 1)[::-1].replace("*/", "", 1)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pair(tags: list[Tag], report: Reporter) -> None:
    """Match opening and closing tags; report stray closes and unclosed paired shortcodes."""
    stack: list[int] = []
    in_code = -1  # index of an open `text` tag: tags inside it are literal
    for index, tag in enumerate(tags):
        if tag.role == "literal":
            continue
        if in_code >= 0:
            if tag.closing and tag.name == CODE:
                tag.partner, tags[in_code].partner = in_code, index
                stack.remove(in_code)
                in_code = -1
            elif _value_of(tag, {}) is None:
                tag.role = "literal"
                tag.value = tag.raw
            continue
        if not tag.closing:
            if tag.partner != -2:
                stack.append(index)
                if tag.name == CODE:
                    in_code = index
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if tags[stack[depth]].name == tag.name:
                opener = stack[depth]
                for skipped in stack[depth + 1 :]:
                    _unclosed(tags[skipped], report)
                del stack[depth:]
                tag.partner, tags[opener].partner = opener, index
                break
        else:
            report.error(
                tag.line,
                f"{{{{< /{tag.name} >}}}} closes a shortcode that was never opened; remove it",
            )
    for index in stack:
        _unclosed(tags[index], report)


def _unclosed(tag: Tag, report: Reporter) -> None:
    if tag.name in PAIRED:
        report.error(
            tag.line,
            f"shortcode {{{{< {tag.name} >}}}} is never closed; add {{{{< /{tag.name} >}}}}",
        )


def _value_of(tag: Tag, variables: Mapping[str, object]) -> str | None:
    name = tag.name
    branch = str(variables.get("source_branch_name", variables.get("branch_name", "master")))
    if name in ICONS:
        return ICONS[name]
    if name == "github_raw":
        return "https://github.com/istio/istio"
    if name == "github_file":
        return f"https://raw.githubusercontent.com/istio/istio/{branch}"
    if name == "github_blob":
        return f"https://github.com/istio/istio/blob/{branch}"
    if name == "github_tree":
        return f"https://github.com/istio/istio/tree/{branch}"
    if name in ("branch_name", "source_branch_name"):
        return branch
    if name in variables and not isinstance(variables[name], dict | list):
        return str(variables[name])
    if _VERSION_NAME.match(name):
        return f"‹{name}›"
    return None


def classify(tags: list[Tag], variables: Mapping[str, object], report: Reporter) -> None:
    """Decide what each tag becomes, and warn about the ones we do not understand."""
    warned: set[str] = set()
    for tag in tags:
        if tag.role == "literal":
            continue
        value = _value_of(tag, variables)
        if value is not None and not tag.closing:
            tag.role, tag.value = "value", value
            if value.startswith("‹") and tag.name not in warned:
                warned.add(tag.name)
                report.warning(
                    tag.line,
                    f"no value for {{{{< {tag.name} >}}}}; set '{tag.name}' in the front "
                    "matter or in istio-deck.toml [shortcodes]",
                )
        elif tag.name == CODE:
            tag.role = "code" if tag.partner >= 0 else "drop"
        elif tag.name in CONTAINERS:
            tag.role = "container" if tag.partner >= 0 else "drop"
        elif tag.name in BLOCK_SINGLE and not tag.closing:
            tag.role = "block"
        elif tag.name == "gloss":
            tag.role = "inline"
            if not tag.closing and tag.partner < 0:
                tag.value = tag.get("term", 0)
        else:
            tag.role = "drop"
            if tag.name not in KNOWN and not tag.closing and tag.name not in warned:
                warned.add(tag.name)
                report.warning(
                    tag.line,
                    f"unknown shortcode {{{{< {tag.name} >}}}}: its tag is left out "
                    "and its inner text is kept",
                )


class _Writer:
    def __init__(self, text: str, first_line: int) -> None:
        self.src = text
        self.lines = _Lines(text)
        self.first_line = first_line
        self.parts: list[str] = []
        self.line_map: list[int] = [first_line]
        self.at_line_start = True

    def copy(self, start: int, end: int) -> None:
        if start >= end:
            return
        chunk = self.src[start:end]
        self.parts.append(chunk)
        line = self.lines.line(start)
        for offset in _newlines(chunk):
            line = self.lines.line(start + offset + 1)
            self.line_map.append(self.first_line + line)
        self.at_line_start = chunk.endswith("\n") or (
            self.at_line_start and chunk.strip(" \t") == ""
        )

    def insert(self, text: str, at: int) -> None:
        """Insert text that is not in the source; new lines map to the line of ``at``."""
        if not text:
            return
        self.parts.append(text)
        line = self.first_line + self.lines.line(min(at, len(self.src)))
        self.line_map.extend([line] * text.count("\n"))
        self.at_line_start = text.endswith("\n")

    def text(self) -> str:
        return "".join(self.parts)


def _newlines(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


def _indent_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    match = re.match(r"[ \t]*", text[start:offset])
    return match.group(0) if match else ""


def rewrite(
    text: str,
    report: Reporter,
    variables: Mapping[str, object] | None = None,
    first_line: int = 1,
) -> Rewritten:
    """Expand value/inline shortcodes and put block shortcodes on sentinel lines."""
    tags = scan(text, report, first_line)
    if not tags:
        return Rewritten(text, [], [first_line + i for i in range(text.count("\n") + 1)])
    pair(tags, report)
    classify(tags, variables or {}, report)
    out = _Writer(text, first_line)
    pos = 0
    for index, tag in enumerate(tags):
        if tag.start < pos:  # inside a recovered tag that overlapped; skip
            continue
        out.copy(pos, tag.start)
        pos = tag.end
        if tag.role in ("value", "literal", "inline"):
            out.insert(tag.value, tag.start)
            continue
        if tag.role == "drop":
            # "Before {{< x >}} after" reads "Before after", not "Before  after".
            if text[tag.start - 1 : tag.start] == " " and text[tag.end : tag.end + 1] == " ":
                pos += 1
            continue
        # A block tag: on a line of its own, indented like the line it was written on.
        indent = _indent_of(text, tag.start)
        if not out.at_line_start:
            out.insert("\n" + indent, tag.start)
        elif text[text.rfind("\n", 0, tag.start) + 1 : tag.start].strip():
            out.insert(indent, tag.start)
        out.insert(f"{SENTINEL_OPEN}{index}{SENTINEL_CLOSE}", tag.start)
        # Keep the line count of a tag written over several lines.
        out.insert("\n" * text.count("\n", tag.start, tag.end), tag.start)
        line_end = text.find("\n", tag.end)
        rest = text[tag.end : line_end if line_end >= 0 else len(text)]
        if rest.strip():
            out.insert("\n" + indent, tag.end)
            pos = tag.end + len(rest) - len(rest.lstrip(" \t"))
    out.copy(pos, len(text))
    line_map = out.line_map
    # _Writer counts lines as they are written; the map must cover every output line.
    rewritten = out.text()
    expected = rewritten.count("\n") + 1
    if len(line_map) < expected:
        line_map += [line_map[-1]] * (expected - len(line_map))
    return Rewritten(rewritten, tags, line_map[:expected])


def restore(text: str, tags: list[Tag]) -> str:
    """Put tags back as written (for code, where a sentinel must never show)."""

    def back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return tags[index].raw if index < len(tags) else ""

    return SENTINEL_RE.sub(back, text)


def strip_sentinels(text: str) -> str:
    return SENTINEL_RE.sub("", text).replace(SENTINEL_OPEN, "").replace(SENTINEL_CLOSE, "")
