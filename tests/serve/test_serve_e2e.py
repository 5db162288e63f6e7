"""``istio-deck serve`` end to end: the real command, the presenter's tab and three
audience tabs in headless Chromium (Debian's ``chromium``, driven by Playwright), and a
terminal presenter (``istio-deck PATH --presenter`` in tmux) on the same deck.

One server and one browser for the whole module (each start costs seconds on 2 cores);
the tests run in the file's order, each from where the talk is (the first one from the
title). Every request every page makes is recorded, and a later test looks at them all.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT, SLIDES
from tests.serving import serve_env, start_serve

#: The shown page of a served deck: the one section that is not hidden (raster.py's render()).
SHOWN_SLIDE = """() => {
  const shown = [...document.querySelectorAll('section.page')].filter(p => !p.hidden);
  return shown.length === 1 ? Number(shown[0].dataset.slide) : null;
}"""
#: Waits until that page shows the slide given as its argument (a function, not an
#: expression: the served deck's Content-Security-Policy forbids eval).
SHOWS = f"want => ({SHOWN_SLIDE})() === want"
#: The presenter's app has drawn its first frame (textual.js marks the body).
FIRST_BYTE = "body.-first-byte"
#: One second from the presenter's key to the last audience tab (issue 17).
FOLLOW_SECONDS = 1.0


@dataclass
class Served:
    """The running ``istio-deck serve`` and what it printed."""

    process: subprocess.Popen[str]
    deck: Path
    env: dict[str, str]
    presenter: str
    speaker: str
    audience: str
    #: Every URL the browser's pages asked for (requests, event streams and WebSockets).
    requests: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        port = urlsplit(self.audience).port
        assert port is not None
        return port

    def talk(self) -> int:
        """Where the talk is, as a viewer that connects now is told (the stream's first
        message)."""
        path = urlsplit(self.audience).path + "events"
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as conn:
            conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
            data = b""
            while b"\ndata: " not in data or not data.rstrip(b"\r\n").endswith(b"}"):
                chunk = conn.recv(4096)
                assert chunk, data
                data += chunk
        message = json.loads(re.findall(rb"\ndata: (\{.*?\})\n", data)[0])
        slide = message["slide"]
        assert isinstance(slide, int)
        return slide


def _printed_urls(process: subprocess.Popen[str], seconds: float = 30) -> dict[str, str]:
    """The three ``name: URL`` lines serve prints (read on a thread: never blocks for ever)."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    urls: dict[str, str] = {}
    deadline = time.monotonic() + seconds
    while len(urls) < 3:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"serve printed {urls} in {seconds} s (exit code {process.poll()})")
        name, _, url = line.partition(":")
        urls[name.strip()] = url.strip()
    return urls


def _apps_of(deck: Path) -> list[int]:
    """The running processes (serve, app or terminal presenter) started for this test's
    deck: a ``tui_deck`` command line naming its path."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:  # gone, or not a process
            continue
        if b"tui_deck" in args and str(deck).encode() in args:
            found.append(int(proc.name))
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``python -m tui_deck serve DECK --port 0 --no-watch`` on a copy of the seed deck (a
    path no other test or talk uses), its link in a fresh private runtime folder."""
    home = tmp_path_factory.mktemp("serve-e2e")
    deck = home / "deck"
    shutil.copytree(SLIDES, deck)
    env = serve_env(home)
    process = start_serve(home, deck, "--no-watch", stderr=subprocess.DEVNULL)
    try:
        urls = _printed_urls(process)
        yield Served(process, deck, env, urls["presenter"], urls["speaker"], urls["audience"])
    finally:
        # Ctrl-C, as a presenter ends it: the server closes the tabs' sockets and waits for
        # the app processes it started (each in its own session) to quit.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail("serve did not stop on Ctrl-C within 20 s")
    deadline = time.monotonic() + 10
    while _apps_of(deck) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _apps_of(deck)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "processes left running after serve stopped"


@dataclass
class Tabs:
    presenter: Page
    audience: list[Page]


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


def _record(page: Page, requests: list[str]) -> None:
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))


