"""Render a ``Handout`` to PDF bytes with ReportLab Platypus.

The layout lives beside this module: ``styles`` (fonts, colours, paragraph
styles), ``boxes`` (warning boxes, tick boxes and other flowables), ``story``
(what goes where) and ``page`` (the page frame and footer). The same handout
always gives the same bytes (ReportLab's invariant mode).
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm

from handouts import __version__
from handouts.models import Handout
from handouts.render import fonts
from handouts.render.markup import to_plain
from handouts.render.page import MARGIN, HandoutDoc, _canvas_maker, _spacing
from handouts.render.story import Story
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
    practice = handout.practice
    font = register_fonts()
    if practice.font is not None:
        font = register_practice_font(practice.font)
    folder = practice.folder / "fonts" if practice.folder else None
    fonts.use(font, folder)
    words = handout.words
    fonts.check_all(_texts(handout, words))
    size = practice.body_size
    st = styles(size, font, practice.accent_colour, practice.large_print)
    k = _spacing(practice)
    pagesize = PAPER[handout.paper]
    buffer = io.BytesIO()
    doc = HandoutDoc(
        buffer,
        pagesize=pagesize,
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
    # A frame pads 6 pt at top and bottom: a box taller than what is left must split.
    style_key = (size, font, practice.accent_colour, practice.large_print)
    story = Story(
        handout,
        st,
        doc.width,
        doc.height - 12,
        style_key,
        back_cover=back_cover,
        filler=filler,
    ).build()
    doc.build(story, canvasmaker=_canvas_maker(handout, words, st))
    return buffer.getvalue(), doc.page


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
