"""Hugo shortcodes: find them, pair them, and rewrite the source for the Markdown parser.

Hugo expands shortcodes before it renders Markdown, and so do we:

* *value* shortcodes (``github_raw``, ``checkmark_icon``, ``istio_version`` …) become their text;
* *inline* ones (``gloss``, unknown tags in running text) are dropped, their inner text kept;
* *block* ones (``image``, ``text``, ``tip``/``warning``/``idea``, ``quote``, ``tabset``/``tab``,
  ``boilerplate``, istio.io's ``relnote``, ``centered_block`` and page blocks, Hugo's embeds)
  become a sentinel on a line of their own, which the block rule in ``tui_deck.parse`` turns
  into a markdown-it token carrying the parsed tag;
* istio.io's page components drawn from the site's own data (``SITE_ONLY``) are left out, and
  ``check`` says so.

Every shortcode of istio.io's ``layouts/shortcodes`` is in ``KNOWN``: only a name that is not
there is reported as unknown.

The rewrite keeps a map from each output line to its source line, so every token, block and
diagnostic points at the line the author wrote.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from tui_deck.diagnostics import Reporter

#: Shortcodes that stand for a block of their own. istio.io's page blocks
#: (``centered_block``, ``multi_block``, ``feature_block``, ``involve_block``, ``faq_block``)
#: show their inner Markdown, under their header when they have one.
CONTAINERS = frozenset(
    {"tip", "warning", "idea", "quote", "tabset", "tab"}
    | {"centered_block", "multi_block", "feature_block", "involve_block", "faq_block"}
)
CODE = "text"
#: Shortcodes whose inner text is code, shown verbatim (the language is their syntax).
CODES = frozenset({CODE, "mermaid", "text_hack", "highlight"})
#: Hugo's own shortcodes that embed a page of another site (shown as a link to it).
EMBEDS = frozenset({"tweet", "x", "gist", "vimeo", "instagram"})
#: Shortcodes that fetch code from a URL when the site is built: not fetched here.
FETCHED = frozenset({"text_import", "text_file", "text_dynamic", "fetch_content", "file_content"})
#: istio.io's release boxes: links to download a release and to read its notes.
RELEASE_LINKS = frozenset({"relnote", "announcement_links", "relnote_links"})
BLOCK_SINGLE = (
    frozenset({"image", "figure", "company_logo", "boilerplate", "youtube", "youtube_embed"})
    | FETCHED
    | RELEASE_LINKS
    | EMBEDS
    | {"security_bulletin"}
)
#: istio.io page components drawn from the site's own data (its home, community and
#: about pages): nothing of them can be shown from the post; said so by ``check``.
SITE_ONLY = frozenset(
    {
        "adapter_table",
        "case_studies_carousel",
        "case_study_panel",
        "change_log",
        "community_item",
        "companies",
        "content_panel",
        "countdown_days",
        "countdown_full",
        "distributor",
        "distributors",
        "features",
        "inline_image",
        "interactive_panel_modal",
        "interactive_panels",
        "logo_carousel",
        "quote_carousel_panel",
        "search_engine_id",
        "solutions_carousel",
        "support_status_table",
        "supported_kubernetes_versions",
        "template_table",
    }
)
#: Shortcodes that must be closed; an unclosed one is an error.
PAIRED = CONTAINERS | CODES | {"gloss"}
ICONS = {
    "checkmark_icon": "✓",
    "cancel_icon": "✗",
    "warning_icon": "⚠",
    "idea_icon": "💡",
    "info_icon": "ℹ",
}
KNOWN = PAIRED | BLOCK_SINGLE | set(ICONS) | {"github_raw", "github_file", "github_blob"}
KNOWN |= {"github_tree", "branch_name", "source_branch_name", "relref", "ref", "istioctl"}
KNOWN |= {"github_api_blob", "static", "istio_release_url", "site_suffix", "istio_docker_image"}
KNOWN |= SITE_ONLY | {"param"}
_VERSION_NAME = re.compile(r"^(istio|k8s|envoy|gateway)_.*(version|revision|name|year|type)")
#: The front matter a shortcode reads from its page (``.Page.Params``), copied on the tag.
PAGE_PARAMS = {
    "relnote": ("release",),
    "security_bulletin": ("cves", "cvss", "vector", "releases"),
}

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
    (?P<args>(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`|\n[ \t]*(?:>[ \t]?)+|[^"`>%}{])*?)
    [ \t\r\n]*(?P<self>/)?[ \t\r\n]*
    (?P<endcomment>\*/)?
    (?P<close>[>%])(?P<braces>\}{1,3})
    """,
    re.VERBOSE,
)
_ARG = re.compile(
    r"""
    \s*(?:(?P<key>[\w-]+)\s*=\s*)?
    (?:"(?P<dq>(?:[^"\\]|\\.)*)(?:"|$)|`(?P<bq>[^`]*)`?|(?P<bare>[^\s"`]+))
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
    #: Read from a tag that does not parse (already reported).
    recovered: bool = False
    #: The page's front matter the shortcode reads (``PAGE_PARAMS``), as text.
    page: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, index: int | None = None, default: str = "") -> str:
        """An argument, without shortcode syntax (Hugo does not expand tags in arguments)."""
        if key in self.named:
            return _argument(self.named[key])
        if index is not None and index < len(self.positional):
            return _argument(self.positional[index])
        return default


_IN_ARGUMENT = re.compile(r"\{\{[<%].*?[>%]\}\}|\{\{[<%]|[>%]\}\}|\{#", re.DOTALL)


def _argument(value: str) -> str:
    stripped = _IN_ARGUMENT.sub("", value)
    return value if stripped == value else " ".join(stripped.split())


@dataclass
class Rewritten:
    """The source with shortcodes rewritten, and what the parser needs to read it."""

    text: str
    tags: list[Tag]
    #: line_map[i] is the 1-based source line of output line i (0-based).
    line_map: list[int]

    @cached_property
    def rows(self) -> list[str]:
        """The output lines (read once, for finding text in them)."""
        return self.text.split("\n")

    def first_row_of(self, source_line: int) -> int:
        """The first output line that comes from ``source_line`` or after it."""
        return bisect.bisect_left(self.line_map, source_line)

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
    """Every shortcode tag in ``text``, with malformed ones recovered or reported.

    Whatever looks like a shortcode delimiter becomes a tag, so that none reaches a slide:
    a tag that does not parse (an unterminated quote, a missing ``>}}``) is recovered as far
    as it goes, and a stray ``>}}`` becomes a tag that is dropped (unless it is in code).
    """
    lines = _Lines(text)
    tags: list[Tag] = []
    pos = 0
    while True:
        found = _NEXT.search(text, pos)
        if not found:
            break
        brace = found.start()
        line_no = lines.line(brace)
        line = first_line + line_no
        column = brace - lines.starts[line_no]
        if found.group("attr"):
            end = _attribute_end(text, brace)
            if end < 0:
                pos = brace + 2
                continue
            tag = Tag("", False, brace, end, line, raw=text[brace:end], column=column)
            tag.partner = -2
            tags.append(tag)
            pos = end
            continue
        if found.group("stray"):
            tag = Tag("", False, brace, found.end(), line, raw=found.group(0), column=column)
            tag.partner = -2
            tags.append(tag)
            pos = found.end()
            continue
        match = _TAG.match(text, brace)
        if match and _BLANK_LINE.search(match.group(0)):
            match = None  # a tag does not run over a blank line: this one is not closed
        if not match:
            if not found.group("opener"):
                pos = brace + 1
                continue
            tags.append(_recover(text, brace, line, column, report))
            pos = tags[-1].end
            continue
        name = match.group("name")
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
            if name.lower() not in KNOWN and not found.group("opener"):
                pos = brace + 1
                continue
            report.warning(line, "diag_sc_delimiters", written=_shorten(match.group(0)), name=name)
        positional, named = parse_args(_QUOTE_MARKERS.sub("\n", match.group("args")))
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
                column=column,
            )
        )
        if match.group("self"):
            tags[-1].partner = -2  # self-closed: never paired
        pos = match.end()
    return tags


# Where a tag may begin: a well-formed opening delimiter, any brace (recovered tags such as
# `{< image >}}`), or a closing delimiter with no opening one.
_NEXT = re.compile(r"(?P<opener>\{\{[<%])|(?P<attr>\{#)|\{|(?P<stray>[>%]\}\})")
_ATTRIBUTE = re.compile(r"\{#[^}\n]*\}")
_HEADING_LINE = re.compile(r"#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"\n[ \t]*(?:>[ \t]*)*(?:=+|-+)[ \t]*(?:\n|$)")


def _attribute_end(text: str, start: int) -> int:
    """The end of a ``{#id}`` or ``{# … #}`` that is not a heading's id, or -1.

    A heading's ``{#id}`` is read by the parser; one in inline code is code."""
    match = _ATTRIBUTE.match(text, start)
    if not match:
        return -1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if text.count("`", line_start, start) % 2:
        return -1
    prefix = _LINE_PREFIX.match(text, line_start, start)
    heading = _HEADING_LINE.match(text, prefix.end() if prefix else line_start)
    heading = heading or _SETEXT.match(text, line_end)
    if heading and not text[match.end() : line_end].strip(" \t#}"):  # `{{#id}}` too
        return -1
    return match.end()


# The end of a tag that _TAG could not read: its closing delimiter, before the next opening
# one and before a blank line.
# A tag written over several lines of a blockquote: the quote markers are not arguments.
_QUOTE_MARKERS = re.compile(r"\n[ \t]*(?:>[ \t]?)+")
_BLANK_LINE = re.compile(r"\n[ \t>]*\n")
_RECOVER_END = re.compile(r"[>%]\}\}|\{\{[<%]|\n[ \t>]*\n")
_RECOVER_HEAD = re.compile(r"\{\{[<%][ \t]*(?P<slash>/)?[ \t]*(?P<name>[A-Za-z_][\w-]*)?")


def _recover(text: str, start: int, line: int, column: int, report: Reporter) -> Tag:
    """A tag that opens with ``{{<`` (or ``{{%``) but does not parse: read what is there."""
    head = _RECOVER_HEAD.match(text, start)
    assert head is not None  # _NEXT found "{{<" or "{{%" here
    name = (head.group("name") or "").lower()
    stop = _RECOVER_END.search(text, head.end())
    if stop and stop.group(0)[0] in ">%":
        end, args = stop.end(), text[head.end() : stop.start()]
        written = _shorten(text[start:end])
        if args.count('"') % 2:
            report.error(line, "diag_sc_quote", written=written)
        elif name:
            report.error(line, "diag_sc_unreadable", written=written)
        else:
            report.error(line, "diag_sc_no_name", written=written)
    else:
        line_end = text.find("\n", head.end())
        end = len(text) if line_end < 0 else line_end
        if stop is not None and stop.start() < end:
            end = stop.start()
        args = text[head.end() : end]
        close = "%}}" if text[start + 2] == "%" else ">}}"
        report.error(
            line, "diag_sc_not_closed_with", written=_shorten(text[start:end]), close=close
        )
    positional, named = parse_args(args.rstrip())
    tag = Tag(
        name=name,
        closing=bool(head.group("slash")),
        start=start,
        end=end,
        line=line,
        positional=positional,
        named=named,
        raw=text[start:end],
        column=column,
        recovered=True,
    )
    if not name or args.rstrip().endswith("/"):
        tag.partner = -2
    return tag


def _literal(raw: str) -> str:
    return raw.replace("/*", "", 1)[::-1].replace("/*", "", 1)[::-1].replace("*/", "", 1)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_FENCE = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(`{3,}|~{3,})(.*)")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def mark_code(text: str, tags: list[Tag], variables: Mapping[str, object]) -> None:
    """Tags in fenced code and in HTML comments are the author's text, kept as written.

    A value shortcode (``{{< istio_version >}}``) in fenced code still gives its value, as
    Hugo does. Speaker notes (comments) are rewritten on their own, so their tags stay raw.
    """
    zones: list[tuple[int, int]] = []  # fenced code and `text` bodies
    fence, fence_start, text_start = "", 0, -1
    index, offset = 0, 0
    for row in text.split("\n"):
        end = offset + len(row)
        match = _FENCE.match(row) if text_start < 0 else None
        if match and not fence and not ("`" in match.group(2) and match.group(1)[0] == "`"):
            fence, fence_start = match.group(1), offset
        elif (
            match
            and fence
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not match.group(2).strip()
        ):
            fence = ""
            zones.append((fence_start, end))
        while index < len(tags) and tags[index].start <= end:
            tag = tags[index]
            index += 1
            if tag.role == "literal":
                continue
            if fence:
                if _value_of(tag, variables) is None:
                    tag.role, tag.value = "literal", tag.raw
            elif tag.name in CODES and tag.partner != -2:
                if not tag.closing and text_start < 0:
                    text_start = tag.end
                elif tag.closing and text_start >= 0:
                    zones.append((text_start, tag.start))
                    text_start = -1
        offset = end + 1
    if fence:
        zones.append((fence_start, len(text)))
    for comment in _COMMENT.finditer(text):
        if any(low <= comment.start() < high for low, high in zones):
            continue
        for tag in tags:
            if comment.start() <= tag.start < comment.end() and tag.role != "literal":
                tag.role, tag.value = "literal", tag.raw


def pair(tags: list[Tag], report: Reporter) -> None:
    """Match opening and closing tags; report stray closes and unclosed paired shortcodes."""
    stack: list[int] = []
    in_code = -1  # index of an open `text` tag: tags inside it are literal
    for index, tag in enumerate(tags):
        if tag.role == "literal":
            continue
        if in_code >= 0:
            if tag.closing and tag.name == tags[in_code].name:
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
                if tag.name in CODES:
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
            report.error(tag.line, "diag_sc_close_unopened", name=tag.name)
    for index in stack:
        _unclosed(tags[index], report)


def _unclosed(tag: Tag, report: Reporter) -> None:
    if tag.name in PAIRED:
        report.error(tag.line, "diag_sc_unclosed", name=tag.name)


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
    if name == "github_api_blob":
        return f"https://github.com/istio/api/blob/{branch}"
    if name == "static":  # a file of the site: a site-root path, resolved like a link
        return "/" + tag.get("path", 0).lstrip("/")
    if name == "istio_release_url":
        return "https://github.com/istio/istio/releases"
    if name == "site_suffix":  # " Archive" / " Preliminary" on those sites only
        return ""
    if name == "istio_docker_image":
        return f"docker.io/istio/{tag.get('name', 0)}"
    if name in ("branch_name", "source_branch_name"):
        return branch
    if name in ("relref", "ref"):
        return _page_path(tag.get("path", 0))
    if name == "istioctl":
        return "istioctl"
    if name == "param":
        key = tag.get("name", 0).lower()
        found = variables.get(key)
        return str(found) if found is not None and not isinstance(found, dict | list) else None
    if name in variables and not isinstance(variables[name], dict | list):
        return str(variables[name])
    if _VERSION_NAME.match(name):
        return f"‹{name}›"
    return None


def _page_path(target: str) -> str:
    """Where ``{{< relref "…" >}}`` points: the page's path, as a link target."""
    path, hash_, fragment = target.strip().partition("#")
    for suffix in ("/index.md", "/_index.md", "index.md", "_index.md", ".md"):
        if path.endswith(suffix):
            path = path[: -len(suffix)] + "/"
            break
    return path + hash_ + fragment


def classify(
    tags: list[Tag], variables: Mapping[str, object], report: Reporter, text: str = ""
) -> None:
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
                _no_value(tag, report)
        elif tag.name == "param" and not tag.closing:
            key = tag.get("name", 0) or "?"
            tag.role, tag.value = "value", f"‹{key}›"
            report.warning(tag.line, "diag_sc_no_param", param=key)
        elif tag.name in CODES:
            tag.role = "code" if tag.partner >= 0 else "drop"
        elif tag.name in CONTAINERS:
            tag.role = "container" if tag.partner >= 0 else "drop"
        elif tag.name in BLOCK_SINGLE and not tag.closing:
            tag.role = "block"
            for key in PAGE_PARAMS.get(tag.name, ()):
                if variables.get(key) not in (None, ""):
                    tag.page[key] = _param_text(variables[key])
        elif tag.name in SITE_ONLY:
            tag.role = "drop"
            if not tag.closing and tag.name not in warned:
                warned.add(tag.name)
                inner = "diag_sc_site_only_inner" if tag.partner >= 0 else "diag_sc_site_only"
                report.warning(tag.line, inner, name=tag.name)
        elif tag.name == "gloss":
            tag.role = "inline"
            if not tag.closing and tag.partner < 0:
                tag.value = tag.get("term", 0)
        elif tag.raw in (">}}", "%}}"):
            tag.role = "drop"
            report.warning(tag.line, "diag_sc_closes_none", raw=tag.raw)
        elif tag.raw.startswith("{#"):
            tag.role = "drop"
            report.warning(tag.line, "diag_sc_brace_id", written=_shorten(tag.raw))
        elif tag.name and tag.name not in KNOWN and not tag.closing:
            if tag.partner < 0 and _in_running_text(text, tag):
                # A value we do not know, in a sentence: a visible placeholder, not a hole.
                tag.role, tag.value = "value", f"‹{tag.name}›"
                report.warning(tag.line, "diag_sc_unknown_inline", name=tag.name)
            else:
                tag.role = "drop"
                if tag.recovered:
                    continue
                report.warning(tag.line, "diag_sc_unknown", name=tag.name)
        else:
            tag.role = "drop"


def _param_text(value: object) -> str:
    """A front matter value as a shortcode prints it (a list as "a, b")."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _no_value(tag: Tag, report: Reporter) -> None:
    report.warning(tag.line, "diag_sc_no_value", name=tag.name)


def _in_running_text(text: str, tag: Tag) -> bool:
    """Whether a tag sits in a sentence (words before or after it on its line)."""
    if not text:
        return False
    line_start = text.rfind("\n", 0, tag.start) + 1
    line_end = text.find("\n", tag.end)
    before = _LINE_PREFIX.sub("", text[line_start : tag.start], count=1)
    after = text[tag.end : line_end if line_end >= 0 else len(text)]
    return bool(before.strip() or after.strip())


class _Writer:
    def __init__(self, text: str, first_line: int) -> None:
        self.src = text
        self.lines = _Lines(text)
        self.first_line = first_line
        self.parts: list[str] = []
        self.line_map: list[int] = [first_line]
        #: The end of the output: at least its last two lines.
        self.tail = ""

    def _append(self, chunk: str) -> None:
        self.parts.append(chunk)
        tail = self.tail + chunk
        last = tail.rfind("\n")
        self.tail = tail[tail.rfind("\n", 0, last) + 1 :] if last >= 0 else tail

    def copy(self, start: int, end: int) -> None:
        if start >= end:
            return
        chunk = self.src[start:end]
        self._append(chunk)
        line = self.lines.line(start)
        for offset in _newlines(chunk):
            line = self.lines.line(start + offset + 1)
            self.line_map.append(self.first_line + line)

    def insert(self, text: str, at: int) -> None:
        """Insert text that is not in the source; new lines map to the line of ``at``."""
        if not text:
            return
        self._append(text)
        line = self.first_line + self.lines.line(min(at, len(self.src)))
        self.line_map.extend([line] * text.count("\n"))

    def current_line(self) -> str:
        return self.tail[self.tail.rfind("\n") + 1 :]

    def previous_line_has_text(self) -> bool:
        last = self.tail.rfind("\n")
        if last < 0:
            return False
        previous = self.tail[self.tail.rfind("\n", 0, last) + 1 : last]
        return bool(previous.replace(">", "").strip())

    def retract(self, count: int) -> None:
        """Take back the last ``count`` characters of the current line."""
        count = min(count, len(self.current_line()))
        if count <= 0:
            return
        self.tail = self.tail[:-count]
        while count > 0 and self.parts:
            last = self.parts.pop()
            if len(last) > count:
                self.parts.append(last[:-count])
            count -= len(last)

    def text(self) -> str:
        return "".join(self.parts)


def _newlines(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


# What may stand before a block's text on its line: blockquote markers, indentation, list
# markers. A block shortcode after these is at the start of its line.
_LINE_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
_LIST_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")


def _line_prefix(text: str, offset: int) -> str:
    """The quote markers, indentation and list markers that begin the line of ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    match = _LINE_PREFIX.match(text, start, offset)
    return match.group(0) if match else ""


def _continuation(prefix: str) -> str:
    """The prefix of a line that continues the same list item and blockquote."""
    return _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), prefix)


def rewrite(
    text: str,
    report: Reporter,
    variables: Mapping[str, object] | None = None,
    first_line: int = 1,
) -> Rewritten:
    """Expand value/inline shortcodes and put block shortcodes on sentinel lines.

    A block shortcode's sentinel stands at the start of a line of its own, inside the same
    blockquote and list item as the tag, after a blank line when it follows text: so
    Markdown never reads it as the lazy continuation of a paragraph or as part of an HTML
    block. Tags in fenced code and HTML comments are kept as written.
    """
    tags = scan(text, report, first_line)
    if not tags:
        return Rewritten(text, [], [first_line + i for i in range(text.count("\n") + 1)])
    variables = variables or {}
    mark_code(text, tags, variables)
    pair(tags, report)
    classify(tags, variables, report, text)
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
            before, after = text[tag.start - 1 : tag.start], text[tag.end : tag.end + 1]
            if before == " " and after == " ":
                pos += 1
            elif before == " " and after and after in ".,;:!?)，。；：！？）":
                out.retract(1)  # "… a {# x #}." reads "… a.", not "… a ."
            continue
        # A block tag: on a line of its own, in the list item and quote it was written in.
        prefix = _line_prefix(text, tag.start)
        following = _continuation(prefix)
        current = out.current_line()
        if _LINE_PREFIX.fullmatch(current) is None:
            out.insert("\n" + following, tag.start)
            current = following
        quote = prefix[: prefix.rfind(">") + 1]
        if not (tag.closing and tag.role == "code") and out.previous_line_has_text():
            out.retract(len(current))
            out.insert(quote + "\n" + current, tag.start)
        out.insert(f"{SENTINEL_OPEN}{index}{SENTINEL_CLOSE}", tag.start)
        # Keep the line count of a tag written over several lines (inside its blockquote).
        out.insert(("\n" + quote) * text.count("\n", tag.start, tag.end), tag.start)
        line_end = text.find("\n", tag.end)
        rest = text[tag.end : line_end if line_end >= 0 else len(text)]
        if rest.strip():
            out.insert("\n" + following, tag.end)
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
