"""Fonts, colours and paragraph styles of a printed handout.

Clear-print rules: body text 12 pt or larger, left-aligned, generous leading, an
embedded TrueType font (Atkinson Hyperlegible, designed for readers with low
vision), high contrast. Every style is scaled from one base size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from handouts import resources

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
PANEL_TINT = colors.HexColor("#eef3f8")


@cache
def register_fonts(folder: Path = resources.FONTS) -> str:
    """Register the font family once per process; returns its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    from handouts.render.fonts import PrimaryFont

    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(PrimaryFont(name, str(folder / file)))
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

    from handouts.render.fonts import PrimaryFont

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
        pdfmetrics.registerFont(PrimaryFont(name, str(file if file.is_file() else regular)))
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
            1.6,
            leading=size * 1.95,
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
        "body": s.style("body", leading=size * 1.35, spaceAfter=s.gap * 0.4),
        "symptom": s.style(
            "symptom",
            1.2,
            fontName=bold,
            textColor=accent_colour,
            spaceBefore=s.gap * 1.2,
            spaceAfter=s.gap * 0.2,
        ),
        "panel_heading": s.style("panel_heading", 1.1, fontName=bold, spaceAfter=s.gap * 0.3),
        "panel_item": s.style(
            "panel_item",
            leading=size * 1.4,
            leftIndent=size * 1.5,
            bulletIndent=size * 0.2,
            bulletFontName=bold,
            spaceAfter=s.gap * 0.2,
        ),
        "bullet": s.style(
            "bullet",
            leading=size * 1.35,
            leftIndent=size * 1.5,
            bulletIndent=size * 0.4,
            bulletFontName=font,
            spaceAfter=s.gap * 0.3,
        ),
        "tick": s.style(
            "tick", leading=size * 1.35, leftIndent=size * 1.8, spaceAfter=s.gap * 0.25
        ),
        "tick_title": s.style(
            "tick_title",
            leading=size * 1.35,
            leftIndent=size * 1.8,
            spaceBefore=s.gap,
            spaceAfter=s.gap * 0.2,
        ),
        "box_heading": s.style(
            "box_heading", 1.3, fontName=bold, textColor=colors.white, leading=size * 1.6
        ),
        "box_intro": s.style("box_intro", 1.0, leading=size * 1.35),
        "box_item": s.style(
            "box_item",
            leading=size * 1.32,
            leftIndent=size * 1.2,
            bulletIndent=0,
            bulletFontName=bold,
        ),
        "phone": s.style("phone", 1.0, fontName=bold, leading=size * 1.4),
        "small": s.style("small", 1.0, textColor=MUTED, leading=size * 1.3),
        "rule": ParagraphStyle("rule", textColor=accent_colour),
    }


@cache
def mirrored(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` for a right-to-left handout: its indents swapped, set flush right."""
    from reportlab.lib.enums import TA_RIGHT

    return style.clone(
        f"{style.name}-mirrored",
        leftIndent=style.rightIndent,
        rightIndent=style.leftIndent,
        alignment=TA_RIGHT,
    )
