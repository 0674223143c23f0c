"""The flowables a handout is built from besides plain paragraphs.

Warning boxes, tick boxes, writing lines and headings that become bookmarks.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from handouts.render.styles import INK, PANEL_TINT, RULE


class TickBox(Paragraph):
    """A checklist line: a box the patient can tick (``ticked``: already ticked), then the text.

    ``rtl``: the line reads right to left, so the box stands at its right, before the
    text (give it a style with the box's room in ``rightIndent``: ``styles.mirrored``).
    """

    def __init__(
        self, text: str, style: ParagraphStyle, ticked: bool = False, rtl: bool = False, **kw
    ):
        super().__init__(text, style, **kw)
        self.ticked, self.rtl = ticked, rtl

    def draw(self):
        super().draw()
        size = self.style.fontSize * 0.85
        top = self.height - self.style.leading + (self.style.leading - size) / 2 - size * 0.15
        if self.rtl:
            left = self.width - self.style.rightIndent + self.style.fontSize * 0.65
        else:
            left = self.style.leftIndent - self.style.fontSize * 1.5
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(1.1)
        canvas.setStrokeColor(INK)
        canvas.rect(left, top, size, size)
        if self.ticked:
            canvas.setLineWidth(1.8)
            path = canvas.beginPath()
            path.moveTo(left + size * 0.18, top + size * 0.5)
            path.lineTo(left + size * 0.42, top + size * 0.2)
            path.lineTo(left + size * 0.85, top + size * 0.85)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()


class QRCode(Flowable):
    """A QR code of ``url`` (segno), ``size`` points square, drawn as vector squares."""

    def __init__(self, url: str, size: float):
        super().__init__()
        import segno

        self.matrix = [list(row) for row in segno.make(url, error="m").matrix]
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        cells = len(self.matrix) + 8  # the quiet zone: four cells each side
        cell = self.width / cells
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(INK)
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    canvas.rect(
                        (x + 4) * cell, self.height - (y + 5) * cell, cell, cell, stroke=0, fill=1
                    )
        canvas.restoreState()


class Heading(Paragraph):
    """A section heading that becomes a bookmark in the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, outline: str):
        super().__init__(text, style)
        self.outline = outline


class WritingLines(Flowable):
    """Empty ruled lines to write on by hand."""

    def __init__(self, count: int, gap: float):
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.count * self.gap

    def draw(self):
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        for n in range(self.count):
            y = n * self.gap + 2
            self.canv.line(0, y, self.width, y)


