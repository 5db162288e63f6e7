"""Hostile and broken input: nothing reaches the terminal raw, every file gets a clear answer."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_deck.deck import Deck, load_deck
from tui_deck.diagnostics import DeckError
from tui_deck.export.text import all_pages
from tui_deck.layout.page import Size
from tui_deck.sanitize import clean

ATTACKS = {
    "OSC 52 clipboard write": "\x1b]52;c;ZXZpbA==\x07",
    "window title (OSC 0, ST)": "\x1b]0;pwned\x1b\\",
    "OSC 8 link": "\x1b]8;;https://evil.example\x1b\\",
    "DCS query": "\x1bP1$r\x1b\\",
    "APC (kitty graphics)": "\x1b_Gf=100;AAAA\x1b\\",
    "CSI colour": "\x1b[31m",
    "CSI clear screen": "\x1b[2J",
    "8-bit CSI": "\x9b2J",
    "8-bit OSC": "\x9d0;pwned\x9c",
    "reset (RIS)": "\x1bc",
    "bell and backspace": "\x07\x08",
    "raw C1": "\x85\x8d",
}


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_escape_sequences_are_removed(attack: str) -> None:
    assert clean(f"safe{attack}text") == "safetext"


def test_bidi_overrides_are_shown_not_obeyed() -> None:
    assert clean("abc\u202edcba\u202c") == "abc⟨RLO⟩dcba⟨PDF⟩"


@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_nothing_hostile_reaches_any_page_or_message(
    attack: str, load_text: Callable[..., Deck]
) -> None:
    deck = load_text(
        f'---\ntitle: "T{attack.encode("unicode_escape").decode()}"\n---\n\n'
        f"## Head{attack}\n\nBody {attack} text [link{attack}](https://x.io/{attack})\n\n"
        f'{{{{< image link="./{attack}.png" caption="cap{attack}" >}}}}\n'
    )
    pages = [p.text() for p in all_pages(deck, Size(80, 24))]
    messages = [d.format() for d in deck.diagnostics]
    for text in [*pages, *messages, *(s.title for s in deck.slides)]:
        assert "\x1b" not in text and "\x9b" not in text and "\x9d" not in text
        assert "\x07" not in text


def test_links_are_only_http_https_or_mailto(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        "## A\n\n[a](javascript:alert(1)) [b](file:///etc/passwd) [c](data:text/html,x) "
        "[d](mailto:me@example.com) [e](https://istio.io)\n"
    )
    assert [link.url for link in deck.slides[1].links] == [
        "mailto:me@example.com",
        "https://istio.io",
    ]


# Each broken file gets an exact message (or placeholder); none raises.
BAD_FILES: list[tuple[str, bytes, list[str]]] = [
    ("empty file", b"", ["warning: the file is empty; write a title and some slides"]),
    ("only front matter", b"---\ntitle: x\n---\n", []),
    (
        "front matter not closed",
        b"---\ntitle: x\n\n## A\n\nbody\n",
        [
            "error: front matter opened with --- is never closed; add a line with --- after "
            "the last front matter key"
        ],
    ),
    (
        "front matter is a string",
        b"---\njust a sentence\n---\n\n## A\n\nx\n",
        ["error: front matter must be 'key: value' lines, but it is a str; fix it"],
    ),
    (
        "binary file named .md",
        bytes(range(256)) * 8,
        ["error: this is not a text file; point istio-deck at Markdown"],
    ),
    (
        "invalid UTF-8 in the middle",
        "## 标题\n\n正文".encode() + b"\xff\xfe\xfd" + "结束\n".encode(),
        ["error: file is not valid UTF-8; bad bytes shown as �; save it as UTF-8"],
    ),
    (
        "NUL bytes",
        b"## A\n\nte\x00xt\n",
        ["warning: file contains NUL bytes; they were removed"],
    ),
    (
        "unclosed shortcode",
        b"## A\n\n{{< warning >}}\ncareful\n",
        ["error: shortcode {{< warning >}} is never closed; add {{< /warning >}}"],
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"), [(c, e) for _, c, e in BAD_FILES], ids=[n for n, _, _ in BAD_FILES]
)
def test_bad_files_get_exact_messages(
    content: bytes, expected: list[str], load_text: Callable[..., Deck]
) -> None:
    deck = load_text(content)
    assert [f"{d.severity}: {d.message}" for d in deck.diagnostics] == expected
    assert deck.slides[0].kind == "title"
    list(all_pages(deck, Size(60, 20)))  # and every page lays out


def test_big_inputs_load(load_text: Callable[..., Deck]) -> None:
    long_line = "## 长\n\n" + "中" * 350_000 + "\n"  # over 1 MB without a space
    deck = load_text(long_line)
    pages = [p for p in all_pages(deck, Size(80, 24))]
    assert len(pages) > 100 and all(len(p.lines) == 24 for p in pages)
    nested = (
        "".join("{{< tip >}}" for _ in range(100))
        + "x"
        + "".join("{{< /tip >}}" for _ in range(100))
    )
    assert load_text(f"## A\n\n{nested}\n").slides[1].blocks
    deep = "\n".join("  " * i + "- item" for i in range(200))
    assert load_text(f"## A\n\n{deep}\n").slides[1].blocks


def test_folder_with_no_markdown_and_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path)
    with pytest.raises(DeckError, match="no Markdown found"):
        load_deck(tmp_path)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("\x1b[]P_^\\\x07\x9b\x9c\x9d;0123abc中\u202e")), max_size=60
    )
)
def test_clean_never_leaves_an_escape(text: str) -> None:
    out = clean(text)
    assert not any(ch in out for ch in "\x1b\x07\x9b\x9c\x9d\u202e")


def test_file_deleted_while_open_keeps_the_last_deck(tmp_path: Path) -> None:
    from tests.app.test_app import run

    (tmp_path / "index.md").write_text("## A\n\ntext\n", encoding="utf-8")

    async def scenario(app, pilot):  # type: ignore[no-untyped-def]
        os.remove(tmp_path / "index.md")
        app.reload()
        await pilot.pause()
        assert app.deck.slides[1].title == "A"

    run(scenario, path=tmp_path)


def test_huge_inputs_still_load(load_text: Callable[..., Deck]) -> None:
    """A 5 MB post, 10,000 headings, huge front matter: a deck, not a hang or a crash."""
    paragraph = "在过去的 12 个月里，Istio 项目一直非常关注用户的使用体验。" * 40 + "\n\n"
    big = "## 大\n\n" + paragraph * (5_000_000 // len(paragraph.encode()) + 1)
    assert len(big.encode()) > 5_000_000
    deck = load_text(big)
    assert len(deck.slides) == 2 and deck.errors == []
    many = "\n".join(f"## H{i}\n\nx\n" for i in range(10_000))
    assert len(load_text(many).slides) == 10_001
    front = "---\ntitle: T\n" + "".join(f"key{i}: {'v' * 100}\n" for i in range(20_000)) + "---\n"
    deck = load_text(front + "## A\n\nx\n")
    assert [s.title for s in deck.slides] == ["T", "A"]


def test_file_truncated_while_presenting_keeps_the_deck(tmp_path: Path) -> None:
    from tests.app.test_app import run

    source = tmp_path / "index.md"
    source.write_text("---\ntitle: 完整\n---\n\n## A\n\ntext\n", encoding="utf-8")

    async def scenario(app, pilot):  # type: ignore[no-untyped-def]
        source.write_text("---\ntitle: 完", encoding="utf-8")  # a half-written save
        app.reload()
        await pilot.pause()
        assert app.deck.slides[0].title == "完整"

    run(scenario, path=tmp_path)
