"""The paper intake form: a one-page PDF with real form fields, and reading it back.

``intake_form(topic, practice)`` makes the form (ReportLab's AcroForm API): a
checkbox per symptom with its label and hint, then name, weeks or due date or
"after the birth", and notes. It fills in any PDF viewer or on a tablet, and
prints well for a pen. A read-only field carries a marker (form kind, topic and
content version), so ``read_form`` can tell our form from another document and
a form printed for other content from a current one.

``read_form(pdf, library)`` returns the topic and the raw request fields, which
the front end hands to the request layer like any other.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from handouts.errors import HandoutsError
from handouts.models import Library, Practice, Topic
from handouts.placeholders import topic_title

MARKER_FIELD = "handouts_form"
MARKER = "handouts-intake/1"
SYMPTOM_PREFIX = "symptom:"
TEXT_FIELDS = ("name", "weeks", "due_date", "notes")
FORM_NAMES = {
    "symptoms": "Symptoms",
    "name": "Your name",
    "weeks": "Weeks pregnant",
    "due_date": "Due date",
    "after_birth": "My baby has been born",
    "notes": "Anything else",
}
"""What the form calls each field, for messages about a filled form."""


class IntakeFormError(HandoutsError):
    """A file is not a usable intake form (not ours, other topic or content version)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class FilledForm:
    """What a filled form asks for: its topic and the raw request fields."""

    topic: Topic = field(repr=False)
    fields: dict[str, object]


def marker_for(topic: Topic) -> str:
    return f"{MARKER} {topic.id} {topic.version}"


# Making the form ----------------------------------------------------------------


def intake_form(topic: Topic, practice: Practice, paper: str | None = None) -> bytes:
    """The intake form for ``topic`` as PDF bytes (same input, same bytes)."""
    from reportlab.lib.colors import HexColor, black, white
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.pdfgen.canvas import Canvas

    from handouts.render.pdf import register_fonts

    font = register_fonts()
    size = LETTER if (paper or practice.paper).lower() == "letter" else A4
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=1, lang=topic.language)
    canvas.setTitle(f"{topic_title(topic, practice)}: intake form")
    canvas.setAuthor(practice.name or "handouts")
    canvas.setSubject(marker_for(topic))
    form = _Form(canvas, font, size, HexColor(practice.accent_colour or "#1a4f8b"), black, white)
    form.draw(topic, practice)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


