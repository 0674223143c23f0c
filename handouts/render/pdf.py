"""Render a ``Handout`` to PDF bytes with ReportLab Platypus.

Clear-print rules: body text 12 pt or larger, left-aligned, generous leading,
headings kept with what follows, an embedded TrueType font (Atkinson
Hyperlegible, designed for readers with low vision), high contrast. The
"Get help now" box is the strongest element and never splits over a page.
The same handout always gives the same bytes (ReportLab's invariant mode).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from handouts import __version__, resources, wording
from handouts.models import Handout, ShownItem
from handouts.render.markup import literal, to_paragraph, to_plain

PAPER = {"a4": A4, "letter": LETTER, "a5": A5, "half-letter": (5.5 * inch, 8.5 * inch)}
"""Page sizes; a5 and half-letter are the pages of a booklet folded from A4 or Letter."""
FONT = "Atkinson"
FONT_FILES = {
    FONT: "AtkinsonHyperlegible-Regular.ttf",
    f"{FONT}-Bold": "AtkinsonHyperlegible-Bold.ttf",
    f"{FONT}-Italic": "AtkinsonHyperlegible-Italic.ttf",
    f"{FONT}-BoldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
}

INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#444444")
ACCENT = colors.HexColor("#1a4f8b")
EMERGENCY = colors.HexColor("#b0001e")
EMERGENCY_TINT = colors.HexColor("#fff1f1")
URGENT = colors.HexColor("#a34a00")
URGENT_TINT = colors.HexColor("#fff7ec")
RULE = colors.HexColor("#8a8a8a")

MODULE_HEADINGS = (
    ("causes", "causes_heading", False),
    ("self-help", "self_help_heading", True),
    ("diet", "diet_heading", False),
    ("prevention", "prevention_heading", True),
)
"""Module sections in print order; True = steps print as tick boxes."""


@cache
def register_fonts(folder: Path = resources.FONTS) -> str:
    """Register the font family once per process; returns its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, f"{FONT}-Bold")
    addMapping(FONT, 0, 1, f"{FONT}-Italic")
    addMapping(FONT, 1, 1, f"{FONT}-BoldItalic")
    return FONT


