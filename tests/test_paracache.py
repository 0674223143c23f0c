"""Fitting lays pages out without drawing them, and a running process keeps line breaks.

Neither may change a single byte of a handout, and patient text must never outlive
the handout it was printed in.
"""

from __future__ import annotations

import pytest
from conftest import selection

from handouts.compose import compose
from handouts.fit import fit_pdf
from handouts.models import Practice
from handouts.render import paracache
from handouts.render import pdf as render_pdf

STAGES = ({"weeks": 20}, {"weeks": 36}, {"after_birth": True})


@pytest.fixture(autouse=True)
def fresh_cache():
    paracache.clear()
    yield
    paracache.clear()


def _handouts(library, practice=None):
    for symptom in library.topics[0].symptom_ids:
        for stage in STAGES:
            chosen = selection(symptom, name="Ana Silva", notes="Rest.\nCall if worse.", **stage)
            yield compose(library, chosen, practice or Practice())


def test_a_layout_that_only_counts_pages_counts_them_as_the_drawn_one(builtin_library):
    for practice in (Practice(), Practice(large_print=True)):
        for handout in _handouts(builtin_library, practice):
            counted = render_pdf.layout(handout, draw=False)
            drawn = render_pdf.layout(handout)
            assert counted.pdf == b"" and drawn.pdf.startswith(b"%PDF-")
            assert (counted.pages, counted.free) == (drawn.pages, drawn.free)


def test_a_handout_is_the_same_bytes_whatever_the_process_made_before(builtin_library):
    handouts = list(_handouts(builtin_library))
    first = {id(h): fit_pdf(h).pdf for h in handouts}  # each made with what came before kept
    paracache.clear()
    for handout in reversed(handouts):  # now each alone, with nothing kept
        paracache.clear()
        assert fit_pdf(handout).pdf == first[id(handout)]


def test_fitting_draws_the_handout_once(builtin_library, monkeypatch):
    drawn = []
    layout = render_pdf.layout

    def counting(handout, **kw):
        drawn.append(kw.get("draw", True))
        return layout(handout, **kw)

    monkeypatch.setattr(render_pdf, "layout", counting)
    chosen = selection("numb-legs", "swollen-feet", name="Ana", weeks=31)
    fitted = fit_pdf(compose(builtin_library, chosen, Practice()))
    assert fitted.handout.dropped, "this handout must need fitting for the test to mean much"
    assert drawn.count(True) == 1 and len(drawn) >= 3


def test_patient_text_is_never_kept_after_its_handout(builtin_library):
    name, first, note = "Zephyrine Quillfeather", "Zephyrine", "Zorbex plan for Quillfeather"
    chosen = selection(
        "numb-hands",
        name=name,
        weeks=30,
        clinician="Dr Xanthippe Vole",
        notes=f"{note}\nSecond line",
        follow_up="Tuesday with Yarrowby",
        contact="Wendeline on 0123",
    )
    fit_pdf(compose(builtin_library, chosen, Practice()))
    kept = " ".join(key[1] for key in paracache._shared)
    assert "Zephyrine" not in kept and first not in kept
    for private in ("Quillfeather", "Zorbex", "Xanthippe", "Yarrowby", "Wendeline"):
        assert private not in kept
    assert "numbness" in kept.lower()  # the topic's own text is kept


def test_a_name_with_markdown_characters_is_not_kept_in_its_escaped_form(builtin_library):
    """The wording's Markdown holds the name escaped (``Zep\\_hyr``): that form is private
    too."""
    chosen = selection("numb-legs", name="Zep_hyr*ine Quill", weeks=30)
    fit_pdf(compose(builtin_library, chosen, Practice()))
    kept = " ".join(str(key[1]) for key in paracache._shared)
    assert "Zep" not in kept and "Quill" not in kept
    assert any(key[0] == "markup" for key in paracache._shared)


def test_forgetting_shaped_words_forgets_the_paragraphs_that_hold_them(
    builtin_library, monkeypatch
):
    from handouts.render import fonts

    fit_pdf(compose(builtin_library, selection("numb-legs", weeks=30), Practice()))
    assert paracache._shared
    monkeypatch.setattr(fonts, "_REMEMBERED", -1)
    fonts.use("Atkinson")
    assert not paracache._shared


def test_a_name_a_template_prints_in_capitals_or_in_part_is_still_the_patients(
    builtin_library,
):
    from handouts.render.pdf import _private

    chosen = selection("numb-legs", name="Ana Silva", weeks=30)
    handout = compose(builtin_library, chosen, Practice())
    with paracache.remembering(_private(handout)):
        session = paracache._session.get()
        for printed in ("Prepared for ANA SILVA", "For A. Silva", "ana"):
            assert session.holds_private(printed), printed
        assert not session.holds_private("Put your feet up")


def test_the_process_wide_cache_is_bounded(builtin_library, monkeypatch):
    monkeypatch.setattr(paracache, "MAX_SHARED", 25)
    for handout in _handouts(builtin_library):
        fit_pdf(handout)
    assert len(paracache._shared) == 25


def test_outside_a_handout_nothing_is_kept():
    calls = []

    class Paragraph:
        text, bulletText, style, frags, caseSensitive = "Some text", None, object(), (), 1

    for _ in range(2):
        paracache.lines(Paragraph(), [100, 100], lambda p, w: calls.append(w))
        paracache.parse(Paragraph(), "Some text", Paragraph.style, None, lambda: calls.append(1))
    assert len(calls) == 4 and not paracache._shared


def test_a_paragraph_made_outside_a_handout_is_kept_only_for_it(builtin_library):
    from reportlab.platypus import Paragraph

    from handouts.render.styles import styles

    made_outside = Paragraph("Ana Quillfeather", styles(12.0)["body"])
    with paracache.remembering(["someone else"]):
        made_outside.wrap(300, 100)
    assert not paracache._shared
