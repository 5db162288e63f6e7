"""Inputs that once crashed the fuzzer (fuzz/fuzz_deck.py) stay fixed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from fuzz.fuzz_deck import check

CORPUS = sorted((Path(__file__).parent / "fixtures" / "fuzz").glob("*.md"))


@pytest.mark.parametrize("case", CORPUS, ids=[p.name for p in CORPUS])
def test_fuzz_regression(case: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check(case.read_text(encoding="utf-8", errors="surrogatepass"), Path(tmp))
