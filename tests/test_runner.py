"""Live commands without the app: running in bash, the stop ladder, what of the output is
kept (colours) and what never is (every other escape sequence); and that check, outline
and export never run one."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tui_deck.cli import main
from tui_deck.deck import load_deck
from tui_deck.layout.page import layout_slide
from tui_deck.layout.theme import THEMES
from tui_deck.runner import Ended, Run, Transcript, sgr_only


def started(code: str, cwd: Path) -> tuple[Run, Transcript]:
    transcript = Transcript()
    run = Run(code, cwd, transcript.feed, lambda ended: None)
    run.start()
    return run, transcript


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_for(done, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_code_is_one_argument_to_bash_in_the_folder(tmp_path: Path) -> None:
    code = 'printf \'%s|\' "$0" "$#"; pwd -P; echo "$(echo \'a  b\')"'
    run, transcript = started(code, tmp_path)
    assert run.wait(5) == Ended(0, run.ended.seconds if run.ended else 0)
    transcript.finish()
    assert transcript.plain().splitlines() == [f"bash|0|{tmp_path.resolve()}", "a  b"]


def test_stdout_and_stderr_both_show_in_order(tmp_path: Path) -> None:
    run, transcript = started("echo one; echo two >&2; echo three", tmp_path)
    run.wait(5)
    assert transcript.plain().splitlines() == ["one", "two", "three"]


def test_the_exit_status_and_the_time(tmp_path: Path) -> None:
    run, _ = started("sleep 0.2; exit 3", tmp_path)
    ended = run.wait(5)
    assert ended is not None and ended.status == 3 and not ended.ok
    assert 0.2 <= ended.seconds < 3
    assert ended.status_text() == "3"


def test_escape_stops_with_sigint_first(tmp_path: Path) -> None:
    run, transcript = started(
        "trap 'echo caught; exit 130' INT; echo ready; sleep 100 & wait", tmp_path
    )
    wait_for(lambda: "ready" in transcript.plain(), 5)
    run.stop()
    ended = run.wait(1.0)
    assert ended is not None and ended.status == 130
    assert "caught" in transcript.plain()  # SIGINT reached the script: it could tidy up


@pytest.mark.parametrize(("ignored", "status"), [("INT", -15), ("INT TERM", -9)])
def test_a_command_that_ignores_sigint_is_still_stopped(
    tmp_path: Path, ignored: str, status: int
) -> None:
    run, transcript = started(f"trap '' {ignored}; echo ready; sleep 100", tmp_path)
    wait_for(lambda: "ready" in transcript.plain(), 5)
    assert run.pid is not None
    pid = run.pid
    began = time.monotonic()
    run.stop()
    ended = run.wait(2.5)
    assert ended is not None and ended.status == status
    assert time.monotonic() - began < 1.6
    assert gone(pid)


def test_stop_reaches_what_the_command_started(tmp_path: Path) -> None:
    pidfile = tmp_path / "child"
    run, _ = started(f"sleep 100 & echo $! > {pidfile}; wait", tmp_path)
    wait_for(lambda: pidfile.exists() and pidfile.read_text().strip(), 5)
    child = int(pidfile.read_text())
    run.stop()
    assert run.wait(2) is not None
    wait_for(lambda: gone(child) or _zombie(child), 1.5)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_colours_are_kept_every_other_sequence_dropped() -> None:
    raw = (
        "\x1b]0;pwned\x07\x1b[31mred\x1b[0m \x1b[2J\x1b[Hplain\x1bP1$q\x1b\\"
        "\x1b]52;c;aGk=\x07\x1b[38;5;208morange\x1b[m\x1b[?1049h\x07\x08!"
    )
    assert sgr_only(raw) == "\x1b[31mred\x1b[0m plain\x1b[38;5;208morange\x1b[m!"
    transcript = Transcript()
    transcript.feed(raw.encode() + b"\n")
    (line,) = transcript.lines
    assert line.plain == "red plainorange!"
    assert [(s.start, s.end) for s in line.spans] == [(0, 3), (9, 15)]


def test_lines_grow_as_they_come_and_a_carriage_return_overwrites() -> None:
    transcript = Transcript()
    transcript.feed("你".encode()[:2])  # a character cut between two reads
    transcript.feed("你".encode()[2:] + "好".encode())
    assert transcript.plain() == "你好"
    transcript.feed(b"\nprogress 10%\r")
    transcript.feed(b"progress 90%\rprogress 100%\n")
    transcript.feed(b"\r\n")
    assert [line.plain for line in transcript.lines] == ["你好", "progress 100%", ""]


def test_bad_utf8_is_shown_as_replacement_characters() -> None:
    transcript = Transcript()
    transcript.feed(b"ok \xff\xfe\n")
    transcript.finish()
    assert transcript.plain() == "ok \ufffd\ufffd"


# ----------------------------------------------------------------- nothing runs elsewhere


@pytest.fixture
def live_deck(tmp_path: Path) -> Path:
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: Demo\n---\n\n## Run\n\n<!-- exec -->\n```bash\ntouch ran-once\n```\n\n"
        "```bash +exec\ntouch ran-twice\n```\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def no_bash(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Popen as before, except that a bash command fails the test."""
    calls: list[object] = []
    real = subprocess.Popen

    def popen(args: object, *rest: object, **kwargs: object) -> object:
        calls.append(args)
        assert "bash" not in str(args) and "ran-" not in str(args), args
        return real(args, *rest, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(Run, "start", lambda self: pytest.fail("a live command was started"))
    return calls


@pytest.mark.parametrize("command", [["check"], ["outline"], ["outline", "--json"]])
def test_check_and_outline_run_nothing(
    live_deck: Path, no_bash: list[object], command: list[str]
) -> None:
    main([*command, str(live_deck)])
    assert not list(live_deck.glob("ran-*"))


@pytest.mark.parametrize("fmt", ["text", "svg", "html"])
def test_export_runs_nothing_and_shows_no_key(
    live_deck: Path, no_bash: list[object], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(live_deck), "--format", fmt, "-o", str(out)]) == 0
    assert not list(live_deck.glob("ran-*"))
    written = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.*") if p.suffix != ".png")
    assert "ran-once" in written and "ran-twice" in written  # the code shows
    assert "▶" not in written  # no key promised where nothing can run


