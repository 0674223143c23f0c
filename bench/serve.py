"""Load benchmark of ``handouts serve`` on loopback, against the in-process rate.

    python bench/serve.py [--requests 200] [--users 20] [--think 0]

Starts ``handouts serve`` on a free 127.0.0.1 port (one worker process), in an
empty folder with its own TMPDIR, then runs, each bounded in count and time:

  burst     all --requests at once (200 concurrent connections)
  users     --users clients in a closed loop, each with --think seconds between requests
  in-proc   compose + render of the same handouts in this process, one after another

About a fifth of the requests are invalid (weeks out of range, unknown symptom) and
must get 422; every 200 must be a PDF that pypdf reads. Prints latency p50/p95/p99,
handouts per second, and the server's rate as a ratio to the in-process rate, then
checks that the server left nothing on disk. Targets (issue 10): p95 under 150 ms at
20 users, throughput at least 0.9x the in-process rate on the same (one) worker.
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


def in_process(work: list) -> float:
    """Seconds per valid handout: compose + fit to the page budget + render here, on one
    core (what the server does for each request)."""
    from handouts import request
    from handouts.compose import compose
    from handouts.fit import fit_pdf
    from handouts.library import load_library
    from handouts.models import Practice

    library = load_library()
    topic = library.topics[0]
    asked = request.Request(topic, dt.date.today())
    selections = [request.read_selection(f, asked) for f, status in work if status == 200]
    for selection in selections[:3]:
        fit_pdf(compose(library, selection, Practice()))
    start = time.perf_counter()
    for selection in selections:
        fit_pdf(compose(library, selection, Practice()))
    seconds = (time.perf_counter() - start) / len(selections)
    print(f"  in-process compose + fit + render: {seconds * 1000:.1f} ms per handout")
    return seconds


def report(name: str, answers: list, wall: float, per_handout: float) -> None:
    """One phase's figures; ``per_handout`` is the in-process cost measured just before."""
    for status, content, _, expected in answers:
        check(status, content, expected)
    latencies = sorted(a[2] * 1000 for a in answers)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    pdfs = sum(1 for a in answers if a[0] == 200)
    rate = pdfs / wall
    print(
        f"{name:<22} {len(answers):>4} requests ({pdfs} PDFs, {len(answers) - pdfs} refused)  "
        f"p50 {cuts[49]:6.0f} ms  p95 {cuts[94]:6.0f} ms  p99 {cuts[98]:6.0f} ms  "
        f"{rate:5.1f} handouts/s  = {rate * per_handout:.2f}x in-process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds between a user's requests"
    )
    args = parser.parse_args()
    work = workload(min(args.requests, 1000))
    with tempfile.TemporaryDirectory() as folder:
        cwd, temp = Path(folder, "cwd"), Path(folder, "tmp")
        cwd.mkdir(), temp.mkdir()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "handouts", "serve", "--port", str(port)],
            cwd=cwd,
            env={**os.environ, "TMPDIR": str(temp)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for(port, server)
            asyncio.run(post(port, VALID[0]))  # warm the server's first render
            # The machine is shared: measure in-process right before each phase.
            answers, wall = asyncio.run(users(port, work, 1, 0.0))
            report("1 user", answers, wall, in_process(work))
            label = f"{args.users} users" + (f", think {args.think:g}s" if args.think else "")
            per_handout = in_process(work)
            answers, wall = asyncio.run(users(port, work, args.users, args.think))
            report(label, answers, wall, per_handout)
            per_handout = in_process(work)
            answers, wall = asyncio.run(burst(port, work))
            report(f"{len(work)} at once", answers, wall, per_handout)
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
