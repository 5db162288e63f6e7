"""The talk file (``istio-deck.toml`` beside the post) and ``--slides``: a post cut to a talk
without editing it. The command line beats the talk file, which beats the front matter."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path

import pytest

from tui_deck import cache
from tui_deck.cli import _talk_theme, main
from tui_deck.deck import Options, load_deck
from tui_deck.diagnostics import DeckError
from tui_deck.talk import parse_slides, read_talk

POST = """---
title: Talk
incremental_lists: false
---

## One

- a
- b

### One point one

Text 1.1.

## Two

Text 2.

## Three

Text 3.

## Four

Text 4.
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "post"
    folder.mkdir()
    (folder / "index.md").write_text(POST, encoding="utf-8")
    return folder


def talk_file(folder: Path, text: str) -> None:
    (folder / "istio-deck.toml").write_text(text, encoding="utf-8")


def titles(folder: Path, options: Options | None = None) -> list[str]:
    return [slide.title for slide in load_deck(folder, options or Options(talk=True)).slides]


def test_slide_lists_read_one_way() -> None:
    assert parse_slides("1-3,5,7-", 8) == [0, 1, 2, 4, 6, 7]
    assert parse_slides("2, 2-3", 4) == [1, 2]
    for bad, why in [("3-2", "reversed"), ("x", "not a number"), ("9", "outside 1-8")]:
        with pytest.raises(ValueError, match=why):
            parse_slides(bad, 8)


def test_talk_file_picks_the_slides_but_outline_numbers_the_whole_post(bundle: Path) -> None:
    talk_file(bundle, 'slides = "1,3,5-"\n')
    assert titles(bundle) == ["Talk", "One point one", "Three", "Four"]
    # outline and check show every slide, with the numbers the pick uses.
    assert titles(bundle, Options()) == ["Talk", "One", "One point one", "Two", "Three", "Four"]


def test_command_line_slides_beat_the_talk_file(bundle: Path) -> None:
    talk_file(bundle, 'slides = "1,3,5-"\n')
    assert titles(bundle, Options(talk=True, slides="2")) == ["One"]


def test_talk_file_split_level_loses_to_the_command_line(bundle: Path) -> None:
    talk_file(bundle, "split_level = 2\n")
    assert titles(bundle) == ["Talk", "One", "Two", "Three", "Four"]
    assert "One point one" in titles(bundle, Options(split_level=3, talk=True))


def test_talk_file_incremental_lists_beats_the_front_matter(bundle: Path) -> None:
    assert load_deck(bundle).posts[0].incremental_lists is False
    talk_file(bundle, "incremental_lists = true\n")
    assert load_deck(bundle).posts[0].incremental_lists is True


def test_duration_is_read(bundle: Path) -> None:
    talk_file(bundle, 'duration = "1h30m"\n')
    assert read_talk(bundle).duration == 5400
    talk_file(bundle, "duration = 20\n")
    assert read_talk(bundle / "index.md").duration == 1200


def test_bad_values_are_warnings_at_their_line_and_ignored(bundle: Path) -> None:
    talk_file(
        bundle,
        '# the talk\ntheme = 3\nsplit_level = 9\nduration = "soon"\n'
        'incremental_lists = "yes"\nslides = "3-1"\n',
    )
    deck = load_deck(bundle, Options(talk=True))
    found = [(d.file.endswith("istio-deck.toml"), d.line, d.key) for d in deck.diagnostics]
    assert found == [
        (True, 2, "diag_talk_theme"),
        (True, 3, "diag_talk_level"),
        (True, 4, "diag_talk_duration"),
        (True, 5, "diag_talk_bool"),
        (True, 6, "diag_talk_slides"),
    ]
    assert len(deck.slides) == 6  # every slide, at the default split level


