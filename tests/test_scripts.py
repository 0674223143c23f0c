"""Every script prints: names and notes in each script, read back, embedded and looked at.

For each script a handout is made with a name and a note in it. Its text layer must
read back what was typed, every font must be embedded, and the name, set the way
the handout sets it, is rasterised and compared with the same name drawn by
HarfBuzz's own ``hb-view`` (an independent renderer): reversed or unshaped text
does not match.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from conftest import selection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts.compose import compose
from handouts.models import Practice
from handouts.render import fonts
from handouts.render.markup import literal
from handouts.render.pdf import render_pdf
from handouts.text import TextError

POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdftoppm"))
needs_poppler = pytest.mark.skipif(
    not POPPLER and not os.environ.get("HANDOUTS_REQUIRE_POPPLER"),
    reason="poppler-utils (pdftotext, pdffonts, pdftoppm) not installed",
)

NAMES = {
    "vietnamese": ("Nguyễn Thị Ánh", "Uống nhiều nước"),
    "polish": ("Łucja Wiśniewska", "Zażółć gęślą jaźń"),
    "romanian": ("Ștefania Țurcanu", "Bea multă apă"),
    "turkish": ("Ayşe Yılmaz", "Çok su için"),
    "greek": ("Ελένη Παπαδοπούλου", "Πίνετε νερό"),
    "cyrillic": ("Анастасия Кузнецова", "Пейте воду"),
    "arabic": ("فاطمة الزهراء", "اشربي الماء"),
    "urdu": ("عائشہ پروین", "پانی پیئیں"),
    "hebrew": ("שרה כהן", "שתי מים"),
    "devanagari": ("प्रिया शर्मा", "पानी पिएं"),
    "bengali": ("সুমাইয়া রহমান", "জল পান করুন"),
    "gurmukhi": ("ਹਰਪ੍ਰੀਤ ਕੌਰ", "ਪਾਣੀ ਪੀਓ"),
    "gujarati": ("પ્રિયંકા પટેલ", "પાણી પીવો"),
    "tamil": ("கிருஷ்ணவேணி", "தண்ணீர் குடிக்கவும்"),
    "thai": ("สมหญิง ใจดี", "ดื่มน้ำมาก"),
}
CJK = {
    "chinese": ("王秀英", "多喝水"),
    "japanese": ("さくら 山田", "水を飲む"),
    "korean": ("김민지", "물을 마시세요"),
}


def _cjk_font() -> bool:
    fonts.use("Atkinson")
    try:
        fonts.check("王さ김", "test")
    except TextError:
        return False
    return True


def make(builtin_library, name: str, notes: str) -> bytes:
    handout = compose(
        builtin_library, selection("numb-legs", name=name, weeks=30, notes=notes), Practice()
    )
    return render_pdf(handout)


def layer(pdf: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    # pdftotext marks right-to-left runs with embedding controls: layout, not text.
    return re.sub("[\u202a-\u202e]", "", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def all_cases():
    cases = [pytest.param(n, t, id=k) for k, (n, t) in NAMES.items()]
    cases += [pytest.param(n, t, id=k) for k, (n, t) in CJK.items()]
    return cases


@needs_poppler
@pytest.mark.parametrize(("name", "notes"), all_cases())
def test_name_and_note_read_back_with_every_font_embedded(builtin_library, name, notes):
    cjk = any(unicodedata.name(c, "").startswith(("CJK", "HANGUL", "HIRA")) for c in name)
    if cjk and not _cjk_font() and not os.environ.get("HANDOUTS_REQUIRE_POPPLER"):
        pytest.skip("no embeddable Chinese/Japanese/Korean font (CI installs fonts-wqy-zenhei)")
    pdf = make(builtin_library, name, notes)
    text = layer(pdf)
    prepared = next(line for line in text.splitlines() if line.startswith("Prepared for"))
    assert squash(prepared).startswith(squash(f"Prepared for {name},"))
    assert squash(notes) in squash(text)
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    rows = listing.stdout.decode().splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), listing.stdout.decode()


# --- looking at the name -------------------------------------------------------------


def _ink(png: bytes, size=(240, 40)):
    """The inked part of an image, cropped, scaled to ``size`` and made black and white."""
    from PIL import Image, ImageOps

    image = ImageOps.invert(Image.open(io.BytesIO(png)).convert("L"))
    box = image.point(lambda v: 255 if v > 80 else 0).getbbox()
    assert box, "nothing was drawn"
    return image.crop(box).resize(size).point(lambda v: 1 if v > 80 else 0)


def _overlap(a, b) -> float:
    pa, pb = a.tobytes(), b.tobytes()
    both = sum(1 for x, y in zip(pa, pb, strict=True) if x and y)
    either = sum(1 for x, y in zip(pa, pb, strict=True) if x or y)
    return both / either


def _ours(name: str, first: str = "") -> tuple[bytes, str]:
    """``name`` set as a handout sets it (markup, paragraph, text object), as PNG."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from handouts.render.styles import register_fonts

    fonts.use(first or register_fonts())
    runs = fonts.split(name)
    family = next(f.family for f, _ in runs if f is not None)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(600, 120), invariant=1, **dict.fromkeys(MARGINS, 10))

    class HandoutCanvas(Canvas):  # as the handout's page canvas: ActualText spans
        def beginText(self, x=0, y=0, direction=None):
            return fonts.TextObject(self, x, y, direction=direction)

    style = ParagraphStyle("n", fontName="Atkinson", fontSize=24, leading=32, shaping=1)
    doc.build([Paragraph(literal(name), style)], canvasmaker=HandoutCanvas)
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-"], input=out.getvalue(), capture_output=True
    ).stdout
    return png, family


