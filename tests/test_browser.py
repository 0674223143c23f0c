"""The web page in a real browser: Playwright driving Debian's Chromium.

No browser is downloaded: the tests launch the system's Chromium by its path
(``.ci/run`` installs it with apt-get). They are skipped, saying why, only when
no Chromium is found.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from servers import start, stop

CHROMIUM = os.environ.get("HANDOUTS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

FOUND = Path(CHROMIUM).is_file()
if not FOUND and os.environ.get("HANDOUTS_REQUIRE_CHROMIUM"):  # CI installs it: never skip there
    raise RuntimeError(f"HANDOUTS_REQUIRE_CHROMIUM is set, but there is no Chromium at {CHROMIUM}")
pytestmark = pytest.mark.skipif(
    not FOUND,
    reason=f"no Chromium at {CHROMIUM} (install Debian's chromium, or set HANDOUTS_CHROMIUM)",
)


@pytest.fixture(scope="module")
def server():
    process, port = start()
    yield f"http://127.0.0.1:{port}"
    stop(process)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    opened.goto(server + "/")
    yield opened
    context.close()


def pdf_text(path: str | Path) -> str:
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_tick_type_and_download(page, tmp_path):
    page.get_by_label("Numbness or pins and needles in legs or feet").check()
    page.get_by_label("Swollen feet, ankles or fingers").check()
    page.get_by_label("Name", exact=True).fill("Ana Silva")
    page.get_by_label("Weeks pregnant").fill("31")
    page.get_by_label("Notes for the patient").fill("Feet up in the evening")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("ana-silva-")
    text = pdf_text(saved)
    assert "Prepared for Ana Silva, 31 weeks pregnant" in text
    assert "Feet up in the evening" in text
    assert "Swollen feet, ankles or fingers" in text


def test_the_live_summary_follows_the_ticks(page):
    summary = page.locator("#summary")
    before = summary.inner_text()
    page.get_by_label("Leg cramps").check()
    page.wait_for_function(
        "before => document.getElementById('summary').innerText !== before", arg=before
    )
    assert "Call your local emergency number now" in summary.inner_text()
    page.get_by_label("Weeks pregnant").fill("ten")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => document.getElementById('summary').innerText.includes('Check these fields')"
    )
    assert "expected a whole number of weeks" in summary.inner_text()


def test_keyboard_only(page, tmp_path):
    keys = page.keyboard
    keys.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    keys.press("Tab")
    first = page.evaluate("document.activeElement.id")
    assert first.startswith("symptom-")
    keys.press("Space")
    assert page.is_checked(f"#{first}")
    for _ in range(40):  # on through the symptoms to the name
        keys.press("Tab")
        if page.evaluate("document.activeElement.id") == "name":
            break
    keys.type("Bea")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "weeks"
    keys.type("30")
    for _ in range(20):
        keys.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Download PDF":
            break
    with page.expect_download() as download:
        keys.press("Enter")
    saved = tmp_path / "bea.pdf"
    download.value.save_as(saved)
    assert "Prepared for Bea, 30 weeks pregnant" in pdf_text(saved)


def test_an_invalid_field_shows_its_message_and_the_summary_takes_focus(page):
    page.get_by_label("Weeks pregnant").fill("50")
    page.get_by_role("button", name="Download PDF").click()
    page.wait_for_selector("#weeks-error")
    assert page.text_content("#weeks-error") == "Error: expected 0 to 45 weeks"
    assert page.get_attribute("#weeks", "aria-invalid") == "true"
    assert page.input_value("#weeks") == "50"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.click("#error-summary a")
    assert page.evaluate("document.activeElement.id") == "weeks"


def test_a_cross_site_post_is_refused(browser, server):
    context = browser.new_context()
    other = context.new_page()
    evil = (
        f'<form id="f" method="post" action="{server}/handout">'
        '<input name="symptoms" value="numb-legs"><input name="name" value="X"></form>'
    )
    other.route(
        "http://elsewhere.test/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=evil),
    )
    other.goto("http://elsewhere.test/")
    with other.expect_navigation():
        other.evaluate("document.getElementById('f').submit()")
    assert "Refused: this form was sent from another site." in other.content()
    context.close()


def test_a_screenshot_of_the_page(page, tmp_path):
    """Kept for people to look at: HANDOUTS_SCREENSHOT=path.png saves it there."""
    page.get_by_label("Numbness or pins and needles in legs or feet").check()
    page.get_by_label("Name", exact=True).fill("Ana Silva")
    page.get_by_label("Weeks pregnant").fill("31")
    page.wait_for_timeout(600)  # the live summary
    target = Path(os.environ.get("HANDOUTS_SCREENSHOT") or tmp_path / "page.png")
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes().startswith(b"\x89PNG")
