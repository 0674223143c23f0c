"""The shipped Spanish and Arabic translations: complete, current, and printable."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from conftest import selection
from pypdf import PdfReader

from handouts import translations
from handouts.compose import compose
from handouts.fit import fit_pdf
from handouts.models import Practice

TITLES = {
    "es": "Entumecimiento, hormigueo y debilidad en las piernas y las manos",
    "ar": "الخدر والتنميل والضعف في الساقين واليدين",
}


def test_every_shipped_translation_is_complete_and_current(builtin_library):
    topic = builtin_library.topics[0]
    assert set(translations.languages(topic)) >= {"en", "es", "ar"}
    assert translations.check(topic) == []


@pytest.mark.parametrize("lang", sorted(TITLES))
@pytest.mark.parametrize("stage", [{"weeks": 30}, {"after_birth": True}], ids=["30w", "after"])
def test_a_handout_in_each_language_prints_on_one_sheet_with_its_tag(builtin_library, lang, stage):
    """With the default practice, whose phone lines are written in by hand (a write-in line
    with an Arabic label once failed to measure itself)."""
    handout = compose(
        builtin_library, selection("numb-legs", "swollen-feet", name="Ana", **stage), Practice()
    )
    translated, english = translations.translate(handout, lang)
    assert english == ()
    fitted = fit_pdf(translated)
    pdf = PdfReader(io.BytesIO(fitted.pdf))
    assert fitted.pages <= 2
    assert pdf.trailer["/Root"]["/Lang"] == lang
    assert pdf.metadata.title.startswith(TITLES[lang])
    assert translated.words["draft_mark"].endswith(
        translations.load(handout.topic, lang).file.wording["translation_draft"]
    )


@pytest.mark.parametrize(("lang", "page"), [("es", "Página 1 de 2"), ("ar", "الصفحة")])
def test_the_page_frame_speaks_the_handouts_language(builtin_library, lang, page, tmp_path):
    handout = compose(builtin_library, selection("numb-hands", weeks=30), Practice())
    translated, _ = translations.translate(handout, lang)
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(fit_pdf(translated).pdf)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) reads the shaped text layer")
    first = subprocess.run(
        ["pdftotext", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert page in first and "Page 1 of" not in first


def test_brackets_in_right_to_left_text_open_the_right_way(builtin_library, tmp_path):
    """In an Arabic line, "(" opens to the right, so it is drawn mirrored (rule L4), while
    the text layer still reads back the brackets as typed."""
    from handouts.render import fonts

    frag = type("Frag", (), {})()
    frag.text = "("
    frag.clone = lambda text: type("Frag", (), {"text": text})()
    drawn = fonts._mirrored(frag)
    assert str(drawn.text) == ")" and drawn.text.typed == "("
    assert fonts._mirrors("", 1) and not fonts._mirrors("", 0) and not fonts._mirrors("R", 1)
    handout = compose(builtin_library, selection("numb-hands", weeks=30), Practice())
    translated, _ = translations.translate(handout, "ar")
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(fit_pdf(translated).pdf)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) reads the shaped text layer")
    layer = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    assert "(تابع)" in layer.replace("\u202b", "").replace("\u202c", "")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_tick_boxes_and_the_notes_stand_where_the_language_starts_a_line(builtin_library, lang):
    """In English a tick box is left of its line and the notes are the left column; in Arabic,
    read right to left, the box is right of its line and the notes are the right column."""
    import pdfplumber

    handout = compose(
        builtin_library,
        selection("numb-legs", "swollen-feet", name="Ana", notes="Rest", weeks=30),  # notes: Latin
        Practice(),
    )
    if lang != "en":
        handout, _ = translations.translate(handout, lang)
    pdf = fit_pdf(handout).pdf
    rtl = lang == "ar"
    sides = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words = page.extract_words()
            for box in page.rects:
                if not 8 < box["width"] < 13 or abs(box["width"] - box["height"]) > 0.5:
                    continue  # not a tick box
                line = [w for w in words if w["top"] < box["bottom"] and w["bottom"] > box["top"]]
                left = [w for w in line if w["x1"] <= box["x0"]]
                right = [w for w in line if w["x0"] >= box["x1"]]
                sides.append("before" if (left if rtl else right) else "after")
    assert len(sides) >= 4 and set(sides) == {"before"}, sides
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first = document.pages[0]
        (note,) = [w for w in first.extract_words() if w["text"] == "Rest"]
    assert (note["x0"] > first.width / 2) == rtl
