"""Raw HTML in a post (``html_block`` and ``html_inline`` tokens) as blocks of the model.

Istio posts write some HTML: tables, ``<iframe>`` videos and slides, ``<img>``, ``<div>``
wrappers, ``<br>``, ``<a>``, ``<sup>``. The standard library's ``html.parser`` reads it into a
small tree, and the tree becomes the same blocks and runs that Markdown makes, so that no tag
text ever reaches a slide. What a terminal cannot show (players, forms, drawings) gets a
diagnostic at the author's line. Imported by ``parse`` on the first HTML it meets.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown_it.tree import SyntaxTreeNode

from tui_deck import model as m
from tui_deck import parse as p
from tui_deck.hugo import links as hlinks
from tui_deck.hugo.html import BLOCK, VOID, Element, TreeBuilder, names, read
from tui_deck.sanitize import clean, clean_line
from tui_deck.words import say

#: Elements whose content is never shown.
DROPPED = names("script style template noscript head title select textarea")
#: Elements that play or embed something: shown as a link to it.
PLAYERS = names("iframe video audio embed object")
TABLE_PARTS = names("tr td th thead tbody tfoot caption colgroup")
#: The element that stands for Markdown read into an open HTML element.
_MARKDOWN = "x-istio-deck-markdown"
STYLES = {
    **dict.fromkeys(names("em i cite dfn var"), m.ITALIC),
    **dict.fromkeys(names("strong b"), m.BOLD),
    **dict.fromkeys(names("code kbd tt samp"), m.CODE),
    **dict.fromkeys(names("s del strike"), m.STRIKE),
}
SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

#: Tag text that html.parser left as data (an unclosed quote, a cut tag) and comments.
_TAGLIKE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?(?:>|$|(?=<))|<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)")
_GENERIC_TITLE = re.compile(r"(?i)^\s*[\w ]*\b(video|media) player\s*$")
_SPACE = re.compile(r"(\s+)")


#: The type given to a node whose content an earlier ``html_block`` took in.
MERGED = "html_merged"
#: How many following nodes an unclosed element may take in.
MAX_MERGED = 400


def blocks_of(node: SyntaxTreeNode, ctx: p.PostContext) -> list[m.Block]:
    """The blocks of one ``html_block`` token.

    A blank line ends an ``html_block``, so a ``<table>`` or ``<div>`` written with blank
    lines inside arrives in pieces, with Markdown (or "indented code" that is really HTML)
    between them. While an element is left open, the following nodes are read into it: HTML
    as HTML, Markdown as its blocks; they are then marked ``MERGED`` so they are not built
    twice. A heading ends the run (it starts a slide).
    """
    builder = TreeBuilder()
    starts: list[tuple[int, int]] = []  # (first line in the joined HTML, token line)
    stored: list[list[m.Block]] = []
    lines = 0

    def feed(html: str, token_line: int | None) -> None:
        nonlocal lines
        if token_line is not None:
            starts.append((lines + 1, token_line))
        builder.feed(html + "\n")
        lines += html.count("\n") + 1

    feed(node.content, node.map[0] if node.map else None)
    sibling = node.next_sibling
    for _ in range(MAX_MERGED):
        if len(builder.stack) <= 1 or sibling is None or sibling.type in ("heading", MERGED):
            break
        html = sibling.type == "html_block" or (
            sibling.type == "code_block" and _TAG.search(sibling.content) is not None
        )
        if html:
            for note in p._NOTES.findall(sibling.content):
                ctx.notes.append(clean(note.strip()))
            feed(sibling.content, sibling.map[0] if sibling.map else None)
        else:
            stored.append(p.build_blocks([sibling], ctx))
            feed(f'<{_MARKDOWN} data-i="{len(stored) - 1}"></{_MARKDOWN}>', None)
        _mark_merged(sibling)
        sibling = sibling.next_sibling
    builder.close()
    converter = _Converter(ctx, starts, stored)
    return converter.blocks(builder.root.children, 1)


def only_pictures(nodes: list[SyntaxTreeNode]) -> bool:
    """Whether some ``html_inline`` tags are pictures and their links and nothing else."""
    names = set()
    for node in nodes:
        found = _TAG.match(node.content)
        if found is None:  # a comment (speaker notes are read from the tokens)
            return False
        names.add(found.group(2).lower())
    return "img" in names and names <= {"img", "a", "br", "span", "p", "div", "center"}


def _mark_merged(node: SyntaxTreeNode) -> None:
    if node.token is not None:
        node.token.type = MERGED
    elif node.nester_tokens is not None:
        node.nester_tokens.opening.type = MERGED + "_open"


Item = m.Run | Element  # an inline run, or an <img> that may become an image block


class _Converter:
    def __init__(
        self,
        ctx: p.PostContext,
        starts: list[tuple[int, int]] | None = None,
        stored: list[list[m.Block]] | None = None,
    ) -> None:
        self.ctx = ctx
        self.starts = starts or []
        self.stored = stored or []

    def line(self, line: int) -> int:
        """The author's line of a line of the HTML read (of the joined pieces)."""
        found = [(first, token) for first, token in self.starts if first <= line]
        if not found:
            return self.ctx.block_line
        first, token = found[-1]
        return self.ctx.rewritten.source_line(token + line - first)

    def markdown(self, element: Element) -> list[m.Block]:
        """The blocks of the Markdown that an element left open took in."""
        index = element.attr("data-i")
        return self.stored[int(index)] if index.isdigit() and int(index) < len(self.stored) else []

    # ------------------------------------------------------------------ blocks

    def blocks(self, children: list[Element | str], line: int) -> list[m.Block]:
        out: list[m.Block] = []
        pending: list[Item] = []
        para_line = line
        for child in children:
            if isinstance(child, Element) and (
                child.tag in BLOCK or child.tag in PLAYERS or child.tag == _MARKDOWN
            ):
                out.extend(self.paragraph(pending, para_line))
                pending = []
                out.extend(self.block(child))
                continue
            if isinstance(child, Element) and child.tag in TABLE_PARTS:
                out.extend(self.paragraph(pending, para_line))
                pending = []
                out.extend(self.table(Element("table", {}, child.line, [child])))
                continue
            if not pending and isinstance(child, Element):
                para_line = child.line
            if isinstance(child, str):
                self.text(child, frozenset(), None, pending)
            else:
                self.inline(child, frozenset(), None, pending)
        out.extend(self.paragraph(pending, para_line))
        return out

    def paragraph(self, items: list[Item], line: int) -> list[m.Block]:
        pictures = [i for i in items if isinstance(i, Element)]
        words = [i for i in items if isinstance(i, m.Run) and i.text.strip() and i.text != p._SOFT]
        if pictures and not words:
            return [m.ImageBlock(self.line(e.line), self.image(e)) for e in pictures]
        inlines = finish(self.runs(items))
        if not m.plain(inlines).strip():
            return []
        return [m.Paragraph(self.line(line), inlines)]

    def runs(self, items: list[Item]) -> list[m.Run]:
        out: list[m.Run] = []
        for item in items:
            if isinstance(item, m.Run):
                out.append(item)
            else:
                image = self.image(item)
                word = image.alt or say(self.ctx.lang, "image")
                out.append(m.Run(f"[{word}]", frozenset({m.ITALIC})))
        return out

    def image(self, element: Element) -> m.ImageRef:
        alt = element.attr("alt")
        caption = element.attr("title") or alt
        width = p._percent(element.attr("width")) if "%" in element.attr("width") else None
        line = self.line(element.line)
        return p.make_image(element.attr("src"), caption, alt, width, self.ctx, line)

    def block(self, element: Element) -> list[m.Block]:
        tag, line = element.tag, self.line(element.line)
        if tag == _MARKDOWN:
            return self.markdown(element)
        if tag == "table":
            return self.table(element)
        if tag in ("ul", "ol"):
            return self.list_block(element)
        if tag == "li":
            return [m.ListBlock(line, False, [m.ListItem(self.blocks(element.children, 1))])]
        if tag in PLAYERS:
            return self.embed(element)
        if re.fullmatch(r"h[1-6]", tag):
            inlines = self.inlines(element)
            return [m.Heading(line, int(tag[1]), inlines)] if inlines else []
        if tag == "pre":
            code = clean(element.text()).strip("\n").expandtabs(4)
            found = re.search(r"language-([\w+-]+)", element.attr("class"))
            return [m.CodeBlock(line, code, found.group(1) if found else "")] if code else []
        if tag == "blockquote":
            return [m.Quote(line, self.blocks(element.children, element.line))]
        if tag == "hr":
            return [m.Rule(line)]
        if tag == "svg":
            self.ctx.report.warning(line, "diag_svg_inline")
            return []
        if tag == "form":
            self.ctx.report.warning(line, "diag_form")
        return self.blocks(element.children, element.line)

    def list_block(self, element: Element) -> list[m.Block]:
        items: list[m.ListItem] = []
        for child in element.children:
            if isinstance(child, Element) and child.tag == "li":
                items.append(m.ListItem(self.blocks(child.children, child.line)))
            elif isinstance(child, Element) or child.strip():
                items.append(m.ListItem(self.blocks([child], element.line)))
        if not items:
            return []
        start = int(element.attr("start")) if element.attr("start").isdigit() else 1
        return [m.ListBlock(self.line(element.line), element.tag == "ol", items, start)]

    def table(self, element: Element) -> list[m.Block]:
        rows: list[tuple[list[Element], bool]] = []
        outside: list[Element | str] = []  # what browsers show before the table

        def collect(parent: Element, head: bool) -> None:
            for child in parent.children:
                if isinstance(child, str):
                    outside.append(child)
                elif child.tag == "tr":
                    cells = [c for c in child.elements() if c.tag in ("td", "th")]
                    rows.append((cells, head))
                elif child.tag in ("td", "th"):
                    rows.append(([child], head))
                elif child.tag == "caption":
                    outside.extend(child.children)
                elif child.tag in ("thead", "tbody", "tfoot", "table"):
                    collect(child, head or child.tag == "thead")
                elif child.tag not in ("colgroup", "col"):
                    outside.append(child)

        collect(element, False)
        before = self.blocks(outside, element.line)
        rows = [(cells, head) for cells, head in rows if cells]
        if not rows:
            return before
        first_cells, first_head = rows[0]
        has_header = first_head or all(c.tag == "th" for c in first_cells)
        grid = [[self.cell(c) for c in self.spread(cells)] for cells, _ in rows]
        aligns = [_align(c) for c in self.spread(first_cells)]
        header = grid[0] if has_header else []
        body = grid[1:] if has_header else grid
        return [*before, m.Table(self.line(element.line), header, body, aligns)]

    @staticmethod
    def spread(cells: list[Element]) -> list[Element]:
        """Cells with ``colspan`` repeated as empty cells, so the columns line up."""
        out: list[Element] = []
        for cell in cells:
            out.append(cell)
            span = cell.attr("colspan")
            for _ in range(min(int(span), 20) - 1 if span.isdigit() else 0):
                out.append(Element(cell.tag, {}, cell.line))
        return out

    def cell(self, element: Element) -> m.Inlines:
        runs: list[m.Run] = []
        for block in self.blocks(element.children, element.line):
            if runs:
                runs.append(m.Run("\n"))
            runs.extend(flatten(block, self.ctx.lang))
        return finish(runs)

    def inlines(self, element: Element) -> m.Inlines:
        items: list[Item] = []
        for child in element.children:
            if isinstance(child, str):
                self.text(child, frozenset(), None, items)
            else:
                self.inline(child, frozenset(), None, items)
        return finish(self.runs(items))

    def embed(self, element: Element) -> list[m.Block]:
        line = self.line(element.line)
        src = element.attr("src") or element.attr("data")
        sources = [c.attr("src") for c in element.elements() if c.tag == "source"]
        src = clean_line(src or next((s for s in sources if s), "")).strip()
        if not src:
            self.ctx.report.warning(line, "diag_embed_no_src", tag=element.tag)
            return []
        url = hlinks.resolve_url(src, self.ctx.base_url, self.ctx.page_url)
        if url is None:
            scheme = hlinks.scheme(src)
            fault = "diag_embed_scheme" if scheme else "diag_embed_bad_link"
            self.ctx.report.warning(line, fault, tag=element.tag, scheme=scheme or "")
            return []
        url = clean_line(url)
        kind = embed_kind(element.tag, url)
        title = clean_line(element.attr("title")).strip()
        if _GENERIC_TITLE.match(title):
            title = ""
        self.ctx.links.append(m.Link(title or m.embed_word(kind, self.ctx.lang), url))
        host = (urlsplit(url).hostname or url).removeprefix("www.")
        self.ctx.report.warning(line, f"diag_embed_{kind}", host=host, tag=element.tag)
        return [m.Embed(line, kind, url, title)]

    # ------------------------------------------------------------------ inlines

    def text(self, text: str, styles: frozenset[str], url: str | None, out: list[Item]) -> None:
        text = clean(_TAGLIKE.sub("", text))
        for piece in _SPACE.split(text):
            if not piece:
                continue
            if piece.isspace():
                out.append(m.Run(p._SOFT if "\n" in piece else " ", styles, url))
            else:
                out.append(m.Run(piece, styles, url))

    def inline(
        self, element: Element, styles: frozenset[str], url: str | None, out: list[Item]
    ) -> None:
        tag = element.tag
        if tag in DROPPED:
            return
        if tag == _MARKDOWN:
            for block in self.markdown(element):
                out.append(m.Run(p._SOFT, styles, url))
                out.extend(flatten(block, self.ctx.lang))
        elif tag == "br":
            out.append(m.Run("\n", styles, url))
        elif tag == "img":
            out.append(element)
        elif tag in PLAYERS:
            for block in self.embed(element):
                out.extend(flatten(block, self.ctx.lang))
        elif tag == "svg":
            self.block(element)
        elif tag == "a":
            self.link(element, styles, out)
        elif tag in ("sup", "sub"):
            inner: list[Item] = []
            self.children(element, styles, url, inner)
            out.extend(script(inner, tag))
        else:
            style = STYLES.get(tag)
            self.children(element, styles | {style} if style else styles, url, out)

    def children(
        self, element: Element, styles: frozenset[str], url: str | None, out: list[Item]
    ) -> None:
        block = element.tag in BLOCK or element.tag in TABLE_PARTS
        if block:
            out.append(m.Run(p._SOFT, styles, url))
        for child in element.children:
            if isinstance(child, str):
                self.text(child, styles, url, out)
            else:
                self.inline(child, styles, url, out)
        if block:
            out.append(m.Run(p._SOFT, styles, url))

    def link(self, element: Element, styles: frozenset[str], out: list[Item]) -> None:
        href = element.attr("href")
        url = hlinks.resolve_url(href, self.ctx.base_url, self.ctx.page_url)
        if url is None:
            if href.strip():
                self.ctx.report.warning(
                    self.line(element.line), "diag_link_not_followed", href=clean_line(href)[:60]
                )
            self.children(element, styles, None, out)
            return
        url = clean_line(url)
        start = len(out)
        self.children(element, styles | {m.LINK}, url, out)
        text = m.plain(finish([r for r in out[start:] if isinstance(r, m.Run)]))
        self.ctx.links.append(m.Link(" ".join(text.split()) or url, url))


