"""Translations: the file beside the topic, missing and stale entries, fallback, draft mark."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import yaml
from conftest import DAY, selection
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts import translations
from handouts.cli import app
from handouts.compose import compose
from handouts.library import load_library
from handouts.models import Library, Practice
from handouts.render.pdf import render_pdf

TOPIC = "ankle-sprain"


def spanish(topic, *, signed: bool = False, skip: str = "") -> dict:
    """A complete test translation of ``topic`` (not real Spanish prose: a fixture)."""
    data = {
        "language": "es",
        "topic_source": translations.topic_source(topic),
        "title": "Esguince de tobillo",
        "summary": "Qué hacer con un esguince de tobillo.",
        "wording_source": translations.wording_source(),
        "wording": {
            "translation_draft": "Traducción no revisada por un traductor cualificado",
            "symptoms_heading": "Lo que marcó",
        },
        "symptoms": {
            s.id: {"source": translations.symptom_source(s), "label": f"ES {s.label}"}
            for s in topic.symptoms
        },
        "items": {
            i.id: {
                "source": translations.item_source(i),
                "title": f"ES {i.title}",
                "text": f"ES texto {i.id}.",
                "steps": [f"ES paso {n}" for n, _ in enumerate(i.steps)],
            }
            for i in topic.items
            if i.id != skip
        },
    }
    if signed:
        data["review"] = {"checked_by": "Ana Ruiz, traductora médica", "checked_on": "2026-11-01"}
    return data


@pytest.fixture
def tree(content_tree):
    topic = load_library(content_tree, use_cache=False).topic(TOPIC)
    folder = content_tree / TOPIC / "translations"
    folder.mkdir()
    return content_tree, topic, folder / "es.yaml"


def write(path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def handout_in(root, lang, **kw):
    library = load_library(root, use_cache=False)
    handout = compose(library, selection(name="Ana", topic=TOPIC), Practice())
    return translations.translate(handout, lang, **kw)


def layer(pdf: bytes) -> str:
    """The text layer as pdftotext reads it (it follows /ActualText, as readers do)."""
    run = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return run.stdout.decode()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_complete_translation_prints_in_the_language_with_its_tag(tree):
    root, topic, path = tree
    write(path, spanish(topic))
    handout, english = handout_in(root, "es")
    assert english == ()
    pdf = render_pdf(handout)
    text = text_of(pdf)
    assert "Esguince de tobillo" in text  # the title, through the English wording's block
    assert all(i.title in text and i.title.startswith("ES ") for i in handout.items)
    assert not any(i.text[:30] in text for i in topic.items)  # no English item text
    assert "Traducción no revisada por un traductor cualificado" in text
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"


def test_the_draft_mark_goes_once_a_translator_signs_off(tree):
    root, topic, path = tree
    write(path, spanish(topic, signed=True))
    handout, _ = handout_in(root, "es")
    assert "Traducción no revisada" not in handout.words["draft_mark"]


def test_check_reports_missing_and_stale_entries(tree):
    _root, topic, path = tree
    first, second = topic.items[0].id, topic.items[1].id
    data = spanish(topic, skip=first)
    data["items"][second]["source"] = "000000000000"  # made from an older English text
    write(path, data)
    problems = [str(p) for p in translations.check(topic)]
    assert any(f"items.{first}: warning: missing" in p for p in problems), problems
    assert any(f"items.{second}: warning: stale: the English changed" in p for p in problems)
    assert len([p for p in problems if "items." in p]) == 2


def test_changing_the_english_makes_the_translation_stale(tree):
    root, topic, path = tree
    write(path, spanish(topic))
    assert translations.check(topic) == []
    module = root / TOPIC / f"{topic.items[0].module}.yaml"
    module.write_text(module.read_text().replace(topic.items[0].text[:20], "Changed words here"))
    changed = load_library(root, use_cache=False).topic(TOPIC)
    assert changed.items[0].text != topic.items[0].text
    problems = [str(p) for p in translations.check(changed)]
    assert [p for p in problems if "stale" in p], problems


def test_missing_items_fail_unless_fallback_which_prints_them_in_english(tree):
    root, topic, path = tree
    skipped = topic.items[0]
    write(path, spanish(topic, skip=skipped.id))
    with pytest.raises(translations.TranslationError, match=skipped.id):
        handout_in(root, "es")
    handout, english = handout_in(root, "es", allow_fallback=True)
    assert skipped.id in english
    shown = {i.id: i for i in handout.items}
    if skipped.id in shown:
        assert shown[skipped.id].title == skipped.title
    assert translations.FALLBACK_NOTE in handout.words["disclaimer"]


def test_make_lang_on_the_command_line(tree, tmp_path):
    root, topic, path = tree
    write(path, spanish(topic, skip=topic.items[0].id))
    out = tmp_path / "es.pdf"
    args = ["make", "--content", str(root), "--name", "Ana", "--date", DAY.isoformat()]
    refused = CliRunner().invoke(app, [*args, "--lang", "es", "-o", str(out)])
    assert refused.exit_code == 2 and topic.items[0].id in refused.output
    assert not out.exists()
    made = CliRunner().invoke(app, [*args, "--lang", "es", "--allow-fallback", "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert out.exists()
    unknown = CliRunner().invoke(app, [*args, "--lang", "xx", "-o", str(out)])
    assert unknown.exit_code == 2 and "no 'xx' translation" in unknown.output


def test_check_lists_translation_warnings_and_fails_strict(tree):
    root, topic, path = tree
    write(path, spanish(topic, skip=topic.items[0].id))
    result = CliRunner().invoke(app, ["check", "--content", str(root), "--strict"])
    assert result.exit_code == 2
    assert f"translations/es.yaml: items.{topic.items[0].id}: warning: missing" in result.output


def test_a_broken_translation_file_is_reported_with_its_line(tree):
    _root, topic, path = tree
    data = spanish(topic)
    data["language"] = "fr"
    write(path, data)
    problems = [str(p) for p in translations.check(topic)]
    assert any("es.yaml:1: language: must be 'es'" in p for p in problems), problems


def test_batch_rows_print_in_their_language_column(tree, tmp_path):
    root, topic, path = tree
    write(path, spanish(topic))
    rows = tmp_path / "rows.csv"
    symptom = topic.symptoms[0].id
    rows.write_text(f"name,symptoms,language\nAna,{symptom},es\nBo,{symptom},\nCy,{symptom},xx\n")
    out = tmp_path / "out"
    args = ["batch", str(rows), "--out", str(out), "--content", str(root), "--quiet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1  # the xx row fails alone
    manifest = (out / "manifest.csv").read_text()
    assert "language: not available; expected one of: en, es" in manifest
    assert "'xx'" not in manifest  # the manifest names the rule, never the cell
    spanish_pdf = next(out.glob("ana*.pdf")).read_bytes()
    assert PdfReader(io.BytesIO(spanish_pdf)).trailer["/Root"]["/Lang"] == "es"
    english_pdf = next(out.glob("bo*.pdf")).read_bytes()
    assert PdfReader(io.BytesIO(english_pdf)).trailer["/Root"]["/Lang"] == "en"


def test_leaflets_in_a_language(tree, tmp_path):
    root, topic, path = tree
    write(path, spanish(topic))
    out = tmp_path / "leaflets"
    args = ["leaflets", "--out", str(out), "--content", str(root), "--lang", "es"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    pdf = (out / f"{TOPIC}-es.pdf").read_bytes()
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"
    assert "Esguince de tobillo" in text_of(pdf)


def test_a_changed_translation_redoes_the_batch_rows_in_that_language(tree, tmp_path):
    root, topic, path = tree
    write(path, spanish(topic))
    rows = tmp_path / "rows.csv"
    rows.write_text(f"name,symptoms,language\nAna,{topic.symptoms[0].id},es\n")
    out = str(tmp_path / "out")
    args = ["batch", str(rows), "--out", out, "--content", str(root), "--jobs", "1"]
    assert CliRunner().invoke(app, [*args, "--quiet"]).exit_code == 0
    again = CliRunner().invoke(app, [*args, "--quiet"])
    assert "0 written, 0 failed, 1 skipped" in again.output
    data = spanish(topic)
    data["title"] = "Torcedura de tobillo"
    write(path, data)
    redone = CliRunner().invoke(app, [*args, "--quiet"])
    assert "1 written" in redone.output, redone.output


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_translated_symptom_labels_print_as_text_in_their_headings(tree):
    root, topic, path = tree
    data = spanish(topic)
    for entry in data["symptoms"].values():
        entry["label"] = "تورم <و> ألم"
    write(path, data)
    library = load_library(root, use_cache=False)
    ticked = selection(*topic.symptom_ids, name="Ana", topic=TOPIC)
    handout, _ = translations.translate(compose(library, ticked, Practice()), "es")
    text = layer(render_pdf(handout))
    assert "<font" not in text and "&lt;" not in text
    assert "About: تورم <و> ألم" in text.replace("\u202b", "").replace("\u202c", "")


def test_a_stale_topic_text_is_reported_and_falls_back(content_tree):
    """The title, summary, points to remember and plan labels are tracked like items."""
    topic = load_library(content_tree, use_cache=False).topic(TOPIC)
    data = spanish(topic)
    data["topic_source"] = "000000000000"  # made from an older English title or summary
    folder = content_tree / TOPIC / "translations"
    folder.mkdir(exist_ok=True)
    (folder / "es.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    topic = load_library(content_tree, use_cache=False).topic(TOPIC)
    problems = translations.check(topic)
    assert any(p.field == "topic_source" and "stale" in p.message for p in problems)
    handout = compose(Library((topic,)), selection("swelling"), Practice())
    with pytest.raises(translations.TranslationError, match="topic"):
        translations.translate(handout, "es")
    english, left = translations.translate(handout, "es", allow_fallback=True)
    assert "topic" in left and english.title == handout.title


def test_the_web_page_offers_complete_translations_and_prints_in_them(tree):
    from starlette.testclient import TestClient

    from handouts.web import create_app

    root, topic, path = tree
    write(path, spanish(topic))
    library = load_library(root, use_cache=False)
    client = TestClient(create_app(library, Practice()), base_url="http://127.0.0.1:8000")
    page = client.get("/").text
    assert '<option value="es" lang="es">Español</option>' in page
    symptom = library.topic(TOPIC).symptom_ids[0]
    posted = client.post(
        "/handout",
        data={"symptoms": symptom, "name": "Ana", "language": "es"},
        headers={"origin": "http://127.0.0.1:8000"},
    )
    assert posted.status_code == 200, posted.text
    pdf = PdfReader(io.BytesIO(posted.content))
    assert pdf.trailer["/Root"]["/Lang"] == "es"
    assert "Esguince de tobillo" in " ".join(p.extract_text() for p in pdf.pages)
    unknown = client.post(
        "/handout",
        data={"symptoms": symptom, "language": "xx"},
        headers={"origin": "http://127.0.0.1:8000"},
    )
    assert unknown.status_code == 422 and "not available" in unknown.text


def test_check_report_scores_a_spanish_translation_with_fernandez_huerta(tree):
    from handouts import readability

    root, topic, path = tree
    data = spanish(topic)
    for entry in data["items"].values():
        entry["text"] = "El tobillo se hincha. Póngalo en alto y descanse un poco cada día."
    write(path, data)
    topic = load_library(root, use_cache=False).topic(TOPIC)
    [row] = readability.translations_report(topic)
    assert (row.language, row.formula) == ("es", "Fernández-Huerta")
    assert 60 <= row.score <= 120  # short sentences and short words read easily
    result = CliRunner().invoke(app, ["check", "--report", "--content", str(root)])
    assert "es" in result.output and "Fernández-Huerta" in result.output
