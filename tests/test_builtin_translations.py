"""The shipped Spanish and Arabic translations: complete, current, and printable."""

from __future__ import annotations

import io

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