@cache
def register_practice_font(regular: Path) -> str:
    """Register a practice's TrueType font and its bold and italic siblings, if any.

    ``NAME-Regular.ttf`` (or ``NAME.ttf``) finds ``NAME-Bold.ttf``, ``NAME-Italic.ttf``
    and ``NAME-BoldItalic.ttf`` beside it; a missing one falls back to the regular.
    Returns the family name.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    stem = regular.stem.removesuffix("-Regular")
    family = f"Practice-{stem}"
    for (bold, italic), suffix in {
        (0, 0): "",
        (1, 0): "-Bold",
        (0, 1): "-Italic",
        (1, 1): "-BoldItalic",
    }.items():
        file = regular.with_name(f"{stem}{suffix}.ttf") if suffix else regular
        name = f"{family}{suffix}"
        pdfmetrics.registerFont(TTFont(name, str(file if file.is_file() else regular)))
        addMapping(family, bold, italic, name)
    return family


@dataclass(frozen=True)
class Styles:
    """Paragraph styles scaled from one base size."""

    size: float
    font: str = FONT
    large_print: bool = False

    def style(self, name: str, scale: float = 1.0, **kw) -> ParagraphStyle:
        # Large print: nothing smaller than the body text.
        size = self.size * (max(scale, 1.0) if self.large_print else scale)
        kw.setdefault("leading", size * 1.4)
        kw.setdefault("textColor", INK)
        kw.setdefault("fontName", self.font)
        kw.setdefault("bulletFontName", kw["fontName"])
        kw.setdefault("bulletFontSize", size)
        return ParagraphStyle(name, fontSize=size, **kw)

    @property
    def gap(self) -> float:
        return self.size * 0.6


@cache
def styles(
    size: float, font: str = FONT, accent: str = "", large_print: bool = False
) -> dict[str, ParagraphStyle]:
    """Every paragraph style, for body text of ``size`` points in ``font``.

    ``accent`` (#rrggbb) colours the title and headings; warning boxes keep
    their own red and amber whatever the practice's colours.
    """
    s = Styles(size, font, large_print)
    bold = f"{font}-Bold"
    accent_colour = colors.HexColor(accent) if accent else ACCENT
    return {
        "practice": s.style("practice", 0.9, textColor=MUTED, fontName=bold),
        "title": s.style(
            "title",
            1.9,
            leading=size * 2.3,
            fontName=bold,
            textColor=accent_colour,
            spaceAfter=s.gap,
        ),
        "prepared": s.style("prepared", spaceAfter=s.gap * 0.5),
        "intro": s.style("intro", 1.08, leading=size * 1.55, spaceAfter=s.gap),
        "h2": s.style(
            "h2",
            1.4,
            fontName=bold,
            textColor=accent_colour,
            spaceBefore=s.gap * 2,
            spaceAfter=s.gap * 0.6,
        ),
        "h3": s.style("h3", 1.05, fontName=bold, spaceBefore=s.gap, spaceAfter=s.gap * 0.2),
        "body": s.style("body", leading=size * 1.45, spaceAfter=s.gap * 0.5),
        "bullet": s.style(
            "bullet",
            leading=size * 1.45,
            leftIndent=size * 1.5,
            bulletIndent=size * 0.4,
            bulletFontName=font,
            spaceAfter=s.gap * 0.3,
        ),
        "tick": s.style(
            "tick", leading=size * 1.45, leftIndent=size * 1.8, spaceAfter=s.gap * 0.35
        ),
        "tick_title": s.style(
            "tick_title",
            leading=size * 1.45,
            leftIndent=size * 1.8,
            spaceBefore=s.gap,
            spaceAfter=s.gap * 0.2,
        ),
        "box_heading": s.style(
            "box_heading", 1.5, fontName=bold, textColor=colors.white, leading=size * 1.8
        ),
        "box_intro": s.style("box_intro", 1.05, leading=size * 1.45),
        "box_item": s.style(
            "box_item",
            leading=size * 1.4,
            leftIndent=size * 1.2,
            bulletIndent=0,
            bulletFontName=bold,
        ),
        "phone": s.style("phone", 1.05, fontName=bold, leading=size * 1.5),
        "small": s.style("small", 0.96, textColor=MUTED, leading=size * 1.3),
        "rule": ParagraphStyle("rule", textColor=accent_colour),
    }


class TickBox(Paragraph):
    """A checklist line: an empty box the patient can tick, then the text."""

    def draw(self):
        super().draw()
        size = self.style.fontSize * 0.85
        top = self.height - self.style.leading + (self.style.leading - size) / 2 - size * 0.15
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(1.1)
        canvas.setStrokeColor(INK)
        canvas.rect(self.style.leftIndent - self.style.fontSize * 1.5, top, size, size)
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
        self.band = self.heading.wrap(inner, available_height)[1] + self.pad * 1.2
        self.heights = [f.wrap(inner, available_height)[1] for f in self.body]
        self.height = self.band + sum(self.heights) + self.pad * (0.5 * len(self.body) + 1.2)
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
        y = self.height - self.band + pad * 0.6
        self.heading.drawOn(c, pad, y)
        y = self.height - self.band - pad * 0.6
        for flowable, height in zip(self.body, self.heights, strict=True):
            y -= height
            flowable.drawOn(c, pad, y)
            y -= pad * 0.5


class PhoneLine(Paragraph):
    """ "Label:" followed by a ruled line to write a phone number on by hand."""

    def draw(self):
        super().draw()
        from reportlab.pdfbase.pdfmetrics import stringWidth

        start = stringWidth(self.getPlainText(), self.style.fontName, self.style.fontSize) + 8
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.line(max(start, self.width * 0.45), 2, self.width * 0.95, 2)


class HandoutDoc(SimpleDocTemplate):
    def afterFlowable(self, flowable):
        if getattr(flowable, "outline", None):
            key = f"s{len(self._outline_keys)}"
            self._outline_keys.append(key)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(to_plain(flowable.outline), key, level=0, closed=False)


def render_pdf(handout: Handout, *, template_path: tuple[Path, ...] = ()) -> bytes:
    """The handout as PDF bytes; templates come from ``template_path`` or the practice's."""
    practice = handout.practice
    font = register_fonts()
    if practice.font is not None:
        font = register_practice_font(practice.font)
    words = wording.words(handout, template_path or practice.templates)
    size = practice.body_size
    st = styles(size, font, practice.accent_colour, practice.large_print)
    k = _spacing(practice)
    pagesize = PAPER[handout.paper]
    buffer = io.BytesIO()
    doc = HandoutDoc(
        buffer,
        pagesize=pagesize,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm * k,
        bottomMargin=24 * mm * k,
        title=to_plain(words["title"]),
        author=handout.practice.name or "handouts",
        subject=handout.topic.summary,
        keywords=f"{handout.topic.id}, content version {handout.topic.version}",
        creator=f"handouts {__version__}",
        lang=handout.topic.language,
        invariant=1,
        initialFontName=font,
    )
    doc._outline_keys = []
    # A frame pads 6 pt at top and bottom: a box taller than what is left must split.
    style_key = (size, font, practice.accent_colour, practice.large_print)
    story = Story(handout, words, st, doc.width, doc.height - 12, style_key).build()
    doc.build(story, canvasmaker=_canvas_maker(handout, words, st))
    return buffer.getvalue()


def _spacing(practice) -> float:
    """How much the page furniture (margins, footer) grows: with the text in large print."""
    return practice.body_size / 12.5 if practice.large_print else 1.0


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


class Story:
    """Builds the list of flowables, section by section, in print order."""

    def __init__(
        self,
        handout: Handout,
        words: dict[str, str],
        st: dict,
        width: float,
        max_height: float = 10_000,
        style_key: tuple | None = None,
    ):
        self.h, self.w, self.st, self.width = handout, words, st, width
        self.max_height = max_height
        self.style_key = style_key  # what made ``st``; lets warning boxes be reused

    def build(self) -> list[Flowable]:
        flow = self.header()
        flow += self.emergency_box()
        flow += self.ticked()
        flow += self.urgent_box()
        for module, heading, ticks in MODULE_HEADINGS:
            flow += self.module(module, heading, ticks)
        flow += self.routine()
        flow += self.notes()
        flow += self.questions()
        flow += self.closing()
        return flow

    def para(self, text: str, style: str, cls=Paragraph, **kw) -> Paragraph:
        return cls(to_paragraph(text), self.st[style], **kw)

    def heading(self, key: str) -> list[Flowable]:
        """A section heading, moved to the next page unless a few lines fit under it.

        A conditional page break costs nothing, where keepWithNext would typeset
        every heading and the text after it twice.
        """
        return [
            CondPageBreak(self.st["body"].leading * 7),
            Heading(to_paragraph(self.w[key]), self.st["h2"], self.w[key]),
        ]

    def brand(self) -> list[Flowable]:
        """The practice's name and contact line, with its logo on the right."""
        p, st = self.h.practice, self.st
        lines: list[Flowable] = []
        if p.name:
            lines.append(Paragraph(literal(p.name), st["practice"]))
        lines += [Paragraph(literal(x), st["small"]) for x in (p.address, p.website) if x]
        if p.logo is not None:
            logo = _logo(p.logo, self.width * 0.35, st["body"].fontSize * 4.5)
            gap = st["body"].fontSize
            table = Table(
                [[lines, logo]],
                colWidths=[self.width - logo.drawWidth - gap, logo.drawWidth + gap],
            )
            table.setStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), st["body"].fontName),  # not Helvetica
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
            lines = [table]
        if not lines:
            return []
        rule = HRFlowable(
            width="100%",
            thickness=2,
            color=st["rule"].textColor,
            spaceBefore=st["body"].fontSize * 0.5,
            spaceAfter=st["body"].fontSize * 0.7,
        )
        return [*lines, rule]

    def header(self) -> list[Flowable]:
        h = self.h
        flow: list[Flowable] = self.brand()
        flow.append(Heading(to_paragraph(self.w["title"]), self.st["title"], self.w["title"]))
        if h.personalised:
            flow.append(self.para(self.w["prepared_for"], "prepared"))
        flow.append(self.para(self.w["intro"], "intro"))
        return flow

    def ticked(self) -> list[Flowable]:
        """What the patient told us, as one paragraph after the "Get help now" box."""
        if not self.h.symptoms:
            return []
        labels = "; ".join(literal(s.label) for s in self.h.symptoms)
        text = f"<b>{to_paragraph(self.w['symptoms_heading'])}:</b> {labels}."
        return [Spacer(1, self.st["body"].fontSize * 0.8), Paragraph(text, self.st["body"])]

    def _box(
        self, heading: str, intro: str, items, phones, colour, tint, start_here=False
    ) -> list[Flowable]:
        st = self.st
        spec = (
            to_paragraph(self.w[heading]),
            to_paragraph(self.w[intro]),
            tuple(_item_line(i) for i in items),
            tuple(phones),
            colour.hexval(),
            tint.hexval(),
            self.max_height,
            start_here,
            to_paragraph(self.w["box_continues"]),
        )
        key = (self.style_key, self.width, *spec) if self.style_key else None
        box = _BOXES.get(key) if key else None
        if box is not None:
            box.__dict__.pop("_postponed", None)  # ReportLab's mark from the last PDF's layout
        else:
            box = WarningBox(
                Paragraph(spec[0], st["box_heading"]),
                Paragraph(spec[1], st["box_intro"]),
                [Paragraph(line, st["box_item"], bulletText="•") for line in spec[2]],
                [self._phone(label, number) for label, number in phones],
                colour,
                tint,
                st["body"].fontSize * 0.7,
                self.w[heading],
                self.max_height,
                start_here,
                Paragraph(spec[8], st["box_intro"]),
            )
            if key:
                _remember_box(key, box)
        return [Spacer(1, st["body"].fontSize * 0.8), box]

    def phones(self, with_emergency: bool) -> list[tuple[str, str]]:
        """(label, number) for each phone line of a box; an empty number gets a line."""
        p = self.h.practice
        lines = []
        if with_emergency:
            number = p.emergency_number or "your local emergency number"
            lines.append((self.w["emergency_phone_label"], number))
        lines.append((self.w["urgent_phone_label"], p.urgent_phone))
        if p.phone or p.is_default:
            lines.append((self.w["phone_label"], p.phone))
        return lines

    def _phone(self, label: str, number: str) -> Flowable:
        if number:
            text = f"{to_paragraph(label)}: {literal(number)}"
            return Paragraph(text, self.st["phone"])
        # No number known (default practice): a line to write it on by hand.
        return PhoneLine(f"{to_paragraph(label)}:", self.st["phone"])

    def emergency_box(self) -> list[Flowable]:
        items = self.h.warnings("emergency")
        return self._box(
            "emergency_heading",
            "emergency_intro",
            items,
            self.phones(True),
            EMERGENCY,
            EMERGENCY_TINT,
            start_here=True,
        )

    def urgent_box(self) -> list[Flowable]:
        items = self.h.warnings("urgent")
        if not items:
            return []
        return self._box(
            "urgent_heading", "urgent_intro", items, self.phones(False), URGENT, URGENT_TINT
        )

    def module(self, module: str, heading: str, ticks: bool) -> list[Flowable]:
        items = self.h.module(module)
        if not items:
            return []
        return [*self.heading(heading), *(f for item in items for f in self.item(item, ticks))]

    def item(self, item: ShownItem, ticks: bool) -> list[Flowable]:
        """An item's flowables; with ``ticks``, steps (or the title) get tick boxes."""
        flow: list[Flowable] = [CondPageBreak(self.st["body"].leading * 4)]
        if ticks and not item.steps:
            flow += [
                self.para(f"**{item.title}**", "tick_title", TickBox),
                self.para(item.text, "tick"),
            ]
        else:
            flow += [self.para(item.title, "h3"), self.para(item.text, "body")]
        for step in item.steps:
            if ticks:
                flow.append(self.para(step, "tick", TickBox))
            else:
                flow.append(self.para(step, "bullet", bulletText="•"))
        return flow

    def routine(self) -> list[Flowable]:
        items = self.h.warnings("routine")
        if not items:
            return []
        flow: list[Flowable] = [
            *self.heading("routine_heading"),
            self.para(self.w["routine_intro"], "body"),
        ]
        flow += [Paragraph(_item_line(i), self.st["bullet"], bulletText="•") for i in items]
        return flow

    def notes(self) -> list[Flowable]:
        st = self.st
        if self.h.notes:
            lines = self.h.notes.splitlines()
            body = [Paragraph(literal(line) or "&nbsp;", st["body"]) for line in lines]
        else:
            body = [WritingLines(4, st["body"].leading * 1.6)]
        return [KeepTogether([*self.heading("notes_heading"), *body])]

    def questions(self) -> list[Flowable]:
        lines = WritingLines(3, self.st["body"].leading * 1.6)
        return [KeepTogether([*self.heading("questions_heading"), lines])]

    def closing(self) -> list[Flowable]:
        st = self.st
        block: list[Flowable] = []
        publishers = list(dict.fromkeys(s.publisher for s in self.h.sources))
        if publishers:
            heading = to_paragraph(self.w["sources_heading"])
            text = f"<b>{heading}:</b> {literal('; '.join(publishers))}."
            block.append(Paragraph(text, st["small"]))
            block.append(Spacer(1, st["small"].fontSize * 0.6))
        block.append(self.para(self.w["disclaimer"], "small"))
        # Together, so a last page never holds the disclaimer alone.
        return [Spacer(1, st["body"].fontSize), KeepTogether(block)]