class LinesToTheEnd(WritingLines):
    """Writing lines that fill the rest of the page when ``following`` will not fit on it
    (the notes area grows, rather than leave a blank gap above a box that must go whole to
    the next page); nothing when it fits."""

    def __init__(self, following: Flowable, gap: float):
        super().__init__(0, gap)
        self.following = following

    def wrap(self, available_width, available_height):
        needed = self.following.wrap(available_width, available_height)[1]
        room = available_height - self.gap
        self.count = 0 if needed <= available_height else max(0, int(room // self.gap))
        return super().wrap(available_width, available_height)


class WarningBox(Flowable):
    """A boxed group of warning signs: a coloured band, then the signs.

    One flowable, so it is typeset once and never splits over a page; only a
    box taller than a whole page (large print) is cut, between signs; every part
    repeats the intro, which says what to do, and the last one has the phone numbers.
    A box that must ``start_here`` (the "Get help now" box, on page 1) is also cut
    when it does not fit what is left of the page, and says more signs follow.
    """

    def __init__(
        self,
        heading,
        intro,
        signs,
        phones,
        colour,
        tint,
        pad,
        outline,
        max_height,
        start_here=False,
        more=None,
    ):
        super().__init__()
        self.more = more  # ends a part that continues on the next page
        self.heading, self.intro, self.signs, self.phones = heading, intro, signs, phones
        self.body = [intro, *signs, *phones]
        self.colour, self.tint, self.pad = colour, tint, pad
        self.outline, self.max_height, self.start_here = outline, max_height, start_here

    def wrap(self, available_width, available_height):
        # Paragraph heights depend on the width only: typeset once per width.
        if getattr(self, "_wrapped_for", None) == available_width:
            return self.width, self.height
        self._wrapped_for = available_width
        inner = available_width - 2 * self.pad
        self.width = available_width
        self.band = self.heading.wrap(inner, available_height)[1] + self.pad
        self.heights = [f.wrap(inner, available_height)[1] for f in self.body]
        self.height = self.band + sum(self.heights) + self.pad * (0.4 * len(self.body) + 1.1)
        return self.width, self.height

    def split(self, available_width, available_height):
        too_tall = self.height > self.max_height
        if not (too_tall or self.start_here) or len(self.signs) < 2:
            return []
        for cut in range(len(self.signs) - 1, 0, -1):  # as many signs as fit here
            first = self._part(self.signs[:cut], [self.more] if self.more else [])
            if first.wrap(available_width, available_height)[1] <= available_height:
                return [first, self._part(self.signs[cut:], self.phones)]
        return []

    def _part(self, signs, phones=()):
        return WarningBox(
            self.heading,
            self.intro,
            signs,
            list(phones),
            self.colour,
            self.tint,
            self.pad,
            self.outline,
            self.max_height,
            more=self.more,
        )

    def draw(self):
        c, pad = self.canv, self.pad
        c.saveState()
        c.setFillColor(self.tint)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setFillColor(self.colour)
        c.rect(0, self.height - self.band, self.width, self.band, stroke=0, fill=1)
        c.setStrokeColor(self.colour)
        c.setLineWidth(3)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.restoreState()
        y = self.height - self.band + pad * 0.5
        self.heading.drawOn(c, pad, y)
        y = self.height - self.band - pad * 0.6
        for flowable, height in zip(self.body, self.heights, strict=True):
            y -= height
            flowable.drawOn(c, pad, y)
            y -= pad * 0.4


class PhoneLine(Paragraph):
    """ "Label:" followed by a ruled line to write a phone number on by hand.

    ``label`` is the label's plain text: once a paragraph in a shaped script is laid out,
    its own text holds glyph codes, which no font maps back to letters.
    """

    def __init__(self, text: str, style: ParagraphStyle, label: str):
        super().__init__(text, style)
        self.label = label

    def draw(self):
        super().draw()
        from handouts.render.fonts import width  # the label may be in another script

        start = width(self.label, self.style.fontName, self.style.fontSize) + 8
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.line(max(start, self.width * 0.45), 2, self.width * 0.95, 2)


_BOXES: dict[tuple, WarningBox] = {}
"""Warning boxes already typeset, by everything that shapes them.

The "Get help now" box is the same in every handout a practice makes, so a
batch worker typesets it once. A box is never changed after it is made (a box
cut over two pages is cut into new boxes), so one can be drawn in many PDFs.
"""


def _remember_box(key: tuple, box: WarningBox) -> None:
    if len(_BOXES) >= 64:
        _BOXES.clear()
    _BOXES[key] = box


class Panel(Flowable):
    """A light panel around a few paragraphs (the things to remember); never split."""

    def __init__(self, content: list[Flowable], pad: float):
        super().__init__()
        self.content, self.pad = content, pad

    def wrap(self, available_width, available_height):
        inner = available_width - 2 * self.pad
        self.heights = [f.wrap(inner, available_height)[1] for f in self.content]
        self.width = available_width
        self.height = sum(self.heights) + 2 * self.pad
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(PANEL_TINT)
        c.roundRect(0, 0, self.width, self.height, self.pad, stroke=0, fill=1)
        c.restoreState()
        y = self.height - self.pad
        for flowable, height in zip(self.content, self.heights, strict=True):
            y -= height
            flowable.drawOn(c, self.pad, y)
