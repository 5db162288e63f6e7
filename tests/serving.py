"""Starting the real ``istio-deck serve`` for a test: its own private runtime folder (so its
link meets no other test's or a real talk's), port 0, its own session (Ctrl-C reaches it as
at a terminal)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def serve_env(home: Path) -> dict[str, str]:
    """The environment of a process of the test's talk (``home/run`` as XDG_RUNTIME_DIR)."""
    runtime = home / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("ISTIO_DECK_DEBUG", None)
    return env


def start_serve(
    home: Path, deck: Path, *options: str, stderr: int = subprocess.PIPE
) -> subprocess.Popen[str]:
    """``python -m tui_deck serve DECK --port 0 OPTIONS…``, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "tui_deck", "serve", str(deck), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=serve_env(home),
        cwd=home,
        start_new_session=True,
    )