class _Form:
    """Lays out one page top to bottom; ``y`` is the next baseline."""

    MARGIN = 48

    def __init__(self, canvas, font, size, accent, black, white):
        self.c, self.font, self.accent, self.black, self.white = canvas, font, accent, black, white
        self.width, self.height = size
        self.y = self.height - self.MARGIN

    def text(self, words: str, size: float, *, bold: bool = False, x: float | None = None):
        self.c.setFont(f"{self.font}-Bold" if bold else self.font, size)
        self.c.setFillColor(self.black)
        self.c.drawString(x if x is not None else self.MARGIN, self.y, words)

    def draw(self, topic: Topic, practice: Practice) -> None:
        if practice.name:
            self.text(practice.name, 11, bold=True)
            self.y -= 20
        self.text("Before your appointment", 20, bold=True)
        self.y -= 20
        self.text(_fit(topic_title(topic, practice), 90), 12)
        self.y -= 22
        who = topic.routine_contact[:1].upper() + topic.routine_contact[1:]
        self.text(f"Tick any that you have. {who} will go through them with you.", 11)
        self.y -= 14
        self.c.setStrokeColor(self.accent)
        self.c.setLineWidth(2)
        self.c.line(self.MARGIN, self.y, self.width - self.MARGIN, self.y)
        self.y -= 26
        step = min(40, (self.y - 250) / max(len(topic.symptoms), 1))
        for symptom in topic.symptoms:
            self.checkbox(SYMPTOM_PREFIX + symptom.id, symptom.label, symptom.hint)
            self.y -= step
        self.y -= 6
        self.field("name", FORM_NAMES["name"], 260)
        if topic.uses_weeks:
            self.field("weeks", FORM_NAMES["weeks"], 60, x=330)
            self.y -= 46
            self.field("due_date", f"{FORM_NAMES['due_date']} ({_order_hint(practice)})", 140)
            self.checkbox("after_birth", FORM_NAMES["after_birth"], "", x=330, y_offset=-4)
        self.y -= 46
        self.field("notes", FORM_NAMES["notes"], self.width - 2 * self.MARGIN, height=70)
        self.marker(topic)

    def checkbox(self, name, label, hint, *, x=None, y_offset=0.0):
        x = self.MARGIN if x is None else x
        self.c.acroForm.checkbox(
            name=name,
            tooltip=label,
            x=x,
            y=self.y - 4 + y_offset,
            size=16,
            buttonStyle="check",
            borderColor=self.black,
            fillColor=self.white,
            textColor=self.black,
            borderWidth=1,
            fieldFlags="",
            forceBorder=True,
        )
        saved = self.y
        self.y += y_offset
        self.text(_fit(label, 80), 12, bold=True, x=x + 24)
        if hint:
            self.y -= 13
            self.text(_fit(hint, 105), 9.5, x=x + 24)
        self.y = saved

    def field(self, name, label, width, *, x=None, height=22):
        x = self.MARGIN if x is None else x
        self.text(label, 10.5, bold=True, x=x)
        self.c.acroForm.textfield(
            name=name,
            tooltip=label,
            x=x,
            y=self.y - height - 4,
            width=width,
            height=height,
            borderColor=self.black,
            fillColor=self.white,
            textColor=self.black,
            borderWidth=1,
            fontName="Helvetica",
            fontSize=11,
            maxlen=1000 if name == "notes" else 100,
            fieldFlags="multiline" if height > 30 else "",
            forceBorder=True,
        )
        if height > 30:
            self.y -= height - 22

    def marker(self, topic: Topic) -> None:
        self.y = self.MARGIN - 14
        self.text(f"Form {topic.id}, content version {topic.version}", 8)
        self.c.acroForm.textfield(
            name=MARKER_FIELD,
            value=marker_for(topic),
            x=self.width - 4,
            y=self.height - 4,
            width=1,
            height=1,
            borderWidth=0,
            fieldFlags="readOnly",
            annotationFlags="hidden",
            maxlen=200,
        )


def _order_hint(practice: Practice) -> str:
    return "MM/DD/YYYY" if practice.date_order == "mdy" else "DD/MM/YYYY"


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Reading it back ------------------------------------------------------------------


def read_form(pdf: bytes, library: Library) -> FilledForm:
    """The topic and raw request fields of a filled intake form."""
    fields = _fields(pdf)
    marker = str(fields.get(MARKER_FIELD) or "")
    parts = marker.split()
    if len(parts) != 3 or parts[0] != MARKER:
        raise IntakeFormError("not a handouts intake form (print one with 'handouts intake-form')")
    _, topic_id, version = parts
    if topic_id not in library.topic_ids:
        raise IntakeFormError(
            f"this form is for the topic {topic_id!r}, which this content does not have "
            f"(expected one of: {', '.join(library.topic_ids)})"
        )
    topic = library.topic(topic_id)
    if version != topic.version:
        raise IntakeFormError(
            f"this form was printed for content version {version}, and the content is now "
            f"version {topic.version}; print a new form with 'handouts intake-form'"
        )
    ticked = [
        name.removeprefix(SYMPTOM_PREFIX)
        for name, value in fields.items()
        if name.startswith(SYMPTOM_PREFIX) and _is_ticked(value)
    ]
    raw: dict[str, object] = {"symptoms": ticked}
    for name in TEXT_FIELDS:
        if name in fields:
            raw[name] = str(fields[name] or "")
    if "after_birth" in fields:
        raw["after_birth"] = True if _is_ticked(fields["after_birth"]) else None
    return FilledForm(topic, raw)


def _fields(pdf: bytes) -> dict[str, object]:
    from pypdf import PdfReader

    if not pdf.startswith(b"%PDF-"):
        raise IntakeFormError("not a PDF file")
    try:
        found = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    except Exception as exc:  # a damaged or hostile upload: pypdf raises many kinds
        raise IntakeFormError(f"cannot read this PDF ({type(exc).__name__})") from None
    return {str(name): field.get("/V") for name, field in found.items()}


def _is_ticked(value: object) -> bool:
    return value is not None and str(value) not in ("/Off", "Off", "", "/")
