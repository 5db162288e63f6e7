"""Building a deck: read the posts, expand shortcodes, parse, split at headings.

Behind :func:`tui_deck.deck.load_deck`; this module imports markdown-it and YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from tui_deck import footnotes
from tui_deck import model as m
from tui_deck.cjk import is_cjk
from tui_deck.deck import DEFAULT_SPLIT_LEVEL, Deck, Options, Post, Slide
from tui_deck.diagnostics import DeckError, Diagnostic, Reporter, diagnostic
from tui_deck.hugo import commands
from tui_deck.hugo import frontmatter as fm
from tui_deck.hugo import links as hlinks
from tui_deck.hugo import shortcodes as sc
from tui_deck.loader import discover, read_source
from tui_deck.parse import PostContext, build_blocks, heading_parts, parse_tree, slugify
from tui_deck.sanitize import clean_line
from tui_deck.talk import TalkFile, parse_slides, read_talk
from tui_deck.words import say


def build_deck(root: Path, options: Options) -> Deck:
    """Load a deck from a Markdown file, a page bundle or a folder of posts."""
    files = discover(root)
    deck_root = (root if root.is_dir() else root.parent).resolve()
    talk = read_talk(root)
    variables = talk.shortcodes
    options = replace(options, split_level=_split_level(options, talk))
    diagnostics: list[Diagnostic] = _talk_problems(talk)
    posts: list[tuple[Post, list[Slide]]] = []
    for file in files:
        report = Reporter(_display(file))
        try:
            posts.append(build_post(file, report, options, variables, deck_root, talk))
        except DeckError as exc:
            if len(files) == 1:
                raise
            report.error(0, "diag_file_left_out", problem=exc)
        except RecursionError:
            report.error(0, "diag_nests_too_deeply")
        diagnostics.extend(sorted(report.items, key=lambda d: d.line))
    posts.sort(key=lambda item: _order_key(item[0]))
    slides = [slide for _, post_slides in posts for slide in post_slides]
    _number_and_link(slides, diagnostics, multi=len(posts) > 1)
    slides = _pick(slides, options, talk, diagnostics)
    return Deck(slides, diagnostics, root, [post for post, _ in posts])


def _split_level(options: Options, talk: TalkFile) -> int:
    """The command line's ``--split-level``, else the talk file's, else the default."""
    return options.split_level or talk.split_level or DEFAULT_SPLIT_LEVEL


def _talk_problems(talk: TalkFile) -> list[Diagnostic]:
    if talk.path is None:
        return []
    file = _display(talk.path)
    return [
        diagnostic("warning", file, problem.line, problem.key, **dict(problem.values))
        for problem in talk.problems
    ]


def _pick(
    slides: list[Slide], options: Options, talk: TalkFile, diagnostics: list[Diagnostic]
) -> list[Slide]:
    """The slides of the talk: ``--slides``, else the talk file's ``slides`` (for present,
    export and record), numbered as ``outline`` numbers the whole post. The talk file's
    list is checked against the deck for ``check`` too."""
    chosen = None
    if talk.slides and talk.path is not None:
        try:
            chosen = parse_slides(talk.slides, len(slides))
        except ValueError:
            diagnostics.append(
                diagnostic(
                    "warning",
                    _display(talk.path),
                    talk.lines.get("slides", 1),
                    "diag_talk_slides_range",
                    value=talk.slides[:40],
                    count=len(slides),
                )
            )
    if options.slides:
        try:
            chosen = parse_slides(options.slides, len(slides))
        except ValueError as exc:
            raise DeckError(str(exc)) from None
    elif not options.talk:
        return slides
    # Each keeps its number in the post (``index``).
    return slides if chosen is None else [slides[pos] for pos in chosen]


def _display(path: Path) -> str:
    try:
        return clean_line(str(path.relative_to(Path.cwd())))
    except ValueError:
        return clean_line(str(path))


def _order_key(post: Post) -> tuple[int, int, dt.date, str]:
    weight = post.weight if post.weight > 0 else 1 << 30  # Hugo: no weight sorts last
    date = post.date or dt.date.max
    return (0, weight, date, str(post.source))


_LANG_WORDS = {"chinese": "zh", "中文": "zh", "简体中文": "zh", "english": "en", "英文": "en"}
_LANG_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*")
_LANG_FOLDERS = ("zh", "zh-cn", "zh-hans", "zh-tw", "ja", "en", "ko")


def _language_code(value: str) -> str | None:
    """``zh-CN``, ``zh_Hans``, ``Chinese`` → ``zh``; None when it is not a language."""
    value = clean_line(value).strip().lower()
    if value in _LANG_WORDS:
        return _LANG_WORDS[value]
    match = _LANG_TAG.fullmatch(value)
    return match.group(1) if match else None


def _detect_lang(data: dict[str, Any], source: Path, body: str, report: Reporter) -> str:
    """The language of a post: as declared (front matter, or Hugo's ``index.zh.md``), else
    as its prose is written; a ``zh/`` folder only decides when the prose does not."""
    for key in ("lang", "language", "languagecode", "locale"):
        declared = fm.text_value(data, key)
        if not declared:
            continue
        code = _language_code(declared)
        if code:
            return code
        report.warning(1, "diag_not_a_language", field=key, value=clean_line(declared)[:30])
    suffixes = source.suffixes
    if len(suffixes) >= 2:
        code = _language_code(suffixes[-2].lstrip("."))
        if code and suffixes[-2].lstrip(".").lower() in _LANG_FOLDERS:
            return code
    shown = " ".join(fm.text_value(data, k) for k in ("title", "subtitle", "description"))
    han, kana, hangul, words = _script_counts(f"{shown}\n{_prose(body)}")
    # One Han character carries about as much as one English word: a Chinese post full of
    # English product names and commands is still Chinese.
    decided = han + hangul >= 20 or words >= 20
    folder = next(
        (part.lower() for part in reversed(source.parts[:-1]) if part.lower() in _LANG_FOLDERS),
        None,
    )
    if not decided and folder:
        return _language_code(folder) or folder
    if hangul > max(han, words):
        return "ko"
    if han > words:
        return "ja" if kana * 5 > han else "zh"
    return "en"


# What the audience does not read as prose: code, shortcode tags, HTML, links' targets.
_NOT_PROSE = re.compile(
    r"""
    ^[ \t>]*(?P<fence>`{3,}|~{3,}).*?(?:^[ \t>]*(?P=fence)|\Z)   # fenced code
    | \{\{[<%][ \t]*(?P<code>text|mermaid)\b.*?\{\{[<%][ \t]*/[ \t]*(?P=code)[ \t]*[>%]\}\}
    | \{\{[<%].*?[>%]\}\}                        # other shortcode tags
    | <!--.*?(?:-->|\Z)                          # comments (speaker notes)
    | <[^>\n]*>                                  # HTML tags
    | `[^`\n]*`                                  # inline code
    | \]\([^)\n]*\)                              # link targets
    | \b[a-z][\w+.-]*://\S+                       # URLs
    | \{\#[^}\n]*\}                              # heading ids
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE | re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def _prose(body: str) -> str:
    return _NOT_PROSE.sub(" ", body[:60000])


def _script_counts(text: str) -> tuple[int, int, int, int]:
    """Han characters, kana, Hangul syllables and Latin words in ``text``."""
    han = kana = hangul = 0
    for char in text:
        if char.isalpha():
            if 0x3040 <= ord(char) <= 0x30FF:
                kana += 1
                han += 1
            elif is_cjk(char):
                han += 1
            elif 0xAC00 <= ord(char) <= 0xD7AF:
                hangul += 1
    return han, kana, hangul, len(_WORD.findall(text))


def build_post(
    file: Path,
    report: Reporter,
    options: Options,
    variables: dict[str, object] | None = None,
    deck_root: Path | None = None,
    talk: TalkFile | None = None,
) -> tuple[Post, list[Slide]]:
    source = read_source(file, report)
    front = fm.split(source.text, report)
    data = front.data
    if not source.text.strip() and not any(d.severity == "error" for d in report.items):
        report.warning(1, "diag_empty_file")
    lang = _detect_lang(data, file, front.body, report)
    title = clean_line(fm.text_value(data, "title", "linktitle"))
    weight_value = data.get("weight", 0)
    post = Post(
        source=file,
        display_path=report.file if isinstance(report.file, str) else _display(file),
        title=_guard(title),
        subtitle=_guard(clean_line(fm.text_value(data, "subtitle"))),
        description=_guard(clean_line(fm.text_value(data, "description", "summary"))),
        author=_guard(clean_line(fm.text_value(data, "attribution", "author", "authors"))),
        date=fm.date_value(data, "publishdate", "date", "pubdate"),
        lang=lang,
        weight=weight_value if isinstance(weight_value, int) else 0,
        front_matter=data,
        link=_external_link(data, options, file, lang, report),
        incremental_lists=_incremental(data, talk, report, source.text),
    )
    merged: dict[str, object] = {**(variables or {}), **data}
    rewritten = sc.rewrite(front.body, report, merged, first_line=front.body_line)
    env: dict[str, Any] = {"shortcodes": rewritten.tags}
    tree = parse_tree(rewritten.text, env)
    ctx = PostContext(
        source=file,
        post_dir=file.parent,
        lang=lang,
        base_url=options.base_url,
        page_url=hlinks.page_url_for(file, lang),
        report=report,
        rewritten=rewritten,
        deck_root=None if options.allow_outside else (deck_root or file.parent.resolve()),
        env=env,
    )
    notes = footnotes.collect(tree, env, ctx)
    split_level = options.split_level or DEFAULT_SPLIT_LEVEL
    slides = _split(tree.children, post, ctx, split_level, notes)
    return post, slides


def _incremental(data: dict[str, Any], talk: TalkFile | None, report: Reporter, text: str) -> bool:
    """Each list item a step: the talk file's ``incremental_lists``, else the front matter's."""
    if talk is not None and talk.incremental_lists is not None:
        return talk.incremental_lists
    value = data.get("incremental_lists", False)
    if isinstance(value, bool):
        return value
    found = re.search(r"^[ \t]*\"?incremental_lists\b", text, re.MULTILINE)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    report.warning(line, "diag_fm_incremental", value=clean_line(str(value))[:30])
    return False


def _external_link(
    data: dict[str, Any], options: Options, file: Path, lang: str, report: Reporter
) -> str:
    """The URL of an external post (``link: https://…``), shown on its title slide."""
    href = clean_line(fm.text_value(data, "link"))
    if not href:
        return ""
    url = hlinks.resolve_url(href, options.base_url, hlinks.page_url_for(file, lang))
    if url is None:
        report.warning(1, "diag_fm_link", href=href[:60])
        return ""
    return clean_line(url)


def _split(
    nodes: list[SyntaxTreeNode],
    post: Post,
    ctx: PostContext,
    split_level: int,
    notes: dict[int, footnotes.Definition] | None = None,
) -> list[Slide]:
    nodes = list(nodes)
    # A post without a title in its front matter takes its first level-1 heading as title.
    if not post.title and nodes and nodes[0].type == "heading" and nodes[0].tag == "h1":
        post.title = _guard(heading_parts(nodes.pop(0), ctx)[0])
    if not post.title:
        post.title = (
            post.source.parent.name
            if post.source.stem in ("index", "_index")
            else (post.source.stem)
        )
        post.title = _guard(clean_line(post.title)) or "Untitled"
    slides = [Slide(0, "title", post.title, 0, "title", post, 1)]
    if post.link:
        slides[0].links = [m.Link(post.title, post.link)]
    current: Slide | None = None
    body: list[SyntaxTreeNode] = []

    def flush() -> None:
        # Builds the slide under way from the nodes collected since its heading; the links,
        # images and notes of the heading itself are already in ctx.
        nonlocal body
        blocks, acts = _act_on_commands(build_blocks(body, ctx), ctx.report)
        blocks = _group_columns(blocks)
        slide = current
        if slide is None and (m.visible(blocks) or ctx.notes):
            line = ctx.line(body[0]) if body else 1
            slide = Slide(0, "intro", post.title, 1, "intro", post, line)
        # The footnotes the slide cites go at its end, wherever the post defines them. A
        # section of nothing but definitions ("## 参考") is the post's list of notes.
        numbers = ctx.cited
        if not blocks and any(node.type == "footnote_reference" for node in body):
            numbers = list(notes or {})
        cited = footnotes.for_slide(numbers, notes or {})
        if cited:
            blocks.append(footnotes.block(cited))
            for note in cited:
                ctx.links.extend(note.links)
                ctx.images.extend(note.images)
        if slide is not None and not acts.skip:
            slide.footer = acts.footer
            slide.blocks = blocks
            slide.images, slide.links = ctx.images, ctx.links
            slide.notes = "\n\n".join(n for n in ctx.notes if n)
            slide.note_blocks = _note_blocks(slide.notes, ctx)
            slides.append(slide)
        ctx.links, ctx.images, ctx.notes, ctx.cited = [], [], [], []
        body = []

    ctx.links, ctx.images, ctx.notes, ctx.cited = [], [], [], []
    # The slide an `<!-- end_slide -->` ended, whose next part has not started yet.
    ended: Slide | None = None
    for node in nodes:
        level = _level(node)
        if level and level <= split_level:
            flush()
            ended = None
            title, inlines, explicit = heading_parts(node, ctx)
            title = _guard(title) or "…"
            current = Slide(0, explicit or "", title, level, "content", post, ctx.line(node))
            current.title_inlines = inlines
            current.section = title
        elif _ends_slide(node):
            flush()
            ended = current or (slides[-1] if slides[-1].kind == "intro" else None)
            current = None
        elif ended is not None:
            # The next part of the slide: under the heading that follows directly, else
            # under the section's title with "(cont.)".
            section = ended.section or ended.title
            line = ctx.line(node)
            if level:
                title, inlines, explicit = heading_parts(node, ctx)
                title = _guard(title) or "…"
                current = Slide(0, explicit or "", title, ended.level, ended.kind, post, line)
                current.title_inlines = inlines
            else:
                title = say(post.lang, "cont_title", title=section)
                current = Slide(0, "", title, ended.level, ended.kind, post, line)
                body.append(node)
            current.section = section
            ended = None
        else:
            body.append(node)
    flush()
    _report_empty(slides, ctx.report)
    return slides


def _level(node: SyntaxTreeNode) -> int:
    return int(node.tag[1:]) if node.type == "heading" and node.tag[1:].isdigit() else 0


def _ends_slide(node: SyntaxTreeNode) -> bool:
    """``<!-- end_slide -->`` between a section's blocks (written right: no argument)."""
    return (
        node.type == "command"
        and node.meta["name"] == "end_slide"
        and not node.meta["nested"]
        and not commands.read("end_slide", node.meta["argument"]).problem
    )


@dataclass
class _Acts:
    """What a slide's commands say of the slide as a whole."""

    skip: bool = False
    footer: bool = True


def _act_on_commands(blocks: list[m.Block], report: Reporter) -> tuple[list[m.Block], _Acts]:
    """The slide's blocks with the commands that concern the whole slide taken out
    (``skip_slide``, ``no_footer``), ``exec`` marking the code block after it, and the
    columns checked against their layout; the other commands stay where they are for the
    layout (alignment, new_lines, jump_to_middle) and the reveals and columns to come."""
    acts = _Acts()
    out: list[m.Block] = []
    widths: tuple[int, ...] | None = None
    in_column = False  # a reveal there has no effect (steps are rows of the whole slide)
    live: m.Command | None = None
    for block in blocks:
        if isinstance(block, m.Command):
            if block.name in ("pause", "incremental_lists") and in_column:
                report.warning(block.line, "diag_command_reveal_in_column", name=block.name)
            if block.name == "skip_slide":
                acts.skip = True
                continue
            if block.name == "no_footer":
                acts.footer = False
                continue
            if block.name == "exec":
                if live is not None:
                    report.warning(live.line, "diag_command_exec_alone")
                live = block
                continue
            if block.name == "column_layout":
                widths = block.value if isinstance(block.value, tuple) else None
                in_column = False
            elif block.name == "reset_layout":
                widths, in_column = None, False
            elif block.name == "column":
                column = block.value if isinstance(block.value, int) else 0
                if widths is None:
                    report.warning(block.line, "diag_command_no_layout", column=column)
                    continue
                if column >= len(widths):
                    report.warning(
                        block.line,
                        "diag_command_column_out",
                        column=column,
                        count=len(widths),
                        last=len(widths) - 1,
                    )
                    continue
                in_column = True
        elif live is not None:
            if isinstance(block, m.CodeBlock):
                block.exec = True
            else:
                report.warning(live.line, "diag_command_exec_alone")
            live = None
        out.append(block)
    if live is not None:
        report.warning(live.line, "diag_command_exec_alone")
    from tui_deck.runner import INTERPRETERS, interpreter

    for code in m.walk(out):
        if isinstance(code, m.CodeBlock) and code.exec and interpreter(code.lang) is None:
            code.exec = False  # never run by the wrong program
            languages = ", ".join(sorted(name for name in INTERPRETERS if name))
            report.warning(code.line, "diag_exec_language", language=code.lang, known=languages)
    return out, acts


def _group_columns(blocks: list[m.Block]) -> list[m.Block]:
    """The blocks after each ``<!-- column: N -->`` moved into column N of an ``m.Columns``
    that stands where its first column starts, until ``<!-- reset_layout -->``, another
    ``column_layout`` or the slide's end. The three commands are taken out: the structure
    says what they said (``_act_on_commands`` has warned of the wrong ones and left out a
    column the layout does not have, so its blocks stay in the column before it). The
    alignment in effect where the columns start holds inside each of them."""
    out: list[m.Block] = []
    layout: m.Columns | None = None
    target: list[m.Block] = out
    # The alignment in effect where the columns start holds inside each of them.
    aligned: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Command) and block.name in ("column_layout", "reset_layout"):
            layout, target = None, out
            if block.name == "column_layout" and isinstance(block.value, tuple):
                columns = [list(aligned) for _ in block.value]
                layout = m.Columns(block.line, block.value, columns)
            continue
        if target is out and isinstance(block, m.Command) and block.name == "alignment":
            aligned = [block]
        if isinstance(block, m.Command) and block.name == "column":
            if (
                layout is not None
                and isinstance(block.value, int)
                and block.value < len(layout.widths)
            ):
                if not any(part is layout for part in out):
                    out.append(layout)
                target = layout.columns[block.value]
            continue
        target.append(block)
    return out


def _note_blocks(text: str, ctx: PostContext) -> list[m.Block]:
    """Speaker notes are Markdown too (shortcodes included), laid out like slide text. Their
    problems are not the audience's: they are not reported; their pictures are not the
    slide's."""
    if not text.strip():
        return []
    report = Reporter(ctx.report.file)
    rewritten = sc.rewrite(text, report, {}, first_line=1)
    env: dict[str, Any] = {"shortcodes": rewritten.tags}
    tree = parse_tree(rewritten.text, env)
    notes_ctx = replace(
        ctx, report=report, rewritten=rewritten, links=[], images=[], notes=[], cited=[], env=env
    )
    return build_blocks(tree.children, notes_ctx)


def _report_empty(slides: list[Slide], report: Reporter) -> None:
    for pos, slide in enumerate(slides):
        if slide.kind != "content" or m.visible(slide.blocks):
            continue
        following = slides[pos + 1] if pos + 1 < len(slides) else None
        if following is not None and following.kind == "content" and following.level > slide.level:
            continue  # a section heading directly followed by its sub-sections
        report.warning(slide.line, "diag_slide_empty", title=slide.title)


_GUARD = re.compile(r"\{\{[<%]|[>%]\}\}|\{#")


def _guard(text: str) -> str:
    """Titles never show shortcode or heading-id syntax, whatever the input."""
    return _GUARD.sub("", sc.strip_sentinels(text)).strip()


def _number_and_link(slides: list[Slide], diagnostics: list[Diagnostic], multi: bool) -> None:
    used: set[str] = set()
    explicit_ids: set[tuple[Path, str]] = set()
    for number, slide in enumerate(slides, start=1):
        slide.index = number
        if slide.kind == "title":
            base = _post_slug(slide.post) if multi else "title"
        elif slide.kind == "intro":
            base = f"{_post_slug(slide.post)}-intro" if multi else "intro"
        else:
            explicit = slide.id
            base = explicit or slugify(slide.title) or f"slide-{number}"
            if explicit and (slide.post.source, explicit) in explicit_ids:
                diagnostics.append(
                    diagnostic(
                        "warning", slide.source, slide.line, "diag_heading_id_twice", id=explicit
                    )
                )
            explicit_ids.add((slide.post.source, base))
        slide.id = _unique(base, used)
    for slide in slides:
        bundle = slide.post.source.parent.name
        page_url = hlinks.page_url_for(slide.post.source, slide.lang)
        resolved = []
        for link in slide.links:
            frag = hlinks.fragment(link.url)
            target = None
            if frag and frag in used and hlinks.is_self_link(link.url, page_url, bundle):
                target = frag
            resolved.append(m.Link(link.text, link.url, target))
        slide.links = resolved


def _post_slug(post: Post) -> str:
    name = post.source.parent.name if post.source.stem in ("index", "_index") else post.source.stem
    return slugify(name) or "post"


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate
