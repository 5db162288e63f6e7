"""The deck: posts split into slides.

``load_deck(path)`` is the one entry point: it finds the Markdown files, reads them, expands
Hugo shortcodes, parses with markdown-it and splits each post at its headings (the work is in
:mod:`tui_deck.build`, imported on first use: the presenter can start from a cached deck
without importing markdown-it or YAML). It returns a :class:`Deck` with every problem as a
diagnostic; only a path that cannot be read at all raises
:class:`~tui_deck.diagnostics.DeckError`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tui_deck import model as m
from tui_deck.diagnostics import Diagnostic
from tui_deck.hugo import dates
from tui_deck.hugo.links import DEFAULT_BASE_URL

DEFAULT_SPLIT_LEVEL = 3
CONFIG_NAME = "istio-deck.toml"  # the talk file (tui_deck/talk.py)


@dataclass
class Post:
    """One Markdown file of the deck and what its front matter says."""

    source: Path
    display_path: str
    title: str
    subtitle: str = ""
    description: str = ""
    author: str = ""
    date: dt.date | None = None
    lang: str = "en"
    weight: int = 0
    front_matter: dict[str, Any] = field(default_factory=dict)
    #: Where an external post is (front matter ``link:``): the post only points there.
    link: str = ""
    #: Each list item a step (front matter or talk file ``incremental_lists``; the
    #: ``<!-- incremental_lists: … -->`` commands change it from where they stand).
    incremental_lists: bool = False

    @property
    def date_text(self) -> str:
        return dates.format_date(self.date, self.lang) if self.date else ""


#: "title" (from front matter), "intro" (text before the first heading) or "content".
SlideKind = Literal["title", "intro", "content"]


@dataclass
class Slide:
    index: int
    id: str
    title: str
    level: int
    kind: SlideKind
    post: Post
    line: int
    blocks: list[m.Block] = field(default_factory=list)
    title_inlines: m.Inlines = ()
    images: list[m.ImageRef] = field(default_factory=list)
    links: list[m.Link] = field(default_factory=list)
    #: The speaker notes (``<!-- notes: … -->``) as written, and as Markdown blocks.
    notes: str = ""
    note_blocks: list[m.Block] = field(default_factory=list)
    #: ``<!-- no_footer -->``: the slide has no footer or progress bar.
    footer: bool = True
    #: The title of the section the slide is part of (a slide that ``<!-- end_slide -->``
    #: started goes on under it: "Title (cont.)").
    section: str = ""

    @property
    def source(self) -> str:
        return self.post.display_path

    @property
    def lang(self) -> str:
        return self.post.lang

    def text(self) -> str:
        """Everything readable on the slide, for search."""
        parts = [self.title]
        if self.kind == "title":
            post = self.post
            parts += [post.subtitle, post.description, post.author, post.date_text]
        parts += [m.block_text(b) for b in m.walk(self.blocks)]
        return "\n".join(p for p in parts if p)

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "kind": self.kind,
            "source": self.source,
            "line": self.line,
            "images": [image.to_json() for image in self.images],
            "links": [link.to_json() for link in self.links],
            "notes": self.notes,
            "footer": self.footer,
        }


@dataclass(eq=False)  # compared by identity, so layouts can be cached per deck
class Deck:
    slides: list[Slide]
    diagnostics: list[Diagnostic]
    root: Path
    posts: list[Post]

    @property
    def title(self) -> str:
        return self.posts[0].title if self.posts else ""

    @property
    def lang(self) -> str:
        return self.posts[0].lang if self.posts else "en"

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def find(self, key: str) -> int | None:
        """The 0-based position of a slide given by number (1-based), id, or part of a title."""
        key = key.strip()
        if key.isdigit():
            number = int(key)
            return number - 1 if 1 <= number <= len(self.slides) else None
        key = key.lstrip("#")
        for pos, slide in enumerate(self.slides):
            if slide.id == key:
                return pos
        folded = key.casefold()
        for pos, slide in enumerate(self.slides):
            if folded and folded in slide.title.casefold():
                return pos
        for pos, slide in enumerate(self.slides):
            if folded and folded in slide.id:
                return pos
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "lang": self.lang,
            "slides": [slide.to_json() for slide in self.slides],
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


@dataclass(frozen=True)
class Options:
    #: None: the talk file's ``split_level``, else ``DEFAULT_SPLIT_LEVEL``.
    split_level: int | None = None
    base_url: str = DEFAULT_BASE_URL
    #: Show images outside the deck folder (refused by default: a deck is often not yours).
    allow_outside: bool = False
    #: The talk rather than the whole post (present, export, record): only the slides
    #: picked by ``slides`` (``--slides``), else by the talk file's ``slides``. ``outline``
    #: and ``check`` show every slide, with the numbers the picks use.
    talk: bool = False
    slides: str | None = None


def load_deck(path: Path | str, options: Options | None = None) -> Deck:
    """Load a deck from a Markdown file, a page bundle or a folder of posts."""
    from tui_deck.build import build_deck

    return build_deck(Path(path), options or Options())
