"""The manifest: one record per row, journaled while the run goes."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from handouts.errors import OutputError
from handouts.output import write_atomic

MANIFEST = "manifest.csv"
JOURNAL = ".manifest.csv.part"
FAILED_ROWS = "failed.csv"
MANIFEST_FIELDS = (
    "row",
    "output",
    "status",
    "error",
    "items",
    "content_version",
    "sha256",
    "batch",
    "input_hash",
)
"""The manifest's columns. ``input_hash`` is last, so a line cut short by a kill
never matches a row's hash, and its row is made again."""
WRITTEN, FAILED, SKIPPED = "written", "failed", "skipped"
STARTED = "started"
"""Journal only: the run gave this row this name and sent it to a worker. A killed run's
rerun knows the file (if any) is its own, and makes it again."""


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one row: a line of the manifest.

    ``error`` names the column and the rule and never a cell's value, because the manifest
    is kept; ``message`` is the full message, with the value, for the terminal only.
    """

    row: int
    output: str = ""
    status: str = FAILED
    error: str = ""
    items: tuple[str, ...] = ()
    content_version: str = ""
    sha256: str = ""
    batch: str = ""
    input_hash: str = ""
    message: str = ""

    def manifest_line(self) -> dict[str, str]:
        line = {name: str(getattr(self, name)) for name in MANIFEST_FIELDS}
        line["items"] = ";".join(self.items)
        return line


_GOT = re.compile(r";?\s*got\b.*$", re.DOTALL)


def value_free(message: str, fields: dict[str, str]) -> str:
    """``message`` without any cell's value: what may be kept in the manifest.

    Messages say ``...; got 'value'``; that part goes, and so does any cell value still
    quoted or written out in it.
    """
    reason = _GOT.sub("", message).rstrip()
    values = {v for cell in fields.values() for v in (cell, *cell.split(";")) if v.strip()}
    for value in sorted(values, key=len, reverse=True):
        for quoted in (repr(value), f'"{value}"'):
            reason = reason.replace(quoted, "(the cell's value)")
        if len(value) >= 3:
            reason = reason.replace(value, "(the cell's value)")
    return reason


@dataclass
class Summary:
    written: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    """Each failed row's number and full message (for the terminal, never a file)."""
    outputs: list[str] = field(default_factory=list)
    """The files of the rows written or skipped, in row order."""

    def add(self, result: Result) -> None:
        if result.status == WRITTEN:
            self.written += 1
        elif result.status == SKIPPED:
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append((result.row, result.message or result.error))
        if result.status in (WRITTEN, SKIPPED):
            self.outputs.append(result.output)

    def __str__(self) -> str:
        return f"{self.written} written, {self.failed} failed, {self.skipped} skipped"


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
        batch=line.get("batch") or "",
        input_hash=line["input_hash"],
    )


class ManifestWriter:
    """Appends records to the journal line by line; ``commit`` makes it the manifest.

    Records of earlier runs whose files this run did not touch are kept: a folder can
    hold several batches, and the manifest speaks for all of its files.
    """

    def __init__(self, folder: Path, previous: dict[str, Result]):
        self.folder, self.previous = folder, previous
        self.outputs: set[str] = set()
        self.results: list[Result] = []
        if (folder / JOURNAL).exists():
            # Keep what a killed run finished before starting a new journal.
            self._write_all(sorted(previous.values(), key=lambda r: r.row))
        try:
            fd = os.open(folder / JOURNAL, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NOFOLLOW, 0o644)
            self.file = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
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

    def claim(self, result: Result) -> None:
        """Record, before the file is written, that this run's row owns its name."""
        self.writer.writerow(replace(result, status=STARTED, input_hash="").manifest_line())
        self.file.flush()

    def add(self, result: Result) -> None:
        self.writer.writerow(result.manifest_line())
        self.file.flush()
        self.results.append(result)
        if result.output:
            self.outputs.add(result.output)

    def commit(self) -> None:
        """Write the manifest: this run's records, then earlier ones for other files."""
        self.file.close()
        kept = [r for r in self.previous.values() if r.output not in self.outputs]
        self._write_all([*self.results, *sorted(kept, key=lambda r: r.row)])

    def close(self) -> None:
        self.file.close()


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
