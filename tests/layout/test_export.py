"""`istio-deck export --format text`: the files a user gets, and their index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import SLIDES
from tui_deck.cli import main


def test_export_writes_pages_of_exact_size_and_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(SLIDES), "--size", "80x24", "-o", str(out)]) == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["slide"], e["page"]) for e in index][:2] == [
        ("001.txt", 1, 1),
        ("002.txt", 2, 1),
    ]
    assert {e["id"] for e in index} >= {"title", "celebrating-istios-4th-birthday"}
    assert all(e["pages"] >= e["page"] for e in index)
    for entry in index:
        text = (out / entry["file"]).read_text(encoding="utf-8")
        lines = text.split("\n")[:-1]
        assert len(lines) == 24
        assert all(cell_len(line) <= 80 for line in lines)
    assert f"wrote {len(index)} pages to {out}/" in capsys.readouterr().err


def test_export_chosen_slides_only(tmp_path: Path) -> None:
    assert main(["export", str(SLIDES), "--slides", "2,4", "-o", str(tmp_path)]) == 0
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert sorted({e["slide"] for e in index}) == [2, 4]


def test_export_bad_options_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(SLIDES), "--slides", "7", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == "istio-deck: error: slides '7': '7' is outside 1-4"


def test_a_bad_size_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(SLIDES), "--size", "big", "-o", str(tmp_path)])
    assert exit_.value.code == 2
    # argparse's usage line, then one line that says what is wrong.
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "istio-deck export: error: argument --size: size 'big' is not WIDTHxHEIGHT, "
        "for example 100x30"
    )
    assert not any(tmp_path.iterdir())


def test_export_replaces_the_pages_of_an_earlier_export(tmp_path: Path) -> None:
    assert main(["export", str(SLIDES), "--size", "60x24", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "006.txt").exists()
    (tmp_path / "notes.md").write_text("mine")
    assert main(["export", str(SLIDES), "--slides", "1", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["001.txt", "index.json", "notes.md"]


def test_reversed_range_is_explained(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["export", str(SLIDES), "--slides", "3-2", "-o", str(tmp_path)]) == 2
    assert "range '3-2' is reversed; write 2-3" in capsys.readouterr().err
