"""The deck's problems exist in Chinese and English: each diagnostic is a words.py key.

``istio-deck check`` says them in English (``Diagnostic.message``); the app's problem list
says them in the deck's language (``Diagnostic.text``).
"""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_posts
from tests.test_words import IDEOGRAPH
from tui_deck.app.reload import problem_lines, reload_deck
from tui_deck.deck import Options, load_deck
from tui_deck.diagnostics import Diagnostic, Reporter, diagnostic
from tui_deck.words import WORDS, say

FIXTURES = Path(__file__).parent / "fixtures"
DIAG_KEYS = sorted(key for key in WORDS if key.startswith("diag_"))


def _decks() -> list[Path]:
    found = corpus_posts()
    found += sorted(p for p in (FIXTURES / "faithful").iterdir() if p.is_dir())
    found += sorted(p for p in (FIXTURES / "posts").iterdir() if p.is_dir())
    found += sorted((FIXTURES / "fuzz").glob("*.md"))
    return found


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("path", _decks(), ids=lambda p: p.name)
def test_every_diagnostic_of_the_fixtures_is_said_in_both_languages(path: Path) -> None:
    for problem in load_deck(path).diagnostics:
        assert problem.key.startswith("diag_"), problem
        assert problem.text("en") == problem.message, problem
        chinese = problem.text("zh-cn")
        assert chinese != problem.message and IDEOGRAPH.search(chinese), problem


@pytest.mark.parametrize("key", DIAG_KEYS)
def test_every_diagnostic_key_says_something_else_in_chinese(key: str) -> None:
    english = WORDS[key][0]
    values = {name: f"<{name}>" for name in _blanks(english)}
    assert say("en", key, **values) != say("zh", key, **values)
    assert IDEOGRAPH.search(say("zh", key, **values))
    for text in (say("en", key, **values), say("zh", key, **values)):
        assert "{{" not in text.replace("{{<", "").replace("{{%", ""), key
        assert all(value in text for value in values.values()), key


def _reporter_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted((ROOT / "tui_deck").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if node.func.attr in ("warning", "error") and name == "report":
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def test_every_call_site_says_a_key_of_the_table() -> None:
    """A literal key must be in the table; a key chosen at run time (a variant) must be
    spelled out in the module as ``"diag_…"`` literals, or built from a ``diag_`` prefix."""
    calls = _reporter_calls()
    assert len(calls) >= 50
    literals = set()
    for path in (ROOT / "tui_deck").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    for where, call in calls:
        key = call.args[1]
        if isinstance(key, ast.Constant):
            assert key.value in WORDS and key.value.startswith("diag_"), where
        elif isinstance(key, ast.JoinedStr):
            first = key.values[0]
            assert isinstance(first, ast.Constant) and str(first.value).startswith("diag_"), where
        else:
            assert isinstance(key, ast.Name), where
    prefixes = {"diag_embed_"}  # html_blocks.py: f"diag_embed_{kind}"
    unused = [
        key
        for key in DIAG_KEYS
        if key not in literals and not any(key.startswith(p) for p in prefixes)
    ]
    assert unused == []


def test_a_diagnostic_keeps_its_english_message_and_is_said_in_chinese() -> None:
    report = Reporter("deck/index.md")
    report.error(3, "diag_image_missing", src="a\x1b[31m.png", path=Path("/x/a.png"))
    [problem] = report.items
    assert problem.message == "image a.png not found (looked for /x/a.png); fix the link"
    assert problem.format() == f"deck/index.md:3: error: {problem.message}"
    assert problem.to_json()["message"] == problem.message
    assert problem.text("zh") == "图片 a.png 未找到（查找位置：/x/a.png）；请修正链接"
    assert problem.text("en") == problem.message
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert hash(problem) == hash(
        diagnostic("error", "deck/index.md", 3, problem.key, **dict(problem.values))
    )


def test_a_diagnostic_without_a_key_says_its_message() -> None:
    problem = Diagnostic("warning", "f.md", 1, "as written")
    assert problem.text("zh") == "as written"


def test_a_broken_edit_of_a_chinese_deck_is_told_in_chinese(tmp_path: Path) -> None:
    source = tmp_path / "index.md"
    source.write_text("---\ntitle: 好\nlang: zh\n---\n\n## 一\n\n文字\n", encoding="utf-8")
    good = load_deck(source)
    source.write_text("---\ntitle: [坏\nlang: zh\n---\n\n## 一\n\n文字\n", encoding="utf-8")
    reloaded = reload_deck(source, Options(), good)
    assert reloaded.deck is None
    assert "错误" in reloaded.problem and "请修正" in reloaded.problem
    assert "fix it" not in reloaded.problem
    lines = problem_lines(good, reloaded.problem, source)
    assert "fix it" not in "\n".join(lines)