def _reference(name: str, family: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(family).face.filename
    return subprocess.run(
        ["hb-view", "--font-size=48", "-O", "png", font, name],
        capture_output=True,
        check=True,
    ).stdout


MARGINS = ("leftMargin", "rightMargin", "topMargin", "bottomMargin")
SHAPED = ["arabic", "urdu", "hebrew", "devanagari", "bengali", "tamil", "thai", "greek"]


@needs_poppler
@pytest.mark.skipif(
    not shutil.which("hb-view") and not os.environ.get("HANDOUTS_REQUIRE_POPPLER"),
    reason="hb-view (libharfbuzz-bin) not installed",
)
@pytest.mark.parametrize("script", SHAPED)
def test_name_looks_like_harfbuzz_draws_it(script):
    name = NAMES[script][0]
    png, family = _ours(name)
    ours, reference = _ink(png), _ink(_reference(name, family))
    assert _overlap(ours, reference) > 0.6
    # The test can fail: the same name with its words or letters reversed does not match.
    reversed_png, _ = _ours(name[::-1])
    assert _overlap(_ink(reversed_png), reference) < _overlap(ours, reference) - 0.1


# --- any letter ----------------------------------------------------------------------

LETTERS = st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@needs_poppler
@given(st.text(LETTERS, min_size=1, max_size=6))
def test_any_name_prints_exactly_or_is_refused_by_name(builtin_library, name):
    from typer.testing import CliRunner

    from handouts.cli import app

    result = CliRunner().invoke(
        app, ["make", "-s", "numb-legs", "--name", name, "-o", "-"], catch_exceptions=False
    )
    if result.exit_code == 0:
        typed = unicodedata.normalize("NFC", name)
        printed = squash(layer(result.stdout_bytes))
        if fonts.has_rtl(typed):  # extraction orders mixed directions its own way
            assert all(c in printed for c in squash(typed))
        else:
            assert squash(typed) in printed
        return
    assert result.exit_code == 2, result.output
    assert re.search(
        r"name: (no font can draw|.* cannot be printed|starts with the mark)", result.output
    )
    assert re.search(r"U\+[0-9A-F]{4,6}", result.output)


# --- direction over lines, refusals, the page frame --------------------------------------

LONG_NOTE = (
    "اشربي الكثير من الماء كل يوم ونامي على جانبك الأيسر وارفعي قدميك عندما تجلسين "
    "واتصلي بنا إذا ساءت الأعراض أو ظهرت علامات جديدة"
)


@needs_poppler
def test_a_right_to_left_note_over_several_lines_reads_in_order(builtin_library):
    text = layer(make(builtin_library, "Ana", LONG_NOTE))
    lines = [
        line for line in text.splitlines() if squash(line) and squash(line) in squash(LONG_NOTE)
    ]
    assert len(lines) >= 2  # it wraps
    assert lines[0].split()[0] == "اشربي"  # the first words are on the first line
    assert squash("".join(lines)) == squash(LONG_NOTE)


@needs_poppler
def test_practice_fields_in_the_page_frame_print_in_their_script(builtin_library):
    practice = Practice(name="عيادة النور", footer="עיון · क्लिनिक")
    handout = compose(builtin_library, selection("numb-legs", name="Ana"), practice)
    text = layer(render_pdf(handout))
    assert "عيادة النور" in text
    assert squash("עיון") in squash(text) and "क्लिनिक" in text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Ana\u202eanA", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Ana\u2066x\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("Ana\u200bBo", "U+200B ZERO WIDTH SPACE"),
        ("\u0301Ana", "U+0301 COMBINING ACUTE ACCENT"),
        ("Ana 𝒜", "U+1D49C MATHEMATICAL SCRIPT CAPITAL A"),
    ],
)
def test_make_refuses_hidden_or_unprintable_characters_by_name(name, shown, tmp_path):
    from typer.testing import CliRunner

    from handouts.cli import app

    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(app, ["make", "-s", "numb-legs", "--name", name, "-o", str(out)])
    assert result.exit_code == 2
    assert "name: " in result.output and shown in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_character_no_font_has_is_an_error_naming_it(builtin_library, monkeypatch):
    monkeypatch.setattr(fonts, "system_face", lambda char: None)
    handout = compose(builtin_library, selection("numb-legs", name="Ana ሀ"), Practice())
    with pytest.raises(TextError, match=r"^name: no font can draw 'ሀ' \(U\+1200 ETHIOPIC"):
        render_pdf(handout)


