"""What a clinic acts on after a run: the failed rows to fix, and one PDF to print."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from handouts.batch.manifest import FAILED_ROWS
from handouts.batch.rows import COLUMNS, Row
from handouts.errors import OutputError
from handouts.output import write_atomic

REASON, ROW = "reason", "row"
"""The columns ``failed.csv`` adds in front of the input's; a batch reads past them."""


def write_failed_rows(out: Path, failed: Iterable[tuple[Row, str]]) -> Path | None:
    """``out/failed.csv``: each failed row's cells, its row number and the reason.

    Fix the cells and run the file as the batch's input; the reason names the column
    and the rule, never the value. With nothing failed, an earlier run's file is removed.
    """
    rows = list(failed)
    path = out / FAILED_ROWS
    if not rows:
        path.unlink(missing_ok=True)
        return None
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([ROW, REASON, *COLUMNS])
    for row, reason in rows:
        writer.writerow([row.number, reason, *(row.fields.get(c, "") for c in COLUMNS)])
    return write_atomic(path, text.getvalue().encode("utf-8"))


def combine(out: Path, outputs: Iterable[str], target: Path) -> Path:
    """Every handout of the run, in row order, as one PDF (for a single print job)."""
    from pypdf import PdfWriter
    from pypdf.errors import PyPdfError

    writer = PdfWriter()
    try:
        for name in outputs:
            writer.append(str(out / name))
    except (OSError, PyPdfError) as exc:
        raise OutputError(f"cannot combine the handouts into {target}: {exc}") from None
    data = io.BytesIO()
    writer.write(data)
    return write_atomic(target, data.getvalue())
