"""The run: plan each row, hand work to the pool, and keep the manifest."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, replace
from pathlib import Path

from handouts import translations
from handouts.batch.folder import only_run, prepare_folder, remove_stale_parts
from handouts.batch.manifest import FAILED, SKIPPED, ManifestWriter, Result, Summary, read_manifest
from handouts.batch.naming import (
    Names,
    _digest,
    batch_id,
    file_sha256,
    file_stem,
    input_hash,
    practice_files_digest,
)
from handouts.batch.reading import read_rows, scan
from handouts.batch.reports import combine, write_failed_rows
from handouts.batch.rows import Row
from handouts.batch.workers import Job, Task, _failed, _request_failed, make_one, start_worker
from handouts.compose import choose_topic
from handouts.errors import OutputError, SelectionError
from handouts.models import Library, Practice


class Plan:
    """Decides, in the parent, what each row needs: a worker, a skip, or a failure."""

    def __init__(self, job: Job, previous: dict[str, Result], force: bool, names: str = "name"):
        topic = job.library.topic(job.topic)
        self.job, self.previous, self.force, self.naming = job, previous, force, names
        self.version = topic.version
        self.context = {
            "topic": topic.id,
            "content_version": topic.version,
            # The text itself, so an edit without a new version (or a practice's overlay,
            # logo or template change) redoes the rows it affects.
            "content": _digest(json.dumps(asdict(topic), sort_keys=True, default=str)),
            "translations": translations.files_digest(topic),
            "paper": job.paper,
            "practice": asdict(job.practice),
            "practice_files": practice_files_digest(job.practice),
        }
        self.names = Names()
        self.batch = batch_id(job.source)
        self.claim: Callable[[Result], None] | None = None
        self._ids: dict[int, str] | None = None

    def prepare(self, row: Row) -> Task | Result:
        digest = input_hash(row.fields, self.context)
        base = Result(row.number, content_version=self.version, batch=self.batch, input_hash=digest)
        if row.problem:
            return _failed(base, row.problem)
        try:
            stem = self._kept_id(row.number) or file_stem(row.fields, self.naming, row.number)
        except SelectionError as exc:
            return _request_failed(base, exc, row.fields)
        name = self.names.claim(stem, lambda name: self._ours(name, row.number))
        if not self.force and (done := self._finished(name, digest)):
            return replace(done, row=row.number, status=SKIPPED, error="", batch=self.batch)
        task = Task(row.number, row.fields, name, digest, self.batch)
        if self.claim is not None:
            self.claim(replace(base, output=name))
        return task

    def _kept_id(self, row: int) -> str | None:
        """With ``--names id``, the id an earlier run of this batch gave ``row``."""
        if self.naming != "id":
            return None
        if self._ids is None:
            self._ids = {
                r.row: r.output.removesuffix(".pdf")
                for r in self.previous.values()
                if r.batch == self.batch and r.output.startswith("id-")
            }
        return self._ids.get(row)

    def _ours(self, name: str, row: int) -> bool:
        """True when no file is called ``name``, or this batch wrote it for this row.

        Any other file (an earlier batch's, another patient's) is never replaced: the
        row gets the next free name instead.
        """
        if not os.path.lexists(self.job.out / name):
            return True
        record = self.previous.get(name)
        return record is not None and record.batch == self.batch and record.row == row

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
    names: str = "name",
    combine_into: Path | None = None,
    encoding: str | None = None,
) -> Summary:
    """Make one handout per row of ``path`` in folder ``out``; returns the counts.

    Raises ``InputFileError`` (bad file) or ``SelectionError`` (``--topic``)
    before anything is written; a bad row only fails that row. Failed rows go to
    ``out/failed.csv``; with ``combine_into``, every handout of the run is also
    written into that one PDF, in row order.
    """
    path, out = Path(path), Path(out)
    scan(path, encoding)
    chosen = choose_topic(library, topic)
    job = Job(library, chosen.id, practice or Practice(), out, today or dt.date.today(), paper)
    job = replace(job, source=str(path.resolve()))
    prepare_folder(out)
    with only_run(out) as inherited:
        job = replace(job, parent=os.getpid(), inherited=inherited)
        summary = _run(read_rows(path, encoding), out, job, force, jobs, on_result, names)
    if combine_into is not None and summary.outputs:
        combine(out, summary.outputs, Path(combine_into))
    return summary


def _run(rows, out, job, force, jobs, on_result, names) -> Summary:
    remove_stale_parts(out)
    previous = read_manifest(out)
    plan = Plan(job, previous, force, names)
    manifest = ManifestWriter(out, plan.previous)
    plan.claim = manifest.claim
    summary = Summary()
    failed: list[tuple[Row, str]] = []
    workers = jobs or default_jobs()
    pool = ProcessPoolExecutor(workers, initializer=start_worker, initargs=(job,))
    try:
        for row, result in _results(pool, workers * 4, rows, plan, on_result):
            manifest.add(result)
            summary.add(result)
            if result.status == FAILED:
                failed.append((row, result.error))
    except BrokenProcessPool:
        manifest.close()
        raise OutputError(
            "a worker process stopped unexpectedly (out of memory?); "
            "run the same command again to finish the remaining rows"
        ) from None
    except BaseException:
        manifest.close()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    manifest.commit()
    write_failed_rows(out, failed)
    return summary


def _results(
    pool: ProcessPoolExecutor,
    window: int,
    rows: Iterable[Row],
    plan: Plan,
    on_result: Callable[[Result], None] | None,
) -> Iterator[tuple[Row, Result]]:
    """Every row with its result, in row order, with at most ``window`` rows held at once."""
    pending: dict[Future, int] = {}
    held: dict[int, Row] = {}
    ready: dict[int, Result] = {}
    following = 0

    def finish(seq: int, result: Result) -> None:
        ready[seq] = result
        if on_result:
            on_result(result)

    def collect(block: bool) -> None:
        if not pending:
            return
        done, _ = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            finish(pending.pop(future), future.result())

    def in_order() -> Iterator[tuple[Row, Result]]:
        nonlocal following
        while following in ready:
            yield held.pop(following), ready.pop(following)
            following += 1

    for seq, row in enumerate(rows):
        held[seq] = row
        work = plan.prepare(row)
        if isinstance(work, Task):
            pending[pool.submit(make_one, work)] = seq
        else:
            finish(seq, work)
        collect(block=False)
        yield from in_order()
        while len(pending) + len(ready) >= window:
            collect(block=True)
            yield from in_order()
    while pending:
        collect(block=True)
        yield from in_order()
    yield from in_order()
