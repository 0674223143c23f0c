"""The font stack: the handout's own font first, then fallbacks for every script.

Text becomes ReportLab markup in one place (``markup``), which calls ``split``
here: each stretch of text is set in the first font of the chain that can draw
all of it. The chain is the handout's font (Atkinson Hyperlegible or the
practice's), TrueType fonts in the practice's ``fonts/`` folder, the Noto fonts
shipped in ``handouts/fonts/noto`` (Latin, Greek, Cyrillic, Arabic, Hebrew and
the Indic scripts, Thai; the one for the text's script first), then system fonts
found through fontconfig (for Chinese, Japanese and Korean). A character no font can draw raises
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
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr
from reportlab.pdfgen.textobject import PDFTextObject

from handouts import resources
from handouts.render import paracache
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
    chars: frozenset[int] = field(repr=False)


def _register(family: str, regular: Path, bold: Path | None = None, index: int = 0) -> Face:
    from reportlab.lib.fonts import addMapping

    font = TTFont(family, str(regular), subfontIndex=index)
    pdfmetrics.registerFont(font)
    bold_name = f"{family}-Bold"
    pdfmetrics.registerFont(TTFont(bold_name, str(bold or regular), subfontIndex=index))
    for b, i in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(family, b, i, bold_name if b else family)
    return Face(family, frozenset(font.face.charToGlyph))


BLOCKS = {
    "NotoSans": ((0x0000, 0x058F), (0x1D00, 0x1FFF), (0x2000, 0x2BFF), (0xA640, 0xA7FF)),
    "NotoSansArabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFEFF)),
    "NotoSansHebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "NotoSansDevanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    "NotoSansBengali": ((0x0980, 0x09FF),),
    "NotoSansGurmukhi": ((0x0A00, 0x0A7F),),
    "NotoSansGujarati": ((0x0A80, 0x0AFF),),
    "NotoSansTamil": ((0x0B80, 0x0BFF),),
    "NotoSansThai": ((0x0E00, 0x0E7F),),
}
"""Where each shipped font's script lives: it is loaded first for those characters.

