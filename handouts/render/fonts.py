"""The font stack: the handout's own font first, then fallbacks for every script.

Text becomes ReportLab markup in one place (``markup``), which calls ``runs``
here: each stretch of text is set in the first font of the chain that can draw
all of it. The chain is the handout's font (Atkinson Hyperlegible or the
practice's), the Noto fonts shipped in ``handouts/fonts/noto`` (Latin, Greek,
Cyrillic, Arabic, Hebrew and the Indic scripts, Thai), TrueType fonts in the
practice's ``fonts/`` folder, then system fonts found through fontconfig (for
Chinese, Japanese and Korean). A character no font can draw raises
``TextError`` naming it, before anything is written.

Complex scripts are shaped by HarfBuzz inside ReportLab (``shaping=1`` on every
style). Right-to-left words are put in visual order here with the Unicode bidi
algorithm (python-bidi), treating each field as an isolated run, as HTML's
``<bdi>`` does. A shaped word's glyphs do not spell its letters (ligatures,
reordered vowel signs, contextual forms), so the text object wraps each one in
an ``/ActualText`` span holding the word as typed: the PDF's text layer reads
back what was typed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr
from reportlab.pdfgen.textobject import PDFTextObject

from handouts import resources
from handouts.text import TextError, describe

NOTO = resources.FONTS / "noto"
SHIPPED = (
    "NotoSans",
    "NotoSansArabic",
    "NotoSansHebrew",
    "NotoSansDevanagari",
    "NotoSansBengali",
    "NotoSansGurmukhi",
    "NotoSansGujarati",
    "NotoSansTamil",
    "NotoSansThai",
)
"""Fallback families shipped with handouts, in the order they are tried."""

_NO_GLYPH = frozenset(map(ord, "\u200c\u200d\n\t\r"))
"""Characters that need no glyph of their own: joiners and line breaks."""
_STICKY = frozenset(["Zs", "Po", "Ps", "Pe", "Pd", "Nd", "Sm", "Sc"])
"""Categories that stay in the font of the text around them when it has them."""


@dataclass(frozen=True)
class Face:
    """One registered font family and the characters its regular face can draw."""

    family: str
    chars: frozenset[int]


def _register(family: str, regular: Path, bold: Path | None = None, index: int = 0) -> Face:
    from reportlab.lib.fonts import addMapping

    font = TTFont(family, str(regular), subfontIndex=index)
    pdfmetrics.registerFont(font)
    bold_name = f"{family}-Bold"
    pdfmetrics.registerFont(TTFont(bold_name, str(bold or regular), subfontIndex=index))
    for b, i in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(family, b, i, bold_name if b else family)
    return Face(family, frozenset(font.face.charToGlyph))


@cache
def shipped() -> tuple[Face, ...]:
    """The Noto fallbacks shipped in the package, registered on first use."""
    return tuple(
        _register(f"Fallback-{n}", NOTO / f"{n}-Regular.ttf", NOTO / f"{n}-Bold.ttf")
        for n in SHIPPED
    )


@cache
def face(family: str) -> Face:
    """The registered family ``family`` (the handout's own font) as a ``Face``."""
    return Face(family, frozenset(pdfmetrics.getFont(family).face.charToGlyph))


@cache
def folder_faces(folder: Path) -> tuple[Face, ...]:
    """Every TrueType font in ``folder`` (a practice's ``fonts/``), in name order."""
    faces = []
    for path in sorted(folder.glob("*.tt[fc]")):
        try:
            faces.append(_register(f"Folder-{path.stem}", path))
        except Exception:  # not a TrueType-outline font ReportLab can embed
            continue
    return tuple(faces)


@cache
def system_face(char: str) -> Face | None:
    """A system font (through fontconfig) that has ``char`` and can be embedded."""
    if not shutil.which("fc-list"):
        return None
    query = f":charset={ord(char):x}"
    try:
        found = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}\n", query],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    for entry in sorted(found):
        file, _, index = entry.rpartition("|")
        loaded = _system_file(file, int(index or 0))
        if loaded is not None and ord(char) in loaded.chars:
            return loaded
    return None


@cache
def _system_file(file: str, index: int) -> Face | None:
    try:
        return _register(f"System-{Path(file).stem}-{index}", Path(file), index=index)
    except Exception:  # PostScript-outline (CFF) fonts cannot be embedded by ReportLab
        return None


@dataclass(frozen=True)
class Stack:
    """The fonts tried, in order, for one handout."""

    first: str
    folder: Path | None = None

    def faces(self) -> tuple[Face, ...]:
        extra = folder_faces(self.folder) if self.folder and self.folder.is_dir() else ()
        return (face(self.first), *shipped(), *extra)

    def covers(self, text: str) -> bool:
        """True when the handout's own font has every character (the fast path)."""
        chars = face(self.first).chars
        return all(ord(c) in chars or ord(c) in _NO_GLYPH for c in text)

    def font_for(self, cluster: str, current: Face | None) -> Face | None:
        needed = [ord(c) for c in cluster if ord(c) not in _NO_GLYPH]
        if (
            current is not None
            and unicodedata.category(cluster[0]) in _STICKY
            and all(n in current.chars for n in needed)
        ):
            return current
        for f in self.faces():
            if all(n in f.chars for n in needed):
                return f
        found = system_face(cluster[0])
        if found is not None and all(n in found.chars for n in needed):
            return found
        return None