@pytest.fixture(scope="module")
def tabs(served: Served, browser: Browser) -> Iterator[Tabs]:
    """The presenter's tab and three audience tabs, every request recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    presenter = context.new_page()
    _record(presenter, served.requests)
    frames: list[float] = []
    presenter.on(
        "websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.monotonic()))
    )
    presenter.goto(served.presenter)
    audience = []
    for _ in range(3):
        page = context.new_page()
        _record(page, served.requests)
        page.goto(served.audience)
        audience.append(page)
    presenter.wait_for_selector(FIRST_BYTE, timeout=30_000)
    # The app has drawn (and joined the link) when its frames stop for a while.
    deadline = time.monotonic() + 30
    while not frames or time.monotonic() - frames[-1] < 0.5:
        assert time.monotonic() < deadline, "the presenter's app never stopped drawing"
        presenter.wait_for_timeout(100)
    for page in audience:  # each tab heard the talk's position (follow.py's apply() ran)
        page.wait_for_function("() => document.body.dataset.zoom !== undefined", timeout=10_000)
    yield Tabs(presenter, audience)
    context.close()


def _shown(page: Page) -> int | None:
    shown = page.evaluate(SHOWN_SLIDE)
    assert shown is None or isinstance(shown, int)
    return shown


def test_a_key_in_the_presenters_tab_moves_every_audience_tab_within_a_second(
    served: Served, tabs: Tabs
) -> None:
    # The talk starts on the title (data-slide 0); → reaches the second slide (data-slide 1).
    assert len(_apps_of(served.deck)) == 2  # serve, and the app of the presenter's tab
    assert served.talk() == 0
    assert [_shown(page) for page in tabs.audience] == [0, 0, 0]
    tabs.presenter.focus(".xterm-helper-textarea")
    start = time.monotonic()
    tabs.presenter.keyboard.press("ArrowRight")
    for page in tabs.audience:
        left = FOLLOW_SECONDS - (time.monotonic() - start)
        page.wait_for_function(SHOWS, arg=1, timeout=max(1.0, left * 1000))
    elapsed = time.monotonic() - start
    assert elapsed < FOLLOW_SECONDS, f"the last audience tab followed after {elapsed:.3f} s"
    assert [_shown(page) for page in tabs.audience] == [1, 1, 1]
    assert served.talk() == 1


def test_a_key_in_one_audience_tab_moves_only_that_tab(served: Served, tabs: Tabs) -> None:
    talk = served.talk()
    mine, *others = tabs.audience
    assert [_shown(page) for page in tabs.audience] == [talk] * 3
    mine.keyboard.press("ArrowRight")
    mine.wait_for_function(SHOWS, arg=talk + 1, timeout=2_000)
    assert mine.evaluate("document.body.dataset.following") == "no"
    mine.wait_for_timeout(500)  # time for a move to reach the others, if one were sent
    assert served.talk() == talk  # the talk (the presenter's position) did not move
    assert [_shown(page) for page in others] == [talk, talk]
    assert [page.evaluate("document.body.dataset.following") for page in others] == ["yes"] * 2
    # `f`: that tab follows the talk again, back on the talk's page.
    mine.keyboard.press("f")
    mine.wait_for_function(SHOWS, arg=talk, timeout=2_000)
    assert mine.evaluate("document.body.dataset.following") == "yes"
    assert served.talk() == talk


def test_a_terminal_presenter_drives_the_audience_tabs(served: Served, tabs: Tabs) -> None:
    """`istio-deck DECK --presenter` in a terminal (tmux, its own server) joins the deck's
    link and moves every audience tab, as the browser's presenter does."""
    if shutil.which("tmux") is None:
        pytest.fail("no tmux on PATH: apt-get install tmux (.ci/run does)")
    talk = served.talk()
    tmux = ["tmux", "-L", f"istio-deck-e2e-{os.getpid()}"]
    command = shlex.join(
        [
            "env",
            f"PYTHONPATH={served.env['PYTHONPATH']}",
            f"XDG_RUNTIME_DIR={served.env['XDG_RUNTIME_DIR']}",
            "TERM=xterm-256color",
            sys.executable,
            "-m",
            "tui_deck",
            str(served.deck),
            "--presenter",
        ]
    )
    subprocess.run(
        [*tmux, "-f", "/dev/null", "new", "-d", "-s", "speaker", "-x", "100", "-y", "30", command],
        check=True,
        env={k: v for k, v in os.environ.items() if k != "TMUX"},
    )
    try:
        # The terminal joined where the talk is (its footer counts the slides).
        deadline = time.monotonic() + 30
        pane = ""
        while f"{talk + 1} / 4" not in pane:
            assert time.monotonic() < deadline, pane
            time.sleep(0.2)
            pane = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "speaker"], capture_output=True, text=True
            ).stdout
        time.sleep(0.5)
        subprocess.run([*tmux, "send-keys", "-t", "speaker", "Right"], check=True)
        for page in tabs.audience:
            page.wait_for_function(SHOWS, arg=talk + 1, timeout=5_000)
        assert served.talk() == talk + 1
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