Only a hint for speed (loading a font takes about 15 ms): a character outside every
block still tries every font, in ``SHIPPED`` order.
"""


@cache
def shipped_face(name: str) -> Face:
    """One shipped Noto family, registered on first use."""
    return _register(f"Fallback-{name}", NOTO / f"{name}-Regular.ttf", NOTO / f"{name}-Bold.ttf")


def shipped(text: str = ""):
    """The shipped fallbacks for ``text``: those whose script it uses first, then the rest."""
    codes = [ord(c) for c in text]
    likely = [
        name
        for name in SHIPPED
        if any(start <= code <= end for code in codes for start, end in BLOCKS[name])
    ]
    for name in (*likely, *(n for n in SHIPPED if n not in likely)):
        yield shipped_face(name)


@cache
def face(family: str) -> Face:
    """The registered family ``family`` (the handout's own font) as a ``Face``."""
    return Face(family, frozenset(pdfmetrics.getFont(family).face.charToGlyph))


@cache
def _drawable(family: str) -> frozenset[str]:
    """The characters ``family`` draws, and those that need no glyph, as strings."""
    return frozenset(map(chr, face(family).chars | _NO_GLYPH))


def needs_layout(char: str) -> bool:
    """True for a character HarfBuzz must shape or the bidi algorithm must place."""
    code = ord(char)
    return (
        unicodedata.bidirectional(char) in ("R", "AL", "AN")
        or unicodedata.category(char) in ("Mn", "Mc", "Me")
        or any(start <= code <= end for start, end in _COMPLEX)
    )


_COMPLEX = ((0x0900, 0x0DFF), (0x0E00, 0x0EFF), (0x0F00, 0x109F), (0x1780, 0x17FF))
"""Indic scripts, Thai and Lao, Tibetan and Myanmar, Khmer: always shaped."""


@cache
def _plain(family: str) -> frozenset[str]:
    """The characters ``family`` draws without shaping or reordering."""
    return frozenset(c for c in _drawable(family) if not needs_layout(c))


@cache
def shaped_alias(family: str) -> Face:
    """The handout's own font registered again for shaping, for the scripts it covers.

    A practice's font may cover Arabic or Hebrew itself; those words must still be
    shaped and ordered, which the handout's font (a ``PrimaryFont``) never is.
    """
    regular = pdfmetrics.getFont(family).face
    bold = pdfmetrics.getFont(f"{family}-Bold").face
    alias = _register(f"Shaped-{family}", Path(regular.filename), Path(bold.filename))
    return Face(alias.family, face(family).chars)


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
            ["fc-list", "-f", "%{fontformat}|%{index}|%{file}\n", query],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    for entry in sorted(found):
        kind, index, file = entry.split("|", 2)
        if kind != "TrueType":  # ReportLab embeds TrueType outlines only, not CFF
            continue
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

    def faces(self, text: str = ""):
        """The fonts to try for ``text``, in order; fallbacks are loaded as they are reached."""
        yield face(self.first)
        if self.folder and self.folder.is_dir():  # the practice's choice comes before ours
            yield from folder_faces(self.folder)
        yield from shipped(text)

    def covers(self, text: str) -> bool:
        """True when the handout's own font draws all of ``text`` as it is (the fast path).

        Text that needs shaping or ordering (right-to-left, Indic, Thai, loose
        combining marks) takes the slow path even when the font has its letters.
        """
        return _plain(self.first).issuperset(text)

    def font_for(self, cluster: str, current: Face | None) -> Face | None:
        needed = [ord(c) for c in cluster if ord(c) not in _NO_GLYPH]
        if (
            current is not None
            and unicodedata.category(cluster[0]) in _STICKY
            and all(n in current.chars for n in needed)
        ):
            return current
        tried = []
        for f in self.faces(cluster):
            if all(n in f.chars for n in needed):
                return f
            tried.append(f)
        # The system is asked only about a character none of the fonts above has.
        missing = next((n for n in needed if not any(n in f.chars for f in tried)), None)
        found = system_face(chr(missing)) if missing is not None else None
        if found is not None and all(n in found.chars for n in needed):
            return found
        return None


_stack: ContextVar[Stack | None] = ContextVar("font_stack", default=None)
"""The stack of the handout being rendered; a context variable, so threads do not mix."""


def use(first: str, folder: Path | None = None) -> None:
    """Set the stack for the handout being rendered (called by ``render_pdf``)."""
    if len(_ACTUAL) > _REMEMBERED:  # shaped words of earlier handouts, in a long-lived process
        _ACTUAL.clear()
        _RTL_GLYPHS.clear()
        paracache.clear()  # kept paragraphs hold shaped words: they go with them
    _stack.set(Stack(first, folder))


def current() -> Stack:
    return _stack.get() or Stack("Atkinson")


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
                raise TextError(field, f"no font can draw {_culprit(cluster, stack)}")
            active = chosen
            key = None if chosen == first else chosen
            if key is None and any(needs_layout(c) for c in cluster):
                key = shaped_alias(stack.first)
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
    if not text or max(text) < "\u0590":  # nothing before Hebrew is right-to-left
        return False
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


_RTL_GLYPHS: set[tuple[str, str]] = set()
"""(font, shaped glyph string) of the right-to-left words, for ordering lines."""


_REMEMBERED = 200_000
"""How many shaped words to keep for a long-running process (a batch worker, a server)."""


def _remember(text: str, family: str) -> None:
    """Note what each shaped word of ``text`` stands for, in regular and bold."""
    for word in text.split(" "):
        if not word or (family, word) in _ACTUAL:
            continue
        rtl = has_rtl(word)
        # pdftotext reads a right-to-left word's replacement text by position, as it
        # does its glyphs, so it is given in the glyphs' (visual) order.
        actual = word[::-1] if rtl else word
        for name in (family, f"{family}-Bold"):
            glyphs = str(shapeStr(word, name, 10))
            if glyphs != word:
                _ACTUAL[(name, glyphs)] = actual
            if rtl:
                _RTL_GLYPHS.add((name, glyphs))
        _ACTUAL[(family, word)] = _ACTUAL.get((family, word), actual)


def markup(text: str, field: str = "text") -> str:
    """Paragraph markup for plain ``text``: escaped, in font runs, in logical order.

    Right-to-left words are put in visual order line by line when the paragraph is
    drawn (``_draw_para``), after it has been broken into lines.
    """
    if current().covers(text):
        return escape(text)
    out = []
    for font, run in split(text, field):
        if font is None:
            out.append(escape(run))
        else:
            _remember(run, font.family)
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


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "yi"})
"""Languages written right to left: a handout in one runs its page frame that way."""


