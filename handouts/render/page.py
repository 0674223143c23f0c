"""The page frame: the document, and the footer and running header on every page.

The footer says "Page X of Y", the review status (a DRAFT mark until a clinician
signs the content off) and the content version.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from handouts.models import Handout
from handouts.render import fonts
from handouts.render.markup import to_plain
from handouts.render.styles import EMERGENCY, INK, MUTED, RULE

MARGIN = 17 * mm
"""Left and right page margins."""


class HandoutDoc(SimpleDocTemplate):
    def afterFlowable(self, flowable):
        if getattr(flowable, "outline", None):
            key = f"s{len(self._outline_keys)}"
            self._outline_keys.append(key)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(to_plain(flowable.outline), key, level=0, closed=False)


def _spacing(practice) -> float:
    """How much the page furniture (margins, footer) grows: with the text in large print."""
    return practice.body_size / 12.0 if practice.large_print else 1.0


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, cut short with an ellipsis if it is wider than ``width``."""
    stringWidth = fonts.width

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


FOOTER_SEPARATOR = " · "
SMALLEST_FOOTER = 9.0


def _footer_that_fits(footer: str, font: str, width: float) -> str:
    """The footer, leaving out its first parts (the practice's own text) if it cannot fit.

    The last parts, the leaflet code and the content version, are what a clinic files and
    checks a handout by, so they are the last to go.
    """
    stringWidth = fonts.width

    parts = footer.split(FOOTER_SEPARATOR)
    while (
        len(parts) > 1 and stringWidth(FOOTER_SEPARATOR.join(parts), font, SMALLEST_FOOTER) > width
    ):
        parts.pop(0)
    return FOOTER_SEPARATOR.join(parts)


def _canvas_maker(handout: Handout, words: dict[str, str], st: dict):
    """A canvas that knows the page count, for "Page X of Y" and the running header."""
    review = handout.review
    status = words["draft_mark"] if review.is_draft else words["reviewed_mark"]
    continued = to_plain(words["continued"])
    page_of = to_plain(words["page_number"])
    base = 1 if handout.topic.language in fonts.RTL_LANGUAGES else 0
    size = st["body"].fontSize
    font = st["body"].fontName
    k = _spacing(handout.practice)
    large = handout.practice.large_print
    status_size = size if large else max(10.0, size * 0.8)
    footer_size = size * 0.9 if large else max(9.0, size * 0.72)

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._decorate(total)
                super().showPage()
            super().save()

        def beginText(self, x=0, y=0, direction=None):
            return fonts.TextObject(self, x, y, direction=direction)

        def _decorate(self, total: int):
            stringWidth = fonts.width

            width, height = self._pagesize
            left, right = MARGIN, width - MARGIN
            bold, room = f"{font}-Bold", right - left
            page = page_of.replace("[page]", str(self._pageNumber)).replace("[pages]", str(total))
            mark = to_plain(status)
            mark_size = min(status_size, status_size * room / stringWidth(mark, bold, status_size))
            # A long sign-off name pushes the page number down beside the footer text.
            side_by_side = stringWidth(f"{mark}    {page}", bold, mark_size) <= room
            page_row, page_size = (14, mark_size) if side_by_side else (9, footer_size)
            self.saveState()
            self.setFillColor(EMERGENCY if review.is_draft else MUTED)
            fonts.draw(self, left, 14 * mm * k, mark, bold, mark_size, base)
            self.setFillColor(INK)
            page_x = right - stringWidth(page, bold, page_size)  # flush right, in any script
            fonts.draw(self, page_x, page_row * mm * k, page, bold, page_size, base)
            self.setFillColor(MUTED)
            if not side_by_side:
                room -= stringWidth(f"{page}    ", bold, page_size)
            footer = _footer_that_fits(to_plain(words["footer"]), font, room)
            wide = stringWidth(footer, font, footer_size)
            fits = max(SMALLEST_FOOTER, min(footer_size, 0.99 * footer_size * room / max(wide, 1)))
            fonts.draw(self, left, 9 * mm * k, _fit(footer, font, fits, room), font, fits, base)
            if self._pageNumber > 1:
                fonts.draw(self, left, height - 9 * mm * k, continued, font, fits, base)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, 18.5 * mm * k, right, 18.5 * mm * k)
            self.restoreState()

    return NumberedCanvas
