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

from handouts.batch.folder import LOCK
from handouts.batch.manifest import (
    FAILED,
    FAILED_ROWS,
    JOURNAL,
    MANIFEST,
    MANIFEST_FIELDS,
    SKIPPED,
    WRITTEN,
    ManifestWriter,
    Result,
    Summary,
    read_manifest,
    value_free,
)
from handouts.batch.naming import (
    NAMING,
    Names,
    file_sha256,
    file_stem,
    input_hash,
    practice_files_digest,
)
from handouts.batch.reading import input_format, read_rows, scan
from handouts.batch.reports import combine, write_failed_rows
from handouts.batch.rows import COLUMNS, OPTION_COLUMNS, REQUIRED, Row, example_csv, selection_for
from handouts.batch.run import Plan, default_jobs, run_batch
from handouts.batch.workers import Job, Task, make_one, start_worker

__all__ = [
    "COLUMNS",
    "FAILED",
    "FAILED_ROWS",
    "JOURNAL",
    "LOCK",
    "MANIFEST",
    "MANIFEST_FIELDS",
    "NAMING",
    "OPTION_COLUMNS",
    "REQUIRED",
    "SKIPPED",
    "WRITTEN",
    "Job",
    "ManifestWriter",
    "Names",
    "Plan",
    "Result",
    "Row",
    "Summary",
    "Task",
    "combine",
    "default_jobs",
    "example_csv",
    "file_sha256",
    "file_stem",
    "input_format",
    "input_hash",
    "make_one",
    "practice_files_digest",
    "read_manifest",
    "read_rows",
    "run_batch",
    "scan",
    "selection_for",
    "start_worker",
    "value_free",
    "write_failed_rows",
]
