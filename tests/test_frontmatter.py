"""Front matter in every form a post may use, and every way it can be broken."""

from __future__ import annotations

from collections.abc import Callable

from tui_deck.deck import Deck


def test_yaml_front_matter_fields(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        "---\ntitle: 标题\nsubtitle: 副标题\ndescription: 描述\nauthor: [甲, 乙]\n"
        "publishdate: 2024-05-24\nunknown_key: {nested: true}\n---\n\n## 一\n\n正文。\n"
    )
    post = deck.slides[0].post
    assert (post.title, post.subtitle, post.description, post.author) == (
        "标题",
        "副标题",
        "描述",
        "甲, 乙",
    )
    assert post.date_text == "2024年5月24日"
    assert deck.diagnostics == []


def test_toml_front_matter(load_text: Callable[..., Deck]) -> None:
    deck = load_text(
        '+++\ntitle = "Hello"\ndate = 2022-09-07T08:00:00-06:00\nweight = 3\n+++\n\n## A\n\nx\n'
    )
    post = deck.slides[0].post
    assert post.title == "Hello"
    assert post.date_text == "September 7, 2022"
    assert post.weight == 3
    assert [s.title for s in deck.slides] == ["Hello", "A"]


def test_json_front_matter(load_text: Callable[..., Deck]) -> None:
    deck = load_text('{"title": "JSON post"}\n\n## A\n\nx\n')
    assert deck.slides[0].title == "JSON post"
    assert deck.slides[1].line == 3


def test_bom_and_crlf(load_text: Callable[..., Deck]) -> None:
    deck = load_text("\ufeff---\r\ntitle: 标题\r\n---\r\n\r\n## 一\r\n\r\n正文\r\n".encode())
    assert [s.title for s in deck.slides] == ["标题", "一"]
    assert deck.slides[1].line == 5
    assert deck.diagnostics == []


def test_gb18030_is_read_with_a_warning(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\ntitle: 生日快乐\n---\n\n## 庆祝\n\n四年前的今天。\n".encode("gb18030"))
    assert [s.title for s in deck.slides] == ["生日快乐", "庆祝"]
    assert [d.message for d in deck.diagnostics] == [
        "file is not UTF-8; read it as GB18030 (save it as UTF-8)"
    ]


def test_utf16_with_bom_is_read_with_a_warning(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\ntitle: 你好\n---\n\n## A\n\nx\n".encode("utf-16"))
    assert deck.slides[0].title == "你好"
    assert deck.diagnostics[0].message == "file is UTF-16; save it as UTF-8"


def test_unclosed_front_matter_is_an_error_with_the_fix(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\ntitle: x\n\n## A\n\nbody\n")
    assert [(d.severity, d.line, d.message) for d in deck.diagnostics] == [
        (
            "error",
            1,
            "front matter opened with --- is never closed; "
            "add a line with --- after the last front matter key",
        )
    ]
    assert "A" in [s.title for s in deck.slides]


def test_invalid_yaml_names_the_line(load_text: Callable[..., Deck]) -> None:
    deck = load_text('---\ntitle: ok\ndescription: "unterminated\nfoo: [\n---\n\n## A\n\nx\n')
    [diag] = deck.diagnostics
    assert diag.severity == "error"
    assert diag.message.startswith("front matter is not valid YAML:")
    assert diag.line in (3, 4, 5)
    assert [s.title for s in deck.slides][1:] == ["A"]


def test_invalid_toml_names_the_line(load_text: Callable[..., Deck]) -> None:
    deck = load_text('+++\ntitle = "ok"\nbad = \n+++\n\n## A\n\nx\n')
    [diag] = deck.diagnostics
    assert diag.line == 3
    assert "not valid TOML" in diag.message


def test_front_matter_that_is_a_list(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\n- a\n- b\n---\n\n## A\n\nx\n")
    assert [d.message for d in deck.diagnostics] == [
        "front matter must be 'key: value' lines, but it is a list; fix it"
    ]


def test_only_front_matter_gives_a_title_slide(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\ntitle: Only\n---\n")
    assert [(s.kind, s.title) for s in deck.slides] == [("title", "Only")]


def test_english_date_format(load_text: Callable[..., Deck]) -> None:
    deck = load_text("---\ntitle: T\npublishdate: 2021-05-24\n---\n\nHello there.\n")
    assert deck.slides[0].post.date_text == "May 24, 2021"


def test_empty_file_is_a_title_slide_and_a_warning(load_text: Callable[..., Deck]) -> None:
    deck = load_text("")
    assert [s.kind for s in deck.slides] == ["title"]
    assert [(d.severity, d.message) for d in deck.diagnostics] == [
        ("warning", "the file is empty; write a title and some slides")
    ]
