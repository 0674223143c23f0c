"""The story of a handout: its flowables, section by section, in print order."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from handouts.models import Handout, ShownItem
from handouts.render.boxes import (
    _BOXES,
    Heading,
    PhoneLine,
    TickBox,
    WarningBox,
    WritingLines,
    _remember_box,
)
from handouts.render.markup import literal, to_paragraph
from handouts.render.styles import EMERGENCY, EMERGENCY_TINT, URGENT, URGENT_TINT

MODULE_HEADINGS = (
    ("causes", "causes_heading", False),
    ("self-help", "self_help_heading", True),
    ("diet", "diet_heading", False),
    ("prevention", "prevention_heading", True),
)
"""Module sections in print order; True = steps print as tick boxes."""


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
