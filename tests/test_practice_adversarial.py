"""A practice folder cannot route around the warning signs, nor print unsafe links."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import DATA, TEST_CONTENT

from handouts.library import check_library, load_library
from handouts.practice import check_practice
from handouts.render.markup import to_paragraph

PRACTICE = DATA / "practice"
FAR = dt.date(2026, 11, 22)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(PRACTICE, tmp_path / "my-practice"))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


def errors(folder: Path) -> list[str]:
    library = load_library(TEST_CONTENT)
    return [str(p) for p in check_practice(folder, library, today=FAR).errors]


# 4. Warning signs cannot be routed around ------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        "{symptoms: [bruising]}",  # another symptom than the built-in one
        "{symptoms: [swelling, bruising], after_birth: true}",  # a stage of its own
    ],
)
def test_an_overlay_cannot_narrow_when_a_warning_sign_shows(folder, when):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        f"""
        items:
          - id: ws-numb-toes
            title: Numb or cold toes
            text: Blood flow to the foot may be blocked.
            urgency: urgent
            when: {when}
            sources: [test-guide]
        """,
    )
    found = [e for e in errors(folder) if "fewer patients" in e]
    assert found == [
        "my-practice/content/ankle-sprain/warning-signs.yaml:6: items[0].when: 'ws-numb-toes' "
        "is a warning sign; a practice may not show it to fewer patients than the built-in "
        "item does (leave when out, or keep the built-in one)"
    ]


def test_an_overlay_cannot_give_an_emergency_sign_a_when(folder):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        """
        items:
          - id: ws-cannot-walk
            title: You cannot put any weight on the foot
            text: It may be broken.
            urgency: emergency
            when: {symptoms: [swelling]}
            sources: [test-guide]
        """,
    )
    assert any("fewer patients" in e for e in errors(folder))


def test_a_wider_when_is_allowed(folder):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        """
        items:
          - id: ws-numb-toes
            title: Numb or cold toes
            text: Blood flow to the foot may be blocked.
            urgency: urgent
            when: {symptoms: [swelling, bruising]}
            sources: [test-guide]
        """,
    )
    assert not any("fewer patients" in e for e in errors(folder))


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u200d\ufeff", " \u2060 "])
def test_a_warning_sign_without_visible_words_is_an_error(folder, invisible):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        f"""
        items:
          - id: ws-cannot-walk
            title: "{invisible}"
            text: "{invisible}"
            urgency: emergency
            sources: [test-guide]
        """,
    )
    found = [e for e in errors(folder) if "no visible words" in e]
    assert [e.split(": ")[1] for e in found] == ["items[0].title", "items[0].text"]


def test_built_in_warning_signs_need_visible_words_too(content_tree):
    path = content_tree / "ankle-sprain" / "warning-signs.yaml"
    path.write_text(path.read_text().replace("It may be broken.", '"\u200b"'))
    problems = [str(p) for p in check_library(content_tree).errors]
    assert any("items[0].text: a warning sign must say something" in p for p in problems)


# 9. Links only where they are safe ------------------------------------------------


@pytest.mark.parametrize(
    "href",
    [
        "pdf:/etc/passwd",
        "smb://host/share",
        "ms-msdt:/id%20PCWDiagnostic",
        "launch:calc.exe",
        "file.pdf",
    ],
)
def test_unsafe_links_never_become_pdf_links(href):
    markup = to_paragraph(f"See [the form]({href}) today.")
    assert "<a " not in markup
    assert "the form" in markup


@pytest.mark.parametrize("href", ["https://nhs.uk", "http://x.org", "mailto:a@b.c", "tel:+441632"])
def test_safe_links_stay_links(href):
    assert "<a href=" in to_paragraph(f"See [this]({href}).")


def test_an_unsafe_link_in_content_is_a_check_error(content_tree):
    path = content_tree / "ankle-sprain" / "warning-signs.yaml"
    path.write_text(
        path.read_text().replace("It may be broken.", "It may be [broken](smb://host/x).")
    )
    problems = [str(p) for p in check_library(content_tree).errors]
    assert any(
        p.endswith(
            "items[0].text: link to 'smb://host/x': links may only be https:, http:, "
            "mailto: or tel:"
        )
        for p in problems
    ), problems


def test_an_unsafe_link_in_an_overlay_is_a_check_error(folder):
    write(
        folder / "content/ankle-sprain/self-help.yaml",
        """
        items:
          - id: sh-own-leaflet
            title: Our leaflet
            text: Read [our leaflet](launch:leaflet.exe).
            sources: [riverside-physio]
        """,
    )
    assert any("link to 'launch:leaflet.exe'" in e for e in errors(folder))


def test_an_unsafe_link_in_the_wording_is_a_check_error(folder):
    write(
        folder / "templates/wording.j2",
        """
        {% extends "base/wording.j2" %}
        {% block emergency_intro %}Read [this](ms-msdt:/id%20PCWDiagnostic) first:{% endblock %}
        """,
    )
    assert any("link to 'ms-msdt:/id%20PCWDiagnostic'" in e for e in errors(folder))


def test_a_template_linked_from_outside_the_practice_is_refused(folder, tmp_path):
    secret = tmp_path / "secret.j2"
    secret.write_text("{% extends 'base/wording.j2' %}")
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates/wording.j2").symlink_to(secret)
    assert errors(folder) == [
        "my-practice/templates/wording.j2: must be a file in the practice folder, "
        "not a link to one outside it"
    ]


def test_a_template_that_extends_itself_is_a_message(folder):
    write(folder / "templates/wording.j2", '{% extends "wording.j2" %}\n')
    assert errors(folder) == ["my-practice/templates: a template extends or includes itself"]


# 6. Phone numbers that work --------------------------------------------------------


def _set(folder: Path, key: str, value: str) -> None:
    path = folder / "practice.yaml"
    lines = [
        f"{key}: {value}" if line.startswith(f"{key}:") else line
        for line in path.read_text().splitlines()
    ]
    if not any(line.startswith(f"{key}:") for line in lines):
        lines.append(f"{key}: {value}")
    path.write_text("\n".join(lines) + "\n")


def all_problems(folder: Path) -> list[str]:
    """Every problem but the sign-off's warning that practice.yaml changed since it."""
    problems = check_practice(folder, load_library(TEST_CONTENT), today=FAR).problems
    return [str(p) for p in problems if "changed since the sign-off" not in str(p)]


