"""A practice's handouts: what the PDF shows, large print, and the command line's wiring."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import DATA, TEST_CONTENT, resign
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts.cli import app
from handouts.library import load_library

PRACTICE = DATA / "practice"
P = "my-practice"
runner = CliRunner()


def run(*args, **kw):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


def make(*args, practice=PRACTICE):
    return run(
        "make", "--content", TEST_CONTENT, "--practice", practice, "--date", "2026-11-22", *args
    )


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(PRACTICE, tmp_path / P))


@pytest.fixture(scope="module")
def riverside_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "ana.pdf"
    result = make(
        "-s", "swelling", "-s", "bruising", "--name", "Ana", "--clinician", "Jo Smith", "-o", out
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_pdf_carries_the_practice_name_phones_and_overlay(riverside_pdf):
    text = text_of(riverside_pdf)
    first = " ".join(PdfReader(riverside_pdf).pages[0].extract_text().split())
    assert first.startswith("Riverside Midwives 1 Riverside Road, Exampletown EX1 2AB")
    assert "Call 999 now" in first
    assert "Maternity triage, 24 hours: 020 7946 0123" in first
    assert "Your foot turns blue or white." in first  # the practice's own emergency sign
    assert "Keep the ankle raised on a cushion whenever you sit down" in text
    assert "raised on a pillow" not in text
    assert "Come to our ankle class" not in text  # its symptoms were not ticked
    assert PdfReader(riverside_pdf).metadata.author == "Riverside Midwives"


def test_hidden_items_and_the_draft_mark_are_gone_and_sign_off_is_on_every_page(riverside_pdf):
    assert "Why it turns blue" not in text_of(riverside_pdf)  # hidden, though bruising ticked
    pages = PdfReader(riverside_pdf).pages
    for page in pages:
        text = " ".join(page.extract_text().split())
        assert "DRAFT" not in text
        assert "Checked by Dr Sam Patel, GP on 1 November 2026" in text
        assert "Riverside Midwives, Exampletown · MAT-042 · Content version 1.2.0" in text


def test_every_font_is_embedded_with_a_logo_in_the_header(riverside_pdf):
    for page in PdfReader(riverside_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            assert "AtkinsonHyperlegible" in font.get_object()["/BaseFont"]


def test_the_logo_is_drawn_on_the_first_page(riverside_pdf):
    with pdfplumber.open(riverside_pdf) as pdf:
        [logo] = pdf.pages[0].images
        assert logo["srcsize"] == (240, 96)
        assert logo["x1"] == pytest.approx(pdf.pages[0].width - 17 * 72 / 25.4, abs=1)
        assert logo["top"] < 80
        assert not pdf.pages[1].images


def test_the_accent_colour_is_on_the_title_but_not_on_the_warning_box(riverside_pdf):
    with pdfplumber.open(riverside_pdf) as pdf:
        chars = pdf.pages[0].chars
        title = next(c for c in chars if c["text"] == "L" and c["size"] > 18)
        assert tuple(round(v, 3) for v in title["non_stroking_color"]) == (
            0.0,
            round(0x59 / 255, 3),
            round(0x4F / 255, 3),
        )
        red_band = [
            r for r in pdf.pages[0].rects if r["non_stroking_color"] == (0.690196, 0, 0.117647)
        ]
        assert red_band, "the emergency box keeps its red band"


def test_without_sign_off_the_draft_mark_stays(folder, tmp_path):
    text = (folder / "practice.yaml").read_text()
    (folder / "practice.yaml").write_text(text[: text.index("review:")])
    out = tmp_path / "x.pdf"
    assert make("-o", out, practice=folder).exit_code == 0
    for page in PdfReader(out).pages:
        assert "DRAFT: not yet checked by a clinician" in page.extract_text()


def test_practice_paper_letter(folder, tmp_path):
    path = folder / "practice.yaml"
    # Letter paper means North America unless the practice says otherwise.
    path.write_text(path.read_text().replace("paper: a4", "paper: letter\nregion: GB"))
    out = tmp_path / "x.pdf"
    assert make("-o", out, practice=folder).exit_code == 0
    for page in PdfReader(out).pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 612, 792]


def test_a_practice_template_replaces_one_block(folder, tmp_path):
    (folder / "templates").mkdir()
    (folder / "templates/wording.j2").write_text(
        '{% extends "base/wording.j2" %}'
        "{% block emergency_heading %}Ring {{ emergency_number }} straight away if:{% endblock %}"
    )
    out = tmp_path / "x.pdf"
    assert make("-o", out, practice=folder).exit_code == 0
    text = text_of(out)
    assert "Ring 999 straight away if:" in text
    assert "Call 999 now" not in text
    assert "Or go to A&E." in text  # every other block is the built-in one


def test_a_practice_font_is_embedded(folder, tmp_path):
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    (folder / "fonts").mkdir()
    shutil.copy(fonts / "Vera.ttf", folder / "fonts/Vera-Regular.ttf")
    shutil.copy(fonts / "VeraBd.ttf", folder / "fonts/Vera-Bold.ttf")
    path = folder / "practice.yaml"
    path.write_text(path.read_text() + "font: Vera-Regular.ttf\n")
    out = tmp_path / "x.pdf"
    assert make("-o", out, practice=folder).exit_code == 0, make("-o", out, practice=folder).output
    names = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert "/FontFile2" in descriptor
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names == {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"}


# --- Large print ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_pdf(tmp_path_factory):
    """The built-in topic, long enough for several pages, with a logo and a long sign-off."""
    work = tmp_path_factory.mktemp("large")
    practice = work / "practice"
    practice.mkdir()
    shutil.copy(PRACTICE / "logo.png", practice)
    text = (PRACTICE / "practice.yaml").read_text().replace("hide: [cause-bruise]", "")
    text = text.replace("Dr Sam Patel, GP", "Dr Samantha Featherstonehaugh-Whitfield, GP")
    version = load_library().topics[0].version  # signed off for the built-in content
    text = text.replace("content_version: 1.2.0", f"content_version: {version}")
    (practice / "practice.yaml").write_text(text)
    resign(practice, load_library())
    out = work / "large.pdf"
    result = run(
        "make",
        "--practice",
        practice,
        "--large-print",
        "-s",
        "numb-legs",
        "-s",
        "numb-hands",
        "--name",
        "Ana Lee",
        "--weeks",
        "30",
        "--clinician",
        "Dr Samantha Featherstonehaugh-Whitfield, consultant obstetrician",
        "--notes",
        "Splint at night.",
        "--date",
        "2026-11-22",
        "--paper",
        "letter",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    return out


def test_large_print_text_is_at_least_16_point(large_pdf):
    margin = 17 * 72 / 25.4
    with pdfplumber.open(large_pdf) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:
            top, bottom = 14 * 72 / 25.4 * 1.33, page.height - 24 * 72 / 25.4 * 1.33
            body = [c for c in page.chars if top <= c["top"] and c["bottom"] <= bottom]
            assert len(body) > 100
            small = {(c["size"], c["text"]) for c in body if c["size"] < 15.99}
            assert not small, small
            assert all(margin - 1 <= c["x0"] and c["x1"] <= page.width - margin + 1 for c in body)


def test_large_print_keeps_everything_on_the_page(large_pdf):
    with pdfplumber.open(large_pdf) as pdf:
        for page in pdf.pages:
            for thing in [*page.chars, *page.rects, *page.lines, *page.images]:
                assert thing["x0"] >= 0 and thing["x1"] <= page.width, thing.get("text")
                assert thing["top"] >= 0 and thing["bottom"] <= page.height, thing.get("text")
            footer = [c for c in page.chars if c["top"] > page.height - 24 * 72 / 25.4 * 1.33]
            tops = sorted({c["top"] for c in footer})
            lines = [t for n, t in enumerate(tops) if n == 0 or t - tops[n - 1] > 5]
            # The long sign-off fills its line; the page number moves beside the footer text.
            assert len(lines) == 2
            assert min(c["size"] for c in footer) >= 12
            margin = 17 * 72 / 25.4
            assert all(margin - 1 <= c["x0"] and c["x1"] <= page.width - margin + 1 for c in footer)
            text = "".join(
                c["text"] for c in sorted(footer, key=lambda c: (round(c["top"]), c["x0"]))
            )
            assert (
                "Checked by Dr Samantha Featherstonehaugh-Whitfield, GP on 1 November 2026" in text
            )
            assert f"Page {page.page_number} of {len(pdf.pages)}" in text
            assert "MAT-042 · Content version 2026.11.1" in text  # shrunk to fit, not cut


def test_the_practice_can_make_large_print_its_default(folder, tmp_path):
    path = folder / "practice.yaml"
    path.write_text(path.read_text().replace("large_print: false", "large_print: true"))
    out = tmp_path / "x.pdf"
    assert make("-o", out, practice=folder).exit_code == 0
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        body = [c for c in page.chars if c["bottom"] < page.height - 90]
        assert min(c["size"] for c in body) >= 16


# --- The command line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'accent_colour: "#00594f"',
            "accent_colour: blue",
            f"{P}/practice.yaml:10: accent_colour: "
            "expected a colour as #RRGGBB, such as #1a4f8b; got 'blue'",
        ),
        (
            "hide: [cause-bruise]",
            "hide: [ws-cannot-walk]",
            f"{P}/practice.yaml:18: hide[0]: "
            "'ws-cannot-walk' is an emergency warning sign; it is in every handout and "
            "cannot be hidden",
        ),
        (
            "logo: logo.png",
            "logo: nope.png",
            f"{P}/practice.yaml:9: logo: file not found: {P}/nope.png",
        ),
        (
            "name: Riverside",
            "nmae: Riverside",
            f"{P}/practice.yaml:2: nmae: unknown field; expected one of: name, address,",
        ),
    ],
)
def test_a_broken_practice_exits_2_with_the_problem_and_writes_nothing(
    folder, tmp_path, old, new, message
):
    path = folder / "practice.yaml"
    path.write_text(path.read_text().replace(old, new))
    out = tmp_path / "x.pdf"
    result = make("-s", "swelling", "-o", out, practice=P)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(message)
    assert lines[-1] == "Error: 1 problem(s) in the practice; nothing written"
    assert "Traceback" not in result.output
    assert not out.exists()
    checked = run("check", "--content", TEST_CONTENT, "--practice", P)
    assert checked.exit_code == 2
    assert checked.stdout.startswith(message)


def test_a_missing_practice_file_exits_2(folder, tmp_path):
    (folder / "practice.yaml").unlink()
    out = tmp_path / "x.pdf"
    result = make("-o", out, practice=P)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{P}/practice.yaml: file missing"
    assert not out.exists()


def test_omit_refuses_emergency_signs_including_the_practices_own(tmp_path):
    for item in ("ws-cannot-walk", "ws-riverside-blue-foot"):
        out = tmp_path / "x.pdf"
        result = make("--omit", item, "-o", out)
        assert result.exit_code == 2
        message = (
            f"an emergency warning sign is in every handout; it cannot be left out; got '{item}'"
        )
        assert message in " ".join(result.stderr.split())
        assert not out.exists()


def test_a_hidden_item_cannot_be_omitted_because_it_is_gone(tmp_path):
    result = make("--omit", "cause-bruise", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert "unknown item; see 'handouts items' for the ids; got 'cause-bruise'" in " ".join(
        result.stderr.split()
    )


def test_the_environment_variable_names_the_practice(tmp_path):
    out = tmp_path / "x.pdf"
    result = run(
        "make", "--content", TEST_CONTENT, "-o", out, env={"HANDOUTS_PRACTICE": str(PRACTICE)}
    )
    assert result.exit_code == 0, result.output
    assert text_of(out).startswith("Riverside Midwives")


def test_listing_commands_show_the_practices_items_and_symptoms():
    items = run("items", "--content", TEST_CONTENT, "--practice", PRACTICE).stdout
    assert "sh-riverside-class\tself-help\tCome to our ankle class" in items
    assert "cause-bruise" not in items
    symptoms = run("symptoms", "--content", TEST_CONTENT, "--practice", PRACTICE).stdout
    assert symptoms.splitlines()[-1] == "stiff-ankle\tStiff ankle in the morning\t"
    topics = run("topics", "--content", TEST_CONTENT, "--practice", PRACTICE).stdout
    assert (
        topics
        == "ankle-sprain\tLooking after a sprained ankle\t(version 1.2.0, clinically-reviewed)\n"
    )


def test_check_with_a_practice_reports_stale_overrides_and_fails_in_strict_mode(folder, tmp_path):
    content = Path(shutil.copytree(TEST_CONTENT, tmp_path / "content"))
    sh = content / "ankle-sprain/self-help.yaml"
    sh.write_text(sh.read_text().replace("on a pillow", "on two pillows"))
    relaxed = run("check", "--content", content, "--practice", P)
    assert relaxed.exit_code == 0
    assert "items[0].based_on: warning: built-in item 'sh-rest' has changed" in relaxed.stdout
    assert "    +text: Keep the ankle raised on two pillows when you can." in relaxed.stdout
    assert run("check", "--strict", "--content", content, "--practice", P).exit_code == 2


def test_practice_init_then_make(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("practice", "init", P)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{P}/practice.yaml"
    again = run("practice", "init", P)
    assert again.exit_code == 2
    assert again.stderr.strip() == f"Error: {P}/practice.yaml: already exists; not overwritten"
    checked = run("check", "--strict", "--practice", P)
    assert checked.exit_code == 0, checked.output
    made = run("make", "--practice", P, "-s", "numb-legs", "-o", "x.pdf")
    assert made.exit_code == 0, made.output
    assert "DRAFT: not yet checked by a clinician" in text_of(tmp_path / "x.pdf")


def test_practice_override_writes_the_item_and_check_asks_for_a_new_sign_off(folder):
    result = run("practice", "override", "sh-move", "--practice", P, "--content", TEST_CONTENT)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{P}/content/ankle-sprain/self-help.yaml"
    checked = run("check", "--strict", "--content", TEST_CONTENT, "--practice", P)
    assert checked.exit_code == 2, checked.output
    (warning,) = checked.stdout.splitlines()[:-1]
    assert "changed since the sign-off: the practice's content/ folder" in warning
    resign(folder, load_library(TEST_CONTENT))
    checked = run("check", "--strict", "--content", TEST_CONTENT, "--practice", P)
    assert checked.exit_code == 0, checked.output
    again = run("practice", "override", "sh-move", "--practice", P, "--content", TEST_CONTENT)
    assert again.exit_code == 2
    assert "'sh-move' is already overridden here" in again.stderr
    unknown = run("practice", "override", "sh-nope", "--practice", P, "--content", TEST_CONTENT)
    assert unknown.exit_code == 2
    assert "unknown item 'sh-nope'" in unknown.stderr


def test_practice_commands_have_help_with_an_example():
    for command in (("practice", "init"), ("practice", "override")):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Example: handouts practice" in result.stdout


def test_clinician_completion_offers_the_practices_clinicians():
    from types import SimpleNamespace

    from handouts.cli import _complete_clinicians

    ctx = SimpleNamespace(params={"practice": PRACTICE})
    assert _complete_clinicians(ctx, "") == ["Jo Smith, midwife", "Dr Sam Patel"]
    assert _complete_clinicians(ctx, "dr") == ["Dr Sam Patel"]
    assert _complete_clinicians(SimpleNamespace(params={"practice": Path("/nope")}), "") == []


def test_pdfplumber_sees_the_same_logo_bytes(riverside_pdf):
    # The logo is embedded once, not re-read per page.
    data = riverside_pdf.read_bytes()
    assert data.count(b"/Subtype /Image") == 1
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages[0].images) == 1


def test_symptom_completion_includes_the_practices_symptoms():
    from types import SimpleNamespace

    from handouts.cli import _complete_symptoms

    ctx = SimpleNamespace(params={"content": TEST_CONTENT, "topic": None, "practice": PRACTICE})
    assert [i for i, _ in _complete_symptoms(ctx, "s")] == ["swelling", "stiff-ankle"]