# --------------------------------------------------------------------------- html_inline


def inline_tag(
    nodes: list[SyntaxTreeNode],
    index: int,
    styles: frozenset[str],
    url: str | None,
    ctx: p.PostContext,
    out: list[m.Run],
) -> int:
    """Read the ``html_inline`` token ``nodes[index - 1]`` of a Markdown paragraph (one tag).

    A tag that styles its content (``<em>…</em>``, ``<a href>…</a>``, ``<sup>``) takes the
    tokens up to its end tag; returns the index of the next token to read.
    """
    content = nodes[index - 1].content.strip()
    found = _TAG.match(content)
    if not found or found.group(1):
        return index  # a comment, or an end tag: its text is around it already
    name = found.group(2).lower()
    if name == "br":
        out.append(m.Run("\n", styles, url))
        return index
    converter = _Converter(ctx)
    elements = read(content).elements()
    element = elements[0] if elements else Element(name, {}, 1)
    end = None if name in VOID or content.endswith("/>") else _end_tag(nodes, index, name)
    if name == "img":
        image = converter.image(element)
        out.append(m.Run(f"[{image.alt or say(ctx.lang, 'image')}]", styles | {m.ITALIC}, url))
    elif name in PLAYERS or name == "svg":
        items: list[Item] = []
        converter.inline(element, styles, url, items)
        out.extend(i for i in items if isinstance(i, m.Run))
    elif end is None or name in DROPPED:
        return index if end is None else end + 1
    elif name == "a":
        _inline_link(element, nodes[index:end], styles, ctx, out)
    elif name in ("sup", "sub"):
        inner: list[m.Run] = []
        p._inline_children(nodes[index:end], styles, url, ctx, inner)
        out.extend(r for r in script(list(inner), name) if isinstance(r, m.Run))
    elif name in STYLES:
        p._inline_children(nodes[index:end], styles | {STYLES[name]}, url, ctx, out)
    else:
        return index  # an unknown tag: its content is read as it comes
    return index if end is None else end + 1


