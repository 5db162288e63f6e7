"""The content model of a slide: inline runs and blocks.

Pure data: nothing here knows about terminals, Textual or Markdown parsing. The layout engine
turns these blocks into lines; the parser (``tui_deck.parse``) builds them from markdown-it
tokens. Every block keeps the 1-based source line it came from, for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# Inline styles a run may carry.
BOLD = "bold"
ITALIC = "italic"
CODE = "code"
STRIKE = "strike"
LINK = "link"
GLOSS = "gloss"


@dataclass(frozen=True)
class Run:
    """A piece of inline text with one set of styles (and maybe a link target)."""

    text: str
    styles: frozenset[str] = frozenset()
    url: str | None = None


Inlines = tuple[Run, ...]


def plain(inlines: Inlines) -> str:
    """The text of some inlines, without styles."""
    return "".join(run.text for run in inlines)


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    #: The id of the slide this link points to, when it points inside the deck.
    slide_id: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "url": self.url, "slide": self.slide_id}


#: What can be wrong with a picture: no file there, a file outside the deck folder, a
#: remote URL (never fetched), a file that is no picture, or one over the pixel limit.
ImageProblemKind = Literal["", "missing", "outside", "remote", "unreadable", "too-large"]


@dataclass(frozen=True)
class ImageRef:
    src: str
    #: Where the file is on disk (None for remote URLs, which are never fetched).
    path: Path | None
    exists: bool
    caption: str = ""
    alt: str = ""
    #: Relative width from the shortcode's ``width="75%"``, as a fraction (0.75).
    width: float | None = None
    remote: bool = False
    line: int = 0
    #: The caption with its inline Markdown (`code`, **bold**, links), as the slide shows it;
    #: ``caption`` is its plain text (search, outline, alt text).
    caption_runs: Inlines = ()
    #: The picture's size in pixels, read from its header when the deck is built (None:
    #: not known, e.g. an SVG without one, or no file).
    pixels: tuple[int, int] | None = None
    #: Why it cannot be shown, found when the deck is built ("" when it can).
    problem: ImageProblemKind = ""
    #: A chart or diagram (lines, labels, flat colour) rather than a photograph, decided
    #: from the file's header when the deck is built: the layout keeps line art wider.
    line_art: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "src": self.src,
            "path": str(self.path) if self.path else None,
            "exists": self.exists,
            "caption": self.caption,
            "alt": self.alt,
            "width": self.width,
            "remote": self.remote,
            "pixels": list(self.pixels) if self.pixels else None,
            "problem": self.problem or None,
            "line_art": self.line_art,
        }


@dataclass
class Block:
    line: int


@dataclass
class Paragraph(Block):
    inlines: Inlines


@dataclass
class Heading(Block):
    """A heading deeper than the split level: it stays inside its slide."""

    level: int
    inlines: Inlines
    id: str = ""


@dataclass
class ListItem:
    blocks: list[Block]


@dataclass
class ListBlock(Block):
    ordered: bool
    items: list[ListItem]
    start: int = 1
    #: No blank line between items (CommonMark's tight list); a loose list has them.
    tight: bool = True


@dataclass
class CodeBlock(Block):
    code: str
    lang: str = ""
    #: A live command for demos: ``<!-- exec -->`` before the block, or presenterm's
    #: ``+exec`` on the fence (```` ```bash +exec ````). Run only when the presenter allows.
    exec: bool = False
    #: What it printed when ``export --allow-exec`` ran it (SGR colour codes kept, nothing
    #: else), and how that ended (``✓ 0 · 0.2 s``); None: never run (the app keeps its own).
    output: str | None = None
    outcome: str = ""


@dataclass
class Callout(Block):
    """``tip``, ``warning``, ``idea`` shortcodes (and notes such as ``boilerplate``)."""

    kind: str
    blocks: list[Block]


@dataclass
class Quote(Block):
    blocks: list[Block]
    caption: str = ""
    #: The caption with its inline Markdown, as shown (``caption`` is its plain text).
    caption_runs: Inlines = ()


@dataclass
class Table(Block):
    header: list[Inlines]
    rows: list[list[Inlines]]
    #: One of "left", "center", "right" per column ("" when unspecified).
    aligns: list[str] = field(default_factory=list)


@dataclass
class ImageBlock(Block):
    image: ImageRef


@dataclass
class Section(Block):
    """A labelled part of a slide: one tab of a ``tabset``."""

    label: str
    blocks: list[Block]


@dataclass
class Rule(Block):
    pass


@dataclass
class Embed(Block):
    """What a page embeds and a terminal cannot play (an HTML ``<iframe>``, ``<video>``…):
    shown as a framed placeholder with a link to it."""

    #: "video", "audio", "slides" or "page".
    kind: str
    url: str
    title: str = ""


@dataclass
class Command(Block):
    """A presenterm comment command between a slide's blocks (``<!-- pause -->``,
    ``<!-- alignment: center -->``, ``<!-- column: 1 -->``…), its argument checked
    (``hugo/commands.py``). It shows nothing itself: the layout acts on ``alignment``,
    ``new_lines`` and ``jump_to_middle``; reveals and columns come from the rest."""

    name: str
    #: The checked value: an int (new_lines, column), a bool (incremental_lists), "left" /
    #: "center" / "right" (alignment), a tuple of widths (column_layout), or None.
    value: object = None


@dataclass
class Columns(Block):
    """Side-by-side columns (``<!-- column_layout: [1, 2] -->``, then ``<!-- column: N -->``
    before each column's blocks, until ``<!-- reset_layout -->`` or the slide's end): each
    column's blocks, the columns' widths in proportion. Built by ``build.py``; laid out by
    ``layout/columns.py`` (stacked, in column order, on a narrow screen)."""

    widths: tuple[int, ...]
    columns: list[list[Block]]


def visible(blocks: list[Block]) -> list[Block]:
    """The blocks that show something (commands left out)."""
    return [block for block in blocks if not isinstance(block, Command)]


def embed_word(kind: str, lang: str) -> str:
    from tui_deck.words import WORDS, say

    key = f"embed_{kind}"
    return say(lang, key) if key in WORDS else kind


def walk(blocks: list[Block]) -> list[Block]:
    """All blocks, depth first, including those nested in lists, callouts, quotes and tabs."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, ListBlock):
            for item in block.items:
                out.extend(walk(item.blocks))
        elif isinstance(block, Callout | Quote | Section):
            out.extend(walk(block.blocks))
        elif isinstance(block, Columns):
            for column in block.columns:
                out.extend(walk(column))
        elif isinstance(block, Footnotes):
            for note in block.notes:
                out.extend(walk(note.blocks))
    return out


def block_text(block: Block) -> str:
    """The readable text of one block (not its children), for search and outlines."""
    if isinstance(block, Paragraph | Heading):
        return plain(block.inlines)
    if isinstance(block, CodeBlock):
        return block.code
    if isinstance(block, Table):
        cells = [*block.header, *(c for row in block.rows for c in row)]
        return " ".join(plain(c) for c in cells)
    if isinstance(block, ImageBlock):
        return block.image.caption or block.image.alt
    if isinstance(block, Section):
        return block.label
    if isinstance(block, Quote):
        return block.caption
    if isinstance(block, Embed):
        return " ".join(t for t in (block.title, block.url) if t)
    return ""


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int) -> str:
    """A footnote's number as it is cited in the text: ¹, ², …, ¹⁰."""
    return str(number).translate(_SUPERSCRIPT)


@dataclass
class Footnote:
    """One footnote: its number (in the order the post first cites them), label and text."""

    number: int
    label: str
    blocks: list[Block]


@dataclass
class Footnotes(Block):
    """The footnotes a slide cites, shown at its end (wherever the post defines them)."""

    notes: list[Footnote]
