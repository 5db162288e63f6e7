"""What an author wrote, read from a post's source without istio-deck's parser.

The faithfulness test compares this with what the deck shows, so it must not share the
deck's parser: a small line reader that knows front matter, code fences, ``text``
shortcodes, headings, pipe tables, HTML blocks, image captions and paragraphs, and
nothing more. Each element is reduced to *fragments*: runs of letters and digits (every
mark, space and piece of markup dropped), split wherever markup stood that the deck
replaces by something else (a link's target, an inline shortcode, an image).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

_FENCE = re.compile(r"^\s*(```+|~~~+)")
_TEXT_OPEN = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)*\{\{<\s*text\b.*>\}\}\s*$")
_TEXT_CLOSE = re.compile(r"^\s*\{\{<\s*/\s*text\s*>\}\}\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ID = re.compile(r"\{\s*#[^}]*\}")
_TYPO_ID = re.compile(r"\{\s*(?:#[\w-]+|[A-Za-z0-9][A-Za-z0-9_.-]+\})\s*$")
_CAPTION = re.compile(r'\bcaption\s*=\s*"([^"]*)"')
_SHORTCODE_LINE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)*\{\{[<%].*[>%]?\}\}\s*$")
_LIST_MARK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s+)?")
_ITEM = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+")
_SHORTCODE_START = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)*\{\{[<%]")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]^]+\]:\s*\S+")
_FOOTDEF = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:\s?")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_CUTS = [
    re.compile(r"\{\{[<%]\s*/?\s*[\w-]+[^}]*?[>%]\}\}"),  # inline shortcodes
    re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # images
    re.compile(r"\]\([^)]*\)"),  # a link's target (its text stays)
    re.compile(r"\[\^[^\]]+\]"),  # footnote markers
    re.compile(r"<[^>]+>"),  # inline HTML tags
    re.compile(r"https?://\S+"),  # bare URLs may be folded or shown as links
]
_SEPARATOR = "\x00"


def fragments(text: str) -> list[str]:
    """The letter-and-digit runs of ``text``, split where markup the deck replaces stood."""
    text = _ID.sub(_SEPARATOR, text)
    for pattern in _INLINE_CUTS:
        text = pattern.sub(_SEPARATOR, text)
    text = html.unescape(text)
    out = []
    for piece in text.split(_SEPARATOR):
        squashed = squash(piece)
        if squashed:
            out.append(squashed)
    return out


def squash(text: str) -> str:
    """Only letters and digits (CJK included; ² and ₂ as 2), no marks, no spaces."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


#: Elements whose text a terminal cannot show (a fallback for old browsers, a drawing).
_UNSHOWN = ("script", "style", "svg", "video", "audio", "object")


@dataclass
class Source:
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    iframes: list[str] = field(default_factory=list)


class _Html(HTMLParser):
    def __init__(self, source: Source) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.cell: list[str] | None = None
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self.cell = []
        elif tag == "iframe":
            src = dict(attrs).get("src") or ""
            if src.startswith(("http://", "https://", "//")):
                self.source.iframes.append(src)
        elif tag in _UNSHOWN:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.source.cells.append(" ".join(self.cell))
            self.cell = None
        elif tag in _UNSHOWN:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.text.append(data)


def read_source(text: str) -> Source:
    source = Source()
    lines = _body(_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)).split("\n")
    paragraph: list[str] = []
    html_lines: list[str] = []

    def flush() -> None:
        if paragraph:
            source.paragraphs.append(" ".join(paragraph))
            paragraph.clear()

    def flush_html() -> None:
        if html_lines:
            parser = _Html(source)
            # A tag left unfinished at the end is not text (nor shown).
            parser.feed(re.sub(r"<[^>]*$", "", "\n".join(html_lines)))
            parser.close()
            leftover = " ".join(" ".join(parser.text).split())
            if leftover:
                source.paragraphs.append(leftover)
            html_lines.clear()

    body = "\n".join(lines)
    pos = 0
    while pos < len(lines):
        line = lines[pos]
        footnote = _FOOTDEF.match(line)
        if footnote:
            # A footnote definition is a paragraph of its own, shown where it is cited;
            # one never cited is not shown (as on Hugo's page).
            flush()
            cited = re.search(re.escape(f"[^{footnote.group(1)}]") + "(?!:)", body)
            if not cited:
                pos += 1
                while pos < len(lines) and lines[pos].strip():
                    pos += 1
                continue
            line = line[footnote.end() :]
        fence = _FENCE.match(line)
        if fence or _TEXT_OPEN.match(line):
            flush()
            flush_html()
            end = _FENCE if fence else _TEXT_CLOSE
            pos += 1
            while pos < len(lines) and not end.match(lines[pos]):
                if lines[pos].strip():
                    source.code.append(lines[pos].strip())
                pos += 1
            pos += 1
            continue
        if html_lines or (line.lstrip().startswith("<") and not line.lstrip().startswith("<!")):
            if not line.strip():
                flush_html()
            else:
                flush()
                html_lines.append(line)
            pos += 1
            continue
        if _SHORTCODE_START.match(line) and "}}" not in line:
            # A shortcode written over several lines (its closer may be a bare ``}}``).
            while pos + 1 < len(lines) and "}}" not in line:
                pos += 1
                line += " " + lines[pos].strip()
        heading = _HEADING.match(line)
        if heading:
            flush()
            # An id its author wrote without '#' or '}' is an id too (check reports it).
            source.headings.append(_TYPO_ID.sub("", heading.group(2)))
        elif _SHORTCODE_LINE.match(line):
            flush()
            source.captions.extend(_CAPTION.findall(line))
        elif "|" in line and pos + 1 < len(lines) and _TABLE_SEP.match(lines[pos + 1]):
            flush()
            while pos < len(lines) and "|" in lines[pos]:
                if not _TABLE_SEP.match(lines[pos]):
                    cells = lines[pos].strip().strip("|").split("|")
                    source.cells.extend(cell.strip() for cell in cells)
                pos += 1
            continue
        elif not line.strip() or _REFDEF.match(line):
            flush()
        else:
            if _ITEM.match(line):
                flush()  # each list item is a paragraph of its own
            paragraph.append(_LIST_MARK.sub("", line, count=1))
        pos += 1
    flush()
    flush_html()
    return source


def _body(text: str) -> str:
    """The post without its front matter."""
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence, len(fence))
            if end >= 0:
                return text[end + len(fence) + 1 :]
    return text
