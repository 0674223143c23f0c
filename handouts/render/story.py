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
from handouts.placeholders import escape_markdown
from handouts.render import fonts
from handouts.render.boxes import (
    Heading,
    LinesToTheEnd,
    Panel,
    PhoneLine,
    QRCode,
    TickBox,
    WritingLines,
)
from handouts.render.markup import literal, to_paragraph, to_plain
from handouts.render.styles import (
    RULE,
    mirrored,
)
from handouts.render.tiers import WarningTiers, _item_line

MODULE_HEADINGS = (
    ("causes", "causes_heading", False),
    ("self-help", "self_help_heading", True),
    ("diet", "diet_heading", False),
    ("prevention", "prevention_heading", True),
)
"""Module sections in print order; True = steps print as tick boxes."""
TICKED_MODULES = frozenset(m for m, _, ticks in MODULE_HEADINGS if ticks)
"""Modules whose steps print as tick boxes."""
ABOUT_MODULES = ("causes", "self-help")
"""What "About your symptoms" holds for each ticked symptom: why, then what to do."""


class Story(WarningTiers):
    """Builds the list of flowables, section by section, in the order a patient needs them.

    Page 1: who it is for, the things to remember, the warning boxes, the clinician's
    notes and "My plan". Then, per ticked symptom, why it happens and what to do;
    then eating, prevention, what to mention at the next appointment, and the sources.
    A booklet (``back_cover``) keeps the warning boxes for its back cover instead,
    after ``filler`` pages for notes that make its page count a multiple of four.
    """

    def __init__(
        self,
        handout: Handout,
        st: dict,
        width: float,
        max_height: float = 10_000,
        style_key: tuple | None = None,
        *,
        back_cover: bool = False,
        filler: int = 0,
    ):
        self.h, self.w, self.st, self.width = handout, handout.words, st, width
        self.max_height = max_height
        self.style_key = style_key  # what made ``st``; lets warning boxes be reused
        self.back_cover, self.filler = back_cover, filler

    def build(self) -> list[Flowable]:
        flow = self.header()
        flow += self.remember()
        if self.back_cover:
            flow.append(self.para(self.w["back_cover_pointer"], "body"))
            boxes = []
        else:
            boxes = self.warning_boxes()
        if self.h.personalised:
            # The clinician's notes stay on page 1, under the call-999 box; the next box
            # follows them there, or heads page 2 whole.
            notes = self.notes_and_plan()
            if boxes[2:]:
                notes.append(LinesToTheEnd(boxes[-1], self.st["body"].leading * 1.5))
            flow += [*boxes[:2], *notes, *boxes[2:], *self.teach_back()]
        else:
            flow += boxes
        if self.h.ticked:
            flow += self.about_symptoms()
            modules = MODULE_HEADINGS[2:]
        else:
            modules = MODULE_HEADINGS
        for module, heading, ticks in modules:
            flow += self.module(module, heading, ticks)
        flow += self.routine()
        flow += self.closing()
        if self.back_cover:
            flow += self.back_pages()
        return flow

    def para(self, text: str, style: str, cls=Paragraph, **kw) -> Paragraph:
        return cls(to_paragraph(text), self.st[style], **kw)

    def heading(self, key: str, text: str | None = None, style: str = "h2") -> list[Flowable]:
        """A section heading, moved to the next page unless a few lines fit under it.

        A conditional page break costs nothing, where keepWithNext would typeset
        every heading and the text after it twice.
        """
        text = self.w[key] if text is None else text
        return [
            CondPageBreak(self.st["body"].leading * 6),
            Heading(to_paragraph(text), self.st[style], text),
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
            widths = [self.width - logo.drawWidth - gap, logo.drawWidth + gap]
            table = row([lines, logo], widths, st, ("VALIGN", "MIDDLE"), ("ALIGN", (1, 0), "RIGHT"))
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
        else:
            flow.append(self.para(self.w["intro"], "intro"))
            if h.symptoms:
                labels = "; ".join(literal(s.label) for s in h.symptoms)
                text = f"<b>{to_paragraph(self.w['symptoms_heading'])}:</b> {labels}."
                flow.append(Paragraph(text, self.st["body"]))
        return flow

    def remember(self) -> list[Flowable]:
        """The things to remember, numbered, in a tinted panel."""
        points = self.h.remember
        if not points:
            return []
        st = self.st
        lines: list[Flowable] = [self.para(self.w["remember_heading"], "panel_heading")]
        lines += [
            self.para(point, "panel_item", bulletText=f"{n}.")
            for n, point in enumerate(points, start=1)
        ]
        return [Panel(lines, st["body"].fontSize * 0.6)]

    def teach_back(self) -> list[Flowable]:
        return [Spacer(1, self.st["body"].fontSize * 0.5), self.para(self.w["teach_back"], "body")]

    def notes_and_plan(self) -> list[Flowable]:
        """The clinician's notes beside "My plan" (or alone when the topic has no plan)."""
        st, h = self.st, self.h
        notes: list[Flowable] = [self.para(self.w["notes_heading"], "h3")]
        if h.notes:
            notes += [
                Paragraph(literal(line) or "&nbsp;", st["body"]) for line in h.notes.splitlines()
            ]
        else:
            notes.append(WritingLines(4, st["body"].leading * 1.5))
        # Questions go to the practice's own number unless the clinician named someone.
        practice = h.practice
        contact = h.contact or (", ".join(x for x in (practice.name, practice.phone) if x))
        contact_line = self._filled_line(
            self.w["contact_label"], contact if (h.contact or practice.phone) else ""
        )
        if not h.topic.plan:
            return [Spacer(1, st["body"].fontSize * 0.6), KeepTogether([*notes, contact_line])]
        plan: list[Flowable] = [self.para(self.w["plan_heading"], "h3")]
        plan += [self.tick(literal(line.label), "tick", ticked=line.ticked) for line in h.plan]
        plan += [self._filled_line(self.w["follow_up_label"], h.follow_up), contact_line]
        gap = st["body"].fontSize
        table = row(
            self.reading_order([notes, plan]),
            [self.width * 0.5, self.width * 0.5],
            st,
            ("RIGHTPADDING", (0, 0), gap),
            ("LEFTPADDING", (1, 0), gap),
            ("LINEBEFORE", (1, 0), 0.8, RULE),
        )
        return [Spacer(1, st["body"].fontSize * 0.6), table]

    @property
    def rtl(self) -> bool:
        """The handout's language reads right to left (Arabic, Hebrew, Urdu...)."""
        return self.h.topic.language in fonts.RTL_LANGUAGES

    def reading_order(self, cells: list) -> list:
        """Side-by-side ``cells``, first to last as a reader of the handout's language
        reads them."""
        return cells[::-1] if self.rtl else cells

    def tick(self, markup: str, style: str, ticked: bool = False) -> TickBox:
        """A line with a tick box before it, on the side the handout's language starts."""
        if self.rtl:
            return TickBox(markup, mirrored(self.st[style]), ticked=ticked, rtl=True)
        return TickBox(markup, self.st[style], ticked=ticked)

    def _filled_line(self, label: str, value: str) -> Flowable:
        if value:
            return Paragraph(f"<b>{to_paragraph(label)}:</b> {literal(value)}", self.st["body"])
        return PhoneLine(f"<b>{to_paragraph(label)}:</b>", self.st["body"], f"{to_plain(label)}:")

    def about_symptoms(self) -> list[Flowable]:
        """Per ticked symptom, why it happens and what to do, each item once."""
        about = [i for i in self.h.items if i.module in ABOUT_MODULES]
        if not about:
            return []
        flow: list[Flowable] = []
        for symptom in self.h.symptoms:
            mine = [i for i in about if i.symptoms[:1] == (symptom.id,)]
            shared = any(symptom.id in i.symptoms for i in about)
            if not shared:
                continue
            # The heading is Markdown: the label is escaped as Markdown, not yet as markup.
            label = escape_markdown(symptom.label)
            flow += self.heading("about_heading", f"{self.w['about_heading']}: {label}")
            if not mine:
                flow.append(self.para(self.w["see_above"], "body"))
            for item in sorted(mine, key=lambda i: ABOUT_MODULES.index(i.module)):
                flow += self.item(item, ticks=item.module == "self-help")
        return flow

    def module(self, module: str, heading: str, ticks: bool) -> list[Flowable]:
        items = self.h.module(module)
        if not items:
            return []
        return [*self.heading(heading), *(f for item in items for f in self.item(item, ticks))]

    def item(self, item: ShownItem, ticks: bool) -> list[Flowable]:
        """An item's flowables; with ``ticks``, steps (or the title) get tick boxes."""
        flow: list[Flowable] = [CondPageBreak(self.st["body"].leading * 4)]
        if not ticks and not item.steps:  # a title run into its text saves a line
            title = to_paragraph(item.title).rstrip(".")
            return [*flow, Paragraph(f"<b>{title}.</b> {to_paragraph(item.text)}", self.st["body"])]
        if ticks and not item.steps:
            flow += [
                self.tick(to_paragraph(f"**{item.title}**"), "tick_title"),
                self.para(item.text, "tick"),
            ]
        else:
            flow += [self.para(item.title, "h3"), self.para(item.text, "body")]
        for step in item.steps:
            if ticks:
                flow.append(self.tick(to_paragraph(step), "tick"))
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

    def closing(self) -> list[Flowable]:
        """Sources (one line, or the full list in a leaflet), QR code and disclaimer."""
        st = self.st
        if self.h.ticked or self.h.personalised:
            line = f"{self.w['sources_line']} {self.w['disclaimer']}"
            block: list[Flowable] = [self.para(line, "small")]
            sources: list[Flowable] = []
        else:  # the full list flows on; the disclaimer and QR code close it
            block = [self.para(self.w["disclaimer"], "small")]
            sources = [
                Spacer(1, st["body"].fontSize),
                self.para(f"**{self.w['sources_heading']}**", "small"),
                *(Paragraph(line, st["small"]) for line in _source_lines(self.h)),
            ]
        url = self.h.practice.online_url
        if url:
            size = st["body"].fontSize * 6
            text = [
                self.para(f"**{self.w['online_line']}**", "small"),
                Paragraph(literal(url), st["small"]),
                *block,
            ]
            cells, widths = [text, QRCode(url, size)], [self.width - size, size]
            block = [row(self.reading_order(cells), self.reading_order(widths), st)]
        # Together, so a last page never holds the disclaimer alone.
        return [*sources, Spacer(1, st["body"].fontSize), KeepTogether(block)]


def row(cells: list, widths: list[float], st: dict, *extra: tuple) -> Table:
    """One borderless table row of ``cells`` (each a list of flowables), top-aligned and
    without padding; ``extra`` are (command, cell, *values) for one cell, such as
    ("LEFTPADDING", (1, 0), 12), or (command, value) for every cell."""
    table = Table([cells], colWidths=widths)
    every = ((0, 0), (-1, -1))
    commands = [
        ("FONTNAME", *every, st["body"].fontName),  # not Helvetica
        ("VALIGN", *every, "TOP"),
        *((name, *every, 0) for name in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING")),
        ("BOTTOMPADDING", *every, 0),
    ]
    for command, *rest in extra:
        if len(rest) == 1:
            commands.append((command, *every, rest[0]))
        else:
            cell, *values = rest
            commands.append((command, cell, cell, *values))
    table.setStyle(commands)
    return table


def _source_lines(handout: Handout) -> list[str]:
    """The full source list, one line per publisher with its titles."""
    titles: dict[str, list[str]] = {}
    for source in handout.sources:
        titles.setdefault(source.publisher, []).append(source.title)
    return [f"<b>{literal(p)}:</b> {literal('; '.join(t))}." for p, t in titles.items()]


def _logo(path: Path, max_width: float, max_height: float) -> Image:
    """The logo, scaled to fit the box and keep its shape."""
    from reportlab.lib.utils import ImageReader

    width, height = ImageReader(str(path)).getSize()
    scale = min(max_width / width, max_height / height)
    return Image(str(path), width=width * scale, height=height * scale)
