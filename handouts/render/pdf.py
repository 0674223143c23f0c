"""Render a ``Handout`` to PDF bytes with ReportLab Platypus.

The layout lives beside this module: ``styles`` (fonts, colours, paragraph
styles), ``boxes`` (warning boxes, tick boxes and other flowables), ``story``
(what goes where) and ``page`` (the page frame and footer). The same handout
always gives the same bytes (ReportLab's invariant mode).
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm

from handouts import __version__, wording
from handouts.models import Handout
from handouts.render import fonts
from handouts.render.markup import to_plain
from handouts.render.page import HandoutDoc, _canvas_maker, _spacing
from handouts.render.story import Story
from handouts.render.styles import PAPER, register_fonts, register_practice_font, styles

__all__ = ["PAPER", "register_fonts", "render_pdf"]


def render_pdf(handout: Handout, *, template_path: tuple[Path, ...] = ()) -> bytes:
    """The handout as PDF bytes; templates come from ``template_path`` or the practice's."""
    practice = handout.practice
    font = register_fonts()
    if practice.font is not None:
        font = register_practice_font(practice.font)
    folder = practice.folder / "fonts" if practice.folder else None
    fonts.use(font, folder)
    words = wording.words(handout, template_path or practice.templates)
    fonts.check_all(_texts(handout, words))
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


def _texts(handout: Handout, words: dict[str, str]):
    """(field, text) for every piece of text the handout prints, to check before drawing."""
    p = handout.practice
    yield "name", handout.patient.name
    yield "notes", handout.notes
    yield "clinician", handout.clinician
    for field in ("name", "address", "website", "phone", "urgent_phone", "urgent_label", "footer"):
        yield f"practice {field}", getattr(p, field)
    for key, text in words.items():
        yield f"wording {key}", text
    for symptom in handout.symptoms:
        yield f"symptom {symptom.id}", symptom.label
    for item in handout.items:
        for text in (item.title, item.text, *item.steps):
            yield f"item {item.id}", text
