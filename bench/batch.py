"""Benchmark `handouts batch` against a bare ReportLab process pool, in the same run.

    python bench/batch.py [--rows N] [--memory-rows 100 10000] [--quick]

Throughput: the same rows made by run_batch (read, compose, fit to the page
budget, render, atomic write, manifest) and by a pool of bare ReportLab workers
typesetting the paragraphs each handout prints (bench/bare_reportlab.py) and
writing them, on 1 and 2 workers, timed alternately. The per-handout target was
set before handouts were fitted to one sheet: fitting lays a handout out a few
times, which the bare script never does. Memory: the peak of the summed RSS of a whole
`handouts batch --jobs 2` process tree, sampled from /proc, for a small and a
large input. Targets: per-handout cost <= 1.10x bare, 2-worker scaling >= 0.95x
bare's scaling, peak memory large/small <= 1.1x.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bare_reportlab  # noqa: E402
from run import paragraphs  # noqa: E402

from handouts.batch import COLUMNS, run_batch, selection_for  # noqa: E402
from handouts.compose import compose  # noqa: E402
from handouts.library import load_library  # noqa: E402
from handouts.models import Practice  # noqa: E402

DAY = dt.date(2026, 11, 22)
SYMPTOMS = (
    "numb-legs;swollen-feet",
    "numb-hands",
    "sciatica;pelvic-pain",
    "leg-cramps;restless-legs;heavy-legs",
    "numb-thigh",
    "leg-weakness;numb-on-waking",
)


def row(n: int) -> dict[str, str]:
    return {
        "name": f"Patient {n}",
        "weeks": str(20 + n % 19),
        "symptoms": SYMPTOMS[n % len(SYMPTOMS)],
        "clinician": "Jo Smith, midwife",
        "notes": "Review in two weeks." if n % 3 == 0 else "",
    }


def write_rows(path: Path, count: int) -> Path:
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, ["name", "weeks", "symptoms", "clinician", "notes"])
        writer.writeheader()
        writer.writerows(row(n) for n in range(count))
    return path


# The bare side: the same paragraphs, typeset and written by a plain pool -------

_TEXTS: list = []


def _bare_start(texts: list) -> None:
    _TEXTS[:] = texts
    bare_reportlab.register()


def _bare_one(task: tuple[int, str]) -> int:
    n, out = task
    pdf = bare_reportlab.typeset(_TEXTS[n % len(_TEXTS)])
    Path(out, f"bare-{n}.pdf").write_bytes(pdf)
    return n


def fields(n: int) -> dict[str, str]:
    """Row ``n`` as the batch reads it: every column, blank where the row has nothing."""
    return {**dict.fromkeys(COLUMNS, ""), **row(n)}


def bare_texts(library) -> list:
    """The paragraphs each row's handout prints (fitted to its page budget, as the batch
    makes it), for the rows' distinct selections."""
    from handouts.fit import fit_pdf

    topic = library.topics[0]
    texts = []
    for n in range(len(SYMPTOMS)):
        handout = compose(library, selection_for(fields(n), topic, DAY, None), Practice())
        texts.append(paragraphs(fit_pdf(handout).handout))
    return texts


def bare_pool(count: int, out: Path, jobs: int, texts: list) -> None:
    """Like run_batch's loop: a bounded window of single-row tasks."""
    with ProcessPoolExecutor(jobs, initializer=_bare_start, initargs=(texts,)) as pool:
        pending: set = set()
        for n in range(count):
            pending.add(pool.submit(_bare_one, (n, str(out))))
            if len(pending) >= jobs * 4:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
        for future in pending:
            future.result()


def in_process(library, rows: int) -> float:
    """Seconds for compose + fit + render of every row in this process (what a batch
    worker does for a row): no pool, no files."""
    from handouts.fit import fit_pdf

    topic = library.topics[0]
    selections = [selection_for(fields(n), topic, DAY, None) for n in range(rows)]
    fit_pdf(compose(library, selections[0], Practice()))
    start = time.perf_counter()
    for selection in selections:
        fit_pdf(compose(library, selection, Practice()))
    return time.perf_counter() - start


