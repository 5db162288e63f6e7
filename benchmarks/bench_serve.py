"""istio-deck serve under an audience: N viewers' event streams on loopback.

    python benchmarks/bench_serve.py            # 500 viewers, 20 moves
    python benchmarks/bench_serve.py --quick    # 50 viewers

Starts ``istio-deck serve slides/ --port 0`` in its own process (with a private
XDG_RUNTIME_DIR), opens N server-sent-event streams with plain asyncio clients, and plays the
presenter on the deck's link (app/sync.Link, as ``istio-deck slides/ --presenter`` does):
20 moves, each sent once every viewer has the one before. Prints, for each move, the time
from the presenter's send to the last viewer's message (median, p95, max), whether every
viewer received every move, and the server's RSS (now and peak). The clients run in this
process on the same cores, so the times include their reading too. Not part of .ci/run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MOVES = 20


def rss(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def viewer(
    port: int,
    target: str,
    arrivals: dict[str, list[float]],
    done: dict[str, asyncio.Event],
    count: int,
    ready: list[int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise SystemExit(f"stream refused: {head[:40]!r}")
    ready[0] += 1
    try:
        while True:
            block = await reader.readuntil(b"\n\n")
            for line in block.decode().split("\n"):
                if line.startswith("data: "):
                    key = str(json.loads(line[6:])["id"])
                    arrivals[key].append(time.perf_counter())
                    if len(arrivals[key]) == count:
                        done[key].set()
    except (asyncio.IncompleteReadError, ConnectionError):
        return
    finally:
        writer.close()


async def bench(count: int, deck: Path) -> int:
    from tui_deck.app.sync import Link, Position, deck_socket
    from tui_deck.deck import Options, load_deck

    loaded = load_deck(deck, Options(talk=True))
    socket = deck_socket(deck, [post.source for post in loaded.posts])
    server = subprocess.Popen(
        [sys.executable, "-m", "tui_deck", "serve", str(deck), "--port", "0", "--no-watch"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]  # audience: http://127.0.0.1:PORT/a/T/
        port = int(url.split(":")[2].split("/")[0])
        target = url.split(str(port), 1)[1] + "events"
        print(f"server up, RSS {rss(server.pid)[0]:.1f} MB; opening {count} streams")
        arrivals: dict[str, list[float]] = defaultdict(list)
        done: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
        ready = [0]
        tasks = []
        for _ in range(count):
            tasks.append(asyncio.create_task(viewer(port, target, arrivals, done, count, ready)))
            await asyncio.sleep(0)
        deadline = time.monotonic() + 60
        while ready[0] < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        print(f"{ready[0]} streams open; server RSS {rss(server.pid)[0]:.1f} MB")
        presenter = Link(socket, lambda position: None, lambda: Position(0, speaker=True))
        await presenter.start()
        # A first move, sent until every viewer has it: the link is joined (not timed).
        while not done["warm-up"].is_set():
            presenter.send(Position(1, moved_at=time.time(), speaker=True, id="warm-up"))
            try:
                await asyncio.wait_for(done["warm-up"].wait(), 1)
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server never heard the presenter") from None
        latencies = []
        for move in range(MOVES):
            key = f"move-{move}"
            sent = time.perf_counter()
            presenter.send(Position(move % 2, moved_at=time.time(), speaker=True, id=key))
            try:
                await asyncio.wait_for(done[key].wait(), 30)
            except TimeoutError:
                break
            latencies.append((max(arrivals[key]) - sent) * 1000)
        got = sum(len(arrivals[f"move-{move}"]) for move in range(MOVES))
        now, peak = rss(server.pid)
        print(f"viewers: {count}, moves: {MOVES}, messages received: {got} of {count * MOVES}")
        if latencies:
            p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
            print(
                f"send to last viewer: median {statistics.median(latencies):.1f} ms, "
                f"p95 {p95:.1f} ms, max {max(latencies):.1f} ms"
            )
        print(f"server RSS: {now:.1f} MB now, {peak:.1f} MB peak")
        presenter.close_now()
        for task in tasks:
            task.cancel()
        return 0 if got == count * MOVES else 1
    finally:
        server.terminate()
        server.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 viewers")
    parser.add_argument("--viewers", type=int, default=None, help="how many (default 500)")
    parser.add_argument("--deck", type=Path, default=ROOT / "slides")
    args = parser.parse_args()
    count = args.viewers or (50 if args.quick else 500)
    with tempfile.TemporaryDirectory() as runtime:
        os.chmod(runtime, 0o700)
        os.environ["XDG_RUNTIME_DIR"] = runtime  # this run's link, not a talk in progress
        return asyncio.run(bench(count, args.deck))


if __name__ == "__main__":
    sys.exit(main())
