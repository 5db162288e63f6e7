"""Every word a user reads exists in Chinese and English, in one table (tui_deck/words.py)."""

from __future__ import annotations

import ast
import re
import string

from tests.conftest import ROOT
from tui_deck.words import WORDS, say

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
#: Chinese words (ideographs), not the full-width punctuation of breaking rules.
IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
#: Modules whose Chinese strings are not words shown to a user: the language names read
#: from front matter (build.py), dates, which also serve Japanese (hugo/dates.py), and
#: the CJK punctuation tables of the line breaker and the emphasis rule.
NOT_WORDS = {"build.py", "dates.py", "cjk.py", "cjk_emphasis.py", "linebreak.py", "words.py"}


def test_every_word_has_both_languages_and_the_same_blanks() -> None:
    fields = string.Formatter()
    for key, (english, chinese) in WORDS.items():
        assert english.strip() and chinese.strip(), key
        assert HAN.search(english) is None, key
        names = [{f for _, f, _, _ in fields.parse(text) if f} for text in (english, chinese)]
        assert names[0] == names[1], key


def test_say_picks_the_decks_language() -> None:
    assert say("zh-cn", "cont", page=2, pages=3) == "（续 2/3）"
    assert say("en", "cont", page=2, pages=3) == "(cont. 2/3)"
    assert say("ja", "tip") == "Tip"


def test_no_chinese_text_is_written_anywhere_else() -> None:
    """A Chinese string literal outside the table is a word that exists in one language."""
    found = []
    for path in sorted((ROOT / "tui_deck").rglob("*.py")):
        if path.name in NOT_WORDS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and IDEOGRAPH.search(node.value)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:30]}")
    assert found == []