def throughput(rows: int, rounds: int) -> None:
    library = load_library()
    texts = bare_texts(library)
    plain = in_process(library, rows)
    times: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = write_rows(tmp / "rows.csv", rows)
        for _ in range(rounds):
            for jobs in (1, 2):
                ours = lambda j=jobs: run_batch(  # noqa: E731
                    source, tmp / "ours", library, jobs=j, force=True, today=DAY
                )
                bare = lambda j=jobs: bare_pool(rows, tmp / "bare", j, texts)  # noqa: E731
                (tmp / "bare").mkdir(exist_ok=True)
                for name, fn in (("handouts", ours), ("bare", bare)):
                    start = time.perf_counter()
                    fn()
                    times.setdefault((name, jobs), []).append(time.perf_counter() - start)
    t = {key: statistics.median(values) for key, values in times.items()}
    for jobs in (1, 2):
        ours, bare = t["handouts", jobs], t["bare", jobs]
        print(
            f"{jobs} worker(s)  handouts {ours / rows * 1000:6.1f} ms/handout "
            f"({rows / ours:5.1f}/s)   bare {bare / rows * 1000:6.1f} ms/handout "
            f"({rows / bare:5.1f}/s)   ratio {ours / bare:5.2f}x"
        )
    print(
        f"compose + fit + render in one process, no pool or files: "
        f"{plain / rows * 1000:6.1f} ms/handout"
        f"; batch machinery on 1 worker adds {t['handouts', 1] / plain:.2f}x"
    )
    ratio = t["handouts", 1] / t["bare", 1]
    print(f"per-handout cost vs bare (1 worker): {ratio:.2f}x  (target <= 1.10x)")
    ours_scaling = t["handouts", 1] / t["handouts", 2]
    bare_scaling = t["bare", 1] / t["bare", 2]
    print(
        f"2-worker scaling: handouts {ours_scaling:.2f}x, bare {bare_scaling:.2f}x, "
        f"ratio {ours_scaling / bare_scaling:.2f}x  (target >= 0.95x)"
    )


# Memory ---------------------------------------------------------------------


def tree_rss(root: int) -> int:
    """Summed resident set size (bytes) of ``root`` and all its descendants."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


def peak_memory(count: int) -> tuple[int, int, float]:
    """(peak tree RSS, largest single process's max RSS, seconds) for a batch of ``count``."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = write_rows(tmp / "rows.csv", count)
        command = [sys.executable, "-m", "handouts", "batch", str(source)]
        command += ["--out", str(tmp / "out"), "--jobs", "2", "--quiet"]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"batch of {count} rows failed")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return peak, largest, elapsed


def memory(counts: list[int]) -> None:
    if not Path("/proc/self/status").exists():
        print("memory: needs /proc (Linux); skipped")
        return
    peaks = []
    for count in counts:
        peak, largest, elapsed = peak_memory(count)
        peaks.append(peak)
        print(
            f"{count:6d} rows, 2 workers: peak tree RSS {peak / 2**20:6.1f} MiB, "
            f"largest process so far {largest / 2**20:6.1f} MiB, {elapsed:6.1f} s "
            f"({count / elapsed:5.1f}/s)"
        )
    print(
        f"peak memory {counts[-1]} rows / {counts[0]} rows: {peaks[-1] / peaks[0]:.2f}x  "
        "(target <= 1.1x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200, help="rows per throughput run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-rows", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--quick", action="store_true", help="60 rows, 1 round, 100 and 2,000")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.rounds, args.memory_rows = 60, 1, [100, 2_000]
    os.environ.setdefault("PYTHONPATH", str(HERE.parent))
    throughput(args.rows, args.rounds)
    memory(args.memory_rows)


if __name__ == "__main__":
    main()
