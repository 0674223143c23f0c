"""Render a ``Handout`` to PDF bytes with ReportLab Platypus.

The layout lives beside this module: ``styles`` (fonts, colours, paragraph
styles), ``boxes`` (warning boxes, tick boxes and other flowables), ``story``
(what goes where) and ``page`` (the page frame and footer). The same handout
always gives the same bytes (ReportLab's invariant mode).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from handouts import __version__
from handouts.models import Handout
from handouts.render import fonts, paracache
from handouts.render.markup import to_plain
from handouts.render.page import MARGIN, HandoutDoc, _canvas_maker, _spacing
from handouts.render.story import TICKED_MODULES, Story
from handouts.render.styles import PAPER, register_fonts, register_practice_font, styles

__all__ = ["PAPER", "register_fonts", "render_pages", "render_pdf"]


def render_pdf(handout: Handout, **layout) -> bytes:
    """The handout as PDF bytes."""
    return render_pages(handout, **layout)[0]


def render_pages(
    handout: Handout, *, back_cover: bool = False, filler: int = 0
) -> tuple[bytes, int]:
    """The handout as PDF bytes, and how many pages it has.

    ``back_cover`` keeps the warning boxes for the last page (a booklet), after
    ``filler`` pages for notes.
    """
    laid = layout(handout, back_cover=back_cover, filler=filler)
    return laid.pdf, laid.pages


@dataclass(frozen=True, slots=True)
class Layout:
    pdf: bytes
    pages: int
    free: float
    """Points left empty at the foot of the last page."""
    frame: float
    """Points of text a page holds."""


def layout(
    handout: Handout,
    *,
    back_cover: bool = False,
    filler: int = 0,
    draw: bool = True,
    check: bool = True,
) -> Layout:
    """The handout rendered, with its page count and the room left on its last page.

    ``draw=False`` only lays the pages out, to count them and measure the room left
    (``pdf`` is empty): what fitting a handout asks of every render but its last.
    ``check=False`` skips checking that every character has a font (the handout's
    texts were checked already).
    """
    buffer = io.BytesIO()
    with remembering(handout):
        doc, st, style_key = _document(handout, buffer, check=check)
        story = Story(
            handout,
            st,
            doc.width,
            doc.height - 12,  # a frame pads 6 pt at top and bottom
            style_key,
            back_cover=back_cover,
            filler=filler,
        ).build()
        maker = _canvas_maker(handout, handout.words, st) if draw else MeasuringCanvas
        doc.build(story, canvasmaker=maker)
    frame = doc.frame
    pdf = buffer.getvalue() if draw else b""
    return Layout(pdf, doc.page, max(0.0, frame._y - frame._y1p), doc.height - 12)


class MeasuringCanvas(Canvas):
    """A canvas for a layout that only counts pages: paragraphs are not drawn (see
    ``fonts._draw_para``) and no PDF is made."""

    measuring = True

    def showPage(self):
        self._startPage()

    def save(self):
        pass


def item_heights(handout: Handout) -> dict[str, float]:
    """How tall each item of ``handout`` prints, in points (what leaving it out frees)."""
    with remembering(handout):
        doc, st, style_key = _document(handout, io.BytesIO(), check=False)
        story = Story(handout, st, doc.width, doc.height - 12, style_key)
        canvas = Canvas(io.BytesIO())
        heights = {}
        for item in handout.items:
            if item.urgency is None:
                flowables = story.item(item, ticks=item.module in TICKED_MODULES)
                heights[item.id] = sum(
                    f.wrapOn(canvas, doc.width - 12, doc.height)[1]  # the frame's width
                    + f.getSpaceBefore()
                    + f.getSpaceAfter()
                    for f in flowables
                )
    return heights


def remembering(handout: Handout):
    """Keep line breaks over several layouts of ``handout`` (see ``paracache``)."""
    return paracache.remembering(_private(handout))


def _private(handout: Handout) -> list[str]:
    """The texts of ``handout`` that are its patient's, never kept after it is made: as
    typed, as they stand in the Markdown of the wording (escaped), and each word of the
    names on their own, which a practice's wording may print in part ("A. Silva")."""
    from handouts.placeholders import escape_markdown

    patient = handout.patient
    names = [patient.name, patient.first_name, handout.clinician]
    typed = [*names, handout.follow_up, handout.contact, *handout.notes.splitlines()]
    words = [word for name in names for word in name.split() if len(word) > 1]
    return [*typed, *words, *(escape_markdown(text) for text in typed + words)]


def _document(handout: Handout, buffer, *, check: bool = True) -> tuple[HandoutDoc, dict, tuple]:
    """The document for ``handout`` (fonts registered and, with ``check``, its text
    checked), its paragraph styles, and what made them."""
    practice = handout.practice
    font = register_fonts()
    if practice.font is not None:
        font = register_practice_font(practice.font)
    folder = practice.folder / "fonts" if practice.folder else None
    fonts.use(font, folder)
    words = handout.words
    if check:
        fonts.check_all(_texts(handout, words))
    size = practice.body_size
    st = styles(size, font, practice.accent_colour, practice.large_print)
    k = _spacing(practice)
    doc = HandoutDoc(
        buffer,
        pagesize=PAPER[handout.paper],
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm * k,
        bottomMargin=24 * mm * k,
        title=to_plain(words["title"]),
        author=handout.practice.name or "handouts",
        subject=to_plain(handout.summary),
        keywords=f"{handout.topic.id}, content version {handout.topic.version}",
        creator=f"handouts {__version__}",
        lang=handout.topic.language,
        invariant=1,
        initialFontName=font,
    )
    doc._outline_keys = []
    return doc, st, (size, font, practice.accent_colour, practice.large_print)


def _texts(handout: Handout, words: dict[str, str]):
    """(field, text) for every piece of text the handout prints, to check before drawing."""
    p = handout.practice
    yield "name", handout.patient.name
    yield "notes", handout.notes
    yield "clinician", handout.clinician
    yield "follow-up", handout.follow_up
    yield "contact", handout.contact
    yield "title", handout.title
    yield "summary", handout.summary
    for text in handout.remember:
        yield "things to remember", text
    for line in handout.plan:
        yield "plan", line.label
    for field in ("name", "address", "website", "phone", "urgent_phone", "urgent_label", "footer"):
        yield f"practice {field}", getattr(p, field)
    for key, text in words.items():
        yield f"wording {key}", text
    for symptom in handout.symptoms:
        yield f"symptom {symptom.id}", symptom.label
    for item in handout.items:
        for text in (item.title, item.text, *item.steps):
            yield f"item {item.id}", text
