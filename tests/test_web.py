"""The local web page through its ASGI app: forms, messages, headers and refusals."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from handouts.models import Practice
from handouts.web import create_app
from handouts.web.security import CSP

BASE = "http://127.0.0.1:8000"
SAME_SITE = {"origin": BASE}


@pytest.fixture(scope="module")
def client(builtin_library):
    app = create_app(builtin_library, Practice(clinicians=("Jo Smith, midwife",)))
    return TestClient(app, base_url=BASE)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_page_has_labels_fieldsets_lang_and_the_practices_clinicians(client, builtin_library):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="en">' in html
    for symptom in builtin_library.topics[0].symptoms:
        assert f'<label for="symptom-{symptom.id}">{symptom.label}</label>' in html.replace(
            "&#34;", '"'
        ).replace("&#39;", "'")
        assert f'aria-describedby="symptom-{symptom.id}-hint"' in html
    assert html.count("<fieldset") >= 4 and html.count("<legend>") >= 4
    for name in ("name", "weeks", "due_date", "clinician", "notes"):
        assert f'<label for="{name}">' in html
    assert '<option value="Jo Smith, midwife">' in html
    assert 'aria-live="polite"' in html


def test_every_response_is_no_store_with_a_strict_policy(client):
    for response in (
        client.get("/"),
        client.get("/static/page.js"),
        client.post("/handout", data={"symptoms": "numb-legs"}, headers=SAME_SITE),
        client.post("/handout", data={}, headers={"origin": "http://evil.example"}),
    ):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        # same-origin, not no-referrer: under no-referrer a browser posts "Origin: null".
        assert response.headers["referrer-policy"] == "same-origin"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP


def test_download_and_print_give_the_same_handout(client):
    form = {"symptoms": ["numb-legs", "swollen-feet"], "name": "Ana", "weeks": "31+2"}
    download = client.post("/handout", data={**form, "action": "download"}, headers=SAME_SITE)
    printed = client.post("/handout", data={**form, "action": "print"}, headers=SAME_SITE)
    assert download.status_code == printed.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    name = download.headers["content-disposition"].split("filename=")[1]
    assert download.headers["content-disposition"].startswith("attachment;")
    assert printed.headers["content-disposition"].startswith("inline;")
    assert name.startswith('"ana-') and name.endswith('.pdf"')
    text = text_of(download.content)
    assert "Prepared for Ana, 31 weeks pregnant" in text
    assert text_of(printed.content) == text


def test_an_invalid_field_shows_its_message_beside_it_and_keeps_what_was_typed(client):
    form = {"symptoms": "numb-legs", "name": "Ana <b>", "weeks": "50", "notes": "Rest"}
    response = client.post("/handout", data=form, headers=SAME_SITE)
    assert response.status_code == 422
    html = " ".join(response.text.split())
    assert (
        '<p class="error" id="weeks-error"><span class="visually-hidden">Error: </span>'
        "expected 0 to 45 weeks</p>" in html
    )
    assert 'aria-describedby="weeks-hint weeks-error" aria-invalid="true"' in html
    assert 'href="#weeks">Weeks: expected 0 to 45 weeks</a>' in html
    assert 'value="Ana &lt;b&gt;"' in html and "Rest</textarea>" in html
    assert 'value="numb-legs" id="symptom-numb-legs" checked' in html
    assert "<title>Error: " in html


def test_both_weeks_and_due_date_is_named_the_pages_way(client):
    form = {"weeks": "30", "due_date": "2027-01-01"}
    response = client.post("/handout", data=form, headers=SAME_SITE)
    assert response.status_code == 422
    assert "give weeks or due date, not both" in response.text


def test_the_live_summary_lists_warning_signs_and_sections(client, builtin_library):
    topic = builtin_library.topics[0]
    emergency = next(i for i in topic.items if i.is_emergency)
    answer = client.post(
        "/summary", data={"symptoms": "numb-legs", "weeks": "31"}, headers=SAME_SITE
    ).json()
    assert answer["problems"] == []
    assert emergency.title in answer["html"]
    assert '<h3 class="warning">' in answer["html"]
    wrong = client.post("/summary", data={"weeks": "ten"}, headers=SAME_SITE).json()
    assert wrong["problems"] == [
        {"field": "weeks", "message": "expected a whole number of weeks, such as 31 (or 31+2)"}
    ]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"referer": "http://evil.example/page"},
        {"sec-fetch-site": "cross-site", "origin": BASE},
        {"origin": "http://127.0.0.1:9999"},
        {},
    ],
)
def test_a_cross_site_or_anonymous_post_is_refused(client, headers):
    response = client.post("/handout", data={"symptoms": "numb-legs"}, headers=headers)
    assert response.status_code == 403
    assert "Refused" in response.json()["error"]


def test_a_foreign_host_name_is_refused(client):
    # A domain pointed at 127.0.0.1 (DNS rebinding) must not reach the page.
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 421
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8000"}).status_code == 200


def test_a_large_request_is_refused(client):
    big = {"notes": "x" * (70 * 1024)}
    assert client.post("/handout", data=big, headers=SAME_SITE).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(80):
            yield b"notes=" + b"x" * 1024

    response = client.post(
        "/handout",
        content=chunks(),
        headers={**SAME_SITE, "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_nothing_typed_reaches_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    form = {"symptoms": "numb-legs", "name": "Zelda Quartz", "notes": "secret-note"}
    client.post("/handout", data=form, headers=SAME_SITE)
    client.post("/handout", data={**form, "weeks": "99"}, headers=SAME_SITE)
    assert "Zelda" not in caplog.text and "secret-note" not in caplog.text


def test_unknown_static_files_are_not_found(client):
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/page.js").headers["content-type"].startswith("text/javascript")


def test_my_plan_on_the_page_and_in_the_handout(client, builtin_library):
    option = builtin_library.topics[0].plan[0]
    html = client.get("/").text
    assert f'<label for="plan-{option.id}">' in html
    assert '<label for="follow_up">' in html and '<label for="contact">' in html
    form = {
        "symptoms": "numb-hands",
        "plan": option.id,
        "follow_up": "Tuesday 10am",
        "contact": "Jo on 01234 567890",
    }
    made = client.post("/handout", data=form, headers=SAME_SITE)
    assert made.status_code == 200
    text = text_of(made.content)
    assert "Tuesday 10am" in text and "Jo on 01234 567890" in text
    wrong = client.post("/handout", data={"plan": "nope"}, headers=SAME_SITE)
    assert wrong.status_code == 422 and 'id="plan-error"' in wrong.text


def test_every_place_that_names_the_topic_fills_its_title(client, builtin_library):
    """The topic's title is a template (it says "after the birth" after it): the page,
    the paper form and the topic list print it filled, never its placeholders."""
    from pypdf import PdfReader
    from typer.testing import CliRunner

    from handouts.cli import app
    from handouts.intake import intake_form

    topic = builtin_library.topics[0]
    assert "{%" in topic.title  # else this test proves nothing
    expected = "Numbness, tingling and weakness in your legs and hands in pregnancy"
    html = client.get("/").text
    assert f"<h1>{expected}</h1>" in html and "{%" not in html
    form = PdfReader(io.BytesIO(intake_form(topic, Practice())))
    words = " ".join(form.pages[0].extract_text().split())
    assert expected[:40] in words and "{%" not in words
    assert form.metadata.title.startswith(expected)
    listed = CliRunner().invoke(app, ["topics"]).stdout
    assert expected in listed and "{%" not in listed


def test_a_name_the_handout_cannot_print_is_a_message_beside_the_name(client):
    """A character no font has (Runic) is found only when the handout is set: the page says
    so beside the field, keeps what was typed, and the live summary says so too."""
    fields = {"symptoms": "numb-legs", "name": "ᚠᚢᚦ Runa", "weeks": "31", "notes": "keep me"}
    response = client.post("/handout", data=fields, headers=SAME_SITE)
    assert response.status_code == 422
    html = response.text
    assert 'id="name-error"' in html and "no font can draw" in html
    assert "U+16A0 RUNIC LETTER FEHU" in html and "keep me" in html
    summary = client.post("/summary", data=fields, headers=SAME_SITE).json()
    assert summary["html"] == ""
    assert [p["field"] for p in summary["problems"]] == ["name"]
