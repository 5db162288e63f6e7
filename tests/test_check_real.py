"""`check` on shapes real Istio posts have: what it says, at which line, and what the pages show.

The fixtures copy what 36 unseen posts held (tests/fixtures/faithful/checks-*, external-post):
istio.io's own shortcodes (`relnote`, `centered_block`, `multi_block`) are understood, not
called unknown; a heading id without '#' or '}', a link whose target has spaces or lacks its
'(' are reported at their line and do not show their brackets; an external post shows where
it is.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tui_deck.cli import main
from tui_deck.deck import Deck, load_deck
from tui_deck.layout.page import layout_slide

FAITHFUL = Path(__file__).parent / "fixtures" / "faithful"
SIZES = [(40, 12), (80, 24), (160, 45)]


def _check(post: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str, str]]:
    """What `istio-deck check` prints: (line, severity, message) per diagnostic."""
    main(["check", str(post)])
    out = []
    for row in capsys.readouterr().out.splitlines():
        _file, line, severity, message = row.split(":", 3)
        out.append((int(line), severity.strip(), message.strip()))
    return out


def _pages(deck: Deck, width: int, height: int) -> list[str]:
    return [
        "\n".join(line.plain for line in page.lines)
        for index in range(len(deck.slides))
        for page in layout_slide(deck, index, width, height)
    ]


def test_heading_ids_without_hash_or_brace_are_reported_and_taken_as_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    post = FAITHFUL / "checks-zh"
    assert _check(post, capsys) == [
        (
            35,
            "warning",
            "heading id {inability-to-secure-control-plane-netw… has no '#', so Hugo shows "
            "it as text; write {#inability-to-secure-control-plane-network-communications}",
        ),
        (
            39,
            "warning",
            "heading id {#lack-of-security-related-documentation is not closed with '}', so "
            "Hugo shows it as text; write {#lack-of-security-related-documentation}",
        ),
        (
            43,
            "warning",
            "heading id {Istio-1-1-performance-enhancements} has no '#', so Hugo shows it as "
            "text; write {#Istio-1-1-performance-enhancements}",
        ),
    ]
    deck = load_deck(post)
    slides = {slide.id: slide.title for slide in deck.slides}
    assert slides["inability-to-secure-control-plane-network-communications"] == (
        "无法保护控制平面的网络通信"
    )
    assert slides["lack-of-security-related-documentation"] == "缺乏安全相关的文档"
    assert slides["Istio-1-1-performance-enhancements"] == "Istio 1.1 性能增强"
    for width, height in SIZES:
        for page in _pages(deck, width, height):
            # Neither in the slide's title nor in the footer.
            assert "{" not in page and "inability" not in page and "enhancements" not in page


def test_istio_shortcodes_are_understood_not_called_unknown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("checks-zh", "checks-en"):
        messages = [message for _line, _sev, message in _check(FAITHFUL / name, capsys)]
        assert not [m for m in messages if "shortcode" in m], messages
    zh = load_deck(FAITHFUL / "checks-zh")
    pages = "\n".join(_pages(zh, 80, 24))
    # relnote: the release's box, with its download link; centered_block: its table.
    assert "下载 Istio 1.9" in pages
    assert "https://github.com/istio/istio/releases/tag/1.9.0" in {
        link.url for slide in zh.slides for link in slide.links
    }
    assert "Google" in pages and "席位" in pages
    en = load_deck(FAITHFUL / "checks-en")
    pages = "\n".join(_pages(en, 80, 24))
    assert "Download Istio 1.3 · Istio 1.3 release notes" in pages
    assert "Get involved" in pages and "working groups" in pages


def test_links_markdown_cannot_read_are_reported_and_show_their_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    post = FAITHFUL / "checks-en"
    found = _check(post, capsys)
    assert [(line, severity) for line, severity, _message in found] == [
        (15, "warning"),
        (17, "warning"),
        (22, "warning"),
    ]
    assert "target with spaces (“YouTube link to be added”)" in found[0][2]
    assert "put its URL in the ( )" in found[0][2]
    assert found[2][2].startswith("link [Community Meeting] has no ( before its URL")
    fix = "write [Community Meeting](https://github.com/istio/community#community-meeting)"
    assert fix in found[2][2]
    deck = load_deck(post)
    for width, height in SIZES:
        text = " ".join("".join(_pages(deck, width, height)).split())
        assert "](" not in text and "]https" not in text and "Meeting]" not in text
    text = " ".join("\n".join(_pages(deck, 160, 45)).split())
    assert "opened with Welcome + Opening Remarks from John Howard" in text
    assert "happening in the Community Meeting; join us" in text
    links = {link.text: link.url for slide in deck.slides for link in slide.links}
    assert links["Community Meeting"] == "https://github.com/istio/community#community-meeting"


def test_an_external_post_shows_where_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    post = FAITHFUL / "external-post"
    url = "https://imesh.ai/blog/resolve-sporadic-503-uc-errors-istio-sidecar/"
    deck = load_deck(post)
    for width, height in SIZES:
        title_page = layout_slide(deck, 0, width, height)[0]
        assert url in "".join(line.plain.strip() for line in title_page.lines)
    main(["outline", "--json", str(post)])
    data = json.loads(capsys.readouterr().out)
    title = data["slides"][0]
    assert title["kind"] == "title"
    assert title["links"] == [{"text": deck.title, "url": url, "slide": None}]


def test_long_lines_are_read_in_linear_time(tmp_path: Path) -> None:
    """A heading or a paragraph of 50,000 characters with an unfinished id or link does not
    stall the reader (the patterns never backtrack over the whole line)."""
    spaces = " " * 50_000
    (tmp_path / "index.md").write_text(
        f"## A {{a{spaces}x\n\n## B {{#{'b' * 50_000}{spaces[:5000]}x\n\n"
        f"[a]({'x ' * 25_000}\n\n## C{spaces}x\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    deck = load_deck(tmp_path)
    assert time.monotonic() - started < 5
    assert [slide.title[0] for slide in deck.slides[1:]] == ["A", "B", "C"]