def draw(canvas, x: float, y: float, text: str, font: str, size: float, base: int = 0) -> None:
    """Draw ``text`` with its baseline at (x, y), with fallbacks, shaping and direction.

    Text the handout's font covers is drawn directly; any other goes through a
    one-line paragraph, so the page frame is set exactly as the body is. ``base`` is the
    line's direction: 0 left to right, 1 right to left (a handout in Arabic).
    """
    if current().covers(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        return
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    colour = canvas._fillColorObj
    style = ParagraphStyle("frame", fontName=font, fontSize=size, leading=size, textColor=colour)
    line = Paragraph(markup(text), style)
    line.bidi_base = base  # the page frame runs in the handout's direction, whatever it starts with
    # As wide as the text itself: a right-to-left line set flush right stays at x.
    _, height = line.wrap(width(text, font, size) + 1, size * 4)
    first = line.blPara.lines[0]
    ascent = getattr(first, "ascent", size) if line.blPara.kind else size
    line.drawOn(canvas, x, y - height + ascent)


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class TextObject(PDFTextObject):
    """A text object that gives each shaped word its typed text (``/ActualText``)."""

    def setRise(self, rise):
        # ReportLab reads the last operator to merge rises; a word set on its own (a mark
        # raised over the last letter of an Arabic word) can come before any operator.
        if not self._code:
            self._code.append("")
        super().setRise(rise)

    def _formatText(self, text):
        if isinstance(text, MirroredStr):  # drawn mirrored, read back as typed
            code = super()._formatText(str(text))
            return f"/Span<</ActualText{_utf16(text.typed)}>>BDC {code} EMC"
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


def _direction(frag, text: str) -> str:
    """'R', 'L', 'N' (a number) or '' (neutral) for one word of a line, as drawn."""
    if (frag.fontName, text) in _RTL_GLYPHS:
        return "R"
    classes = {unicodedata.bidirectional(c) for c in text if unicodedata.category(c) != "Co"}
    if classes & {"R", "AL"}:
        return "R"
    if "L" in classes:
        return "L"
    return "N" if classes & {"EN", "AN"} else ""


def _levels_of(kinds: list[str], base: int = 0) -> list[int]:
    """Word-level bidi for one line of a left-to-right (0) or right-to-left (1) paragraph.

    In a left-to-right paragraph a number joins a right-to-left run only with
    right-to-left words on both sides, and a neutral (space, punctuation) only
    between two parts of one run, so a name in a sentence keeps to itself as an
    isolated field would ("Prepared for [name], 30 weeks").
    """

    def strong(items) -> str:
        return next((k for k in items if k in ("R", "L")), "RL"[base - 1] if base else "L")

    levels = []
    for i, kind in enumerate(kinds):
        if kind == "N" and not base:
            inside = strong(reversed(kinds[:i])) == "R" and strong(kinds[i + 1 :]) == "R"
            levels.append(2 if inside else 0)
        else:
            levels.append({"R": 1, "L": 2 if base else 0, "N": 2}.get(kind, -1))
    for i, level in enumerate(levels):
        if level == -1:
            before = next((x for x in reversed(levels[:i]) if x != -1), base)
            after = next((x for x in levels[i + 1 :] if x != -1), base)
            levels[i] = min(before, after) if min(before, after) > base else base
    return levels


def _visual_words(words: list, base: int = 0) -> list:
    """A line's frags cut into words and spaces, right-to-left runs reversed."""
    pieces = []
    for frag in words:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or hasattr(frag, "cbDefn"):
            pieces.append((frag, ""))
            continue
        start = 0
        for m in re.finditer(r" +", str(text)):
            if m.start() > start:
                pieces.append((frag.clone(text=text[start : m.start()]), None))
            pieces.append((frag.clone(text=text[m.start() : m.end()]), ""))
            start = m.end()
        if start < len(text):
            pieces.append((frag.clone(text=text[start:]), None))
    kinds = [k if k == "" else _direction(f, str(f.text)) for f, k in pieces]
    levels = _levels_of(kinds, base)
    order = list(range(len(pieces)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return [
        _mirrored(pieces[i][0]) if _mirrors(kinds[i], levels[i]) else pieces[i][0] for i in order
    ]


def _mirrors(kind: str, level: int) -> bool:
    """A neutral piece (brackets, not a shaped word) inside a right-to-left run is drawn
    with its mirrored glyphs: "(" opens to the right there (rule L4)."""
    return kind == "" and level % 2 == 1


class MirroredStr(str):
    """Mirrored glyphs that remember the text as typed, for the text layer."""

    typed: str


def _mirrored(frag):
    from bidi.mirror import MIRRORED

    text = str(frag.text)
    flipped = MirroredStr("".join(MIRRORED.get(c, c) for c in text))
    if flipped == text:
        return frag
    flipped.typed = text
    return frag.clone(text=flipped)


def _draw_para(paragraph, debug=0):
    """Draw with each line's right-to-left words in visual order.

    Lines are broken in logical order (so a paragraph split over two pages keeps its
    words in order); only the drawing sees the visual order. A paragraph whose first
    strong word is right-to-left (a note in Arabic) is a right-to-left paragraph,
    set flush right (the Unicode bidi algorithm's rule P2), unless the paragraph
    says otherwise with a ``bidi_base`` attribute (0 left-to-right, 1 right-to-left).
    """
    if getattr(paragraph.canv, "measuring", False):  # a layout that only counts pages
        return None
    lines_of = paragraph.blPara
    text = getattr(paragraph, "text", None)
    if lines_of.kind != 1 or (isinstance(text, str) and not has_rtl(text)):
        return _reportlab_draw_para(paragraph, debug)
    kinds = [
        _direction(w, str(getattr(w, "text", ""))) for line in lines_of.lines for w in line.words
    ]
    if "R" not in kinds:
        return _reportlab_draw_para(paragraph, debug)
    import copy

    base = getattr(paragraph, "bidi_base", None)
    if base is None:
        base = 1 if next(k for k in kinds if k in ("R", "L")) == "R" else 0
    visual_lines = copy.copy(lines_of)
    visual_lines.lines = [copy.copy(line) for line in lines_of.lines]
    for line in visual_lines.lines:
        line.words = _visual_words(line.words, base)
    style = paragraph.style
    paragraph.blPara = visual_lines
    if base and style.alignment == TA_LEFT:
        paragraph.style = _flush_right(style)
    try:
        return _reportlab_draw_para(paragraph, debug)
    finally:
        paragraph.blPara, paragraph.style = lines_of, style


@cache
def _flush_right(style):
    return style.clone(f"{style.name}-rtl", alignment=TA_RIGHT)


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

    for where, text in fields:
        if text:
            check(clean(text, where), where)


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


@cache
def _shaped_style(style):
    return style.clone(f"{style.name}-shaped", shaping=1)


def _break_lines(paragraph, width):
    """The paragraph's lines, kept between renders (see ``paracache``)."""
    return paracache.lines(paragraph, width, _shape_and_break)


def _shape_and_break(paragraph, width):
    """Shape a paragraph only when a fallback font is in it: Latin text stays as fast."""
    if not paragraph.style.shaping and any(
        getattr(f, "fontName", "").startswith(_FALLBACK_PREFIXES) for f in paragraph.frags
    ):
        paragraph.style = _shaped_style(paragraph.style)
    return _reportlab_break_lines(paragraph, width)


def _setup(paragraph, text, style, bulletText, frags, cleaner):
    """Parse a paragraph's markup once per text and style (see ``paracache``)."""

    def setup():
        _reportlab_setup(paragraph, text, style, bulletText, frags, cleaner)

    if frags is not None:  # a part of a split paragraph: nothing to parse
        return setup()
    return paracache.parse(paragraph, text, style, bulletText, setup)


def _install_shaping() -> None:
    """Five small hooks into ReportLab, installed once (see the functions they name)."""
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph, paraparser

    global _reportlab_shape, _reportlab_start_font, _reportlab_break_lines, _reportlab_draw_para
    global _reportlab_setup
    if paragraph.shapeFragWord is not _shape_by_font:
        _reportlab_shape = ttfonts.shapeFragWord
        paragraph.shapeFragWord = _shape_by_font
        _reportlab_start_font = paraparser.ParaParser.start_font
        paraparser.ParaParser.start_font = _start_fallback_font
        _reportlab_break_lines = paragraph.Paragraph.breakLines
        paragraph.Paragraph.breakLines = _break_lines
        _reportlab_draw_para = paragraph.Paragraph.drawPara
        paragraph.Paragraph.drawPara = _draw_para
        _reportlab_setup = paragraph.Paragraph._setup
        paragraph.Paragraph._setup = _setup


_FALLBACK_PREFIXES = ("Fallback-", "Folder-", "System-", "Shaped-")
_reportlab_shape = _reportlab_start_font = _reportlab_break_lines = _reportlab_draw_para = None
_reportlab_setup = None
_install_shaping()