_stack = Stack("Atkinson")


def use(first: str, folder: Path | None = None) -> None:
    """Set the stack for the handout being rendered (called by ``render_pdf``)."""
    global _stack
    _stack = Stack(first, folder)


def current() -> Stack:
    return _stack


def clusters(text: str) -> list[str]:
    """``text`` cut before each character that is not a combining mark or joiner."""
    out: list[str] = []
    for char in text:
        joins = unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d"
        if out and (joins or out[-1][-1] in "\u200c\u200d"):
            out[-1] += char
        else:
            out.append(char)
    return out


def split(text: str, field: str = "text") -> list[tuple[Face | None, str]]:
    """``text`` as (font, text) runs; ``None`` is the handout's own font.

    A word is set in one font when one font has all of it (so a Vietnamese name
    is not patched from two typefaces); otherwise each letter with its marks
    takes the first font that has them.
    """
    stack = current()
    if stack.covers(text):
        return [(None, text)]
    first = face(stack.first)
    result: list[tuple[Face | None, str]] = []
    active: Face | None = None
    for word in re.split(r"( +)", text):
        if not word:
            continue
        whole = stack.font_for(word, active) if word.strip() else None
        for cluster in [word] if whole else clusters(word):
            chosen = whole or stack.font_for(cluster, active)
            if chosen is None:
                raise TextError(f"{field}: no font can draw {_culprit(cluster, stack)}")
            active = chosen
            key = None if chosen == first else chosen
            if result and result[-1][0] == key:
                result[-1] = (key, result[-1][1] + cluster)
            else:
                result.append((key, cluster))
    return result


def _culprit(cluster: str, stack: Stack) -> str:
    for char in cluster:
        if stack.font_for(char, None) is None:
            return describe(char)
    return f"{describe(cluster[-1])} on the letter {describe(cluster[0])}"


def check(text: str, field: str) -> None:
    """Raise ``TextError`` naming ``field`` if a character of ``text`` has no font."""
    split(text, field)


# --- direction -------------------------------------------------------------------------