def _inline_link(
    element: Element,
    inner: list[SyntaxTreeNode],
    styles: frozenset[str],
    ctx: p.PostContext,
    out: list[m.Run],
) -> None:
    href = element.attr("href")
    url = hlinks.resolve_url(href, ctx.base_url, ctx.page_url)
    if url is None:
        if href.strip():
            ctx.report.warning(ctx.block_line, "diag_link_not_followed", href=clean_line(href)[:60])
        p._inline_children(inner, styles, None, ctx, out)
        return
    url = clean_line(url)
    start = len(out)
    p._inline_children(inner, styles | {m.LINK}, url, ctx, out)
    text = m.plain(finish(out[start:]))
    ctx.links.append(m.Link(" ".join(text.split()) or url, url))


def _end_tag(nodes: list[SyntaxTreeNode], start: int, name: str) -> int | None:
    depth = 0
    for index in range(start, len(nodes)):
        if nodes[index].type != "html_inline":
            continue
        found = _TAG.match(nodes[index].content.strip())
        if not found or found.group(2).lower() != name:
            continue
        if not found.group(1):
            depth += 1
        elif depth:
            depth -= 1
        else:
            return index
    return None


# --------------------------------------------------------------------------- helpers


def finish(runs: list[m.Run]) -> m.Inlines:
    """Runs as HTML shows them: white space collapsed, then soft breaks resolved."""
    out: list[m.Run] = []
    for run in runs:
        space = run.text in (" ", p._SOFT)
        if space and (not out or out[-1].text in (" ", p._SOFT, "\n")):
            if out and run.text == p._SOFT and out[-1].text == " ":
                out[-1] = run  # a line end decides (no space between CJK characters)
            continue
        if run.text == "\n" and out and out[-1].text in (" ", p._SOFT):
            out.pop()
        out.append(run)
    return p._finish_runs(out)


