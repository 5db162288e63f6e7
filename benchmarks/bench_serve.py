"""istio-deck serve under an audience: N viewers' event streams on loopback.

    python benchmarks/bench_serve.py              # 500 viewers, 20 moves a run
    python benchmarks/bench_serve.py --quick      # 50 viewers
    python benchmarks/bench_serve.py --no-key     # the link's moves only (no app process)

Starts the real command, ``python -m tui_deck serve slides/ --port 0 --no-watch``, in its
own process with a fresh private XDG_RUNTIME_DIR (its link meets no talk in progress),
reads the audience's URL from what it prints, and opens N server-sent-event streams on
``/a/TOKEN/events`` with plain asyncio HTTP/1.1 clients (the stream is chunked; each client
de-chunks it), a bounded number connecting at once, each within a timeout. Then 20 moves
a run, each once every viewer has the one before (and 0.1 s later), timed from the move to
the last viewer's message:

- **link**: a presenter view on the deck's link (app/sync.Link, as ``istio-deck slides/
  --presenter`` in a terminal joins it) sends each move;
- **key**: the presenter's own tab: a WebSocket on ``/present/TOKEN/ws/main`` (the page's
  Origin) starts the real app process through textual-serve, and each move is → or ← sent
  as the browser sends a key (``["stdin", "\\x1b[C"]``): the app moves and tells the link,
  the server tells every viewer.

Each kind runs with 1 viewer (the baseline) and with N, in the same server process; the
ratio is N viewers' median over 1 viewer's. The server's memory (VmRSS and its peak VmHWM
from /proc/PID/status) is the server process's only: the presenter's app process is its
child and is reported apart. The clients run in this process on the same cores, so the
times include their reading too. The soft limit on open files is raised (to the hard limit
at most) when N streams would not fit. Exit status 1 when a viewer missed a move.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MOVES = 20
#: Seconds between one move reaching every viewer and the next move (a speaker is slower).
PAUSE = 0.1
#: How long a move may take to reach every viewer before the run stops counting.
MOVE_TIMEOUT = 10.0
#: Streams connecting at once, and the time each has to be answered.
CONNECTING = 64
CONNECT_TIMEOUT = 10.0
#: Files this process and the server need beside the streams.
SPARE_FILES = 256
RIGHT, LEFT = "\x1b[C", "\x1b[D"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def rss(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB."""
    fields = status(pid)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(n) for n in (task / "children").read_text().split()]
    return found


def raise_file_limit(viewers: int) -> str:
    """Room for ``viewers`` sockets here and in the server (it inherits the limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = viewers + SPARE_FILES
    if soft >= need:
        return f"open files: soft limit {soft} (enough for {viewers} streams), hard {hard}"
    if hard != resource.RLIM_INFINITY and hard < need:
        raise SystemExit(
            f"{viewers} streams need {need} open files and the hard limit is {hard}: "
            "raise it (ulimit -Hn, as root) or ask for fewer --viewers"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    return f"open files: soft limit raised {soft} → {need} (hard {hard}) for {viewers} streams"


def machine() -> str:
    cpu = platform.machine()
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def commit() -> str:
    """The commit measured (``+changes`` with uncommitted edits), "unknown" without git."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


# --------------------------------------------------------------------------- the viewers

Listener = Callable[["Viewer", dict[str, object], float], None]


class Viewer:
    """One audience tab's event stream: a plain HTTP/1.1 GET whose chunked body is read
    chunk by chunk, each ``data:`` message handed to the listeners with its arrival time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, port: int, target: str) -> Viewer:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200") or b"chunked" not in head.lower():
                raise ConnectionError(f"stream refused: {head[:60]!r}")
        except BaseException:
            writer.close()
            raise
        return cls(reader, writer)

    async def read(self, listeners: list[Listener]) -> None:
        buffer = b""
        try:
            while True:
                size = int(await self.reader.readuntil(b"\r\n"), 16)
                if size == 0:
                    return
                chunk = await self.reader.readexactly(size + 2)
                stamp = time.perf_counter()
                buffer += chunk[:-2]
                while b"\n\n" in buffer:
                    block, _, buffer = buffer.partition(b"\n\n")
                    if block.startswith(b"data: "):  # (event: reload, comments: skipped)
                        data = json.loads(block[6:].split(b"\n", 1)[0])
                        for listener in listeners:
                            listener(self, data, stamp)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            return
        finally:
            self.writer.close()

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self.writer.close()


class Watch:
    """Set once ``count`` viewers have had a message that ``match`` accepts."""

    def __init__(self, count: int, match: Callable[[dict[str, object]], bool]) -> None:
        self.count, self.match = count, match
        self.seen: set[int] = set()
        self.done = asyncio.Event()

    def __call__(self, viewer: Viewer, data: dict[str, object], stamp: float) -> None:
        if self.match(data):
            self.seen.add(id(viewer))
            if len(self.seen) >= self.count:
                self.done.set()


class Tally:
    """Each viewer's messages numbered from 0 as they arrive: move k is message k."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.next: dict[int, int] = collections.defaultdict(int)
        self.arrivals: dict[int, list[tuple[float, str]]] = collections.defaultdict(list)
        self.done: dict[int, asyncio.Event] = collections.defaultdict(asyncio.Event)

    def __call__(self, viewer: Viewer, data: dict[str, object], stamp: float) -> None:
        n = self.next[id(viewer)]
        self.next[id(viewer)] = n + 1
        self.arrivals[n].append((stamp, where(data)))
        if len(self.arrivals[n]) >= self.count:
            self.done[n].set()


