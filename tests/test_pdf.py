"""The PDF: structure, metadata, text order, fonts, sizes, determinism, escaping."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys

import pdfplumber
import pytest
from conftest import DAY, selection
from pypdf import PdfReader

from handouts.compose import compose
from handouts.models import Practice
from handouts.render.pdf import render_pdf

NASTY_NAME = '<b>Ana\n & "Bo"</b>'


@pytest.fixture(scope="module")
def ana_pdf(builtin_library):
    handout = compose(
        builtin_library,
        selection(
            "numb-legs",
            "swollen-feet",
            name="Ana",
            weeks=31,
            clinician="Jo Smith",
            notes="Splint at night.\nSee you on 12 December.",
        ),
        Practice(),
    )
    return render_pdf(handout)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def test_metadata_and_language(ana_pdf):
    pdf = reader(ana_pdf)
    meta = pdf.metadata
    assert meta.title == "Numbness, tingling and weakness in your legs and hands in pregnancy"
    assert meta.author == "handouts"
    assert meta.subject.startswith("Numbness, tingling and aches")
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    assert "Ana" not in (meta.title + meta.subject)  # no patient data in metadata


def test_text_is_in_reading_order(ana_pdf):
    text = " ".join(text_of(ana_pdf).split())
    order = [
        "Numbness, tingling and weakness",
        "Prepared for Ana, 31 weeks pregnant, on 22 November 2026 by Jo Smith.",
        "Three things to remember",
        "Call your local emergency number now",
        "Notes from Jo Smith",
        "Splint at night.",
        "My plan",
        "Call your maternity unit now, day or night",
        "Before you go",
        "About: Numbness or pins and needles in legs or feet",
        "About: Swollen feet, ankles or fingers",
        "Eating and drinking",
        "Tell us at your next appointment",
        "Based on guidance from",
    ]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_every_page_has_the_draft_mark_and_page_x_of_y(ana_pdf):
    pages = reader(ana_pdf).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        text = page.extract_text()
        assert "DRAFT: not yet checked by a clinician" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Content version 2026.11.1" in text


def test_outline_lists_the_sections(ana_pdf):
    titles = [entry.title for entry in reader(ana_pdf).outline]
    assert titles[:4] == [
        "Numbness, tingling and weakness in your legs and hands in pregnancy",
        "Call your local emergency number now",
        "Call your maternity unit now, day or night",
        "About: Numbness or pins and needles in legs or feet",
    ]
    assert "Tell us at your next appointment" in titles


def test_a4_by_default_and_letter_on_request(builtin_library):
    a4 = reader(render_pdf(compose(builtin_library, selection(), Practice())))
    letter = reader(render_pdf(compose(builtin_library, selection(paper="letter"), Practice())))
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]


def test_fonts_are_embedded_truetype(ana_pdf):
    for page in reader(ana_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            assert "AtkinsonHyperlegible" in font["/BaseFont"]


def test_pdffonts_reports_every_font_embedded(ana_pdf, tmp_path):
    if not shutil.which("pdffonts"):
        if os.environ.get("HANDOUTS_REQUIRE_POPPLER"):
            pytest.fail("pdffonts (poppler-utils) is required but not installed")
        pytest.skip("pdffonts not installed (Debian: poppler-utils)")
    path = tmp_path / "a.pdf"
    path.write_bytes(ana_pdf)
    rows = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"TrueType.*\byes\b", row), row


def test_text_in_the_body_is_at_least_12_point(ana_pdf):
    with pdfplumber.open(io.BytesIO(ana_pdf)) as pdf:
        for page in pdf.pages:
            body = [c for c in page.chars if 60 < c["top"] < page.height - 75]
            assert body
            small = {(round(c["size"], 1), c["text"]) for c in body if c["size"] < 12}
            assert not small, small


def test_same_input_gives_the_same_bytes_across_processes(tmp_path):
    args = [
        "-m",
        "handouts",
        "make",
        "-s",
        "numb-hands",
        "--name",
        "Sam",
        "--weeks",
        "30",
        "--date",
        "2026-11-22",
    ]
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    for out in (first, second):
        subprocess.run([sys.executable, *args, "-o", str(out)], check=True, capture_output=True)
    assert first.read_bytes() == second.read_bytes()


def test_patient_text_prints_literally(builtin_library):
    handout = compose(
        builtin_library,
        selection(
            "numb-hands",
            name=NASTY_NAME,
            clinician="<i>Dr</i> **X**",
            notes="<font size=40>big</font> & [link](http://x) {{ practice.name }}",
        ),
        Practice(),
    )
    text = " ".join(text_of(render_pdf(handout)).split())
    assert 'Prepared for <b>Ana & "Bo"</b>' in text
    assert "by <i>Dr</i> **X**" in text
    assert "<font size=40>big</font> & [link](http://x) {{ practice.name }}" in text


def test_default_practice_has_writing_lines_for_phone_numbers(ana_pdf):
    first = reader(ana_pdf).pages[0].extract_text()
    assert "Call your local emergency number now" in first
    assert "Questions? Call:" in first
    assert "Maternity unit, day or night:" in text_of(ana_pdf)


def test_practice_numbers_print_in_the_warning_box(builtin_library):
    practice = Practice(
        name="Riverside Midwives",
        urgent_phone="01632 960 123",
        urgent_label="Maternity triage, 24 hours",
        emergency_number="999",
        phone="01632 960 000",
        is_default=False,
    )
    pdf = render_pdf(compose(builtin_library, selection(date=DAY), practice))
    first = " ".join(reader(pdf).pages[0].extract_text().split())
    assert first.startswith("Riverside Midwives")
    assert "Call 999 now" in first
    assert "Maternity triage, 24 hours: 01632 960 123" in " ".join(text_of(pdf).split())
    assert reader(pdf).metadata.author == "Riverside Midwives"


def test_generic_leaflet_has_no_prepared_for_line(builtin_library):
    text = text_of(render_pdf(compose(builtin_library, selection(), Practice())))
    assert "Prepared for" not in text
    assert "You told us about" not in text


BRANDED = Practice(
    name="Harbourside Maternity Team",
    address="4 Quay Street, Portham PT1 4QS",
    website="https://harbourside.example.org",
    urgent_phone="01632 960 555",
    emergency_number="999",
    is_default=False,
)


@pytest.mark.parametrize("practice", [Practice(), BRANDED], ids=["default", "branded"])
@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
def test_get_help_now_always_starts_on_page_one(builtin_library, practice, large_print):
    from dataclasses import replace

    topic = builtin_library.topics[0]
    everything = selection(
        *topic.symptom_ids,
        name="Anastasia Wolfeschlegelsteinhausen-Bergerdorff",
        weeks=36,
        clinician="Dr Jo Smith-Jones, consultant obstetrician",
    )
    practice = replace(practice, large_print=large_print)
    pages = reader(render_pdf(compose(builtin_library, everything, practice))).pages
    first = " ".join(pages[0].extract_text().split())
    emergency = [i for i in topic.items if i.urgency == "emergency"]
    number = practice.emergency_number or "your local emergency number"
    assert f"Call {number} now" in first
    assert " ".join(emergency[0].title.split()) in first
    both = first + " " + " ".join(pages[1].extract_text().split())
    for sign in emergency:  # a box cut in two says so, and ends within page 2
        assert " ".join(sign.title.split()) in both, sign.id
    if emergency[-1].title not in first:
        assert "More signs on the next page." in first


@pytest.mark.parametrize(
    "symptoms", [(), ("swollen-feet",), ("numb-hands",), ("sciatica", "leg-weakness")]
)
@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
def test_the_disclaimer_never_stands_alone_on_the_last_page(builtin_library, symptoms, large_print):
    handout = compose(
        builtin_library, selection(*symptoms, weeks=30), Practice(large_print=large_print)
    )
    last = " ".join(reader(render_pdf(handout)).pages[-1].extract_text().split())
    assert "Based on guidance from" in last
    assert "This leaflet gives general information." in last


def test_a_reused_warning_box_prints_exactly_as_a_new_one(builtin_library):
    """Boxes are typeset once per process and reused; the bytes must not notice."""
    from dataclasses import replace

    from handouts.render import boxes

    every = builtin_library.topics[0].symptom_ids
    handouts = [
        compose(builtin_library, selection("numb-legs", weeks=31, name="Ana"), Practice()),
        compose(builtin_library, selection(*every, weeks=36), replace(BRANDED, large_print=True)),
        compose(builtin_library, selection("swollen-feet", weeks=12), BRANDED),
        replace(compose(builtin_library, selection(), Practice()), paper="a5"),
    ]
    fresh = []
    for handout in handouts:
        boxes._BOXES.clear()
        fresh.append(render_pdf(handout))
    assert [render_pdf(h) for h in handouts + handouts] == fresh + fresh
    assert boxes._BOXES  # the boxes were kept and reused


def test_online_url_prints_a_qr_code_that_reads_back(builtin_library, tmp_path):
    """With the practice's online_url, a QR code to it sits beside the one-line sources."""
    import subprocess
    from dataclasses import replace

    import pdfplumber

    practice = replace(BRANDED, online_url="https://harbourside.example.org/legs")
    pdf = render_pdf(compose(builtin_library, selection("numb-hands", weeks=30), practice))
    text = " ".join(text_of(pdf).split())
    assert "Read this online: https://harbourside.example.org/legs" in text
    plain = render_pdf(compose(builtin_library, selection("numb-hands", weeks=30), BRANDED))
    with pdfplumber.open(io.BytesIO(pdf)) as with_qr, pdfplumber.open(io.BytesIO(plain)) as without:
        squares = sum(len(p.rects) for p in with_qr.pages) - sum(
            len(p.rects) for p in without.pages
        )
    assert squares > 100  # the code's dark modules, drawn as vector squares
    if os.environ.get("HANDOUTS_REQUIRE_POPPLER"):  # CI installs zbar-tools with poppler
        assert shutil.which("zbarimg") and shutil.which("pdftoppm")
    if shutil.which("zbarimg") and shutil.which("pdftoppm"):
        (tmp_path / "h.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", tmp_path / "h.pdf", tmp_path / "p"], check=True
        )
        found = subprocess.run(
            ["zbarimg", "-q", "--raw", *sorted(tmp_path.glob("p-*.png"))],
            capture_output=True,
            text=True,
        )
        assert "https://harbourside.example.org/legs" in found.stdout


@pytest.mark.parametrize("symptoms", [(), ("numb-hands",)], ids=["leaflet", "handout"])
def test_a_qr_code_never_breaks_the_layout_of_a_long_source_list(builtin_library, symptoms):
    """The generic leaflet's full source list runs over a page: the QR code sits beside
    the closing lines only, never in a table too tall for a page."""
    from dataclasses import replace

    practice = replace(BRANDED, online_url="https://harbourside.example.org/legs")
    pdf = render_pdf(compose(builtin_library, selection(*symptoms, weeks=30), practice))
    last = " ".join(reader(pdf).pages[-1].extract_text().split())
    assert "Read this online: https://harbourside.example.org/legs" in last
    assert "does not replace advice" in last
