"""Load benchmark of ``handouts serve`` on loopback, against the in-process rate.

    python bench/serve.py [--requests 200] [--users 20] [--think 2] [--workers N]

Starts ``handouts serve --workers N`` (default: one per core, as the command does) on a
free 127.0.0.1 port, in an empty folder with its own TMPDIR, then runs these phases,
each bounded in count and time:

  1 user         one client, one request after another: the latency floor
  users, think   --users clients, each waiting --think seconds (exponential, mean) between
                 requests, as clinicians at their desks would, only much faster
  users          --users clients with no wait: the server saturated
  at once        all --requests at the same moment

About a fifth of the requests are invalid (weeks out of range, unknown symptom) and
must get 422; every 200 must be a PDF that pypdf reads. Prints latency p50/p95/p99 and
handouts per second, the latter as a ratio to the in-process rate: the same worker
processes making the same handouts with no HTTP in between, measured just before each
phase (the machine is shared). Last, it checks the server left nothing on disk.

Targets (issue 10): p95 under 150 ms for the users with think time (with none, 20 users
queue for 2 workers: p95 is then about 20 handouts' work, whatever the server does),
and, saturated, at least 0.9x the in-process rate on the same workers.
Loopback only; it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
SERVE = [sys.executable, "-m", "handouts", "serve"]
TIME_LIMIT = 120.0
VALID = [
    {"symptoms": ["numb-legs", "swollen-feet"], "name": "Ana Silva", "weeks": "31"},
    {"symptoms": ["numb-hands"], "name": "Bea", "weeks": "30", "clinician": "Jo"},
    {"symptoms": ["sciatica", "pelvic-pain"], "name": "Cy", "due_date": "2027-03-01"},
    {"symptoms": ["leg-weakness"], "after_birth": "yes", "notes": "Rest and review in 2 weeks"},
    {"symptoms": [], "name": ""},
]
INVALID = [{"symptoms": ["numb-legs"], "weeks": "60"}, {"symptoms": ["numb_legs"]}]


def workload(count: int, seed: int = 10) -> list[tuple[dict, int]]:
    """``count`` requests, about one in five invalid, each with the status it must get."""
    rng = random.Random(seed)
    return [
        (rng.choice(INVALID), 422) if rng.random() < 0.2 else (rng.choice(VALID), 200)
        for _ in range(count)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


async def post(port: int, fields: dict) -> tuple[int, bytes, float]:
    body = urlencode(fields, doseq=True).encode()
    head = (
        f"POST /handout HTTP/1.1\r\nHost: {HOST}:{port}\r\nOrigin: http://{HOST}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(head + body)
    await writer.drain()
    answer = await reader.read()
    elapsed = time.perf_counter() - start
    writer.close()
    headers, _, content = answer.partition(b"\r\n\r\n")
    return int(headers.split(b" ", 2)[1]), content, elapsed


def check(status: int, content: bytes, expected: int) -> None:
    from pypdf import PdfReader

    if status != expected:
        raise SystemExit(f"expected {expected}, got {status}: {content[:200]!r}")
    if status == 200:
        if not (content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")):
            raise SystemExit("a 200 response is not a whole PDF")
        if len(PdfReader(io.BytesIO(content)).pages) < 1:
            raise SystemExit("a 200 response has no pages")


async def burst(port: int, work: list) -> tuple[list[tuple[int, bytes, float, int]], float]:
    start = time.perf_counter()
    answers = await asyncio.wait_for(
        asyncio.gather(*(post(port, fields) for fields, _ in work)), TIME_LIMIT
    )
    wall = time.perf_counter() - start
    return [(*a, expected) for a, (_, expected) in zip(answers, work, strict=True)], wall


async def users(port: int, work: list, count: int, think: float):
    queue = list(reversed(work))
    done: list = []

    async def user(rng: random.Random) -> None:
        while queue:
            fields, expected = queue.pop()
            done.append((*await post(port, fields), expected))
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))

    start = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(user(random.Random(i)) for i in range(count))), TIME_LIMIT
    )
    return done, time.perf_counter() - start


def in_process(work: list, workers: int) -> float:
    """Seconds per valid handout, made by ``workers`` worker processes as the server's
    are (compose + fit to the page budget + render), with no HTTP in between: handouts
    are handed to them from ``2 * workers`` threads, so none waits for work."""
    from concurrent.futures import ThreadPoolExecutor

    from handouts import request
    from handouts.library import load_library
    from handouts.models import Practice
    from handouts.web.workers import Content, Makers

    library = load_library()
    topic = library.topics[0]
    asked = request.Request(topic, dt.date.today())
    selections = [request.read_selection(f, asked) for f, status in work if status == 200]
    makers = Makers(Content(library, Practice(), topic.id), workers)
    try:
        with ThreadPoolExecutor(2 * workers) as threads:
            list(threads.map(makers.make, selections[: 4 * workers]))  # warm every worker
            start = time.perf_counter()
            list(threads.map(makers.make, selections))
            seconds = (time.perf_counter() - start) / len(selections)
    finally:
        makers.close()
    print(
        f"  in-process, {workers} worker(s): {seconds * 1000:.1f} ms per handout "
        f"({1 / seconds:.1f} handouts/s)"
    )
    return seconds


def report(name: str, answers: list, wall: float, per_handout: float, rate: bool = False):
    """Print one phase's figures; ``per_handout`` is the in-process cost measured just
    before. Returns the p95 in ms, or with ``rate`` the throughput ratio."""
    for status, content, _, expected in answers:
        check(status, content, expected)
    latencies = sorted(a[2] * 1000 for a in answers)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    pdfs = sum(1 for a in answers if a[0] == 200)
    per_second = pdfs / wall
    print(
        f"{name:<22} {len(answers):>4} requests ({pdfs} PDFs, {len(answers) - pdfs} refused)  "
        f"p50 {cuts[49]:6.0f} ms  p95 {cuts[94]:6.0f} ms  p99 {cuts[98]:6.0f} ms  "
        f"{per_second:5.1f} handouts/s  = {per_second * per_handout:.2f}x in-process"
    )
    return per_second * per_handout if rate else cuts[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean seconds between a user's requests"
    )
    parser.add_argument(
        "--workers", type=int, default=min(4, os.cpu_count() or 1), help="server workers"
    )
    args = parser.parse_args()
    work = workload(min(args.requests, 1000))
    with tempfile.TemporaryDirectory() as folder:
        cwd, temp = Path(folder, "cwd"), Path(folder, "tmp")
        cwd.mkdir(), temp.mkdir()
        port = free_port()
        server = subprocess.Popen(
            [*SERVE, "--port", str(port), "--workers", str(args.workers)],
            cwd=cwd,
            env={**os.environ, "TMPDIR": str(temp)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for(port, server)
            asyncio.run(post(port, VALID[0]))
            answers, wall = asyncio.run(users(port, work, 1, 0.0))
            report("1 user", answers, wall, in_process(work, 1))
            per_handout = in_process(work, args.workers)
            answers, wall = asyncio.run(users(port, work, args.users, args.think))
            p95 = report(f"{args.users} users, think {args.think:g}s", answers, wall, per_handout)
            per_handout = in_process(work, args.workers)
            answers, wall = asyncio.run(users(port, work, args.users, 0.0))
            saturated = report(f"{args.users} users", answers, wall, per_handout, rate=True)
            per_handout = in_process(work, args.workers)
            answers, wall = asyncio.run(burst(port, work))
            report(f"{len(work)} at once", answers, wall, per_handout)
            print(
                f"targets: p95 {p95:.0f} ms with think time (under 150: "
                f"{'met' if p95 < 150 else 'NOT met'}); saturated {saturated:.2f}x in-process "
                f"(at least 0.9: {'met' if saturated >= 0.9 else 'NOT met'})"
            )
        finally:
            server.terminate()
            _, err = server.communicate(timeout=30)
        left = [p for p in (*cwd.rglob("*"), *temp.rglob("*"))]
        print(f"left on disk by the server: {len(left)} files" + (f" {left}" if left else ""))
        if err.strip():
            print(f"server said: {err.decode(errors='replace').strip()[:500]}")
        if left:
            raise SystemExit(1)


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)
    raise SystemExit("the server did not start in 30 s")


if __name__ == "__main__":
    main()
