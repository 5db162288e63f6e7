"""Markdown to blocks: markdown-it tokens become the model of ``tui_deck.model``.

The parser is markdown-it-py (CommonMark + tables + strikethrough) with one extra block rule
that reads the shortcode sentinels left by ``tui_deck.hugo.shortcodes.rewrite``. Token
builders live in one table (``BLOCKS``), as in Textual's Markdown widget; an unknown token
type falls back to its text so nothing is silently lost.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from tui_deck import images
from tui_deck import model as m
from tui_deck.cjk import soft_break_joins
from tui_deck.diagnostics import Reporter
from tui_deck.hugo import commands
from tui_deck.hugo import links as hlinks
from tui_deck.hugo import shortcodes as sc
from tui_deck.hugo.cjk_emphasis import cjk_friendly_plugin
from tui_deck.images import image_size, is_line_art
from tui_deck.sanitize import clean, clean_line
from tui_deck.words import say

# (No leading `\s*`: a match starts only at a brace, so a long heading is read in linear time;
# the spaces before the id are stripped from the title.)
_HEADING_ID = re.compile(r"\{\s*(#+)([^\s}]*)(?:\s[^}]*)?\}\s*$")
# Ids Hugo does not read (it shows them with their braces): `{some-id}` (no '#'),
# `{#some-id` (no '}'), `{{#some-id}}` (braces doubled). The deck takes them as the id the
# author meant, and `check` says how to write it.
_HEADING_ID_TYPO = re.compile(
    r"""(?:\{[ \t]*(?P<bare>[A-Za-z0-9][A-Za-z0-9_.-]+)[ \t]*\}
    |(?<!\{)\{+[ \t]*\#+(?P<open>[\w-]+)[ \t]*\}*)$""",
    re.VERBOSE,
)
_NOTES = re.compile(r"<!--\s*notes?\b\s*:?(.*?)-->", re.DOTALL | re.IGNORECASE)
# presenterm's speaker note over several lines: `<!--\nspeaker_note: |\n  text\n-->`.
_SPEAKER_NOTE = re.compile(r"<!--\s*speaker_note\s*:[ \t]*\|?[ \t]*\n(.*?)-->", re.DOTALL)
_AT_LINK = re.compile(r"@([\w.~/-]+)@")
_SPACES = re.compile(r"[ \t]{2,}")
_BROKEN_TAG = re.compile(r"</?[A-Za-z][\w:-]*\s+[\w:-]+\s*=[^<>]*>?")


@cache
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # Emphasis next to full-width punctuation (`**新功能：**您`) as Chinese authors mean it.
    md.use(cjk_friendly_plugin)
    # Footnotes as Hugo (goldmark) writes them: `[^1]` and `[^1]: text`, no inline notes.
    # Definitions stay where they are written; build.py shows them on the citing slides.
    md.use(footnote_plugin, inline=False, move_to_end=False)
    # presenterm's comment commands (`<!-- end_slide -->`…), read before raw HTML.
    md.use(commands.commands_plugin)
    # Parse every link, so that text shows as link text; _link() decides what is followed.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.block.ruler.before(
        "code",
        "shortcode",
        _shortcode_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    return md


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _sentinel_at(state: StateBlock, line: int) -> int | None:
    text = _line_text(state, line).rstrip()
    match = sc.SENTINEL_RE.fullmatch(text)
    return int(match.group(1)) if match else None


def _shortcode_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    # Any indent: a shortcode indented four spaces more than its list item's text is still
    # a shortcode (Hugo expands it before Markdown is read), never an indented code block.
    # This rule runs before markdown-it's indented-code rule for that reason.
    index = _sentinel_at(state, start)
    if index is None:
        return not silent and _code_until_shortcode(state, start, end)
    tags: list[sc.Tag] = state.env.get("shortcodes", [])
    if index >= len(tags):
        return False
    tag = tags[index]
    if silent:
        return True
    close_line = -1
    if tag.role in ("code", "container") and not tag.closing:
        for line in range(start + 1, end):
            if _sentinel_at(state, line) == tag.partner:
                close_line = line
                break
    if tag.role == "code" and close_line >= 0:
        indent = state.sCount[start]
        body = []
        for line in range(start + 1, close_line):
            raw = state.src[state.bMarks[line] : state.eMarks[line]]
            body.append(_dedent(raw, indent))
        token = state.push("fence", "code", 0)
        token.info = tag.get("syntax", 0)
        code = "\n".join(body).strip("\n")
        # Istio writes @samples/x.yaml@ for links to files of the istio repository.
        token.content = _AT_LINK.sub(r"\1", code) + "\n"
        token.map = [start, close_line + 1]
        token.meta = {"shortcode": tag}
        state.line = close_line + 1
        return True
    if tag.role == "container" and close_line >= 0:
        token = state.push("shortcode_open", "div", 1)
        token.meta = {"shortcode": tag}
        token.map = [start, close_line + 1]
        old_parent, old_max, old_indent = state.parentType, state.lineMax, state.blkIndent
        state.parentType = "shortcode"
        state.lineMax = close_line
        # The inner text is read relative to the tag's own indent (or its least indented
        # line), so text indented like an indented tag is not an indented code block.
        state.blkIndent = max(old_indent, _inner_indent(state, start, close_line))
        state.md.block.tokenize(state, start + 1, close_line)
        state.parentType, state.lineMax = old_parent, old_max
        state.blkIndent = old_indent
        token = state.push("shortcode_close", "div", -1)
        token.meta = {"shortcode": tag}
        state.line = close_line + 1
        return True
    token = state.push("shortcode", "", 0)
    token.meta = {"shortcode": tag}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _code_until_shortcode(state: StateBlock, start: int, end: int) -> bool:
    """An indented code block that runs into a shortcode ends before it (Hugo expands the
    shortcode wherever it stands): the block as markdown-it reads it, cut at the tag."""
    if not state.is_code_block(start):
        return False
    last = line = start + 1
    while line < end:
        if state.isEmpty(line):
            line += 1
        elif not state.is_code_block(line):
            return False  # it ends before any shortcode: markdown-it's own rule reads it
        elif _sentinel_at(state, line) is not None:
            break
        else:
            line += 1
            last = line
    else:
        return False
    state.line = last
    token = state.push("code_block", "code", 0)
    token.content = state.getLines(start, last, 4 + state.blkIndent, False) + "\n"
    token.map = [start, last]
    return True


def _inner_indent(state: StateBlock, start: int, close: int) -> int:
    indents = [state.sCount[start], state.sCount[close]]
    indents += [state.sCount[n] for n in range(start + 1, close) if not state.isEmpty(n)]
    return max(0, min(indents))


def _dedent(line: str, indent: int) -> str:
    removed = 0
    pos = 0
    while pos < len(line) and removed < indent and line[pos] in " \t":
        removed += 4 - removed % 4 if line[pos] == "\t" else 1
        pos += 1
    return line[pos:]


# --------------------------------------------------------------------------- building blocks


@dataclass
class PostContext:
    """What the block builders need to know about the post being built."""

    source: Path
    post_dir: Path
    lang: str
    base_url: str
    page_url: str | None
    report: Reporter
    rewritten: sc.Rewritten
    links: list[m.Link] = field(default_factory=list)
    images: list[m.ImageRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The line of the block being built (inline tokens carry no line of their own).
    block_line: int = 0
    #: Images must resolve inside this folder (None: anywhere, --allow-outside).
    deck_root: Path | None = None
    #: The footnotes cited so far (their ids, from 0, in the order of citation).
    cited: list[int] = field(default_factory=list)
    #: markdown-it's environment of the post (shortcodes, footnote labels).
    env: dict[str, Any] = field(default_factory=dict)

    def line(self, node: SyntaxTreeNode | Token) -> int:
        mapping = node.map
        return self.rewritten.source_line(mapping[0]) if mapping else self.block_line


Builder = Callable[[SyntaxTreeNode, PostContext], list[m.Block]]


def build_blocks(nodes: list[SyntaxTreeNode], ctx: PostContext) -> list[m.Block]:
    blocks: list[m.Block] = []
    for node in nodes:
        ctx.block_line = ctx.line(node) or ctx.block_line
        builder = BLOCKS.get(node.type, _unknown)
        blocks.extend(builder(node, ctx))
    return blocks


def _paragraph(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    inline = node.children[0] if node.children else None
    if inline is None:
        return []
    # A paragraph of nothing but images is a row of image blocks.
    kids = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    kids = [c for c in kids if c.type not in ("softbreak", "hardbreak")]
    if kids and all(c.type == "image" for c in kids):
        return [_image_block(c, ctx) for c in kids]
    if kids and all(c.type == "html_inline" for c in kids):
        from tui_deck import html_blocks

        if html_blocks.only_pictures(kids):  # <a href="…"><img src="…"></a>
            return html_blocks.blocks_of(inline, ctx)
    inlines = build_inlines(inline, ctx)
    if not m.plain(inlines).strip():
        return []
    return [m.Paragraph(ctx.line(node), inlines)]


def _image_block(node: SyntaxTreeNode, ctx: PostContext) -> m.ImageBlock:
    src = str(node.attrs.get("src", ""))
    alt = "".join(c.content for c in node.children) if node.children else ""
    title = str(node.attrs.get("title", "") or "")
    return m.ImageBlock(ctx.line(node), make_image(src, title or alt, alt, None, ctx, node))


def make_image(
    src: str,
    caption: str,
    alt: str,
    width: float | None,
    ctx: PostContext,
    where: SyntaxTreeNode | Token | int,
    caption_runs: m.Inlines = (),
) -> m.ImageRef:
    line = where if isinstance(where, int) else ctx.line(where)
    src = clean_line(src)
    if not src:
        ctx.report.error(line, "diag_image_no_link")
        path, remote = None, False
    else:
        path, remote = hlinks.resolve_image(src, ctx.post_dir, ctx.lang)
    outside = bool(path and ctx.deck_root and not _inside(path, ctx.deck_root))
    exists = bool(path and path.is_file()) and not outside
    pixels = image_size(path) if exists and path is not None else None
    problem: m.ImageProblemKind = ""
    if outside:
        problem = "outside"
        ctx.report.error(line, "diag_image_outside", src=src)
    elif src and remote:
        problem = "remote"
        ctx.report.warning(line, "diag_image_remote", src=src)
    elif not exists:
        problem = "missing"
        if src:
            ctx.report.error(line, "diag_image_missing", src=src, path=path)
    elif path is not None:
        problem = _pixel_problem(src, path, pixels, line, ctx)
    image = m.ImageRef(
        src=src,
        path=path,
        exists=exists,
        caption=clean_line(caption),
        alt=clean_line(alt),
        width=width,
        remote=remote,
        line=line,
        caption_runs=caption_runs,
        pixels=pixels,
        problem=problem,
        line_art=not problem and is_line_art(path, pixels),
    )
    ctx.images.append(image)
    return image


def _pixel_problem(
    src: str, path: Path, size: tuple[int, int] | None, line: int, ctx: PostContext
) -> m.ImageProblemKind:
    """Report an image the presenter could not show (read from its header only)."""
    if size is None and path.suffix.lower() != ".svg":
        ctx.report.error(line, "diag_image_unreadable", src=src)
        return "unreadable"
    if size is not None and size[0] * size[1] > images.MAX_PIXELS:
        ctx.report.error(
            line,
            "diag_image_too_large",
            src=src,
            width=size[0],
            height=size[1],
            limit=images.MAX_PIXELS // 1_000_000,
        )
        return "too-large"
    if size is not None and size[1] >= TOO_TALL * size[0]:
        ctx.report.warning(line, "diag_image_too_tall", src=src, width=size[0], height=size[1])
    elif size is not None and size[0] >= TOO_WIDE * size[1]:
        ctx.report.warning(line, "diag_image_too_wide", src=src, width=size[0], height=size[1])
    return ""


#: A picture this many times taller than wide (a long screenshot), or wider than high (a
#: banner), is drawn a few cells across (or a row or two high) on any screen: check says so.
TOO_TALL, TOO_WIDE = 3, 8


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (after symlinks and ``..``) is inside ``root``."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def _heading(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
    _title, inlines, explicit_id = heading_parts(node, ctx)
    return [m.Heading(ctx.line(node), level, inlines, explicit_id or "")]


def heading_parts(node: SyntaxTreeNode, ctx: PostContext) -> tuple[str, m.Inlines, str | None]:
    """A heading's plain title, its inlines and its ``{#id}`` (the id is removed from both)."""
    inline = node.children[0] if node.children else None
    explicit: str | None = None
    if inline is not None and inline.token is not None:
        token = inline.token
        match = _HEADING_ID.search(token.content)
        typo = None if match else _HEADING_ID_TYPO.search(token.content)
        if match:
            hashes, explicit = match.group(1), match.group(2)
            if len(hashes) > 1:
                ctx.report.warning(
                    ctx.line(node), "diag_heading_id_hashes", hashes=hashes, id=explicit
                )
        elif typo:
            match, explicit = typo, typo.group("bare") or typo.group("open")
            written = _short(clean_line(typo.group(0).strip()))
            if typo.group("bare"):
                fault = "diag_heading_id_no_hash"
            elif "}" in written:
                fault = "diag_heading_id_doubled"
            else:
                fault = "diag_heading_id_unclosed"
            ctx.report.warning(ctx.line(node), fault, written=written, id=explicit)
        if match:
            token.content = token.content[: match.start()].rstrip()
            token.children = []
            markdown().inline.parse(token.content, markdown(), ctx.env, token.children)
            inline = SyntaxTreeNode([token], create_root=False) if token.children else None
    inlines = build_inlines(inline, ctx) if inline is not None else ()
    title = _one_line(m.plain(inlines))
    return title, inlines, (explicit or None)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    return " ".join(sc.strip_sentinels(text).split())


def _list(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    items = [m.ListItem(build_blocks(item.children, ctx)) for item in node.children]
    start = int(node.attrs.get("start", 1) or 1) if node.type == "ordered_list" else 1
    # markdown-it hides the paragraphs of a tight list (no blank line between its items).
    loose = any(
        child.type == "paragraph" and not child.hidden
        for item in node.children
        for child in item.children
    )
    return [m.ListBlock(ctx.line(node), node.type == "ordered_list", items, start, not loose)]


def _code(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    info = (node.info or "").strip().split()
    # presenterm's attributes (```` ```bash +exec ````) follow the language.
    attributes = {word for word in info[1:] if word.startswith("+")}
    lang = info[0] if info and not info[0].startswith("+") else ""
    attributes |= {info[0]} if info and info[0].startswith("+") else set()
    tags = ctx.rewritten.tags
    code = clean(sc.restore(node.content.rstrip("\n"), tags)).expandtabs(4)
    return [m.CodeBlock(ctx.line(node), code, clean_line(lang), exec="+exec" in attributes)]


def _command(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    """A comment command (``hugo/commands.py``): checked here, acted on by ``build.py``; a
    wrong one is reported at its line and otherwise left out."""
    name, argument = node.meta["name"], node.meta["argument"]
    line = ctx.line(node)
    if name not in commands.KNOWN:
        near = commands.suggestion(name)
        if near:
            ctx.report.warning(line, "diag_command_unknown_near", name=name, near=near)
        else:
            ctx.report.warning(line, "diag_command_unknown", name=clean_line(name))
        return []
    reading = commands.read(name, clean_line(argument) if argument is not None else None)
    problem = reading.problem
    if problem:
        ctx.report.warning(line, problem, name=name, argument=_short(clean_line(argument or "")))
        return []
    if name == "speaker_note":
        ctx.notes.append(clean(str(reading.value)))
        return []
    if node.meta["nested"] and name not in commands.NESTED_OK:
        ctx.report.warning(line, "diag_command_nested", name=name)
        return []
    return [m.Command(line, name, reading.value)]


def _blockquote(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    return [m.Quote(ctx.line(node), build_blocks(node.children, ctx))]


def _hr(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    return [m.Rule(ctx.line(node))]


def _table(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    header: list[m.Inlines] = []
    rows: list[list[m.Inlines]] = []
    aligns: list[str] = []
    for section in node.children:
        for row in section.children:
            cells = []
            for cell in row.children:
                inline = cell.children[0] if cell.children else None
                cells.append(build_inlines(inline, ctx) if inline else ())
                if section.type == "thead":
                    style = str(cell.attrs.get("style", "") or "")
                    aligns.append(style.replace("text-align:", "").strip())
            if section.type == "thead":
                header = cells
            else:
                rows.append(cells)
    return [m.Table(ctx.line(node), header, rows, aligns)]


def _html_block(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    content = node.content
    for note in _NOTES.findall(content):
        ctx.notes.append(clean(note.strip()))
    for note in _SPEAKER_NOTE.findall(content):
        ctx.notes.append(clean(textwrap.dedent(note).strip()))
    from tui_deck import html_blocks  # only posts with HTML need it

    return html_blocks.blocks_of(node, ctx)


def _shortcode_block(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    tag: sc.Tag = node.meta["shortcode"]
    line = ctx.line(node)
    if tag.name in ("image", "figure"):
        width = _percent(tag.get("width"))
        # Hugo renders the caption as Markdown: `productpage` is code, not backticks.
        runs = caption_inlines(tag.get("caption") or tag.get("title"), ctx)
        caption = m.plain(runs)
        alt = tag.get("alt") or caption
        src = tag.get("link") or tag.get("src", 0)
        image = make_image(src, caption, alt, width, ctx, line, runs)
        return [m.ImageBlock(line, image)]
    if tag.name == "company_logo":  # istio.io's logo of an adopter: a picture
        if not tag.get("logo"):
            ctx.report.warning(line, "diag_company_logo")
            return []
        alt = tag.get("alt")
        return [m.ImageBlock(line, make_image(tag.get("logo"), alt, alt, None, ctx, line))]
    if tag.name == "boilerplate":
        name = clean_line(tag.get("name", 0)) or "?"
        text = say(ctx.lang, "boilerplate_left_out", name=name)
        return [m.Callout(line, "note", [m.Paragraph(line, (m.Run(text),))])]
    if tag.name in ("youtube", "youtube_embed"):
        return _youtube(tag, line, ctx)
    if tag.name in sc.EMBEDS:
        return _embed(tag, line, ctx)
    if tag.name in sc.RELEASE_LINKS:
        return _release_links(tag, line, ctx)
    if tag.name == "security_bulletin":
        return _security_bulletin(tag, line, ctx)
    if tag.name in sc.FETCHED:
        where = clean_line(tag.get("url") or tag.get("file", 0)) or "?"
        ctx.report.warning(line, "diag_code_not_fetched", name=tag.name, where=where)
        text = say(ctx.lang, "code_left_out", where=where)
        return [m.Callout(line, "note", [m.Paragraph(line, (m.Run(text),))])]
    return []


def _embed(tag: sc.Tag, line: int, ctx: PostContext) -> list[m.Block]:
    """Hugo's tweet, gist, vimeo and instagram: a framed link to what they embed."""
    if tag.name == "gist":  # {{< gist user id >}}
        parts, kind = [tag.get("user", 0), tag.get("id", 1)], "page"
        pattern = "https://gist.github.com/{}/{}"
    elif tag.name == "vimeo":
        parts, kind, pattern = [tag.get("id", 0)], "video", "https://vimeo.com/{}"
    elif tag.name == "instagram":
        parts, kind, pattern = [tag.get("id", 0)], "page", "https://www.instagram.com/p/{}/"
    else:  # tweet, x: {{< x user="…" id="…" >}}
        parts, kind = [tag.get("user"), tag.get("id")], "page"
        pattern = "https://x.com/{}/status/{}"
    parts = [quote(clean_line(part).strip(), safe="") for part in parts]
    if not all(parts):
        ctx.report.warning(line, "diag_embed_no_id", name=tag.name)
        return []
    url = pattern.format(*parts)
    ctx.links.append(m.Link(m.embed_word(kind, ctx.lang), url))
    host = url.split("/")[2].removeprefix("www.")
    ctx.report.warning(line, "diag_embed_shortcode", name=tag.name, host=host)
    return [m.Embed(line, kind, url)]


def _release_links(tag: sc.Tag, line: int, ctx: PostContext) -> list[m.Block]:
    """istio.io's release box (``relnote``, ``announcement_links``): a note with the links
    to download the release and to read its notes."""
    if tag.name == "announcement_links":
        release, version = tag.get("full_version", 1), tag.get("version", 0)
    else:
        release = tag.page.get("release", "") or tag.get("release")
        version = ".".join(release.split(".")[:2])
    release, version = clean_line(release), clean_line(version or release)
    if not release:
        ctx.report.warning(line, "diag_release_links", name=tag.name)
        return []
    name = version if release.endswith(".0") or release == version else release
    download = say(ctx.lang, "release_download", version=name)
    targets = [(download, f"https://github.com/istio/istio/releases/tag/{release}")]
    if tag.name != "relnote" or tag.get("linktonote"):
        notes = f"/{'zh/' if ctx.lang.startswith('zh') else ''}about/notes/{name}/"
        targets.append((say(ctx.lang, "release_notes", version=name), notes))
    runs: list[m.Run] = []
    for text, href in targets:
        url = hlinks.resolve_url(href, ctx.base_url, ctx.page_url) or href
        if runs:
            runs.append(m.Run(" · "))
        runs.append(m.Run(text, frozenset({m.LINK}), url))
        ctx.links.append(m.Link(text, url))
    return [m.Callout(line, "note", [m.Paragraph(line, tuple(runs))])]


def _security_bulletin(tag: sc.Tag, line: int, ctx: PostContext) -> list[m.Block]:
    """The table istio.io draws from a bulletin's front matter (cves, cvss, releases)."""
    rows: list[list[m.Inlines]] = []
    for key in ("cves", "cvss", "releases"):
        label = say(ctx.lang, f"bulletin_{key}")
        value = clean_line(tag.page.get(key, ""))
        if key == "cvss" and tag.page.get("vector"):
            value = f"{value} ({clean_line(tag.page['vector'])})".strip()
        if value:
            rows.append([(m.Run(label),), (m.Run(value),)])
    if not rows:
        ctx.report.warning(line, "diag_security_bulletin")
        return []
    return [m.Table(line, [(m.Run(say(ctx.lang, "bulletin")),), ()], rows)]


_YOUTUBE_ID = re.compile(r"(?:v=|youtu\.be/|/embed/|^)([\w-]+)(?:[?&#].*)?$")


def _youtube(tag: sc.Tag, line: int, ctx: PostContext) -> list[m.Block]:
    """A video cannot play in a terminal: it is shown as a link to watch it."""
    match = _YOUTUBE_ID.search(clean_line(tag.get("id", 0) or tag.get("url") or tag.get("src")))
    if not match:
        ctx.report.error(line, "diag_youtube_no_id", name=tag.name)
        return []
    url = f"https://www.youtube.com/watch?v={match.group(1)}"
    label = f"▶ {say(ctx.lang, 'embed_video')}"
    title = clean_line(tag.get("title"))
    ctx.report.warning(line, "diag_youtube_link")
    ctx.links.append(m.Link(title or label, url))
    runs = (m.Run(f"{label} {title}".rstrip() + ": "), m.Run(url, frozenset({m.LINK}), url))
    return [m.Paragraph(line, runs)]


def _shortcode_container(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    tag: sc.Tag = node.meta["shortcode"]
    line = ctx.line(node)
    inner = build_blocks(node.children, ctx)
    if tag.name in ("tip", "warning", "idea"):
        return [m.Callout(line, tag.name, inner)]
    if tag.name == "quote":
        caption = tag.get("caption") or tag.get("author") or tag.get("attribution")
        runs = caption_inlines(caption, ctx)
        return [m.Quote(line, inner, m.plain(runs), runs)]
    if tag.name == "tab":
        label = clean_line(tag.get("name", 0)) or say(ctx.lang, "tab")
        return [m.Section(line, label, inner)]
    # istio.io's page blocks: their header (or question) over their inner text.
    header = tag.get("header") or tag.get("title") or tag.get("question")
    if tag.name != "centered_block" and clean_line(header):
        return [m.Section(line, clean_line(header), inner)]
    return inner  # tabset (its tabs, in order), centered_block: the inner blocks


def caption_inlines(text: str, ctx: PostContext) -> m.Inlines:
    """A caption (one line of inline Markdown) as runs."""
    if not text.strip():
        return ()
    tokens = markdown().parseInline(text, ctx.env or {"shortcodes": ctx.rewritten.tags})
    return build_inlines(SyntaxTreeNode(tokens).children[0], ctx)


def _percent(value: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", value or "")
    if not match:
        return None
    number = float(match.group(1))
    return max(0.05, min(number / 100, 1.0)) if number > 0 else None


def _unknown(node: SyntaxTreeNode, ctx: PostContext) -> list[m.Block]:
    if node.children:
        return build_blocks(node.children, ctx)
    text = clean(node.content or "").strip()
    return [m.Paragraph(ctx.line(node), (m.Run(text),))] if text else []


BLOCKS: dict[str, Builder] = {
    "paragraph": _paragraph,
    "heading": _heading,
    "bullet_list": _list,
    "ordered_list": _list,
    "fence": _code,
    "code_block": _code,
    "blockquote": _blockquote,
    "hr": _hr,
    "table": _table,
    "html_block": _html_block,
    "html_merged": lambda node, ctx: [],  # read by an html_block before it (html_blocks.py)
    "shortcode": _shortcode_block,
    "command": _command,
    "shortcode_container": _shortcode_container,
    # Footnote definitions show on the slides that cite them (tui_deck.footnotes).
    "footnote_reference": lambda node, ctx: [],
}

# --------------------------------------------------------------------------- inlines


def build_inlines(inline: SyntaxTreeNode | None, ctx: PostContext) -> m.Inlines:
    if inline is None:
        return ()
    runs: list[m.Run] = []
    _inline_children(inline.children, frozenset(), None, ctx, runs)
    return _finish_runs(runs)


_SOFT = "\x00soft"


def _inline_children(
    nodes: list[SyntaxTreeNode],
    styles: frozenset[str],
    url: str | None,
    ctx: PostContext,
    out: list[m.Run],
) -> None:
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        kind = node.type
        if kind == "text":
            text = clean(_strip_sentinels(node.content, ctx), keep_newlines=False)
            if "<" in text:  # a tag cut short (`<div class="x`) is no tag to markdown-it
                text = _BROKEN_TAG.sub("", text)
            if "]" in text:
                _broken_links(text, styles, url, ctx, out)
            elif text:
                out.append(m.Run(text, styles, url))
        elif kind == "softbreak":
            out.append(m.Run(_SOFT, styles, url))
        elif kind == "hardbreak":
            out.append(m.Run("\n", styles, url))
        elif kind == "footnote_ref":
            number = int(node.meta["id"])
            ctx.cited.append(number)
            out.append(m.Run(m.superscript(number + 1), styles, url))
        elif kind == "code_inline":
            text = clean(sc.restore(node.content, ctx.rewritten.tags), keep_newlines=False)
            out.append(m.Run(text, styles | {m.CODE}, url))
        elif kind == "strong":
            _inline_children(node.children, styles | {m.BOLD}, url, ctx, out)
        elif kind == "em":
            _inline_children(node.children, styles | {m.ITALIC}, url, ctx, out)
        elif kind == "s":
            _inline_children(node.children, styles | {m.STRIKE}, url, ctx, out)
        elif kind == "link":
            _link(node, styles, ctx, out)
        elif kind == "image":
            alt = "".join(c.content for c in node.children) if node.children else ""
            make_image(str(node.attrs.get("src", "")), alt, alt, None, ctx, node)
            word = clean_line(alt) or say(ctx.lang, "image")
            out.append(m.Run(f"[{word}]", styles | {m.ITALIC}, url))
        elif kind == "html_inline":
            for note in _NOTES.findall(node.content):
                ctx.notes.append(clean(note.strip()))
            from tui_deck import html_blocks

            index = html_blocks.inline_tag(nodes, index, styles, url, ctx, out)
        elif node.children:
            _inline_children(node.children, styles, url, ctx, out)
        elif node.content:
            out.append(m.Run(clean(node.content, keep_newlines=False), styles, url))


def _strip_sentinels(text: str, ctx: PostContext) -> str:
    """Text without sentinels; a block shortcode that ended up inside running text (a table
    cell, a heading) is reported, since it cannot be shown there."""
    tags = ctx.rewritten.tags
    for match in sc.SENTINEL_RE.finditer(text):
        index = int(match.group(1))
        tag = tags[index] if index < len(tags) else None
        if tag is not None and not tag.closing:
            ctx.report.warning(tag.line, "diag_shortcode_inline", name=tag.name)
    return sc.strip_sentinels(text)


def _link(node: SyntaxTreeNode, styles: frozenset[str], ctx: PostContext, out: list[m.Run]) -> None:
    href = sc.strip_sentinels(str(node.attrs.get("href", "")))
    url = hlinks.resolve_url(href, ctx.base_url, ctx.page_url)
    start = len(out)
    if url is None:
        if href.strip():
            ctx.report.warning(ctx.line(node), "diag_link_not_followed", href=clean_line(href)[:60])
        _inline_children(node.children, styles, None, ctx, out)
        return
    url = clean_line(url)
    _inline_children(node.children, styles | {m.LINK}, url, ctx, out)
    text = _one_line("".join(r.text for r in out[start:] if r.text != _SOFT))
    ctx.links.append(m.Link(text or url, url))


# Links Markdown does not read, left as text with their brackets (as Hugo shows them):
# a target with spaces, a space between `]` and `(`, a missing `(` or `)` around a URL.
_BROKEN_LINK = re.compile(
    r"""\[(?P<text>[^\[\]\n]+)\]
    (?:\((?P<spaced>[^()\n]*)\)
      |[ \t]+\((?P<gap>(?:https?://|/|\./|\.\./|\#)[^\s()]*)\)
      |\((?P<unclosed>https?://[^\s()]+)(?![^\s(]*\))
      |(?P<unopened>https?://[^\s()]+)\)?
      |\[(?P<ref>[^\[\]\n^]*)\])""",
    re.VERBOSE,
)


def _broken_links(
    text: str, styles: frozenset[str], url: str | None, ctx: PostContext, out: list[m.Run]
) -> None:
    """Text with a link Markdown could not read: its link text is shown (the brackets are
    not what the author meant to show), linked when the target is a URL, and ``check``
    says what to fix, at the line of the link."""
    pos = 0
    for match in _BROKEN_LINK.finditer(text):
        if match.group("ref") is not None and not _reference_link(text, match):
            continue
        if match.group("spaced") is not None and not re.search(r"\s", match.group("spaced")):
            continue  # a target Markdown would read: not this text's fault
        if match.start() > pos:
            out.append(m.Run(text[pos : match.start()], styles, url))
        pos = match.end()
        label = match.group("text")
        target = match.group("gap") or match.group("unclosed") or match.group("unopened")
        name = f"[{_short(label)}]"
        values = {"name": name, "target": _short(target or "", 60), "ref": ""}
        if match.group("spaced") is not None:
            fault, values["target"] = "diag_link_spaced", _short(match.group("spaced"))
        elif match.group("gap"):
            fault = "diag_link_gap"
        elif match.group("ref") is not None:
            fault, values["ref"] = "diag_link_no_definition", _short(match.group("ref") or label)
        elif match.group("unclosed"):
            fault = "diag_link_unclosed"
        else:
            fault = "diag_link_unopened"
        ctx.report.warning(_line_of(match.group(0), ctx), fault, **values)
        link = hlinks.resolve_url(target, ctx.base_url, ctx.page_url) if target else None
        if link is None or url is not None:
            out.append(m.Run(label, styles, url))
        else:
            link = clean_line(link)
            out.append(m.Run(label, styles | {m.LINK}, link))
            ctx.links.append(m.Link(_one_line(label), link))
    if pos < len(text):
        out.append(m.Run(text[pos:], styles, url))


def _reference_link(text: str, match: re.Match[str]) -> bool:
    """Whether ``[a][b]`` reads as a reference link (not ``matrix[i][j]`` or ``[1][2]``)."""
    before = text[match.start() - 1 : match.start()]
    label = match.group("text")
    return not (before.isascii() and before.isalnum()) and len(label) > 1 and not label.isdigit()


def _line_of(written: str, ctx: PostContext) -> int:
    """The source line of text written in the block being built (its first line if not
    found: inline tokens carry no line of their own)."""
    rewritten = ctx.rewritten
    rows = rewritten.rows
    for number in range(rewritten.first_row_of(ctx.block_line), len(rows)):
        if written in rows[number]:
            return rewritten.source_line(number)
    return ctx.block_line


def _finish_runs(runs: list[m.Run]) -> m.Inlines:
    """Resolve soft breaks (none beside CJK text, see ``soft_break_joins``), merge runs."""
    out: list[m.Run] = []
    for index, run in enumerate(runs):
        if run.text == _SOFT:
            if soft_break_joins(_last_chars(out), _first_chars(runs[index + 1 :])):
                continue
            run = m.Run(" ", run.styles, run.url)
        if m.CODE not in run.styles:
            # Spaces in prose collapse, as a browser shows them (`word,  meaning`).
            text = _SPACES.sub(" ", run.text)
            if text.startswith(" ") and out and out[-1].text.endswith((" ", "\n")):
                text = text.lstrip(" ")
            if not text:
                continue
            run = m.Run(text, run.styles, run.url)
        if out and out[-1].styles == run.styles and out[-1].url == run.url:
            out[-1] = m.Run(out[-1].text + run.text, run.styles, run.url)
        else:
            out.append(run)
    # Trim the break spaces at the ends.
    if out and out[0].text.startswith(" "):
        out[0] = m.Run(out[0].text.lstrip(" "), out[0].styles, out[0].url)
    if out and out[-1].text.endswith(" "):
        out[-1] = m.Run(out[-1].text.rstrip(" "), out[-1].styles, out[-1].url)
    return tuple(r for r in out if r.text)


def _last_chars(runs: list[m.Run], count: int = 4) -> str:
    text = ""
    for run in reversed(runs):
        if run.text == _SOFT:
            continue
        text = run.text + text
        if len(text) >= count:
            break
    return text[-count:]


def _first_chars(runs: list[m.Run], count: int = 4) -> str:
    text = ""
    for run in runs:
        if run.text == _SOFT:
            continue
        text += run.text
        if len(text) >= count:
            break
    return text[:count]


def slugify(text: str) -> str:
    """Hugo's anchor for a heading: lower case, spaces to dashes, punctuation dropped."""
    out = []
    for char in text.strip().lower():
        if char.isspace():
            out.append("-")
        elif char in "-_" or unicodedata.category(char)[0] in "LN":
            out.append(char)
    return re.sub("-{2,}", "-", "".join(out)).strip("-")


def parse_tree(text: str, ctx_env: dict[str, Any]) -> SyntaxTreeNode:
    tokens = markdown().parse(text, ctx_env)
    _retag_containers(tokens)
    return SyntaxTreeNode(tokens)


def _retag_containers(tokens: list[Token]) -> None:
    # SyntaxTreeNode names a nested node after its opening token minus "_open".
    for token in tokens:
        if token.type == "shortcode_open":
            token.type = "shortcode_container_open"
        elif token.type == "shortcode_close":
            token.type = "shortcode_container_close"
