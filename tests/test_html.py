"""Raw HTML in posts: tables stay tables, iframes become a link, no tag reaches a page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tui_deck import model as m
from tui_deck.cli import main
from tui_deck.deck import Deck, Slide, load_deck
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Size

FAITHFUL = ROOT / "tests" / "fixtures" / "faithful"
HTML_POSTS = sorted(FAITHFUL.glob("html-*"))
SIZES = [Size(40, 12), Size(80, 24), Size(160, 45)]
#: Tag text as an author writes it; none of it may be shown.
TAG_TEXT = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]*>|<[a-z]+ [a-z-]+=")


def pages_of(deck: Deck, size: Size | None = None) -> str:
    return "\n".join(page.text() for page in all_pages(deck, size or Size(80, 24)))


def slide(deck: Deck, title: str) -> Slide:
    return next(s for s in deck.slides if s.title == title)


def blocks(deck: Deck, kind: type[m.Block]) -> list[m.Block]:
    return [b for s in deck.slides for b in m.walk(s.blocks) if isinstance(b, kind)]


ISTIO_TABLE = """\
## Seats

<table>
  <thead><tr><th>Company</th><th>Seat allocation</th></tr></thead>
  <tbody><tr><td>Google</td><td>3</td></tr><tr><td>IBM</td><td>2</td></tr></tbody>