@pytest.mark.parametrize("number", ["01632 96O 000", "call reception", "123", "111", "0207 946"])
def test_a_number_that_cannot_be_dialled_is_an_error(folder, number):
    _set(folder, "urgent_phone", f'"{number}"')
    assert errors(folder) == [
        f"my-practice/practice.yaml:5: urgent_phone: not a phone number that can be dialled "
        f"in GB; got {number!r} (the full number with its area code, such as 020 7946 0123; "
        "or leave it empty for a line to write on)"
    ]


@pytest.mark.parametrize("number", ["020 7946 0000", "+44 20 7946 0000", "0117 496 0000", ""])
def test_numbers_that_work_in_the_region_are_accepted(folder, number):
    _set(folder, "phone", f'"{number}"')
    assert errors(folder) == []


def test_numbers_are_checked_for_the_practices_region(folder):
    _set(folder, "region", "US")
    found = errors(folder)
    assert len(found) == 2 and all("can be dialled in US" in e for e in found)
    _set(folder, "urgent_phone", '"212-555-0100"')
    _set(folder, "phone", '"(212) 555-0199"')
    _set(folder, "emergency_number", '"911"')
    assert all_problems(folder) == []


def test_an_unknown_region_is_an_error(folder):
    _set(folder, "region", "XX")
    assert errors(folder) == [
        "my-practice/practice.yaml:25: region: unknown region 'XX'; expected a two-letter "
        "country code, such as GB, US, IE or AU"
    ]


