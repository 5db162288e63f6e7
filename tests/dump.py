"""Render a deck's model as readable text, for exact and golden-file assertions.

Like rich's ``tests/render.py``: one function that turns what we build into a string a
reviewer can read in a diff. Inline styles are marked the Markdown way: **bold**, *italic*,
`code`, ~~strike~~, [text](url).
"""

from __future__ import annotations

from tui_deck import model as m
from tui_deck.deck import Deck, Slide


def inlines(runs: m.Inlines) -> str:
    out = []
    for run in runs:
        text = run.text.replace("\n", "⏎")
        if m.CODE in run.styles:
            text = f"`{text}`"
        if m.BOLD in run.styles:
            text = f"**{text}**"
        if m.ITALIC in run.styles:
            text = f"*{text}*"
        if m.STRIKE in run.styles:
            text = f"~~{text}~~"
        if run.url:
            text = f"[{text}]({run.url})"
        out.append(text)
    return "".join(out)


def block(b: m.Block, indent: int = 0) -> list[str]:
    pad = "  " * indent
    name = type(b).__name__
    if isinstance(b, m.Paragraph):
        return [f"{pad}Paragraph@{b.line}: {inlines(b.inlines)}"]
    if isinstance(b, m.Heading):
        return [f"{pad}Heading{b.level}@{b.line} #{b.id}: {inlines(b.inlines)}"]
    if isinstance(b, m.CodeBlock):
        lines = [f"{pad}Code@{b.line} lang={b.lang!r}:"]
        return lines + [f"{pad}  | {line}" for line in b.code.split("\n")]
    if isinstance(b, m.ImageBlock):
        i = b.image
        state = "remote" if i.remote else ("exists" if i.exists else "missing")
        return [f"{pad}Image@{b.line}: {i.src} {state} caption={i.caption!r} width={i.width}"]
    if isinstance(b, m.Embed):
        return [f"{pad}Embed@{b.line} {b.kind}: {b.url} title={b.title!r}"]
    if isinstance(b, m.ListBlock):
        lines = [f"{pad}List@{b.line} ordered={b.ordered} start={b.start}"]
        for item in b.items:
            lines.append(f"{pad}  - item")
            for child in item.blocks:
                lines += block(child, indent + 2)
        return lines
    if isinstance(b, m.Columns):
        lines = [f"{pad}Columns@{b.line} widths={list(b.widths)}"]
        for number, column in enumerate(b.columns):
            lines.append(f"{pad}  - column {number}")
            for child in column:
                lines += block(child, indent + 2)
        return lines
    if isinstance(b, m.Callout):
        head = f"{pad}Callout@{b.line} {b.kind}"
    elif isinstance(b, m.Quote):
        head = f"{pad}Quote@{b.line} caption={b.caption!r}"
    elif isinstance(b, m.Section):
        head = f"{pad}Section@{b.line} {b.label!r}"
    elif isinstance(b, m.Table):
        lines = [f"{pad}Table@{b.line} aligns={b.aligns}"]
        lines.append(pad + "  | " + " | ".join(inlines(c) for c in b.header))
        for row in b.rows:
            lines.append(pad + "  | " + " | ".join(inlines(c) for c in row))
        return lines
    else:
        return [f"{pad}{name}@{b.line}"]
    lines = [head]
    for child in getattr(b, "blocks", []):
        lines += block(child, indent + 1)
    return lines


def slide(s: Slide) -> str:
    lines = [f"slide {s.index} #{s.id} {s.kind} level={s.level} line={s.line}: {s.title}"]
    if s.kind == "title":
        p = s.post
        for key in ("subtitle", "description", "author", "date_text", "lang"):
            value = getattr(p, key)
            if value:
                lines.append(f"  {key}: {value}")
    for b in s.blocks:
        lines += block(b, 1)
    for link in s.links:
        target = f" -> #{link.slide_id}" if link.slide_id else ""
        lines.append(f"  link: {link.text} <{link.url}>{target}")
    if s.notes:
        lines.append(f"  notes: {s.notes!r}")
    return "\n".join(lines)


def deck(d: Deck) -> str:
    parts = [slide(s) for s in d.slides]
    for diag in d.diagnostics:
        parts.append(f"{diag.severity}@{diag.line}: {diag.message}")
    return "\n".join(parts)
