"""Impose a PDF as a booklet: two pages side by side on each side of a sheet.

The pages come out in saddle-stitch order, so the printed sheets, stacked,
folded in half and stapled on the fold, read in order. The page count is padded
with blank pages to a multiple of four. Print double-sided, flipping on the
short edge.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject

Side = tuple[int | None, int | None]
"""The page numbers (from 1) on the left and right half of one side; None = blank."""


def booklet_order(pages: int) -> list[Side]:
    """Each side in print order: for 8 pages, (8, 1), (2, 7), (6, 3), (4, 5)."""
    total = pages + (-pages) % 4
    sides: list[Side] = []
    for sheet in range(total // 4):
        sides.append((total - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, total - 2 * sheet - 1))
    return [tuple(n if n <= pages else None for n in side) for side in sides]  # type: ignore[misc]


def impose(pdf: bytes, sheet: tuple[float, float] | None = None) -> bytes:
    """``pdf`` (pages of one size) imposed two-up on landscape sheets.

    ``sheet`` is the sheet's (width, height) in points; by default exactly two
    pages wide. Pages are centred on it (two A5 pages are 1 mm narrower than A4).
    """
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    sheet_width, sheet_height = sheet or (2 * width, height)
    x0, y0 = (sheet_width - 2 * width) / 2, (sheet_height - height) / 2
    writer = PdfWriter()
    for side in booklet_order(len(reader.pages)):
        blank = writer.add_blank_page(sheet_width, sheet_height)
        for number, x in zip(side, (x0, x0 + width), strict=True):
            if number is not None:
                page = reader.pages[number - 1]
                blank.merge_transformed_page(page, Transformation().translate(x, y0))
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    if (lang := reader.root_object.get("/Lang")) is not None:
        writer.root_object[NameObject("/Lang")] = lang
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