</table>
"""


def test_an_html_table_is_a_table_with_its_header(load_text: Callable[..., Deck]) -> None:
    deck = load_text(ISTIO_TABLE)
    [table] = blocks(deck, m.Table)
    assert isinstance(table, m.Table)
    assert [m.plain(c) for c in table.header] == ["Company", "Seat allocation"]
    assert [[m.plain(c) for c in row] for row in table.rows] == [["Google", "3"], ["IBM", "2"]]
    text = pages_of(deck)
    assert "Company │ Seat allocation" in text
    assert "Google  │ 3" in text
    assert TAG_TEXT.search(text) is None


def test_th_cells_make_the_header_without_thead(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        "## T\n\n<table>\n<tr><th>Name</th><th>Company</th></tr>\n"
        '<tr><td><a href="https://github.com/linsun">Lin Sun</a></td><td>Solo.io</td></tr>\n'
        "</table>\n"
    )
    [table] = blocks(deck, m.Table)
    assert isinstance(table, m.Table)
    assert [m.plain(c) for c in table.header] == ["Name", "Company"]
    [[name, _company]] = table.rows
    assert name == (m.Run("Lin Sun", frozenset({m.LINK}), "https://github.com/linsun"),)
    assert [link.url for link in slide(deck, "T").links] == ["https://github.com/linsun"]


def test_a_table_written_with_blank_lines_keeps_its_cells(load_text: Callable[..., Deck]) -> None:
    # A blank line ends markdown-it's html_block: the rest arrives as more html_blocks,
    # "indented code" and Markdown paragraphs, which must still be the table's cells.
    deck = load_text(
        "## T\n\n<table>\n  <tr>\n    <th>Version</th>\n    <th>Until</th>\n  </tr>\n\n"
        "    <tr>\n      <td>1.14</td>\n      <td>2023</td>\n    </tr>\n\n"
        "<tr><td>\n\n**1.13**\n\n</td><td>2022</td></tr>\n</table>\n\nAfter the table.\n"
    )
    [table] = blocks(deck, m.Table)
    assert isinstance(table, m.Table)
    assert [m.plain(c) for c in table.header] == ["Version", "Until"]
    assert [[m.plain(c) for c in r] for r in table.rows] == [["1.14", "2023"], ["1.13", "2022"]]
    assert table.rows[1][0] == (m.Run("1.13", frozenset({m.BOLD})),)
    text = pages_of(deck)
    assert TAG_TEXT.search(text) is None
    assert "After the table." in text
    assert [type(b) for b in slide(deck, "T").blocks] == [m.Table, m.Paragraph]


YOUTUBE = (
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123" '
    'frameborder="0" allowfullscreen></iframe>'
)


def test_an_iframe_is_a_framed_video_with_its_link(load_text: Callable[..., Deck]) -> None:
    deck = load_text(f"## Talk\n\nWatch it:\n\n{YOUTUBE}\n")
    text = pages_of(deck)
    assert "│       ▶ video        │" in text
    assert "https://www.youtube.com/embed/abc123" in text
    assert [(link.text, link.url) for link in slide(deck, "Talk").links] == [
        ("video", "https://www.youtube.com/embed/abc123")
    ]
    [warning] = [d.format() for d in deck.diagnostics]
    assert warning.endswith(
        ":5: warning: video shown as a link (youtube.com): <iframe> cannot play in a terminal"
    )


def test_a_chinese_deck_says_video_in_chinese(load_text: Callable[..., Deck]) -> None:
    deck = load_text(f'## 视频\n\n请观看演讲录像：\n\n<div class="video">\n{YOUTUBE}\n</div>\n')
    assert "▶ 视频" in pages_of(deck)
    assert [link.text for link in slide(deck, "视频").links] == ["视频"]


def test_google_slides_are_called_slides(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '## S\n\n<iframe src="https://docs.google.com/presentation/d/e/2PACX/embed?start=false" '
        'frameborder="0" width="960" height="569" allowfullscreen="true"></iframe>\n'
    )
    assert "▶ slides" in pages_of(deck)
    assert "slides shown as a link (docs.google.com)" in deck.diagnostics[0].message


def test_an_unsafe_iframe_is_dropped_with_a_warning(load_text: Callable[..., Deck]) -> None:
    deck = load_text('## S\n\nText.\n\n<iframe src="javascript:alert(1)"></iframe>\n')
    assert "javascript" not in pages_of(deck)
    assert "▶" not in pages_of(deck)
    assert slide(deck, "S").links == []
    assert [d.message for d in deck.diagnostics] == [
        "<iframe> with a javascript: link is left out; give it an https:// address"
    ]


def test_an_image_in_a_div_is_an_image_block(
    load_text: Callable[..., Deck], write_post: Callable[..., Path]
) -> None:
    logo = write_post(b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"IHDR" + bytes(8), "logo.png")
    deck = load_text('## L\n\n<div class="text-center"><img src="./logo.png" alt="logo"></div>\n')
    [image] = blocks(deck, m.ImageBlock)
    assert isinstance(image, m.ImageBlock)
    assert image.image.path == logo and image.image.alt == "logo"
    assert image.line == 3
    missing = load_text('## L\n\n<p align="center"><img src="./gone.png"></p>\n')
    assert next(d.message for d in missing.errors).startswith("image ./gone.png not found")


def test_div_wrappers_paragraphs_and_lists_keep_their_content(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text(
        '## D\n\n<div class="callout">\n<p>Istio is a <em>service mesh</em>, see the '
        '<a href="/docs/">docs</a>.</p>\n<ul>\n<li>Secure\n<li>Observable</ul>\n</div>\n\n'
        '<script>alert("no")</script>\n<style>.x { color: red }</style>\n'
    )
    para, listing = slide(deck, "D").blocks
    assert isinstance(para, m.Paragraph) and isinstance(listing, m.ListBlock)
    assert para.inlines == (
        m.Run("Istio is a "),
        m.Run("service mesh", frozenset({m.ITALIC})),
        m.Run(", see the "),
        m.Run("docs", frozenset({m.LINK}), "https://istio.io/docs/"),
        m.Run("."),
    )
    assert [m.block_text(i.blocks[0]) for i in listing.items] == ["Secure", "Observable"]
    text = pages_of(deck)
    assert "alert" not in text and "color" not in text


def test_inline_html_in_a_paragraph_keeps_text_and_styles(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '## I\n\nSee <a href="https://istio.io/latest/">the site</a>, E = mc<sup>2</sup>, '
        "H<sub>2</sub>O, note<sup>[1]</sup>,\na line<br>break and <em>emphasis</em> "
        "with <strong>weight</strong>.\n"
    )
    [para] = slide(deck, "I").blocks
    assert isinstance(para, m.Paragraph)
    assert m.plain(para.inlines) == (
        "See the site, E = mc², H₂O, note[1], a line\nbreak and emphasis with weight."
    )
    assert m.Run("the site", frozenset({m.LINK}), "https://istio.io/latest/") in para.inlines
    assert m.Run("emphasis", frozenset({m.ITALIC})) in para.inlines
    assert m.Run("weight", frozenset({m.BOLD})) in para.inlines
    assert [link.url for link in slide(deck, "I").links] == ["https://istio.io/latest/"]


def test_a_chinese_html_paragraph_joins_its_lines(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '## 段落\n\n<p align="center">\n中文段落\n跨行连接，见<a href="/zh/">官网</a>。\n</p>\n'
    )
    assert "中文段落跨行连接，见官网。" in pages_of(deck)


def test_notes_in_html_comments_are_still_speaker_notes(load_text: Callable[..., Deck]) -> None:
    deck = load_text(f"## N\n\nText.\n\n{ISTIO_TABLE[8:]}\n<!-- notes: Thank the committee. -->\n")
    assert slide(deck, "N").notes == "Thank the committee."
    assert "Thank" not in pages_of(deck)


def test_what_cannot_be_shown_is_reported_at_its_line(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        "## W\n\n<svg width='9'><text>label</text></svg>\n\n"
        '<video controls src="https://example.com/demo.mp4">No video.</video>\n\n'
        "<form action='/x'>Name <input name='n'></form>\n"
    )
    assert [(d.line, d.message) for d in deck.diagnostics] == [
        (3, "inline <svg> drawing is not shown; save it as an .svg file and use an image"),
        (5, "video shown as a link (example.com): <video> cannot play in a terminal"),
        (7, "<form> cannot work on a slide; only its text is shown"),
    ]
    text = pages_of(deck)
    assert "label" not in text and "No video." not in text
    assert "https://example.com/demo.mp4" in text and "Name" in text


def test_broken_html_never_shows_tag_text(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '## B\n\nKept text.\n\n<div class="broken" data-x="unclosed\n'
        "<td>cell</td></tr></table>\n\n</div></div>\n\n<p>1 < 2 and <b>bold</p>\n"
    )
    text = pages_of(deck)
    assert TAG_TEXT.search(text) is None, text
    assert "Kept text." in text and "cell" in text and "1 < 2 and bold" in text


def test_escape_sequences_in_html_never_reach_a_page(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '## E\n\n<table><tr><td title="\x1b]0;x\x07">a\x1b[31mb</td></tr></table>\n\n'
        '<iframe src="https://example.com/\x1b[2Jv"></iframe>\n'
    )
    text = pages_of(deck) + "".join(d.format() for d in deck.diagnostics)
    assert "\x1b" not in text and "\x07" not in text
    assert "ab" in text


@pytest.mark.parametrize("post", HTML_POSTS, ids=[p.name for p in HTML_POSTS])
@pytest.mark.parametrize("size", SIZES, ids=str)
def test_no_tag_text_on_any_page_of_the_html_fixtures(post: Path, size: Size) -> None:
    deck = load_deck(post)
    assert deck.errors == []
    text = pages_of(deck, size)
    assert TAG_TEXT.search(text) is None, TAG_TEXT.search(text)


def test_outline_json_lists_the_iframe_links(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", "--json", str(FAITHFUL / "html-en")]) == 0
    data = json.loads(capsys.readouterr().out)
    urls = [link["url"] for s in data["slides"] for link in s["links"]]
    assert "https://www.youtube.com/embed/abc123" in urls
    assert any(u.startswith("https://docs.google.com/presentation/") for u in urls)


def test_check_names_the_video_at_the_authors_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FAITHFUL / "html-en")]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith(
        "html-en/index.md:39: warning: video shown as a link (youtube.com): "
        "<iframe> cannot play in a terminal"
    )


def test_a_linked_picture_is_a_picture_and_its_link_is_kept(
    load_text: Callable[..., Deck], write_post: Callable[..., Path]
) -> None:
    write_post(b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"IHDR" + bytes(8), "logo.png")
    deck = load_text('## P\n\n<a href="https://istio.io"><img src="./logo.png" alt="Istio"></a>\n')
    [image] = slide(deck, "P").blocks
    assert isinstance(image, m.ImageBlock) and image.image.exists
    assert [link.url for link in slide(deck, "P").links] == ["https://istio.io"]


def test_a_tag_cut_short_in_a_paragraph_is_not_shown(load_text: Callable[..., Deck]) -> None:
    deck = load_text('## C\n\nBefore <div class="wrapper and after.\n')
    assert "Before" in pages_of(deck)
    assert TAG_TEXT.search(pages_of(deck)) is None


PIECES = [
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<thead>", "</thead>",
    '<div class="x">', "</div>", "\n\n", "\n", "    ", "text", "中文", "**bold**", "<br>",
    '<iframe src="https://youtu.be/x">', "</iframe>", '<img src="a.png" alt="A">',
    '<a href="/x">', "</a>", "<sup>", "</sup>", "<ul>", "<li>", "</ul>", "<p>", "</p>",
    "<!-- notes: n -->", "<!--", "-->", "<div class=", '"', "## H\n", "- item\n", "<script>",
    "</script>", "<em>", "</em>", "| a | b |\n|---|---|\n| 1 | 2 |\n", "<details>", "<svg>",
    "</svg>", "&amp;", " a < b ", " c > d ", "{{< tip >}}", "{{< /tip >}}",
]  # fmt: skip
# Not "&lt;" nor a bare "<" glued to a tag (``<<table>text>``): text the author wrote with
# angle brackets shows as written (a browser shows it too), tested below.


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))
def test_any_mix_of_html_and_markdown_shows_no_tag(tmp_path: Path, pieces: list[str]) -> None:
    post = tmp_path / "index.md"
    post.write_text("## S\n\n" + "".join(pieces), encoding="utf-8")
    deck = load_deck(post)
    for one in deck.slides:
        for block in m.walk(one.blocks):
            if not isinstance(block, m.CodeBlock):  # code shows what the author wrote
                assert TAG_TEXT.search(m.block_text(block)) is None, m.block_text(block)


def test_escaped_angle_brackets_show_as_the_author_wrote_them(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text("## E\n\nWrap it in a &lt;div&gt; element.\n")
    assert "Wrap it in a <div> element." in pages_of(deck)


def test_an_unsafe_html_link_keeps_its_text_but_is_not_followed(
    load_text: Callable[..., Deck],
) -> None:
    deck = load_text(
        '## U\n\n<table><tr><td><a href="javascript:alert(1)">click</a></td></tr></table>\n\n'
        'Inline <a href="data:text/html,x">here</a>.\n'
    )
    assert slide(deck, "U").links == []
    text = pages_of(deck)
    assert "click" in text and "Inline here." in text
    assert [d.message for d in deck.diagnostics] == [
        "link to javascript:alert(1) is not followed",
        "link to data:text/html,x is not followed",
    ]


@pytest.mark.parametrize("text", ["<![图](x.png)", "<![ x", "<![CDATA[a]]> b", "<![endif]> c"])
def test_a_bang_bracket_that_opens_nothing_is_text_not_a_crash(
    load_text: Callable[..., Deck], text: str
) -> None:
    """Python's HTML parser asserts on "<![" opening no section (found by the fuzzer)."""
    deck = load_text(f"## B\n\n<div>\n{text}\n</div>\n")
    assert TAG_TEXT.search(pages_of(deck)) is None
