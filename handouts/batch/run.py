"""The run: plan each row, hand work to the pool, and keep the manifest."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path

from handouts.batch.manifest import FAILED, SKIPPED, ManifestWriter, Result, Summary, read_manifest
from handouts.batch.naming import (
    Names,
    _digest,
    file_sha256,
    file_stem,
    input_hash,
    practice_files_digest,
)
from handouts.batch.reading import read_rows, scan
from handouts.batch.rows import Row
from handouts.batch.workers import Job, Task, _failed, make_one, start_worker
from handouts.compose import choose_topic
from handouts.errors import OutputError, SelectionError
from handouts.models import Library, Practice

LOCK = ".batch.lock"


class Plan:
    """Decides, in the parent, what each row needs: a worker, a skip, or a failure."""

    def __init__(self, job: Job, previous: dict[str, Result], force: bool):
        topic = job.library.topic(job.topic)
        self.job, self.previous, self.force = job, previous, force
        self.version = topic.version
        self.context = {
            "topic": topic.id,
            "content_version": topic.version,
            # The text itself, so an edit without a new version (or a practice's overlay,
            # logo or template change) redoes the rows it affects.
            "content": _digest(json.dumps(asdict(topic), sort_keys=True, default=str)),
            "paper": job.paper,
            "practice": asdict(job.practice),
            "practice_files": practice_files_digest(job.practice),
        }
        self.names = Names()

    def prepare(self, row: Row) -> Task | Result:
        digest = input_hash(row.fields, self.context)
        base = Result(row.number, content_version=self.version, input_hash=digest)
        if row.problem:
            return _failed(base, row.problem)
        try:
            name = self.names.claim(file_stem(row.fields))
        except SelectionError as exc:
            return _failed(base, f"{exc.option}: {exc.message}")
        if not self.force and (done := self._finished(name, digest)):
            return replace(done, row=row.number, status=SKIPPED, error="")
        return Task(row.number, row.fields, name, digest)

    def _finished(self, name: str, digest: str) -> Result | None:
        """The previous record of ``name`` if it holds this input and the file is intact."""
        record = self.previous.get(name)
        if record is None or record.status == FAILED or record.input_hash != digest:
            return None
        path = self.job.out / name
        try:
            intact = path.is_file() and file_sha256(path) == record.sha256
        except OSError:
            return None
        return record if intact else None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_batch(
    path: Path,
    out: Path,
    library: Library,
    *,
    topic: str | None = None,
    practice: Practice | None = None,
    paper: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    today: dt.date | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> Summary:
    """Make one handout per row of ``path`` in folder ``out``; returns the counts.

    Raises ``InputFileError`` (bad file) or ``SelectionError`` (``--topic``)
    before anything is written; a bad row only fails that row.
    """
    path, out = Path(path), Path(out)
    scan(path)
    chosen = choose_topic(library, topic)
    job = Job(library, chosen.id, practice or Practice(), out, today or dt.date.today(), paper)
    _prepare_folder(out)
    with _only_run(out):
        return _run(path, out, job, force, jobs, on_result)


@contextmanager
def _only_run(out: Path) -> Iterator[None]:
    """Hold DIR/.batch.lock for the run: two batches in one folder would mix manifests."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the README says one run per folder
        yield
        return
    with open(out / LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(
                f"another batch is writing to {out}; let it finish, or use another --out"
            ) from None
        try:
            yield
        finally:  # all written: leave the folder as the run found it
            (out / LOCK).unlink(missing_ok=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(path, out, job, force, jobs, on_result) -> Summary:
    _remove_stale_parts(out)
    previous = read_manifest(out)
    plan = Plan(job, previous, force)
    manifest = ManifestWriter(out, plan.previous)
    summary = Summary()
    try:
        workers = jobs or default_jobs()
        with ProcessPoolExecutor(workers, initializer=start_worker, initargs=(job,)) as pool:
            for result in _results(pool, workers * 4, read_rows(path), plan, on_result):
                manifest.add(result)
                summary.add(result)
    except BrokenProcessPool:
        manifest.close()
        raise OutputError(
            "a worker process stopped unexpectedly (out of memory?); "
            "run the same command again to finish the remaining rows"
        ) from None
    except BaseException:
        manifest.close()
        raise
    manifest.commit()
    return summary


def _prepare_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out}: {exc.strerror}") from None


def _remove_stale_parts(out: Path) -> None:
    """A killed run can leave write_atomic's temporary files; they hold patient data.

    Only called while holding the folder's lock, so they cannot be a running batch's.
    """
    for stale in out.glob(".*.pdf.*.part"):
        stale.unlink(missing_ok=True)


def _results(
    pool: ProcessPoolExecutor,
    window: int,
    rows: Iterable[Row],
    plan: Plan,
    on_result: Callable[[Result], None] | None,
) -> Iterator[Result]:
    """Every row's result in row order, with at most ``window`` rows held at once."""
    pending: dict[Future, int] = {}
    ready: dict[int, Result] = {}
    following = 1

    def finish(result: Result) -> None:
        ready[result.row] = result
        if on_result:
            on_result(result)

    def collect(block: bool) -> None:
        if not pending:
            return
        done, _ = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            del pending[future]
            finish(future.result())

    def in_order() -> Iterator[Result]:
        nonlocal following
        while following in ready:
            yield ready.pop(following)
            following += 1

    for row in rows:
        work = plan.prepare(row)
        if isinstance(work, Task):
            pending[pool.submit(make_one, work)] = row.number
        else:
            finish(work)
        collect(block=False)
        yield from in_order()
        while len(pending) + len(ready) >= window:
            collect(block=True)
            yield from in_order()
    while pending:
        collect(block=True)
        yield from in_order()
    yield from in_order()
