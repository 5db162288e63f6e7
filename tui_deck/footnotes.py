"""Footnotes: ``[^1]`` in the text, ``[^1]: text`` usually at the end of the post.

markdown-it's footnote plugin (mdit_py_plugins) finds both; it numbers the notes in the order
the post first cites them, as Hugo does. Here the definitions are built once, checked
(a reference without a definition, a definition nobody cites, a label defined twice), and
handed to each slide that cites them as a :class:`~tui_deck.model.Footnotes` block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from tui_deck import model as m
from tui_deck.parse import PostContext, build_blocks
from tui_deck.sanitize import clean_line

_RAW_REF = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass
class Definition:
    note: m.Footnote
    line: int
    #: What building the note's text found: they belong to the slides that show the note.
    links: list[m.Link] = field(default_factory=list)
    images: list[m.ImageRef] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)


def collect(tree: SyntaxTreeNode, env: dict[str, Any], ctx: PostContext) -> dict[int, Definition]:
    """The post's footnote definitions by id, built once; problems reported at their lines."""
    refs: dict[str, int] = env.get("footnotes", {}).get("refs", {})
    found: dict[int, Definition] = {}
    for node in _nodes(tree, "footnote_reference"):
        label = str(node.meta.get("label", ""))
        shown = clean_line(label)[:40]
        line = ctx.line(node)
        number = refs.get(":" + label, -1)
        if number < 0:
            ctx.report.warning(line, "diag_footnote_uncited", label=shown)
            continue
        if number in found:
            ctx.report.warning(line, "diag_footnote_twice", label=shown, first=found[number].line)
            continue
        found[number] = _build(node, number, label, line, ctx)
    _check_references(tree, ctx)
    return found


def _build(
    node: SyntaxTreeNode, number: int, label: str, line: int, ctx: PostContext
) -> Definition:
    saved = ctx.links, ctx.images, ctx.cited, ctx.block_line
    ctx.links, ctx.images, ctx.cited = [], [], []
    blocks = build_blocks(node.children, ctx)
    definition = Definition(
        m.Footnote(number + 1, clean_line(label), blocks), line, ctx.links, ctx.images, ctx.cited
    )
    ctx.links, ctx.images, ctx.cited, ctx.block_line = saved
    return definition


def _check_references(tree: SyntaxTreeNode, ctx: PostContext) -> None:
    """Warn at each ``[^label]`` left as text: a reference to a footnote never defined."""
    for inline in _nodes(tree, "inline"):
        if not inline.map:
            continue
        row = inline.map[0]
        for node in _flat(inline):
            if node.type in ("softbreak", "hardbreak"):
                row += 1
            elif node.type == "text":
                for match in _RAW_REF.finditer(node.content):
                    label = clean_line(match.group(1))[:40]
                    ctx.report.warning(
                        ctx.rewritten.source_line(row), "diag_footnote_undefined", label=label
                    )
            row += node.content.count("\n") if node.type == "html_inline" else 0


def for_slide(cited: list[int], definitions: dict[int, Definition]) -> list[Definition]:
    """The definitions a slide shows: those it cites (and those they cite), by number."""
    shown: dict[int, Definition] = {}
    pending = list(cited)
    while pending:
        number = pending.pop()
        if number in shown or number not in definitions:
            continue
        shown[number] = definitions[number]
        pending.extend(definitions[number].cited)
    return [shown[n] for n in sorted(shown)]


def block(definitions: list[Definition]) -> m.Footnotes:
    return m.Footnotes(definitions[0].line, [d.note for d in definitions])


def _nodes(tree: SyntaxTreeNode, kind: str) -> list[SyntaxTreeNode]:
    return [node for node in tree.walk() if node.type == kind]


def _flat(inline: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    out: list[SyntaxTreeNode] = []
    for child in inline.children:
        out.append(child)
        if child.children:
            out.extend(_flat(child))
    return out