def where(data: dict[str, object]) -> str:
    keys = ("id", "slide", "page", "step", "blank", "zoom")
    return json.dumps([data.get(key) for key in keys])


@dataclass
class Run:
    kind: str
    #: Viewers asked for (each must have every move) and how many streams opened.
    asked: int
    viewers: int
    latencies: list[float] = field(default_factory=list)
    received: int = 0
    #: The server process's CPU time (user + system) over the moves, per move.
    cpu_ms: float = float("nan")
    #: This process's (the clients') CPU time over the moves, per move.
    clients_ms: float = float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class Bench:
    def __init__(self, port: int, target: str, server: int) -> None:
        self.port, self.target, self.server = port, target, server
        self.listeners: list[Listener] = []
        self.viewers: list[Viewer] = []
        self.failed = 0

    async def open(self, count: int, deadline: float = 120.0) -> None:
        """``count`` more viewers, CONNECTING at a time; each has its first message (where
        the talk is) before this returns."""
        first = Watch(count, lambda data: True)
        self.listeners.append(first)
        gate = asyncio.Semaphore(CONNECTING)
        opened: list[Viewer] = []

        async def one() -> None:
            async with gate:
                try:
                    viewer = await asyncio.wait_for(
                        Viewer.open(self.port, self.target), CONNECT_TIMEOUT
                    )
                except (OSError, TimeoutError, asyncio.IncompleteReadError):
                    self.failed += 1
                    return
                viewer.task = asyncio.create_task(viewer.read(self.listeners))
                opened.append(viewer)

        await asyncio.wait_for(asyncio.gather(*(one() for _ in range(count))), deadline)
        first.count = len(opened)
        if len(first.seen) < first.count:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(first.done.wait(), CONNECT_TIMEOUT)
        self.listeners.remove(first)
        self.viewers += opened

    def close_all(self) -> None:
        for viewer in self.viewers:
            viewer.close()
        self.viewers = []

    async def settle(
        self, send: Callable[[], None], match: Callable[[dict[str, object]], bool]
    ) -> bool:
        """Send (and send again) a first move until every viewer has it; then a moment of
        quiet, so that every viewer counts the timed moves from the same point."""
        watch = Watch(len(self.viewers), match)
        self.listeners.append(watch)
        try:
            for _ in range(30):
                send()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watch.done.wait(), 2)
                    break
            await asyncio.sleep(0.3)
            return watch.done.is_set()
        finally:
            self.listeners.remove(watch)

    async def play(self, kind: str, asked: int, send: Callable[[int], None], check_id: bool) -> Run:
        """MOVES moves, each once every viewer has the one before; the time from the send
        to the last viewer's message."""
        run = Run(kind, asked, len(self.viewers))
        tally = Tally(len(self.viewers))
        self.listeners.append(tally)
        cpu, clients = cpu_seconds(self.server), time.process_time()
        try:
            for move in range(MOVES):
                sent = time.perf_counter()
                send(move)
                try:
                    await asyncio.wait_for(tally.done[move].wait(), MOVE_TIMEOUT)
                except TimeoutError:
                    break
                run.latencies.append((max(t for t, _ in tally.arrivals[move]) - sent) * 1000)
                await asyncio.sleep(PAUSE)
            await asyncio.sleep(PAUSE)
            moves = max(1, len(run.latencies))
            run.cpu_ms = (cpu_seconds(self.server) - cpu) * 1000 / moves
            run.clients_ms = (time.process_time() - clients) * 1000 / moves
        finally:
            self.listeners.remove(tally)
        # Every viewer's message k must be move k: the one every other viewer had (the
        # link's moves say their id; a key's move must differ from the move before).
        before = ""
        for move in range(MOVES):
            places = [place for _, place in tally.arrivals.get(move, [])]
            if not places:
                break
            common = collections.Counter(places).most_common(1)[0][0]
            if check_id and json.loads(common)[0] != f"move-{move}":
                break
            if common == before:
                break
            run.received += places.count(common)
            before = common
        return run


