"""The intake form round trip: make the form, fill it as a viewer would, read it back."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from conftest import TEST_CONTENT
from pypdf import PdfReader, PdfWriter
from starlette.testclient import TestClient
from typer.testing import CliRunner

from handouts.cli import app
from handouts.intake import IntakeFormError, intake_form, read_form
from handouts.models import Library, Practice
from handouts.web import create_app

runner = CliRunner()


def fill(form: bytes, values: dict[str, str]) -> bytes:
    """Fill fields as a PDF viewer would: checkboxes take '/Yes', text fields their text."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form)))
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def legs(builtin_library):
    return builtin_library.topics[0]


@pytest.fixture(scope="module")
def blank(legs):
    return intake_form(legs, Practice())


def test_the_form_is_one_page_with_a_field_per_symptom_and_detail(blank, legs):
    reader = PdfReader(io.BytesIO(blank))
    assert len(reader.pages) == 1
    fields = reader.get_fields()
    for symptom in legs.symptoms:
        assert fields[f"symptom:{symptom.id}"]["/FT"] == "/Btn"
    for name in ("name", "weeks", "due_date", "notes"):
        assert fields[name]["/FT"] == "/Tx"
    text = " ".join(reader.pages[0].extract_text().split())
    for symptom in legs.symptoms:
        assert symptom.label in text
    assert f"content version {legs.version}" in text
    assert intake_form(legs, Practice()) == blank  # same input, same bytes


def test_a_filled_form_reads_back(blank, builtin_library):
    filled = fill(
        blank,
        {
            "symptom:numb-legs": "/Yes",
            "symptom:leg-cramps": "/Yes",
            "name": "Ana Silva",
            "due_date": "24/01/2027",
            "notes": "Worse at night",
        },
    )
    form = read_form(filled, builtin_library)
    assert form.topic.id == "leg-numbness-pregnancy"
    assert form.fields["symptoms"] == ["numb-legs", "leg-cramps"]
    assert form.fields["name"] == "Ana Silva" and form.fields["notes"] == "Worse at night"
    assert form.fields["due_date"] == "24/01/2027"


def test_make_from_form_makes_the_handout(blank, tmp_path):
    path = tmp_path / "filled.pdf"
    path.write_bytes(fill(blank, {"symptom:numb-hands": "/Yes", "name": "Ana", "weeks": "30"}))
    out = tmp_path / "ana.pdf"
    result = runner.invoke(
        app,
        [
            "make",
            "--from-form",
            str(path),
            "--clinician",
            "Jo",
            "--date",
            "2026-11-22",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = text_of(out.read_bytes())
    assert "Prepared for Ana, 30 weeks pregnant, on 22 November 2026" in text
    assert "Numb or tingling hands or fingers" in text


def test_a_wrong_value_on_the_form_is_named_as_the_form_calls_it(blank, tmp_path):
    path = tmp_path / "filled.pdf"
    path.write_bytes(fill(blank, {"weeks": "50"}))
    result = runner.invoke(app, ["make", "--from-form", str(path), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert (
        "Invalid value for '--from-form (Weeks pregnant)': expected 0 to 45 weeks; got '50'"
        in message
    )


def test_a_pdf_that_is_not_our_form_is_a_clear_error(tmp_path, builtin_library):
    other = tmp_path / "other.pdf"
    runner.invoke(app, ["make", "-s", "numb-legs", "-o", str(other)])
    with pytest.raises(IntakeFormError, match="not a handouts intake form"):
        read_form(other.read_bytes(), builtin_library)
    with pytest.raises(IntakeFormError, match="not a PDF file"):
        read_form(b"hello", builtin_library)
    result = runner.invoke(app, ["make", "--from-form", str(other)])
    assert result.exit_code == 2
    assert "not a handouts intake form" in result.stderr
    assert "Traceback" not in result.output


def test_a_form_for_another_topic_or_content_version_is_refused(blank, legs, ankle_library):
    with pytest.raises(IntakeFormError, match=r"topic 'leg-numbness-pregnancy'.*does not have"):
        read_form(blank, ankle_library)
    newer = Library((replace(legs, version="2099.1.0"),))
    with pytest.raises(IntakeFormError) as caught:
        read_form(blank, newer)
    assert str(caught.value) == (
        f"this form was printed for content version {legs.version}, and the content is now "
        "version 2099.1.0; print a new form with 'handouts intake-form'"
    )


def test_the_intake_form_command(tmp_path):
    out = tmp_path / "form.pdf"
    result = runner.invoke(app, ["intake-form", "--content", str(TEST_CONTENT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    fields = PdfReader(out).get_fields()
    assert "symptom:swelling" in fields and "weeks" not in fields  # the ankle topic has no weeks


def test_the_web_page_takes_an_upload(blank, builtin_library):
    client = TestClient(create_app(builtin_library, Practice()), base_url="http://127.0.0.1:8000")
    origin = {"origin": "http://127.0.0.1:8000"}
    printed = client.get("/intake-form.pdf")
    assert printed.status_code == 200 and printed.content == blank
    filled = fill(blank, {"symptom:sciatica": "/Yes", "name": "Bea"})
    made = client.post(
        "/from-form", files={"form": ("f.pdf", filled, "application/pdf")}, headers=origin
    )
    assert made.status_code == 200, made.text
    assert "Prepared for Bea" in text_of(made.content)
    wrong = client.post(
        "/from-form",
        files={"form": ("f.pdf", b"%PDF-1.4 nothing", "application/pdf")},
        headers=origin,
    )
    assert wrong.status_code == 422
    assert 'id="form-error"' in wrong.text and "cannot read this PDF" in wrong.text
    bad_weeks = fill(blank, {"weeks": "99"})
    answer = client.post(
        "/from-form", files={"form": ("f.pdf", bad_weeks, "application/pdf")}, headers=origin
    )
    assert answer.status_code == 422
    assert "Weeks pregnant (on the form): expected 0 to 45 weeks" in answer.text
    runic = fill(blank, {"symptom:sciatica": "/Yes", "name": "ᚠᚢᚦ Runa"})
    answer = client.post(
        "/from-form", files={"form": ("f.pdf", runic, "application/pdf")}, headers=origin
    )
    assert answer.status_code == 422  # found only when the handout is set: beside the name
    assert 'id="name-error"' in answer.text and "no font can draw" in answer.text
    big = client.post(
        "/from-form",
        files={"form": ("f.pdf", b"%PDF-" + b"x" * 900_000, "application/pdf")},
        headers=origin,
    )
    assert big.status_code == 413