def _levels(text: str) -> list[int]:
    """The resolved bidi embedding level of each character, in a left-to-right field."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 0, "L"
    uba.get_embedding_levels(text, storage, False, False)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return [c["level"] for c in storage["chars"]]


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def visual(text: str) -> list[tuple[str, bool]]:
    """``text`` as words and spaces in visual order, each flagged right-to-left or not.

    Letters inside a word stay in logical order: HarfBuzz lays out a right-to-left
    word's glyphs itself.
    """
    if not has_rtl(text):
        return [(text, False)]
    levels = _levels(text)
    units: list[list] = []  # [text, level]
    for char, level in zip(text, levels, strict=True):
        space = char == " "
        if units and units[-1][1] == level and (units[-1][0][-1] == " ") == space:
            units[-1][0] += char
        else:
            units.append([char, level])
    for unit in reversed(units):  # trailing spaces take the field's direction (rule L1)
        if unit[0].strip():
            break
        unit[1] = 0
    top = max(u[1] for u in units)
    lowest_odd = min((u[1] for u in units if u[1] % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(units):
            if units[i][1] >= level:
                j = i
                while j < len(units) and units[j][1] >= level:
                    j += 1
                units[i:j] = units[i:j][::-1]
                i = j
            else:
                i += 1
    return [(u[0], bool(u[1] % 2)) for u in units]


# --- markup and the text layer -----------------------------------------------------------

_ACTUAL: dict[tuple[str, str], str] = {}
"""(font, shaped glyph string) -> the text it stands for, for ``/ActualText``."""


def _remember(text: str, family: str, rtl: bool) -> None:
    for word in text.split(" "):
        if not word or (family, word) in _ACTUAL:
            continue
        glyphs = str(shapeStr(word, family, 10))
        if glyphs != word:
            # pdftotext reads a right-to-left word's replacement text by position, as it
            # does its glyphs, so it is given in the glyphs' (visual) order.
            _ACTUAL[(family, glyphs)] = word[::-1] if rtl else word
            _ACTUAL[(f"{family}-Bold", str(shapeStr(word, f"{family}-Bold", 10)))] = (
                word[::-1] if rtl else word
            )


def markup(text: str, field: str = "text") -> str:
    """Paragraph markup for plain ``text``: escaped, in font runs, in visual order."""
    if current().covers(text):
        return escape(text)
    out = []
    for piece, rtl in visual(text):
        for font, run in split(piece, field):
            if font is None:
                out.append(escape(run))
            else:
                _remember(run, font.family, rtl)
                out.append(f'<font face="{font.family}">{escape(run)}</font>')
    return "".join(out)


def width(text: str, font: str, size: float) -> float:
    """The printed width of ``text`` with fallbacks (for the footer and header)."""
    total = 0.0
    bold = font.endswith("-Bold")
    for piece, _ in visual(text):
        for face_, run in split(piece):
            name = font if face_ is None else face_.family + ("-Bold" if bold else "")
            shaped = shapeStr(run, name, size) if face_ is not None else None
            if isinstance(shaped, ShapedStr):
                total += sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
            else:
                total += pdfmetrics.stringWidth(run, name, size)
    return total


def draw(canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw ``text`` at (x, y) with fallbacks, shaping and direction."""
    if current().covers(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        return
    bold = font.endswith("-Bold")
    for piece, rtl in visual(text):
        for face_, run in split(piece):
            name = font if face_ is None else face_.family + ("-Bold" if bold else "")
            if face_ is not None:
                _remember(run, face_.family, rtl)
            for word_index, word in enumerate(run.split(" ")):
                if word_index:
                    canvas.setFont(name, size)
                    canvas.drawString(x, y, " ")
                    x += pdfmetrics.stringWidth(" ", name, size)
                if not word:
                    continue
                canvas.setFont(name, size)
                canvas.drawString(x, y, word, shaping=face_ is not None)
                x += (
                    width(word, font, size)
                    if face_ is not None
                    else pdfmetrics.stringWidth(word, name, size)
                )


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class TextObject(PDFTextObject):
    """A text object that gives each shaped word its typed text (``/ActualText``)."""

    def _formatText(self, text):
        if not isinstance(text, ShapedStr) or not _ACTUAL:
            return super()._formatText(text)
        out, start, glyphs = [], 0, str(text)
        for i, char in enumerate(glyphs + " "):
            if char != " ":
                continue
            if i > start:
                word = text[start:i]
                code = super()._formatText(word)
                actual = _ACTUAL.get((self._fontname, str(word)))
                out.append(
                    f"/Span<</ActualText{_utf16(actual)}>>BDC {code} EMC" if actual else code
                )
            if i < len(glyphs):
                out.append(super()._formatText(text[i : i + 1]))
            start = i + 1
        return " ".join(out)


class PrimaryFont(TTFont):
    """The handout's own font: set as it is, never shaped.

    Paragraph styles switch shaping on for the fallback fonts' complex scripts;
    the handout's font (Latin) needs none, and leaving it unshaped keeps its text
    layer free of ligature glyphs and its layout as before.
    """

    def hbFont(self, fontSize=10):
        raise AttributeError("the handout's own font is not shaped")


def check_all(fields) -> None:
    """Check every (field, text): typed-text hygiene, then a font for every character."""
    from handouts.text import clean

    for field, text in fields:
        if text:
            check(clean(text, field), field)


def _shape_by_font(word, features=None, force=False):
    """Shape a paragraph's word one font at a time.

    ReportLab shapes a word with the first font's HarfBuzz face even when the word
    changes font (a name followed by a comma in the handout's font): each run of
    one font is shaped on its own here, so every glyph comes from its own font.
    """
    from itertools import groupby

    from reportlab.pdfbase.ttfonts import ShapedFragWord, makeShapedFragWord

    if isinstance(word, ShapedFragWord):
        return word
    frags = word[1:]
    groups = [
        list(g)
        for _, g in groupby(frags, key=lambda fs: getattr(fs[0], "fontName", None) or id(fs))
    ]
    if len(groups) < 2:
        return _reportlab_shape(word, **({"features": features} if features else {}))
    shaped, total, changed = [], 0.0, False
    for group in groups:
        part_width = sum(
            pdfmetrics.stringWidth(s, f.fontName, f.fontSize)
            for f, s in group
            if not hasattr(f, "cbDefn")
        )
        part = _reportlab_shape(word.__class__([part_width, *group]))
        changed = changed or isinstance(part, ShapedFragWord)
        total += part[0]
        shaped.extend(part[1:])
    if not changed:
        return word
    return makeShapedFragWord(word)([total, *shaped])


def _start_fallback_font(parser, attr):
    """``<font face="Fallback-...">`` keeps the bold and italic of the text around it."""
    face_name = attr.get("face", "")
    if face_name.startswith(_FALLBACK_PREFIXES) and set(attr) == {"face"}:
        parser._push("font", fontName=face_name.lower())
    else:
        _reportlab_start_font(parser, attr)


def _install_shaping() -> None:
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph, paraparser

    global _reportlab_shape, _reportlab_start_font
    if paragraph.shapeFragWord is not _shape_by_font:
        _reportlab_shape = ttfonts.shapeFragWord
        paragraph.shapeFragWord = _shape_by_font
        _reportlab_start_font = paraparser.ParaParser.start_font
        paraparser.ParaParser.start_font = _start_fallback_font


_FALLBACK_PREFIXES = ("Fallback-", "Folder-", "System-")
_reportlab_shape = _reportlab_start_font = None
_install_shaping()