@pytest.mark.parametrize("number", ["99", "911", "emergency"])
def test_an_emergency_number_not_of_the_region_is_a_warning(folder, number):
    _set(folder, "emergency_number", f'"{number}"')
    assert errors(folder) == []
    assert all_problems(folder) == [
        f"my-practice/practice.yaml:8: emergency_number: warning: {number!r} is not an "
        "emergency number in GB (expected one of: 999, 112)"
    ]


def test_an_emergency_number_not_of_the_region_fails_check_strict(folder):
    from typer.testing import CliRunner

    from handouts.cli import app

    _set(folder, "emergency_number", '"99"')
    args = ["check", "--strict", "--content", str(TEST_CONTENT), "--practice", str(folder)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "emergency_number: warning: '99' is not an emergency number in GB" in result.stdout


# 5. Sign-off means this content ------------------------------------------------------


def _draft(folder: Path) -> bool:
    from conftest import selection

    from handouts.compose import compose
    from handouts.practice import load_practice

    library, practice = load_practice(folder, load_library(TEST_CONTENT), today=FAR)
    return compose(library, selection("swelling"), practice).review.is_draft


def _signoff_warnings(folder: Path) -> list[str]:
    result = check_practice(folder, load_library(TEST_CONTENT), today=FAR)
    return [str(p) for p in result.warnings if "sign-off" in str(p)]


def test_the_signed_off_example_prints_as_checked(folder):
    assert not _draft(folder)
    assert _signoff_warnings(folder) == []


@pytest.mark.parametrize(
    ("change", "what"),
    [
        (
            lambda f: (f / "content/ankle-sprain/self-help.yaml").write_text(
                (f / "content/ankle-sprain/self-help.yaml")
                .read_text()
                .replace("on a cushion whenever", "whenever")
            ),
            "the practice's content/ folder",
        ),
        (lambda f: _set(f, "urgent_phone", '"020 7946 0999"'), "practice.yaml's settings"),
        (lambda f: _set(f, "hide", "[]"), "practice.yaml's settings"),
        (
            lambda f: write(
                f / "templates/wording.j2",
                '{% extends "base/wording.j2" %}{% block intro %}Hello.{% endblock %}',
            ),
            "the practice's templates/ folder",
        ),
        (
            lambda f: (f / "logo.png").write_bytes(
                (DATA / "practice/logo.png").read_bytes() + b"x"
            ),
            "practice.yaml's settings that print (name, numbers, look), logo or font",
        ),
    ],
)
def test_any_change_after_the_sign_off_brings_the_draft_mark_back(folder, change, what):
    change(folder)
    assert _draft(folder)
    (warning,) = _signoff_warnings(folder)
    assert warning.startswith(
        "my-practice/practice.yaml:24: review.covers: warning: changed since the sign-off: " + what
    )
    assert "sets covers: {content: 538c7a8a" in warning


def test_a_sign_off_that_does_not_say_what_it_covers_prints_the_draft_mark(folder):
    path = folder / "practice.yaml"
    path.write_text("\n".join(x for x in path.read_text().splitlines() if "covers:" not in x))
    assert _draft(folder)
    (warning,) = _signoff_warnings(folder)
    assert "the sign-off does not record what it covers" in warning
    assert "add under review: covers: {content: 538c7a8a, overlay: 0dd8799e" in warning


def test_a_new_sign_off_for_the_change_prints_as_checked_again(folder):
    from conftest import resign

    _set(folder, "urgent_phone", '"020 7946 0999"')
    assert _draft(folder)
    resign(folder, load_library(TEST_CONTENT))
    assert not _draft(folder)


def test_practice_override_accept_on_the_command_line(folder):
    from typer.testing import CliRunner

    from handouts.cli import app

    args = ["practice", "override", "sh-rest", "--accept", "--practice", str(folder)]
    result = CliRunner().invoke(app, [*args, "--content", str(TEST_CONTENT)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("my-practice/content/ankle-sprain/self-help.yaml")
    missing = CliRunner().invoke(
        app,
        [
            "practice",
            "override",
            "sh-move",
            "--accept",
            "--practice",
            str(folder),
            "--content",
            str(TEST_CONTENT),
        ],
    )
    assert missing.exit_code == 2
    assert "no override of 'sh-move' here" in missing.stderr
