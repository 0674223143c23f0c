"""Reading a batch file: CSV or JSON Lines, one ``Row`` at a time.

A CSV file comes from many spreadsheets: its encoding is found from a byte-order mark
(UTF-8, UTF-16), else UTF-8, else the most likely one (Windows-1252 from Excel, via
charset-normalizer), unless ``--encoding`` says; its delimiter (``,`` or ``;`` from
European Excel, or a tab) is sniffed; an Excel ``sep=;`` first line is read and skipped;
empty columns at the end are ignored. Rows are numbered as a spreadsheet shows them:
the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from handouts.batch.rows import COLUMNS, REQUIRED, Row
from handouts.errors import InputFileError

IGNORED = ("row", "reason")
"""Columns ``failed.csv`` adds; a batch reads past them, so that file can be rerun."""
MAX_CELL = 100_000
"""Characters in one cell; a longer one is a file problem, not a traceback."""
DELIMITERS = ",;\t|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # the cell limit is checked below


def input_format(path: Path, encoding: str | None = None) -> str:
    """``jsonl`` for .jsonl/.ndjson files or files starting with ``{``; else ``csv``."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    if path.suffix.lower() == ".csv":
        return "csv"
    start = _text(path, encoding)[:256].lstrip()
    return "jsonl" if start.startswith("{") else "csv"


def scan(path: Path, encoding: str | None = None) -> int:
    """Check the file's columns and count its rows; raises ``InputFileError``."""
    if input_format(path, encoding) == "jsonl":
        return _scan_jsonl(path, encoding)
    return sum(1 for _ in _csv_rows(path, encoding))


def read_rows(path: Path, encoding: str | None = None) -> Iterator[Row]:
    """The rows, one at a time, each with every column (missing cells are empty)."""
    if input_format(path, encoding) == "jsonl":
        return _jsonl_rows(path, encoding)
    return _csv_rows(path, encoding)


def _text(path: Path, encoding: str | None) -> str:
    """The file's text, decoded as ``encoding`` or as detected."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}") from None
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputFileError(f"--encoding: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"{path}: not {encoding} text (byte {exc.start + 1}); try another --encoding"
            ) from None
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"{path}: starts as {name.removesuffix('-sig').upper()} text, but byte "
                    f"{exc.start + 1} is not; save it again as CSV UTF-8, or give --encoding"
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Excel's "CSV" in the West is Windows-1252: take it unless it reads as gibberish
    # (a Cyrillic or Greek code page, say), then the most likely one.
    sample = data[:1_000_000]
    western = from_bytes(sample, cp_isolation=["cp1252"]).best()
    best = western if western is not None and western.chaos < 0.2 else from_bytes(sample).best()
    if best is None:
        raise InputFileError(
            f"{path}: cannot tell the text encoding; save it as CSV UTF-8, or give --encoding"
        )
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputFileError(
            f"{path}: cannot tell the text encoding; save it as CSV UTF-8, or give --encoding"
        ) from None


def _column(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _check_columns(path: Path, columns: list[str], header: bool) -> None:
    seen: set[str] = set()
    for column in columns:
        if column in seen and column:
            raise InputFileError(f"{path}: column {column!r} appears twice in the header")
        seen.add(column)
    unknown = [c for c in columns if c not in COLUMNS and c not in IGNORED]
    if unknown:
        raise InputFileError(
            f"{path}: unknown column(s) {', '.join(repr(c) for c in unknown)}; "
            f"expected: {', '.join(COLUMNS)}"
        )
    missing = [c for c in REQUIRED if c not in columns]
    if header and missing:
        raise InputFileError(f"{path}: missing column(s) {', '.join(missing)}")


def _dialect(text: str) -> tuple[str, str]:
    """``(delimiter, text without an Excel 'sep=' line)``."""
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        return first.strip()[4], rest
    header = first.strip("\r")
    try:
        return csv.Sniffer().sniff(header, DELIMITERS).delimiter, text
    except csv.Error:
        return ",", text


def _csv_rows(path: Path, encoding: str | None) -> Iterator[Row]:
    text = _text(path, encoding)
    delimiter, body = _dialect(text)
    offset = 1 if body is not text else 0  # a 'sep=' line is a spreadsheet row too
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    try:
        raw_header = next(reader, [])
        while raw_header and not raw_header[-1].strip():
            raw_header.pop()  # empty columns at the end
        header = [_column(c) for c in raw_header]
        _check_columns(path, header, header=True)
        for number, cells in enumerate(reader, start=2 + offset):
            if not any(c.strip() for c in cells):
                continue
            yield _csv_row(number, header, cells)
    except csv.Error as exc:
        raise InputFileError(f"{path}: not a readable CSV file: {exc}") from None


def _csv_row(number: int, header: list[str], cells: list[str]) -> Row:
    while len(cells) > len(header) and not cells[-1].strip():
        cells = cells[:-1]
    problem = ""
    if len(cells) > len(header):
        problem = f"the row has {len(cells)} cells; the header has {len(header)}"
    raw = dict(zip(header, cells, strict=False))
    long = [c for c, v in raw.items() if len(v) > MAX_CELL]
    if long:
        problem = f"{long[0]}: longer than {MAX_CELL:,} characters"
        raw = {c: ("" if c in long else v) for c, v in raw.items()}
    return Row(number, _normalise(raw), problem)


def _scan_jsonl(path: Path, encoding: str | None) -> int:
    count = 0
    for line in _text(path, encoding).splitlines():
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


def _jsonl_rows(path: Path, encoding: str | None) -> Iterator[Row]:
    for number, line in enumerate(_text(path, encoding).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield Row(number, _normalise({}), f"not valid JSON: {getattr(exc, 'msg', exc)}")
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