def script(items: list[Item], tag: str) -> list[Item]:
    """``<sup>``/``<sub>`` content in superscript or subscript characters where they exist."""
    text = "".join(i.text for i in items if isinstance(i, m.Run) and i.text != p._SOFT)
    table = SUPERSCRIPT if tag == "sup" else SUBSCRIPT
    shifted = text.translate(table)
    if not text or any(a == b and not a.isspace() for a, b in zip(text, shifted, strict=True)):
        return items
    first = next(i for i in items if isinstance(i, m.Run))
    return [m.Run(shifted, first.styles, first.url)]


def flatten(block: m.Block, lang: str) -> list[m.Run]:
    """One block as runs (for a table cell)."""
    if isinstance(block, m.Paragraph | m.Heading):
        return list(block.inlines)
    if isinstance(block, m.ImageBlock):
        return [m.Run(f"[{block.image.alt or say(lang, 'image')}]", frozenset({m.ITALIC}))]
    if isinstance(block, m.Embed):
        word = f"▶ {block.title or m.embed_word(block.kind, lang)} {block.url}"
        return [m.Run(word, frozenset({m.LINK}), block.url)]
    if isinstance(block, m.ListBlock):
        runs: list[m.Run] = []
        for item in block.items:
            if runs:
                runs.append(m.Run("\n"))
            runs.append(m.Run("• "))
            for child in item.blocks:
                runs.extend(flatten(child, lang))
        return runs
    if isinstance(block, m.CodeBlock):
        return [m.Run(block.code, frozenset({m.CODE}))]
    text = " ".join(t for t in (m.block_text(b) for b in m.walk([block])) if t)
    return [m.Run(text)] if text else []


def embed_kind(tag: str, url: str) -> str:
    if tag in ("video", "audio"):
        return tag
    host = (urlsplit(url).hostname or "").lower()
    path = urlsplit(url).path.lower()
    if any(h in host for h in ("youtube", "youtu.be", "vimeo", "bilibili", "youku", "v.qq.com")):
        return "video"
    if path.endswith((".mp4", ".webm", ".mov", ".m4v", ".ogv")):
        return "video"
    if ("docs.google.com" in host and "/presentation" in path) or any(
        h in host for h in ("slideshare", "speakerdeck")
    ):
        return "slides"
    return "page"


def _align(cell: Element) -> str:
    found = re.search(r"text-align\s*:\s*(left|center|right)", cell.attr("style"), re.I)
    align = (found.group(1) if found else cell.attr("align")).lower()
    return align if align in ("left", "center", "right") else ""