# --------------------------------------------------------------------------- the presenter


class PresenterTab:
    """The presenter's browser tab as textual-serve's page talks to the server: a
    WebSocket from the page's Origin, the screen read (and dropped), keys sent as stdin."""

    def __init__(self, port: int, url: str) -> None:
        self.port = port
        self.socket_url = url.replace("http://", "ws://", 1) + "ws/main?width=100&height=30"
        self.screen = ""
        self.drawn = asyncio.Event()
        self._pattern = re.compile(r"\b\d+ / \d+\b")

    async def open(self) -> None:
        import aiohttp

        self.session = aiohttp.ClientSession()
        origin = {"Origin": f"http://127.0.0.1:{self.port}"}
        self.ws = await self.session.ws_connect(self.socket_url, headers=origin)
        await self.ws.send_json(["resize", {"width": 100, "height": 30}])
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import aiohttp

        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY and not self.drawn.is_set():
                self.screen = (self.screen + message.data.decode("utf-8", "replace"))[-65536:]
                if self._pattern.search(ANSI.sub("", self.screen)):  # the footer: N / M
                    self.drawn.set()

    def press(self, key: str) -> None:
        self.sending = asyncio.ensure_future(self.ws.send_json(["stdin", key]))

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()
        self.task.cancel()
        await self.session.close()


# --------------------------------------------------------------------------- the run


async def start_server(
    deck: Path, runtime: str, log: Path
) -> tuple[asyncio.subprocess.Process, dict[str, str]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XDG_RUNTIME_DIR": runtime,
        "XDG_CACHE_HOME": str(Path(runtime) / "cache"),
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "tui_deck", "serve", str(deck), "--port", "0", "--no-watch"),
        stdout=asyncio.subprocess.PIPE,
        stderr=log.open("wb"),
        env=env,
        cwd=ROOT,
    )
    urls: dict[str, str] = {}
    assert server.stdout is not None
    while len(urls) < 3:
        line = (await asyncio.wait_for(server.stdout.readline(), 60)).decode()
        if not line:
            raise SystemExit(f"serve ended before printing its URLs:\n{log.read_text()[-2000:]}")
        name, _, url = line.partition(":")
        urls[name.strip()] = url.strip()
    return server, urls


