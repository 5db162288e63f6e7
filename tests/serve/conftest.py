"""What the browser tests of ``istio-deck serve`` share: Debian's Chromium (``.ci/run``
installs it; Playwright is pointed at it and never downloads a browser)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system Chromium's path; a missing browser fails the test (never a skip)."""
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("no chromium on PATH: apt-get install chromium (.ci/run does)")
    return found
