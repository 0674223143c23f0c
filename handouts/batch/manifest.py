"""The manifest: one record per row, journaled while the run goes."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import OutputError
from handouts.output import write_atomic

MANIFEST = "manifest.csv"
JOURNAL = ".manifest.csv.part"
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