def test_slides_the_deck_lacks_are_a_warning_from_the_file_an_error_from_the_flag(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    talk_file(bundle, 'slides = "2-40"\n')
    deck = load_deck(bundle, Options(talk=True))
    assert [(d.line, d.key) for d in deck.diagnostics] == [(1, "diag_talk_slides_range")]
    assert len(deck.slides) == 6
    checked = load_deck(bundle)  # `check` reads the whole post and says so too
    assert [(d.line, d.key) for d in checked.diagnostics] == [(1, "diag_talk_slides_range")]
    with pytest.raises(DeckError, match="outside 1-6"):
        load_deck(bundle, Options(talk=True, slides="2-40"))


def test_a_broken_talk_file_is_one_warning(bundle: Path) -> None:
    talk_file(bundle, "slides = [\n")
    deck = load_deck(bundle, Options(talk=True))
    assert [d.key for d in deck.diagnostics] == ["diag_talk_unreadable"]
    assert len(deck.slides) == 6


def test_theme_from_the_talk_file_loses_to_the_command_line(bundle: Path) -> None:
    talk_file(bundle, 'slides = "1"\ntheme = "light"\n')
    assert _talk_theme(argparse.Namespace(theme=None, path=str(bundle))) == "light"
    assert _talk_theme(argparse.Namespace(theme="istio", path=str(bundle))) == "istio"


def test_unknown_theme_in_the_talk_file_is_warned_and_the_talk_goes_on_in_dark(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """At the venue a typo in the talk file must not stop the talk: check warns at the
    file's line, and presenting warns the same way and uses the dark theme."""
    talk_file(bundle, '\ntheme = "neon"\n')
    assert main(["check", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "istio-deck.toml:2: warning: unknown theme 'neon', dark is used" in out
    args = argparse.Namespace(theme=None, path=str(bundle))
    assert _talk_theme(args) == "dark"
    err = capsys.readouterr().err
    assert "istio-deck.toml:2: warning: unknown theme 'neon'" in err
    assert err.count("\n") == 1


def test_export_slides_exports_exactly_those(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["export", str(bundle), "--slides", "1-3,5", "-o", str(out)]) == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [e["slide"] for e in index] == [1, 2, 3, 5]
    assert [e["title"] for e in index] == ["Talk", "One", "One point one", "Three"]
    assert "Text 2." not in " ".join(p.read_text(encoding="utf-8") for p in out.glob("*.txt"))


def test_export_takes_the_talk_files_slides_unless_told(bundle: Path, tmp_path: Path) -> None:
    talk_file(bundle, 'slides = "4-"\n')
    assert main(["export", str(bundle), "-o", str(tmp_path / "a")]) == 0
    index = json.loads((tmp_path / "a" / "index.json").read_text(encoding="utf-8"))
    assert [e["slide"] for e in index] == [4, 5, 6]
    assert main(["export", str(bundle), "--slides", "2", "-o", str(tmp_path / "b")]) == 0
    index = json.loads((tmp_path / "b" / "index.json").read_text(encoding="utf-8"))
    assert [e["title"] for e in index] == ["One"]


def test_present_slides_presents_exactly_those(bundle: Path) -> None:
    from tui_deck.app import AppOptions, make_app

    options = AppOptions(
        path=bundle,
        deck_options=Options(talk=True, slides="1-3,5"),
        clock=None,
        watch=False,
        images="none",
        cache=False,
    )
    app = make_app(options)
    seen: list[str] = []

    async def main_() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for _ in range(6):
                seen.append(app.deck.slides[app.slide].title)
                await pilot.press("right")
                await pilot.pause()
            screen = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            assert "Three" in screen and "4 / 4" in screen

    asyncio.run(main_())
    assert list(dict.fromkeys(seen)) == ["Talk", "One", "One point one", "Three"]


def test_an_edited_talk_file_is_never_served_from_the_cache(bundle: Path) -> None:
    options = Options(talk=True)
    talk_file(bundle, 'slides = "1-2"\n')
    cache.store(bundle, options, load_deck(bundle, options))
    stored = cache.load(bundle, options)
    assert stored is not None and len(stored.slides) == 2
    before = (bundle / "istio-deck.toml").stat()
    talk_file(bundle, 'slides = "1-3"\n')  # same size, maybe the same clock tick
    os.utime(bundle / "istio-deck.toml", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.load(bundle, options) is None
