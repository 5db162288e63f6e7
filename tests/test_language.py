"""The deck's language (dates, help, "(cont.)") follows the post, not its folder's name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui_deck.deck import load_deck
from tui_deck.layout.page import layout_slide

POSTS = Path(__file__).parent / "fixtures" / "posts"

ENGLISH = """---
title: Getting started with ambient mesh
publishdate: 2022-09-07
---

## Install

Istio ambient mesh is a new data plane mode for Istio that removes the sidecar. Read on to
learn how to install it and how the ztunnel and waypoint proxies handle your traffic.
"""


def test_a_code_heavy_chinese_post_in_a_neutral_folder_is_chinese(tmp_path: Path) -> None:
    post = tmp_path / "talks" / "better-external-authz"
    shutil.copytree(POSTS / "zh-2021-better-external-authz", post)
    deck = load_deck(post)
    assert deck.lang == "zh"
    assert deck.posts[0].date_text == "2021年2月9日"
    # A slide split into pages says so in Chinese.
    long_slide = max(range(len(deck.slides)), key=lambda i: len(deck.slides[i].blocks))
    first = layout_slide(deck, long_slide, 60, 16)
    assert len(first) > 1
    assert "（续" in first[1].text()


def test_an_english_post_in_a_zh_folder_is_english(tmp_path: Path) -> None:
    post = tmp_path / "content" / "zh" / "blog" / "ambient"
    post.mkdir(parents=True)
    (post / "index.md").write_text(ENGLISH, encoding="utf-8")
    deck = load_deck(post)
    assert deck.lang == "en"
    assert deck.posts[0].date_text == "September 7, 2022"


def test_a_short_post_takes_its_zh_folder_as_a_hint(tmp_path: Path) -> None:
    post = tmp_path / "zh" / "demo"
    post.mkdir(parents=True)
    (post / "index.md").write_text(
        "---\ntitle: Demo\n---\n\n## Kiali\n\n{{< text bash >}}\n$ x\n{{< /text >}}\n"
    )
    assert load_deck(post).lang == "zh"


@pytest.mark.parametrize(
    ("front", "lang"),
    [
        ("lang: zh", "zh"),
        ("languageCode: zh-cn", "zh"),
        ("language: zh-Hans", "zh"),
        ("locale: en_US", "en"),
        ("lang: English", "en"),
    ],
)
def test_the_front_matter_decides_first(tmp_path: Path, front: str, lang: str) -> None:
    post = tmp_path / "post"
    post.mkdir()
    prose = (
        ENGLISH
        if lang == "zh"
        else ENGLISH.replace("Install", "安装").replace(
            "Istio ambient mesh is",
            "这是一个很长的中文段落，讲述了没有边车的网格如何处理流量。" * 3,
        )
    )
    (post / "index.md").write_text(prose.replace("---\ntitle", f"---\n{front}\ntitle", 1))
    deck = load_deck(post)
    assert deck.lang == lang
    assert deck.diagnostics == []


def test_hugo_language_in_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "index.zh.md").write_text(ENGLISH, encoding="utf-8")
    assert load_deck(tmp_path / "index.zh.md").lang == "zh"


def test_a_lang_that_is_not_a_language_is_reported(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text(ENGLISH.replace("---\ntitle", "---\nlang: 42 please\ntitle"))
    deck = load_deck(tmp_path)
    assert deck.lang == "en"
    assert [d.message for d in deck.diagnostics] == [
        "lang: 42 please is not a language; write lang: zh or lang: en"
    ]
