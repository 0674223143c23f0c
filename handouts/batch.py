"""Batch: one handout per row of a CSV or JSON Lines file, on every core.

``run_batch`` streams the rows: each is read, given a file name and an input
hash, skipped when a previous run already wrote it for the same input, or sent
to a worker process that composes, renders and writes it. Only a small window
of rows is in flight at once, so memory does not grow with the file.

A bad row fails alone, with its row number and the reason; every good row is
written. A file-wide problem (unreadable file, unknown column) is an
``InputFileError`` before anything is written.

The manifest (``manifest.csv`` in the output folder) records, per row, the file,
status, error, the item ids printed, the content version, the PDF's SHA-256 and
the input hash. While a run goes, the records are appended to
``.manifest.csv.part`` one line at a time; the finished run renames it over
``manifest.csv``. A killed run leaves the ``.part`` file, and the next run reads
it, so rows finished before the kill are not redone. No patient name or note is
written to the manifest, only file names.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PureWindowsPath

from handouts import request, translations
from handouts.compose import choose_topic, compose
from handouts.errors import ContentError, InputFileError, OutputError, SelectionError
from handouts.models import Library, Practice, Selection, Topic
from handouts.output import safe_name, write_atomic
from handouts.text import TextError

COLUMNS = (
    "name",
    "weeks",
    "due_date",
    "after_birth",
    "symptoms",
    "clinician",
    "notes",
    "language",
    "output",
    "date",
    "plan",
    "follow_up",
    "contact",
)
"""The columns a batch file may have; ``name`` and ``symptoms`` are required. ``plan``
holds "My plan" option ids separated by ``;``; ``follow_up`` and ``contact`` print as
written."""

REQUIRED = ("name", "symptoms")
MANIFEST = "manifest.csv"
JOURNAL = ".manifest.csv.part"
LOCK = ".batch.lock"
MANIFEST_FIELDS = (
    "row",
    "output",
    "status",
    "error",
    "items",
    "content_version",
    "sha256",
    "input_hash",
)
"""The manifest's columns. ``input_hash`` is last, so a line cut short by a kill
never matches a row's hash, and its row is made again."""
WRITTEN, FAILED, SKIPPED = "written", "failed", "skipped"

OPTION_COLUMNS = {
    "--symptom": "symptoms",
    "--weeks": "weeks",
    "--due-date": "due_date",
    "--date": "date",
    "--after-birth": "after_birth",
    "--plan": "plan",
}
"""compose reports problems by command-line option; a batch names the column."""


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its number (1 = first row after the header) and its cells."""

    number: int
    fields: dict[str, str]
    problem: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one row: a line of the manifest."""

    row: int
    output: str = ""
    status: str = FAILED
    error: str = ""
    items: tuple[str, ...] = ()
    content_version: str = ""
    sha256: str = ""
    input_hash: str = ""

    def manifest_line(self) -> dict[str, str]:
        line = {name: str(getattr(self, name)) for name in MANIFEST_FIELDS}
        line["items"] = ";".join(self.items)
        return line


@dataclass
class Summary:
    written: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)

    def add(self, result: Result) -> None:
        if result.status == WRITTEN:
            self.written += 1
        elif result.status == SKIPPED:
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append((result.row, result.error))

    def __str__(self) -> str:
        return f"{self.written} written, {self.failed} failed, {self.skipped} skipped"


# Reading rows --------------------------------------------------------------


def input_format(path: Path) -> str:
    """``jsonl`` for .jsonl/.ndjson files or files starting with ``{``; else ``csv``."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    if path.suffix.lower() == ".csv":
        return "csv"
    with _open(path) as file:
        start = file.read(256).lstrip()
    return "jsonl" if start.startswith("{") else "csv"


def scan(path: Path) -> int:
    """Check the file's columns and count its rows; raises ``InputFileError``."""
    if input_format(path) == "jsonl":
        return _scan_jsonl(path)
    with _open(path) as file:
        reader = csv.reader(file)
        _check_columns(path, [_column(c) for c in next(reader, [])], header=True)
        return sum(1 for cells in reader if any(c.strip() for c in cells))


def read_rows(path: Path) -> Iterator[Row]:
    """The rows, one at a time, each with every column (missing cells are empty)."""
    return _jsonl_rows(path) if input_format(path) == "jsonl" else _csv_rows(path)


def _open(path: Path):
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}") from None