def _logo(path: Path, max_width: float, max_height: float) -> Image:
    """The logo, scaled to fit the box and keep its shape."""
    from reportlab.lib.utils import ImageReader

    width, height = ImageReader(str(path)).getSize()
    scale = min(max_width / width, max_height / height)
    return Image(str(path), width=width * scale, height=height * scale)


def _item_line(item: ShownItem) -> str:
    title = to_paragraph(item.title).rstrip(".")
    return f"<b>{title}.</b> {to_paragraph(item.text)}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, cut short with an ellipsis if it is wider than ``width``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

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
    from reportlab.pdfbase.pdfmetrics import stringWidth

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
    title = to_plain(words["title"])
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

        def _decorate(self, total: int):
            from reportlab.pdfbase.pdfmetrics import stringWidth

            width, height = self._pagesize
            left, right = 20 * mm, width - 20 * mm
            bold, room = f"{font}-Bold", right - left
            mark, page = to_plain(status), f"Page {self._pageNumber} of {total}"
            mark_size = min(status_size, status_size * room / stringWidth(mark, bold, status_size))
            # A long sign-off name pushes the page number down beside the footer text.
            side_by_side = stringWidth(f"{mark}    {page}", bold, mark_size) <= room
            page_row, page_size = (14, mark_size) if side_by_side else (9, footer_size)
            self.saveState()
            self.setFillColor(EMERGENCY if review.is_draft else MUTED)
            self.setFont(bold, mark_size)
            self.drawString(left, 14 * mm * k, mark)
            self.setFillColor(INK)
            self.setFont(bold, page_size)
            self.drawRightString(right, page_row * mm * k, page)
            self.setFillColor(MUTED)
            if not side_by_side:
                room -= stringWidth(f"{page}    ", bold, page_size)
            footer = _footer_that_fits(to_plain(words["footer"]), font, room)
            wide = stringWidth(footer, font, footer_size)
            fits = max(SMALLEST_FOOTER, min(footer_size, 0.99 * footer_size * room / max(wide, 1)))
            self.setFont(font, fits)
            self.drawString(left, 9 * mm * k, _fit(footer, font, fits, room))
            if self._pageNumber > 1:
                self.drawString(left, height - 11 * mm * k, f"{title} (continued)")
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, 18.5 * mm * k, right, 18.5 * mm * k)
            self.restoreState()

    return NumberedCanvas