async def bench(
    count: int, deck: Path, key: bool, runtime: str
) -> tuple[list[Run], dict[str, float]]:
    from tui_deck.app.sync import Link, Position, deck_socket
    from tui_deck.deck import Options, load_deck

    loaded = load_deck(deck, Options(talk=True))
    before = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = runtime  # the link of this run's server
    try:
        socket = deck_socket(deck, [post.source for post in loaded.posts])
    finally:
        if before is None:
            del os.environ["XDG_RUNTIME_DIR"]
        else:
            os.environ["XDG_RUNTIME_DIR"] = before
    log = Path(runtime) / "serve.log"
    server, urls = await start_server(deck, runtime, log)
    memory: dict[str, float] = {}
    runs: list[Run] = []
    try:
        audience = urls["audience"]
        port = int(audience.split(":")[2].split("/")[0])
        events = audience.split(str(port), 1)[1] + "events"
        await asyncio.sleep(0.5)
        memory["start"] = rss(server.pid)[0]
        bench = Bench(port, events, server.pid)

        # the link: a presenter view on the deck's socket sends each move
        presenter = Link(socket, lambda position: None, lambda: Position(0, speaker=True))
        await presenter.start()

        def link_move(move: int) -> None:
            slide = (move + 1) % 2
            presenter.send(Position(slide, moved_at=time.time(), speaker=True, id=f"move-{move}"))

        def warm() -> None:
            presenter.send(Position(1, moved_at=time.time(), speaker=True, id="warm-up"))

        for viewers in (1, count):
            await bench.open(viewers)
            if viewers == count:
                memory["streams"] = rss(server.pid)[0]
            if not await bench.settle(warm, lambda data: data.get("id") == "warm-up"):
                raise SystemExit(
                    f"the server never heard the presenter:\n{log.read_text()[-2000:]}"
                )
            runs.append(await bench.play("link", viewers, link_move, check_id=True))
            bench.close_all()
            await asyncio.sleep(0.5)
        presenter.close_now()

        if key:
            # the presenter's tab: the real app, keys as the browser sends them
            tab = PresenterTab(port, urls["presenter"])
            await tab.open()
            await asyncio.wait_for(tab.drawn.wait(), 60)
            keys = [LEFT, RIGHT]
            for viewers in (1, count):
                await bench.open(viewers)
                if not await bench.settle(lambda: tab.press(RIGHT), lambda data: True):
                    raise SystemExit(
                        f"the app's key never reached the viewers:\n{log.read_text()[-2000:]}"
                    )
                runs.append(
                    await bench.play(
                        "key", viewers, lambda move: tab.press(keys[move % 2]), check_id=False
                    )
                )
                if viewers == count:
                    memory["app"] = sum(rss(pid)[0] for pid in children(server.pid))
                    memory["apps"] = len(children(server.pid))
                bench.close_all()
                await asyncio.sleep(0.5)
            await tab.close()
        memory["now"], memory["peak"] = rss(server.pid)
        memory["failed"] = bench.failed
        return runs, memory
    finally:
        apps: list[int] = []
        with contextlib.suppress(OSError):
            apps = children(server.pid)
        server.terminate()  # (serve stops its presenter's app processes on SIGTERM)
        try:
            await asyncio.wait_for(server.wait(), 10)
        except TimeoutError:
            server.kill()
            await server.wait()
        for pid in apps:  # any app process the server left behind: this run's, by its id
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)


def report(runs: list[Run], memory: dict[str, float]) -> bool:
    base = {run.kind: run for run in runs if run.asked == 1}
    label = {"link": "link's move → last viewer", "key": "presenter's key → last viewer"}
    print(
        f"{'what':<31}{'viewers':>8}{'received':>17}{'median':>10}{'p95':>10}{'max':>10}"
        f"{'CPU a move: server':>21}{'clients':>10}  ratio (median)"
    )
    complete = memory["failed"] == 0
    for run in runs:
        expected = run.asked * MOVES
        complete &= run.received == expected
        ratio = ""
        if run.asked > 1 and run.kind in base and base[run.kind].latencies:
            ratio = f"{run.median / base[run.kind].median:.1f}× ({run.asked} / 1 viewer)"
        worst = max(run.latencies) if run.latencies else float("nan")
        print(
            f"{label[run.kind]:<31}{run.asked:>8}{f'{run.received:,} of {expected:,}':>17}"
            f"{run.median:>7.1f} ms{run.p95:>7.1f} ms{worst:>7.1f} ms"
            f"{run.cpu_ms:>18.1f} ms{run.clients_ms:>7.1f} ms  {ratio}"
        )
    count = max(run.asked for run in runs)
    per_stream = (memory["streams"] - memory["start"]) * 1024 / count
    print(
        f"server RSS (the serve process only): {memory['start']:.1f} MB at start, "
        f"{memory['streams']:.1f} MB with {count} streams ({per_stream:.1f} KB a stream), "
        f"{memory['now']:.1f} MB now, {memory['peak']:.1f} MB peak"
    )
    if "app" in memory:
        print(
            f"the presenter's app ({int(memory['apps'])} process, not counted above): "
            f"{memory['app']:.1f} MB RSS"
        )
    if memory["failed"]:
        print(f"streams that could not be opened: {int(memory['failed'])}")
    return complete


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="50 viewers")
    parser.add_argument("--viewers", type=int, default=None, help="how many (default 500)")
    parser.add_argument("--no-key", action="store_true", help="no presenter's tab (no app)")
    parser.add_argument("--deck", type=Path, default=ROOT / "slides")
    args = parser.parse_args()
    count = args.viewers or (50 if args.quick else 500)
    print(f"istio-deck serve, {count} viewers on loopback: {machine()}; commit {commit()}")
    print(raise_file_limit(count))
    with tempfile.TemporaryDirectory(prefix="istio-deck-bench-serve-") as runtime:
        os.chmod(runtime, 0o700)
        runs, memory = asyncio.run(bench(count, args.deck, not args.no_key, runtime))
    return 0 if report(runs, memory) else 1


if __name__ == "__main__":
    sys.exit(main())
