"""Reading a batch file: CSV or JSON Lines, one ``Row`` at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from handouts.batch.rows import COLUMNS, REQUIRED, Row
from handouts.errors import InputFileError


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
    symptoms = raw.get("symptoms")
    parts = symptoms if isinstance(symptoms, list) else fields["symptoms"].split(";")
    fields["symptoms"] = ";".join(dict.fromkeys(p for p in map(_cell, parts) if p))
    return fields


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()
