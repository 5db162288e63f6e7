"""What a PATH stands for: a file, a bundle, or a folder of posts; and paths that fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui_deck.deck import load_deck
from tui_deck.diagnostics import DeckError


def _post(folder: Path, name: str, front: str, body: str = "## S\n\nx\n") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
    return path


def test_folder_of_posts_orders_by_weight_then_date_then_path(tmp_path: Path) -> None:
    _post(tmp_path, "b/index.md", "title: B\npublishdate: 2020-01-01")
    _post(tmp_path, "a/index.md", "title: A\npublishdate: 2021-01-01")
    _post(tmp_path, "c.md", "title: C\nweight: 2")
    _post(tmp_path, "d.md", "title: D\nweight: 1")
    _post(tmp_path, "e.md", "title: E")
    deck = load_deck(tmp_path)
    titles = [s.title for s in deck.slides if s.kind == "title"]
    assert titles == ["D", "C", "B", "A", "E"]
    # Title slides of a multi-post deck are named after their post.
    assert [s.id for s in deck.slides if s.kind == "title"] == ["d", "c", "b", "a", "e"]


def test_single_markdown_file(tmp_path: Path) -> None:
    path = _post(tmp_path, "talk.md", "title: Talk")
    assert [s.title for s in load_deck(path).slides] == ["Talk", "S"]


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="no such file or folder"):
        load_deck(tmp_path / "nope")


def test_folder_without_markdown(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(DeckError, match="no Markdown found"):
        load_deck(tmp_path)


def test_not_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("hi")
    with pytest.raises(DeckError, match="not a Markdown file"):
        load_deck(path)


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    _post(tmp_path, "posts/a.md", "title: A")
    os.symlink(tmp_path / "posts", tmp_path / "posts" / "loop")
    deck = load_deck(tmp_path)
    assert [s.title for s in deck.slides if s.kind == "title"] == ["A"]


def test_unreadable_file_message_when_reading_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, where chmod cannot make a file unreadable: fail the read instead.
    path = _post(tmp_path, "a.md", "title: A")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(DeckError, match=r"a\.md: permission denied; make the file readable"):
        load_deck(path)


def test_one_unreadable_post_in_a_folder_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _post(tmp_path, "a.md", "title: A")
    bad = _post(tmp_path, "b.md", "title: B")
    real = Path.read_bytes

    def read(self: Path) -> bytes:
        if self.name == bad.name:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read)
    deck = load_deck(tmp_path)
    assert [s.title for s in deck.slides if s.kind == "title"] == ["A"]
    assert deck.errors[0].message.endswith("the file is left out of the deck")
    assert good.exists()


def test_binary_file_named_md(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(bytes(range(256)) * 40)
    deck = load_deck(path)
    assert [d.message for d in deck.errors] == [
        "this is not a text file; point istio-deck at Markdown"
    ]
    assert [s.kind for s in deck.slides] == ["title"]


def test_config_file_supplies_version_shortcodes(tmp_path: Path) -> None:
    (tmp_path / "istio-deck.toml").write_text('[shortcodes]\nistio_version = "1.24"\n')
    _post(tmp_path, "index.md", "title: T", "## A\n\nIstio {{< istio_version >}}\n")
    deck = load_deck(tmp_path)
    assert "Istio 1.24" in deck.slides[1].text()
    assert deck.diagnostics == []


def test_speaker_notes_do_not_decide_the_decks_language(tmp_path: Path) -> None:
    """English slides with Chinese notes: the interface (help, footer words) is English."""
    post = tmp_path / "talk.md"
    notes = "这里是很长的中文演讲备注，只有演讲者能看到。" * 20
    post.write_text(
        f"---\ntitle: Talk\n---\n## One\n\nHello, mesh.\n\n<!-- notes: {notes} -->\n",
        encoding="utf-8",
    )
    assert load_deck(post).lang == "en"