def test_the_key_shows_only_where_a_command_can_run(live_deck: Path) -> None:
    deck = load_deck(live_deck)
    plain = layout_slide(deck, 1, 60, 20, THEMES["dark"])[0].text()
    live = layout_slide(deck, 1, 60, 20, replace(THEMES["dark"], live=True))[0].text()
    assert "▶ e" not in plain
    rows = [row for row in live.splitlines() if "▶ e" in row]
    assert len(rows) == 2  # one a block
    for row, code in zip(rows, ["touch ran-once", "touch ran-twice"], strict=True):
        assert code in row  # bottom-right, on the code's last row: nothing covered
        assert len(row) <= 60 and row.rstrip().endswith("▶ e")


@pytest.mark.parametrize("width", [40, 44, 52, 100])
def test_the_key_never_covers_code(tmp_path: Path, width: int) -> None:
    (tmp_path / "index.md").write_text(
        "---\ntitle: Demo\n---\n\n## Run\n\n```bash +exec\n"
        "kubectl get pods -n istio-system -o wide --show-labels\n"
        "echo 你好世界你好世界你好世界\n```\n",
        encoding="utf-8",
    )
    deck = load_deck(tmp_path)
    theme = replace(THEMES["dark"], live=True)
    text = "".join(page.text() for page in layout_slide(deck, 1, width, 16, theme))
    assert text.count("▶ e") == 1
    joined = "".join(line.strip().rstrip("↩").strip() for line in text.splitlines())
    assert "kubectl" in joined and "你好世界你好世界你好世界" in joined.replace("▶ e", "")


def test_a_full_last_row_puts_the_key_on_a_row_of_its_own(tmp_path: Path) -> None:
    code = "echo " + "y" * 45
    (tmp_path / "index.md").write_text(
        f"---\ntitle: Demo\n---\n\n## Run\n\n```bash +exec\n{code}\n```\n", encoding="utf-8"
    )
    deck = load_deck(tmp_path)
    plain = layout_slide(deck, 1, 60, 16, THEMES["dark"])[0].text().splitlines()
    live = layout_slide(deck, 1, 60, 16, replace(THEMES["dark"], live=True))[0].text().splitlines()
    at = next(n for n, row in enumerate(live) if code in row)
    assert plain[at] == live[at]  # the code's row untouched
    assert live[at + 1].strip() == "▶ e" and live[at + 1].rstrip().endswith("▶ e")


