"""The parse cache: a presenter's second start skips the parse, and never shows a stale deck."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tui_deck import cache
from tui_deck.deck import Options, load_deck

POST = """---
title: Cached talk
---
## First slide

Some text.

{{< image link="./a.png" caption="A picture" >}}

## Second slide

![logo](/img/logo.png)
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "istio-deck"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "site" / "content" / "en" / "blog" / "talk"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(POST, encoding="utf-8")
    Image.new("RGB", (40, 20)).save(folder / "a.png")
    return folder


def stored(path: Path, options: Options | None = None) -> None:
    options = options or Options()
    cache.store(path, options, load_deck(path, options))


def titles(path: Path) -> list[str] | None:
    deck = cache.load(path, Options())
    return None if deck is None else [slide.title for slide in deck.slides]


def test_an_unchanged_deck_comes_back_from_the_cache(bundle: Path, private_cache: Path) -> None:
    assert titles(bundle) is None  # nothing stored yet
    stored(bundle)
    assert titles(bundle) == ["Cached talk", "First slide", "Second slide"]
    assert private_cache.stat().st_mode & 0o777 == 0o700
    [file] = private_cache.glob("*.pickle")
    assert file.stat().st_uid == os.getuid()


def test_an_edit_of_the_same_size_and_time_is_seen(bundle: Path) -> None:
    """An editor saving twice within the clock tick, with a same-length change."""
    stored(bundle)
    source = bundle / "index.md"
    before = source.stat()
    source.write_text(POST.replace("First slide", "Fixed slide"), encoding="utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert source.stat().st_size == before.st_size
    assert titles(bundle) is None
    assert [s.title for s in load_deck(bundle).slides][1] == "Fixed slide"


def test_a_picture_changed_added_or_removed_is_seen(bundle: Path) -> None:
    stored(bundle)
    Image.new("RGB", (80, 20)).save(bundle / "a.png")  # another size: another layout
    assert titles(bundle) is None
    stored(bundle)
    (bundle / "a.png").unlink()  # now missing: the deck reports it
    assert titles(bundle) is None


def test_a_site_picture_appearing_higher_up_is_seen(bundle: Path) -> None:
    """``/img/logo.png`` is looked for in the site's static folders: a new one counts."""
    stored(bundle)
    assert titles(bundle) is not None
    static = bundle.parents[3] / "static" / "img"
    static.mkdir(parents=True)
    Image.new("RGB", (10, 10)).save(static / "logo.png")
    assert titles(bundle) is None


def test_files_that_cannot_change_the_deck_leave_the_cache_alone(bundle: Path) -> None:
    """A new file above the site (in /tmp, say) used to throw the cached deck away."""
    stored(bundle)
    (bundle.parents[4] / "unrelated.txt").write_text("x", encoding="utf-8")
    (bundle.parents[1] / "other-post").mkdir()
    assert titles(bundle) is not None


def test_a_new_post_in_a_folder_deck_is_seen(tmp_path: Path) -> None:
    folder = tmp_path / "talks"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: A\n---\n## One\n\ntext\n", encoding="utf-8")
    stored(folder)
    assert titles(folder) == ["A", "One"]
    (folder / "sub").mkdir()
    (folder / "sub" / "b.md").write_text("---\ntitle: B\n---\n## Two\n\nx\n", encoding="utf-8")
    assert titles(folder) is None


def test_other_options_are_another_entry(bundle: Path) -> None:
    stored(bundle, Options(split_level=1))
    assert titles(bundle) is None  # stored with other options
    assert cache.load(bundle, Options(split_level=1)) is not None


def test_a_cache_folder_others_can_write_to_is_not_read(bundle: Path, private_cache: Path) -> None:
    stored(bundle)
    private_cache.chmod(0o777)
    assert titles(bundle) is None
    private_cache.chmod(0o755)
    assert titles(bundle) is None  # group/other bits of any kind: refused
    stored(bundle)  # and nothing is written there either
    assert titles(bundle) is None


def test_a_cache_owned_by_another_user_is_not_read(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(bundle)
    real = os.getuid()
    monkeypatch.setattr(cache.os, "getuid", lambda: real + 1)
    assert titles(bundle) is None


def test_a_corrupt_or_foreign_cache_file_means_a_parse(bundle: Path, private_cache: Path) -> None:
    stored(bundle)
    [file] = private_cache.glob("*.pickle")
    file.write_bytes(b"not a pickle")
    assert titles(bundle) is None
    import pickle

    file.write_bytes(pickle.dumps(("stamps", "not a deck")))
    assert titles(bundle) is None


def test_an_unwritable_cache_never_stops_the_deck(
    bundle: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_cache.parent.mkdir()
    private_cache.write_text("a file where the folder should be")
    stored(bundle)  # no exception
    assert titles(bundle) is None


def test_the_presenter_starts_from_the_cache_without_importing_the_parser(
    bundle: Path, tmp_path: Path
) -> None:
    """The point of the cache: markdown-it and YAML are not imported at a second start."""
    code = (
        "import sys; from pathlib import Path;"
        "from tui_deck.app import AppOptions, make_app;"
        f"app = make_app(AppOptions(path=Path({str(bundle)!r}), cache=True));"
        "print(app.deck.slides[1].title, app.store_in_cache,"
        " 'markdown_it' in sys.modules, 'yaml' in sys.modules)"
    )
    env = {**os.environ}

    def start() -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        return out.stdout.split()

    first = start()
    assert first == ["First", "slide", "True", "True", "True"]  # parsed; to be stored
    stored(bundle)  # what the first run's worker does after its first paint
    assert start() == ["First", "slide", "False", "False", "False"]
    (bundle / "index.md").write_text(POST.replace("First", "Edited"), encoding="utf-8")
    assert start()[:3] == ["Edited", "slide", "True"]
