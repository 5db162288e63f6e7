"""Golden fixtures: Markdown/Hugo input → the slides istio-deck builds from it.

Each case in ``fixtures/shortcodes.txt`` is ``title``, ``.``, input, ``.``, expected dump,
``.``. Run with ``UPDATE_GOLDEN=1`` to rewrite the expected parts, then read the diff.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import dump
from tests.conftest import SLIDES
from tui_deck.deck import load_deck

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Case:
    title: str
    source: str
    expected: str


def read_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, pos = [], 0
    while pos < len(lines):
        if not lines[pos].strip():
            pos += 1
            continue
        title = lines[pos]
        assert lines[pos + 1] == ".", f"{path}:{pos + 2}: expected '.' after the title"
        pos += 2
        parts: list[list[str]] = [[], []]
        for part in parts:
            while lines[pos] != ".":
                part.append(lines[pos])
                pos += 1
            pos += 1
        cases.append(Case(title, "\n".join(parts[0]) + "\n", "\n".join(parts[1])))
    return cases


def write_cases(path: Path, cases: list[Case]) -> None:
    chunks = [f"{c.title}\n.\n{c.source}.\n{c.expected}\n.\n" for c in cases]
    path.write_text("\n".join(chunks), encoding="utf-8")


def render(case: Case, tmp_path: Path) -> str:
    bundle = tmp_path / "post"
    bundle.mkdir()
    shutil.copy(SLIDES / "1.png", bundle / "1.png")
    (bundle / "index.md").write_text(case.source, encoding="utf-8")
    return dump.deck(load_deck(bundle)).replace(str(bundle), "<bundle>")


SHORTCODES = read_cases(FIXTURES / "shortcodes.txt")


@pytest.mark.parametrize("case", SHORTCODES, ids=[c.title for c in SHORTCODES])
def test_shortcode_golden(case: Case, tmp_path: Path) -> None:
    assert render(case, tmp_path) == case.expected


def test_golden_files_are_current(tmp_path_factory: pytest.TempPathFactory) -> None:
    """With UPDATE_GOLDEN=1, rewrite the expected outputs (review the diff!)."""
    if not os.environ.get("UPDATE_GOLDEN"):
        return
    updated = []
    for case in SHORTCODES:
        case.expected = render(case, tmp_path_factory.mktemp("golden"))
        updated.append(case)
    write_cases(FIXTURES / "shortcodes.txt", updated)


POSTS = sorted(p for p in (FIXTURES / "posts").iterdir() if p.is_dir())


@pytest.mark.parametrize("post", POSTS, ids=[p.name for p in POSTS])
def test_corpus_post_golden(post: Path) -> None:
    """Real Istio posts (copied from the shared corpus) → slides, as reviewed in *.expected."""
    expected_file = post.with_suffix(".expected")
    got = dump.deck(load_deck(post)).replace(str(post), "<bundle>") + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")
