"""The baseline: a bare ReportLab Platypus script typesetting the same text.

It reads the handout's paragraphs (exported by bench/run.py as JSON), and sets
them with the same embedded font and sizes, with nothing else: no content
loading, no templates, no boxes. ``python bench/bare_reportlab.py TEXT.json OUT.pdf``
"""

import io
import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONTS = Path(__file__).resolve().parent.parent / "handouts" / "fonts"


def register() -> None:
    for name, file in [
        ("F", "Regular"),
        ("F-B", "Bold"),
        ("F-I", "Italic"),
        ("F-BI", "BoldItalic"),
    ]:
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"AtkinsonHyperlegible-{file}.ttf")))
    addMapping("F", 0, 0, "F")
    addMapping("F", 1, 0, "F-B")
    addMapping("F", 0, 1, "F-I")
    addMapping("F", 1, 1, "F-BI")


def typeset(paragraphs: list[list]) -> bytes:
    """``paragraphs``: (font size, bold, text) triples."""
    styles = {}
    story = []
    for size, bold, text in paragraphs:
        key = (size, bold)
        if key not in styles:
            styles[key] = ParagraphStyle(
                f"s{len(styles)}",
                fontName="F-B" if bold else "F",
                fontSize=size,
                leading=size * 1.45,
                spaceAfter=4,
            )
        story.append(Paragraph(escape(text), styles[key]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
    return out.getvalue()


if __name__ == "__main__":
    register()
    Path(sys.argv[2]).write_bytes(typeset(json.loads(Path(sys.argv[1]).read_text())))
