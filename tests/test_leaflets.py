"""Leaflets: names, what they say, and booklets whose pages fold into the right order."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from conftest import DAY, TEST_CONTENT
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from handouts.cli import app
from handouts.leaflets import leaflet_handout, leaflets, make_leaflets, render_leaflet
from handouts.models import Practice
from handouts.render.booklet import booklet_order, impose

runner = CliRunner()


def marked_pdf(pages: int, size=A5) -> bytes:
    """A PDF whose page n says only 'PAGE-n'."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size)
    for n in range(1, pages + 1):
        canvas.drawString(size[0] / 3, size[1] / 2, f"PAGE-{n}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def halves(pdf: bytes) -> list[tuple[str, str]]:
    """The text of the left and right half of every sheet side."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            (
                page.crop((0, 0, page.width / 2, page.height)).extract_text(),
                page.crop((page.width / 2, 0, page.width, page.height)).extract_text(),
            )
            for page in document.pages
        ]


def test_saddle_stitch_order_for_eight_pages():
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_short_documents_are_padded_with_blank_pages_to_a_multiple_of_four():
    assert booklet_order(1) == [(None, 1), (None, None)]
    assert booklet_order(5) == [(None, 1), (2, None), (None, 3), (4, 5)]
    assert len(booklet_order(9)) == 6


def test_imposed_pages_land_on_the_right_half_of_the_right_side():
    sides = halves(impose(marked_pdf(8), landscape(A4)))
    assert sides == [
        ("PAGE-8", "PAGE-1"),
        ("PAGE-2", "PAGE-7"),
        ("PAGE-6", "PAGE-3"),
        ("PAGE-4", "PAGE-5"),
    ]


def test_imposition_pads_with_blank_halves_on_sheets_of_the_given_size():
    imposed = impose(marked_pdf(6), landscape(A4))
    assert halves(imposed) == [
        ("", "PAGE-1"),
        ("PAGE-2", ""),
        ("PAGE-6", "PAGE-3"),
        ("PAGE-4", "PAGE-5"),
    ]
    box = PdfReader(io.BytesIO(imposed)).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (841.9, 595.3)


def test_leaflet_names_one_per_topic_then_one_per_symptom(ankle_library):
    names = [leaflet.name for leaflet in leaflets(ankle_library, per_symptom=True)]
    assert names == [
        "ankle-sprain.pdf",
        "ankle-sprain-swelling.pdf",
        "ankle-sprain-pain-walking.pdf",
        "ankle-sprain-bruising.pdf",
    ]
    assert [leaflet.name for leaflet in leaflets(ankle_library, booklet=True)] == [
        "ankle-sprain-booklet.pdf"
    ]


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_leaflets_are_written_and_never_personalised(tmp_path, ankle_library):
    written = make_leaflets(ankle_library, tmp_path / "out", per_symptom=True, today=DAY)
    assert [p.name for p in written] == [
        "ankle-sprain.pdf",
        "ankle-sprain-swelling.pdf",
        "ankle-sprain-pain-walking.pdf",
        "ankle-sprain-bruising.pdf",
    ]
    generic, swelling = text_of(written[0]), text_of(written[1])
    assert "Prepared for" not in generic and "Prepared for" not in swelling
    assert "You told us about" not in generic + swelling
    assert "This leaflet is about: Swollen ankle." in " ".join(swelling.split())
    assert "Swollen ankle" in swelling and "Bruising" not in swelling.split("Call ")[0]
    assert len(generic) > len(swelling)


def test_a_booklet_is_a5_pages_on_landscape_a4_sheets(tmp_path, builtin_library):
    written = make_leaflets(builtin_library, tmp_path / "out", booklet=True, today=DAY)
    sheets = PdfReader(written[0]).pages
    box = sheets[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert len(sheets) % 2 == 0 and len(sheets) >= 4
    text = [page.extract_text() for page in sheets]
    assert "Page 1 of" in text[0] and "Page 2 of" in text[1]
    assert PdfReader(written[0]).metadata.title.startswith("Numbness, tingling")


def test_a_letter_booklet_is_half_letter_pages_on_landscape_letter(tmp_path, ankle_library):
    written = make_leaflets(ankle_library, tmp_path, booklet=True, paper="letter", today=DAY)
    box = PdfReader(written[0]).pages[0].mediabox
    assert (float(box.width), float(box.height)) == landscape(LETTER)


def test_a5_body_text_stays_at_12_points_or_more(builtin_library):
    from handouts.leaflets import leaflet_handout
    from handouts.models import Practice
    from handouts.render.pdf import render_pdf

    (leaflet,) = leaflets(builtin_library, paper="a5", today=DAY)
    pdf = render_pdf(leaflet_handout(builtin_library, leaflet, Practice()))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) > 2
        for page in document.pages:
            assert (page.width, page.height) == pytest.approx(A5)
            body = page.crop((0, 15 * mm, page.width, page.height - 25 * mm))
            sizes = {round(char["size"], 1) for char in body.chars}
            assert sizes and min(sizes) >= 12, sorted(sizes)


def test_the_leaflets_command_prints_the_files(tmp_path):
    args = ["leaflets", "--out", str(tmp_path), "--content", str(TEST_CONTENT), "--per-symptom"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        str(tmp_path / f"ankle-sprain{s}.pdf")
        for s in ("", "-swelling", "-pain-walking", "-bruising")
    ]


def test_the_leaflets_command_refuses_an_unknown_paper(tmp_path):
    args = ["leaflets", "--out", str(tmp_path / "x"), "--content", str(TEST_CONTENT)]
    result = runner.invoke(app, [*args, "--paper", "a3"])
    assert result.exit_code == 2
    assert "expected one of: a4, letter; got 'a3'" in result.output
    assert not (tmp_path / "x").exists()


def test_the_leaflets_help_has_an_example():
    result = runner.invoke(app, ["leaflets", "--help"])
    assert result.exit_code == 0
    assert "Example: handouts leaflets --out leaflets" in result.stdout


def test_a_small_page_keeps_the_leaflet_code_and_content_version_in_the_footer(tmp_path):
    import shutil
    from pathlib import Path

    from conftest import DATA

    practice = Path(shutil.copytree(DATA / "practice", tmp_path / "practice"))
    yaml = practice / "practice.yaml"
    long = "Riverside Midwives, part of the Exampletown and District NHS Foundation Trust"
    yaml.write_text(yaml.read_text().replace("Riverside Midwives, Exampletown", long))
    args = ["leaflets", "--booklet", "--out", str(tmp_path / "out"), "--content", str(TEST_CONTENT)]
    result = CliRunner().invoke(app, [*args, "--practice", str(practice)])
    assert result.exit_code == 0, result.output
    text = " ".join(text_of(tmp_path / "out" / "ankle-sprain-booklet.pdf").split())
    assert "MAT-042 · Content version 1.2.0" in text
    assert "…" not in text


def test_a_booklet_ends_with_its_warning_boxes_on_the_back_pages(builtin_library):
    """The call-999 box and its numbers are the back cover, where a patient finds them."""
    from handouts.fit import fit_pdf

    chosen = list(leaflets(builtin_library, per_symptom=True, booklet=True))
    for leaflet in (chosen[0], chosen[1], chosen[4]):
        fitted = fit_pdf(leaflet_handout(builtin_library, leaflet, Practice()), booklet=True)
        pages = PdfReader(io.BytesIO(fitted.pdf)).pages
        assert len(pages) % 4 == 0, leaflet.name
        back = " ".join(pages[-1].extract_text().split())
        assert "Call your local emergency number now" in back
        assert "A fit (seizure), or someone cannot be woken" in back  # the whole box
        inside = " ".join(pages[-2].extract_text().split())
        assert "Call your maternity unit now, day or night" in inside
        assert "Maternity unit, day or night:" in inside
        front = " ".join(pages[0].extract_text().split())
        assert "Call your local emergency number now" not in front
        assert "back pages" in front


@pytest.mark.parametrize("large_print", [False, True])
def test_a_leaflets_warning_boxes_never_split(builtin_library, large_print):
    from dataclasses import replace

    practice = replace(Practice(), large_print=large_print)
    leaflet = next(leaflets(builtin_library))
    handout = leaflet_handout(builtin_library, leaflet, practice)
    pdf = render_leaflet(builtin_library, leaflet, practice)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    for tier in ("emergency", "urgent"):
        titles = [" ".join(i.title.split()) for i in handout.warnings(tier)]
        holding = {n for n, text in enumerate(pages) for t in titles if t in text}
        assert len(holding) == 1, (tier, holding)