def test_export_with_the_flag_runs_each_block_once_and_shows_its_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: 演示\n---\n\n## 运行\n\n<!-- exec -->\n```bash\n"
        "echo 你好; printf '\\033]0;pwned\\007'; printf '\\033[31mred\\033[0m\\n'; "
        "echo >> count; echo done\n```\n\n"
        "```bash +exec\necho started; sleep 100\n```\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("tui_deck.runner.EXPORT_TIMEOUT", 0.5)
    out = tmp_path / "out"
    began = time.monotonic()
    assert main(["export", str(folder), "--allow-exec", "--format", "svg", "-o", str(out)]) == 0
    assert time.monotonic() - began < 5  # the sleep was stopped at the timeout
    assert (folder / "count").read_text() == "\n"  # once, though the slide is laid out often
    assert main(["export", str(folder), "--format", "text", "-o", str(out / "t")]) == 0
    page = (out / "t" / "002.txt").read_text(encoding="utf-8")
    assert "你好" not in page.split("echo 你好")[1]  # without the flag: no output
    svg = (out / "002.svg").read_text(encoding="utf-8")
    assert "\x1b" not in svg and "\x07" not in svg and "pwned" not in svg.split("done", 1)[1]


def test_export_output_rows_under_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: Demo\n---\n\n## Run\n\n<!-- exec -->\n```bash\n"
        "echo one; printf '\\033]0;pwned\\007'; echo two >&2; exit 3\n```\n\n"
        "```bash +exec\necho started; sleep 100\n```\n\n"
        "```bash +exec\nseq 1 60\n```\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("tui_deck.runner.EXPORT_TIMEOUT", 0.5)
    out = tmp_path / "out"
    assert main(["export", str(folder), "--allow-exec", "--size", "80x80", "-o", str(out)]) == 0
    rows = [row.strip() for row in (out / "002.txt").read_text(encoding="utf-8").splitlines()]
    first = rows.index("echo one; printf '\\033]0;pwned\\007'; echo two >&2; exit 3")
    assert rows[first + 1].startswith("───") and "✗ 3 · " in rows[first + 1]
    assert rows[first + 2 : first + 4] == ["one", "two"]
    second = rows.index("echo started; sleep 100")
    assert "✗ stopped after 0.5 s" in rows[second + 1] and rows[second + 2] == "started"
    third = rows.index("seq 1 60")
    assert "✓ 0 · " in rows[third + 1]
    assert rows[third + 2] == "… 20 more lines above" and rows[third + 3] == "21"
    assert rows[third + 42] == "60"


def test_the_command_is_told_the_panel_size(tmp_path: Path) -> None:
    import shlex
    import sys

    script = "import os; print(tuple(os.get_terminal_size(1)))"
    transcript = Transcript()
    run = Run(
        f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}",
        tmp_path,
        transcript.feed,
        lambda ended: None,
        size=(72, 9),
    )
    run.start()
    assert run.wait(10) is not None
    assert transcript.plain() == "(72, 9)"


def test_a_python_block_runs_in_python_and_another_language_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """presenterm decks run `python +exec` blocks with Python: so does istio-deck; a block
    in a language it has no program for is a check warning at its line, shown as code and
    never handed to bash."""
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: Demo\n---\n\n## Run\n\n```python +exec\nprint(6 * 7)\n```\n\n"
        "```ruby +exec\nputs 1\n```\n",
        encoding="utf-8",
    )
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "index.md:11: warning: a live command in ruby cannot run" in out
    assert "index.md:7" not in out
    export = tmp_path / "out"
    assert main(["export", str(folder), "--allow-exec", "--format", "text", "-o", str(export)]) == 0
    page = (export / "002.txt").read_text(encoding="utf-8")
    assert "42" in page and "✓ 0" in page
    assert "ran 1 live command" in capsys.readouterr().err