@pytest.mark.parametrize("font_size", [16, 20, 24])
def test_the_presenters_cells_are_the_fonts_own_width(
    served: Served, browser: Browser, font_size: int
) -> None:
    """A cell is half a Chinese character of the page's font (Noto Sans Mono CJK SC: a
    Latin letter is half an em), whatever the font size: 1200 pixels hold 2400 / size
    columns. (xterm.js floored Chromium's 9.99998 to 9 pixels at 20 px: 133 columns, every
    glyph squeezed.) The socket is answered by the test: no app is started."""
    page = browser.new_page(viewport={"width": 1200, "height": 600})
    asked: list[str] = []
    page.route_web_socket(re.compile(r".*/ws/main.*"), lambda ws: asked.append(ws.url))
    try:
        page.goto(f"{served.presenter}?fontsize={font_size}")
        page.wait_for_function("() => document.querySelector('.xterm-screen') !== null")
        deadline = time.monotonic() + 10
        while not asked:
            assert time.monotonic() < deadline, "the page never opened its socket"
            page.wait_for_timeout(50)
    finally:
        page.close()
    width = int(re.findall(r"[?&]width=(\d+)", asked[0])[0])
    assert width == 2400 // font_size


def _status(port: int, target: str, headers: dict[str, str] | None = None) -> int:
    """The status of a GET (its first line), read raw: a refused upgrade is a plain answer."""
    lines = [f"GET {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n" not in head:
            chunk = conn.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split()[1])


def _upgrade(origin: str) -> dict[str, str]:
    return {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Origin": origin,
    }


def test_no_token_a_wrong_token_and_a_foreign_origin_are_refused(served: Served) -> None:
    port = served.port
    audience = urlsplit(served.audience).path  # /a/TOKEN/
    presenter = urlsplit(served.presenter).path  # /present/TOKEN/
    wrong_audience = "/a/" + "x" * len(audience.split("/")[2]) + "/"
    wrong_presenter = "/present/" + "x" * len(presenter.split("/")[2]) + "/"
    for target in (
        "/a/",
        "/a//events",
        wrong_audience,
        wrong_audience + "events",
        "/present/",
        wrong_presenter,
        wrong_presenter + "static/textual.js",
    ):
        assert _status(port, target) == 403, target
    own = f"http://127.0.0.1:{port}"
    # A WebSocket from another site's page (its Origin) is refused before it is upgraded,
    # and so is one from this server's page with a wrong token.
    assert _status(port, presenter + "ws/main", _upgrade("http://evil.example")) == 403
    assert _status(port, presenter + "ws/main", _upgrade(f"http://evil.example:{port}")) == 403
    assert _status(port, wrong_presenter + "ws/main", _upgrade(own)) == 403
    # The same requests with the right token and Origin are served (the refusals are real).
    assert _status(port, audience) == 200
    assert _status(port, presenter) == 200
    assert _status(port, presenter + "ws/speaker", _upgrade(own)) == 101


def test_the_pages_asked_nothing_of_any_other_host(served: Served, tabs: Tabs) -> None:
    """Every request the four tabs made (pages, scripts, styles, event streams, sockets)
    went to this server on 127.0.0.1."""
    assert tabs.presenter.evaluate("document.body.className")  # the tabs are still open
    kinds = {urlsplit(url).path.split("/")[-1] for url in served.requests}
    assert {"", "textual.js", "boot.js", "xterm.css", "events", "main"} <= kinds
    for url in served.requests:
        parts = urlsplit(url)
        assert (parts.scheme, parts.hostname, parts.port) in {
            ("http", "127.0.0.1", served.port),
            ("ws", "127.0.0.1", served.port),
        }, url


def test_serve_without_the_web_parts_says_how_to_get_them(tmp_path: Path) -> None:
    """The extra not installed (simulated: its modules cannot be imported): one line that
    says what to install, exit code 2, no traceback, no port opened."""
    script = (
        "import sys\n"
        "sys.modules['textual_serve'] = None\n"
        "sys.modules['aiohttp'] = None\n"
        "from tui_deck.cli import main\n"
        "sys.exit(main(['serve', sys.argv[1], '--port', '0']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(SLIDES)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'istio-deck: error: serving needs the web parts: pip install "istio-deck[serve]"'
    ]
