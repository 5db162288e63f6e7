"""HTML as a small element tree, read with the standard library's ``html.parser``.

Pure: no terminal, no Markdown. Never raises: what is not a tag is text, a stray end tag
closes nothing, and HTML's implied end tags (``<li>`` after ``<li>``, ``<td>`` after ``<td>``,
a block after an open ``<p>``) are applied, so that hand-written post HTML reads as a
browser reads it. ``tui_deck.html_blocks`` turns the tree into slide blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


def names(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOID = names("area base br col embed hr img input link meta param source track wbr")
BLOCK = names(
    "address article aside blockquote center details dialog dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary "
    "table ul svg"
)
#: Starting one of these closes an open element of the first set, unless an element of the
#: second set is nearer (HTML's implied end tags: ``<li>`` after ``<li>``, ``<td>`` …).
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    **{
        part: (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"}))
        for part in ("thead", "tbody", "tfoot")
    },
}
_P_SCOPE = frozenset({"td", "th", "li", "div", "blockquote", "table", "section", "dd"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    #: 1-based line inside the HTML text it came from.
    line: int
    children: list[Element | str] = field(default_factory=list)

    def attr(self, name: str) -> str:
        return self.attrs.get(name, "")

    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._imply_end(tag)
        element = Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        # A stray end tag (its start is in another html_block): nothing to close.

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def parse_html_declaration(self, i: int) -> int:
        # Python's parser asserts on a "<![" that opens no CDATA or marked section
        # (``<![图](x.png)``, Markdown after a "<"): a browser reads it as text.
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            self.handle_data(self.rawdata[i : i + 3])
            return i + 3

    def _imply_end(self, tag: str) -> None:
        closes, scope = _IMPLIED.get(tag, (frozenset(), frozenset()))
        if tag in BLOCK:
            closes, scope = closes | {"p"}, scope | _P_SCOPE
        for depth in range(len(self.stack) - 1, 0, -1):
            name = self.stack[depth].tag
            if name in closes:
                del self.stack[depth:]
                return
            if name in scope:
                return


def read(html: str) -> Element:
    """The element tree of some HTML (never raises; what is not a tag is text)."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