def _column(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _check_columns(path: Path, columns: list[str], header: bool) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise InputFileError(
            f"{path}: unknown column(s) {', '.join(repr(c) for c in unknown)}; "
            f"expected: {', '.join(COLUMNS)}"
        )
    missing = [c for c in REQUIRED if c not in columns]
    if header and missing:
        raise InputFileError(f"{path}: missing column(s) {', '.join(missing)}")


def _csv_rows(path: Path) -> Iterator[Row]:
    with _open(path) as file:
        reader = csv.reader(file)
        header = [_column(c) for c in next(reader, [])]
        number = 0
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            number += 1
            problem = ""
            if len(cells) > len(header):
                problem = f"the row has {len(cells)} cells; the header has {len(header)}"
            yield Row(number, _normalise(dict(zip(header, cells, strict=False))), problem)


def _scan_jsonl(path: Path) -> int:
    count = 0
    with _open(path) as file:
        for line in file:
            if not line.strip():
                continue
            count += 1
            try:
                record = json.loads(line)
            except ValueError:
                continue  # reported on its own row
            if isinstance(record, dict):
                _check_columns(path, [_column(k) for k in record], header=False)
    return count


def _jsonl_rows(path: Path) -> Iterator[Row]:
    with _open(path) as file:
        number = 0
        for line in file:
            if not line.strip():
                continue
            number += 1
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield Row(number, _normalise({}), f"not valid JSON: {exc.msg}")
                continue
            if not isinstance(record, dict):
                yield Row(number, _normalise({}), "expected a JSON object")
                continue
            yield Row(number, _normalise({_column(k): v for k, v in record.items()}))


def _normalise(raw: dict) -> dict[str, str]:
    fields = {name: _cell(raw.get(name)) for name in COLUMNS}
    for column in ("symptoms", "plan"):  # ids separated by ';', or a JSON list
        value = raw.get(column)
        parts = value if isinstance(value, list) else fields[column].split(";")
        fields[column] = ";".join(dict.fromkeys(p for p in map(_cell, parts) if p))
    return fields


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


# A row's selection, file name and input hash --------------------------------


def selection_for(
    fields: dict[str, str],
    topic: Topic,
    today: dt.date,
    paper: str | None,
    date_order: str = "dmy",
) -> Selection:
    """The ``Selection`` a row asks for; raises ``RequestError`` naming the column.

    The request layer reads the cells as people type them (``numb-legs, swollen-feet``,
    ``31.0``, ``24/01/2027`` where the practice writes the day first, ``yes``/``no``).
    """
    cells = {column: value for column, value in fields.items() if column in request.FIELDS}
    asked = request.Request(topic, today, date_order=date_order, required=REQUIRED)
    return replace(request.read_selection(cells, asked), paper=paper)


def file_stem(fields: dict[str, str]) -> str:
    """The file-name stem a row asks for: its ``output`` cell, or name and date.

    An ``output`` with a folder in it (``../x.pdf``, ``/tmp/x.pdf``) is refused:
    every file goes in the output folder.
    """
    given = fields["output"]
    if not given:
        return safe_name(f"{fields['name']} {fields['date']}")
    if "/" in given or "\\" in given or PureWindowsPath(given).drive or given in (".", ".."):
        raise SelectionError("output", f"expected a file name, not a path; got {given!r}")
    stem = given[:-4] if given.lower().endswith(".pdf") else given
    return safe_name(stem)


class Names:
    """File names claimed in this run: a second row asking for ``ana.pdf`` gets ``ana-2.pdf``.

    Names go to rows in input order, so a rerun gives each row the same name.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, stem: str) -> str:
        name, n = f"{stem}.pdf", 2
        while name in self.taken:
            name, n = f"{stem}-{n}.pdf", n + 1
        self.taken.add(name)
        return name


def input_hash(fields: dict[str, str], context: dict) -> str:
    """SHA-256 of the row's normalised cells and everything else that shapes its PDF."""
    data = json.dumps({"row": fields, **context}, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def practice_files_digest(practice: Practice) -> str:
    """SHA-256 over every file in the practice's folder (logo, fonts, templates, content)."""
    if practice.folder is None:
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(practice.folder).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(practice.folder)}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


# The manifest -------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Result]:
    """Previous records by file name: the last finished manifest, then a killed run's."""
    records: dict[str, Result] = {}
    for name in (MANIFEST, JOURNAL):
        for result in _read_records(folder / name):
            if result.output:
                records[result.output] = result
    return records


def _read_records(path: Path) -> Iterator[Result]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8", newline="") as file:
        for line in csv.DictReader(file):
            try:
                yield _record(line)
            except (KeyError, ValueError, TypeError):
                continue  # the last line of a killed run can be cut short


def _record(line: dict[str, str]) -> Result:
    if None in line or line["input_hash"] is None:
        raise ValueError("short line")
    return Result(
        row=int(line["row"]),
        output=line["output"],
        status=line["status"],
        error=line["error"],
        items=tuple(i for i in line["items"].split(";") if i),
        content_version=line["content_version"],
        sha256=line["sha256"],
        input_hash=line["input_hash"],
    )


class ManifestWriter:
    """Appends records to the journal line by line; ``commit`` makes it the manifest."""

    def __init__(self, folder: Path, previous: dict[str, Result]):
        self.folder = folder
        if (folder / JOURNAL).exists():
            # Keep what a killed run finished before starting a new journal.
            self._write_all(sorted(previous.values(), key=lambda r: r.row))
        try:
            self.file = open(folder / JOURNAL, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise OutputError(f"cannot write {folder / JOURNAL}: {exc.strerror}") from None
        self.writer = csv.DictWriter(self.file, MANIFEST_FIELDS)
        self.writer.writeheader()

    def _write_all(self, results: Iterable[Result]) -> None:
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, MANIFEST_FIELDS)
        writer.writeheader()
        writer.writerows(r.manifest_line() for r in results)
        write_atomic(self.folder / MANIFEST, text.getvalue().encode())
        os.unlink(self.folder / JOURNAL)

    def add(self, result: Result) -> None:
        self.writer.writerow(result.manifest_line())
        self.file.flush()

    def commit(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.folder / JOURNAL, self.folder / MANIFEST)

    def close(self) -> None:
        self.file.close()


# The worker -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    row: int
    fields: dict[str, str]
    output: str
    input_hash: str


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs besides the row, sent once per worker process."""

    library: Library
    topic: str
    practice: Practice
    out: Path
    today: dt.date
    paper: str | None = None


_JOB: Job | None = None


def start_worker(job: Job) -> None:
    """Pool initializer: keep the library (loaded once) and register the fonts."""
    global _JOB
    from handouts.render.pdf import register_fonts

    _JOB = job
    register_fonts()


def make_one(task: Task) -> Result:
    """Compose, render and atomically write one row's handout (runs in a worker)."""
    from handouts.fit import fit_pdf

    job = _JOB
    assert job is not None, "start_worker was not called"
    topic = job.library.topic(job.topic)
    done = Result(task.row, task.output, content_version=topic.version, input_hash=task.input_hash)
    try:
        selection = selection_for(task.fields, topic, job.today, job.paper, job.practice.date_order)
        handout = compose(job.library, selection, job.practice)
        if task.fields.get("language"):
            handout, _ = translations.translate(handout, task.fields["language"])
        fitted = fit_pdf(handout)
        handout, pdf = fitted.handout, fitted.pdf
        write_atomic(job.out / task.output, pdf)
    except SelectionError as exc:
        return _failed(done, f"{OPTION_COLUMNS.get(exc.option, exc.option)}: {exc.message}")
    except (OutputError, TextError, translations.TranslationError, ContentError) as exc:
        return _failed(done, str(exc))
    except Exception as exc:  # one broken row must not stop the batch
        return _failed(done, f"unexpected error ({type(exc).__name__})")
    sha = hashlib.sha256(pdf).hexdigest()
    return replace(done, status=WRITTEN, items=handout.item_ids, sha256=sha)


def _failed(result: Result, error: str) -> Result:
    return replace(result, status=FAILED, error=error)


# The run --------------------------------------------------------------------


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
            "translations": translations.files_digest(topic),
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


def example_csv(topic: Topic) -> str:
    """A small batch file that runs clean against ``topic``."""
    ids = topic.symptom_ids
    weeks = topic.uses_weeks
    rows = [
        {
            "name": "Ana Silva",
            "weeks": "31" if weeks else "",
            "symptoms": ";".join(ids[:2]),
            "clinician": "Jo Smith, midwife",
            "notes": "Review in two weeks.",
            "output": "ana-silva.pdf",
            "plan": next((p.id for p in topic.plan), ""),
            "follow_up": "In two weeks, antenatal clinic",
        },
        {
            "name": "Sam Lee",
            "due_date": (dt.date.today() + dt.timedelta(weeks=12)).isoformat() if weeks else "",
            "symptoms": ids[-1],
            "clinician": "Jo Smith, midwife",
        },
        {
            "name": "Priya Patel",
            "symptoms": ";".join(ids[1:4]),
            "after_birth": "yes" if weeks else "",
            "language": topic.language,
        },
    ]
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()