def test_joiners_are_kept_and_print_no_box(builtin_library):
    name = "می\u200cخواهم क्\u200dष"  # Persian ZWNJ, Devanagari ZWJ
    assert fonts.split(name)  # every character has a font; joiners need no glyph
    make(builtin_library, name, "")


def test_typed_text_is_normalised_to_nfc():
    from handouts.text import clean

    assert clean("Zoe\u0308", "name") == "Zoë"


def test_non_latin_handouts_are_the_same_bytes_across_processes(tmp_path):
    import sys

    args = ["-m", "handouts", "make", "-s", "numb-legs", "--date", "2026-11-22"]
    args += ["--name", "فاطمة الزهراء", "--notes", "प्रिया शर्मा"]
    outputs = [tmp_path / "1.pdf", tmp_path / "2.pdf"]
    for out in outputs:
        subprocess.run([sys.executable, *args, "-o", str(out)], check=True, capture_output=True)
    assert outputs[0].read_bytes() == outputs[1].read_bytes()


def test_latin_text_takes_the_fast_path():
    from handouts.render.styles import register_fonts

    fonts.use(register_fonts())
    assert fonts.current().covers("Zoë O'Brien, 31 weeks – “notes”")
    assert fonts.markup("Ana & <Bo>") == "Ana &amp; &lt;Bo&gt;"


def test_a_batch_row_with_a_hidden_character_fails_alone_with_the_reason(tmp_path):
    from typer.testing import CliRunner

    from handouts.cli import app

    rows = tmp_path / "rows.csv"
    rows.write_text("name,symptoms\nفاطمة الزهراء,numb-legs\nAna\u202eBo,numb-legs\n")
    out = str(tmp_path / "out")
    result = CliRunner().invoke(app, ["batch", str(rows), "--out", out, "--quiet"])
    assert result.exit_code == 1
    manifest = (tmp_path / "out" / "manifest.csv").read_text()
    assert "name: U+202E RIGHT-TO-LEFT OVERRIDE reorders text" in manifest
    assert (tmp_path / "out" / "ftm-lzhr.pdf").exists()


@needs_poppler
@pytest.mark.skipif(
    not shutil.which("hb-view") and not os.environ.get("HANDOUTS_REQUIRE_POPPLER"),
    reason="hb-view (libharfbuzz-bin) not installed",
)
def test_a_practice_font_that_has_arabic_still_shapes_and_orders_it(builtin_library):
    from handouts.render.styles import register_practice_font

    own = register_practice_font(fonts.NOTO / "NotoSansArabic-Regular.ttf")
    name = NAMES["arabic"][0]
    png, family = _ours(name, own)
    assert family == f"Shaped-{own}"
    reference = _ink(_reference(name, own))
    assert _overlap(_ink(png), reference) > 0.6
    practice = Practice(font=fonts.NOTO / "NotoSansArabic-Regular.ttf")
    handout = compose(builtin_library, selection("numb-legs", name=name), practice)
    assert squash(f"Prepared for {name}") in squash(layer(render_pdf(handout)))


def test_a_font_in_the_practice_fonts_folder_comes_before_the_shipped_ones(tmp_path):
    import shutil as sh

    from handouts.render.styles import register_fonts

    folder = tmp_path / "fonts"
    folder.mkdir()
    sh.copy(fonts.NOTO / "NotoSansThai-Regular.ttf", folder / "OurThai.ttf")
    fonts.use(register_fonts(), folder)
    try:
        [(face, run)] = fonts.split("สมหญิง")
        assert face.family == "Folder-OurThai" and run == "สมหญิง"
    finally:
        fonts.use(register_fonts())


@needs_poppler
@pytest.mark.parametrize(("name", "notes"), [pytest.param(*v, id=k) for k, v in NAMES.items()])
def test_every_shipped_script_prints_without_any_system_font(
    builtin_library, name, notes, monkeypatch
):
    monkeypatch.setattr(fonts, "system_face", lambda char: None)  # a fresh install
    text = layer(make(builtin_library, name, notes))
    assert squash(f"Prepared for {name}") in squash(text)
    assert squash(notes) in squash(text)


def test_arabic_with_vowel_marks_prints_in_the_body_and_the_page_frame(builtin_library):
    """A word that ends in a vowel mark, in the name and in the practice's footer (drawn
    on the canvas word by word), printed without a crash."""
    practice = Practice(name="عيادة الأُمَّهَات", footer="قِسْمُ الوِلَادَةِ", is_default=False)
    handout = compose(
        builtin_library, selection("numb-legs", weeks=30, name="فَاطِمَةُ", notes="مَوْعِدُ"), practice
    )
    pdf = render_pdf(handout)
    assert pdf.startswith(b"%PDF")
