"""The command line as a user meets it: outputs, exit statuses, one-line errors."""

from __future__ import annotations

import importlib.abc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SLIDES
from tui_deck.cli import main


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_deck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def test_outline_json_contract() -> None:
    result = run("outline", "slides", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["title"] for s in data["slides"]] == [
        "生日快乐，Istio！",
        "庆祝 Istio 的 4 岁生日",
        "Istio 取得重大发展的一年",
        "如何参加 Istio 的 4 岁生日庆典",
    ]
    second = data["slides"][1]
    assert {k: second[k] for k in ("index", "id", "level", "source", "line")} == {
        "index": 2,
        "id": "celebrating-istios-4th-birthday",
        "level": 2,
        "source": "slides/index.md",
        "line": 9,
    }
    image = second["images"][0]
    assert (image["src"], image["path"], image["exists"], image["caption"]) == (
        "./1.png",
        "slides/1.png",
        True,
        "Istio 的 4 岁生日",
    )
    assert data["slides"][0]["level"] == 0
    assert data["slides"][2]["links"][0] == {
        "text": "第 0 天和第 1 天",
        "url": "https://dzone.com/articles/defining-day-2-operations",
        "slide": None,
    }
    assert data["diagnostics"] == []


def test_outline_text_lists_every_slide(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", str(SLIDES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "生日快乐，Istio！  (4 slides, zh)"
    assert out[2].split() == [
        "2",
        "庆祝",
        "Istio",
        "的",
        "4",
        "岁生日",
        "#celebrating-istios-4th-birthday",
        "[1",
        "image,",
        "notes]",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--theme", "nope"],
            "istio-deck: error: argument --theme: unknown theme 'nope'; choose one of dark, light",
        ),
        (["--start", "99"], "istio-deck: error: --start 99: no such slide (1-4 or an id)"),
        (["--autoplay", "0"], "istio-deck: error: argument --autoplay: 0 seconds is out of range"),
    ],
)
def test_present_option_errors_before_the_app_starts(args: list[str], message: str) -> None:
    result = run("slides", *args)
    assert result.returncode == 2
    # One line says what is wrong (argparse puts its usage line before it).
    assert result.stderr.strip().splitlines()[-1].startswith(message)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["record", "slides", "--theme", "nope"],
            "istio-deck record: error: argument --theme: unknown theme 'nope'",
        ),
        (
            ["export", "slides", "--size", "20x5"],
            "istio-deck export: error: argument --size: size 20x5 is smaller than 40x12",
        ),
        (
            ["export", "slides", "--format", "png", "--png-size", "10x10"],
            "istio-deck export: error: argument --png-size: size 10x10 is not a picture size",
        ),
        (
            ["record", "slides", "--size", "100"],
            "istio-deck record: error: argument --size: size '100' is not WIDTHxHEIGHT",
        ),
    ],
)
def test_every_command_refuses_bad_options_alike(
    args: list[str], message: str, tmp_path: Path
) -> None:
    """The options that commands share are checked the same way, before any file is written."""
    result = run(*args, "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(message), result.stderr
    assert not (tmp_path / "out").exists()


def test_check_clean_deck_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SLIDES)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().endswith("4 slides, no problems")


def test_check_reports_file_line_and_exits_one(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text(
        '---\ntitle: T\n---\n\n## A\n\n{{< image link="./gone.png" >}}\n\n{{< tip >}}\nx\n',
        encoding="utf-8",
    )
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{tmp_path}/index.md:7: error: image ./gone.png not found "
        f"(looked for {tmp_path}/gone.png); fix the link",
        f"{tmp_path}/index.md:9: error: shortcode {{{{< tip >}}}} is never closed; "
        "add {{< /tip >}}",
    ]
    assert "2 errors, 0 warnings" in result.stderr


def test_warnings_only_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("## A\n\n{{< mystery >}}\n", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.returncode == 0
    assert "warning: unknown shortcode {{< mystery >}}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-dir"], "istio-deck: error: missing-dir: no such file or folder"),
        (["outline", "missing.md"], "istio-deck: error: missing.md: no such file or folder"),
        (["check", "tests"], None),
        # Presenting into a pipe would spin without a terminal to draw on.
        (["slides"], "istio-deck: error: presenting needs a terminal; to write files use"),
        (
            ["slides", "--duration", "20m"],
            "istio-deck: error: --duration is the presenter's countdown; add --presenter",
        ),
    ],
)
def test_usage_errors_are_one_line_exit_two(
    args: list[str], message: str | None, tmp_path: Path
) -> None:
    if message is None:  # a folder with no Markdown
        (tmp_path / "x.txt").write_text("x")
        args = ["check", str(tmp_path)]
        message = f"istio-deck: error: {tmp_path}: no Markdown found; point istio-deck at a .md"
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_option_value_exits_two() -> None:
    result = run("slides", "--split-level", "9")
    assert result.returncode == 2
    assert "9 is not a heading level from 1 to 6" in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == "istio-deck 0.1.0"
    help_text = run("--help").stdout
    for needle in ("outline", "check", "--split-level", "--base-url", "slides/"):
        assert needle in help_text


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        ["istio-deck", "outline", "slides"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0
    assert "生日快乐，Istio！" in result.stdout


def test_cell_ratio_option_is_checked() -> None:
    result = run("slides", "--cell-ratio", "9")
    assert result.returncode == 2
    assert "9 is not a cell ratio between 0.5 and 4" in result.stderr


def test_a_missing_cairo_library_is_named_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """cairocffi raises OSError when libcairo is not installed; that is not a write error."""

    class NoCairo(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, *args: object) -> None:
            if name == "cairosvg" or name.startswith("cairocffi"):
                raise OSError("no library called 'cairo-2' was found")

    for name in [n for n in sys.modules if n.startswith(("cairosvg", "cairocffi"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [NoCairo(), *sys.meta_path])
    code = main(["export", str(SLIDES), "--format", "png", "--slides", "1", "-o", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "istio-deck: error: SVG pictures need the cairo library "
        "(apt-get install libcairo2 / brew install cairo)"
    )
