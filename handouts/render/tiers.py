"""The warning boxes of a handout, in their tiers: call 999 now; call the maternity unit
now, day or night. The story places them: on page 1, or a booklet's back pages."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from handouts.render.boxes import _BOXES, PhoneLine, WarningBox, WritingLines, _remember_box
from handouts.render.markup import literal, to_paragraph, to_plain
from handouts.render.styles import EMERGENCY, EMERGENCY_TINT, URGENT, URGENT_TINT


class WarningTiers:
    """The part of ``Story`` that builds warning boxes (it needs ``h``, ``w``, ``st``,
    ``width``, ``max_height``, ``style_key``, ``back_cover`` and ``filler``)."""

    def warning_boxes(self) -> list[Flowable]:
        """The call-now tiers, each in its own box, a little space before each."""
        gap = self.st["body"].fontSize * 0.6
        return [f for box in self.tier_boxes() for f in (Spacer(1, gap), box)]

    def tier_boxes(self) -> list[WarningBox]:
        """The boxes: call 999, then (when there are urgent signs) call the maternity unit."""
        urgent = self.h.warnings("urgent")
        boxes = [
            self._box(
                "emergency_heading",
                "emergency_intro",
                self.h.warnings("emergency"),
                self.phones(emergency=False, urgent=not urgent),
                EMERGENCY,
                EMERGENCY_TINT,
                # A personalised handout's box starts on page 1, cut if it must be; a
                # leaflet's box never splits.
                start_here=self.h.personalised and not self.back_cover,
            )
        ]
        if urgent:
            boxes.append(
                self._box(
                    "urgent_heading",
                    "urgent_intro",
                    urgent,
                    self.phones(emergency=False, urgent=True),
                    URGENT,
                    URGENT_TINT,
                )
            )
        return boxes

    def _box(
        self, heading: str, intro: str, items, phones, colour, tint, start_here=False
    ) -> WarningBox:
        """A warning box, typeset once per process for everything that shapes it."""
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
        return box

    def phones(self, *, emergency: bool, urgent: bool) -> list[tuple[str, str]]:
        """(label, number) for each phone line of a box; an empty number gets a line."""
        p = self.h.practice
        lines = []
        if emergency:
            number = p.emergency_number or "your local emergency number"
            lines.append((self.w["emergency_phone_label"], number))
        if urgent:
            lines.append((self.w["urgent_phone_label"], p.urgent_phone))
        return lines

    def _phone(self, label: str, number: str) -> Flowable:
        if number:
            text = f"{to_paragraph(label)}: {literal(number)}"
            return Paragraph(text, self.st["phone"])
        # No number known (default practice): a line to write it on by hand.
        return PhoneLine(f"{to_paragraph(label)}:", self.st["phone"], f"{to_plain(label)}:")

    def back_pages(self) -> list[Flowable]:
        """A booklet's last pages: ``filler`` pages for notes, then the warning boxes, the
        call-999 box alone on the back cover where a patient finds it."""
        flow: list[Flowable] = []
        gap = self.st["body"].leading * 1.6
        lines = int((self.max_height - self.st["h2"].leading * 3) // gap) - 1
        for _ in range(self.filler):
            flow += [
                PageBreak(),
                self.para(self.w["notes_heading"], "h2"),
                WritingLines(max(lines, 1), gap),
            ]
        emergency, *urgent = self.tier_boxes()
        for box in urgent:
            flow += [PageBreak(), box]
        return [*flow, PageBreak(), emergency]


def _item_line(item) -> str:
    title = to_paragraph(item.title).rstrip(".")
    return f"<b>{title}.</b> {to_paragraph(item.text)}"
