"""Every bad content or practice file gets a message, never a traceback or a crash."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, TEST_CONTENT

from handouts import resources
from handouts.errors import ContentError
from handouts.library import check_library, load_library, read_yaml
from handouts.practice import assets, check_practice

FAR = dt.date(2026, 11, 22)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(DATA / "practice", tmp_path / "my-practice"))


def errors(folder: Path) -> list[str]:
    return [str(p) for p in check_practice(folder, load_library(TEST_CONTENT), today=FAR).errors]


# --- YAML -----------------------------------------------------------------------


@pytest.mark.parametrize("depth", [60, 1000, 5000])
def test_yaml_nested_too_deep_is_a_message(tmp_path, depth):
    path = tmp_path / "deep.yaml"
    path.write_text("items: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(ContentError, match="nested more than 50 levels deep"):
        read_yaml(path)


def test_yaml_nested_by_indentation_is_a_message(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("".join("  " * n + f"k{n}:\n" for n in range(3000)) + "  " * 3000 + "x\n")
    with pytest.raises(ContentError, match="nested more than 50 levels deep"):
        read_yaml(path)


def test_yaml_nested_100000_deep_does_not_crash_the_checker(tmp_path):
    """libyaml itself crashes (a segmentation fault) on this, so the depth is checked
    from the event stream before any tree is built; in a child process, so a crash
    fails this test instead of the whole run."""
    path = tmp_path / "topic" / "causes.yaml"
    path.parent.mkdir()
    path.write_text("items: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code = (
        "import sys; from pathlib import Path; from handouts.library import read_yaml\n"
        "from handouts.errors import ContentError\n"
        f"try: read_yaml(Path({str(path)!r}))\n"
        "except ContentError as e: print(e); sys.exit(2)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    assert "nested more than 50 levels deep" in done.stdout


def test_a_duplicate_yaml_key_is_an_error_not_last_wins(content_tree):
    path = content_tree / "ankle-sprain" / "causes.yaml"
    text = path.read_text()
    path.write_text(text.replace("  - id: ", "  - title: Twice\n    id: ", 1))
    problems = [str(p) for p in check_library(content_tree).errors]
    assert any("key 'title' appears twice in the same mapping" in p for p in problems), problems


def test_content_that_is_not_utf8_names_the_line_and_column(content_tree):
    path = content_tree / "ankle-sprain" / "causes.yaml"
    lines = path.read_text().splitlines()
    lines[2] = lines[2] + " caf\xe9"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    problems = [str(p) for p in check_library(content_tree).errors]
    column = len(lines[2])
    assert any(
        p.endswith(
            f"causes.yaml:3: not UTF-8 text: byte 0xe9 at column {column} (save the file as UTF-8)"
        )
        for p in problems
    ), problems


# --- Fonts and logo -------------------------------------------------------------------


def _font_folder(folder: Path) -> Path:
    fonts = folder / "fonts"
    fonts.mkdir(exist_ok=True)
    for style in ("Regular", "Bold"):
        shutil.copy(
            resources.FONTS / f"AtkinsonHyperlegible-{style}.ttf", fonts / f"Mine-{style}.ttf"
        )
    with open(folder / "practice.yaml", "a") as file:
        file.write("font: Mine-Regular.ttf\n")
    return fonts


def test_a_good_font_family_loads(folder):
    _font_folder(folder)
    assert errors(folder) == []


def test_a_damaged_bold_font_beside_a_good_regular_is_a_check_error(folder):
    fonts = _font_folder(folder)
    bold = fonts / "Mine-Bold.ttf"
    data = bold.read_bytes()
    bold.write_bytes(data[:2000] + bytes(len(data) - 2000))
    assert errors(folder) == [
        "my-practice/practice.yaml:19: font: not a usable TrueType font: "
        "my-practice/fonts/Mine-Bold.ttf"
    ] or any("Mine-Bold.ttf" in e for e in errors(folder))


def test_a_bold_font_linked_from_outside_is_refused(folder, tmp_path):
    fonts = _font_folder(folder)
    (fonts / "Mine-Bold.ttf").unlink()
    (fonts / "Mine-Bold.ttf").symlink_to(resources.FONTS / "AtkinsonHyperlegible-Bold.ttf")
    assert any("Mine-Bold.ttf" in e and "fonts/ folder" in e for e in errors(folder))


def _image(path: Path, size: tuple[int, int]) -> None:
    from PIL import Image

    Image.new("RGB", size, "#00594f").save(path)


def test_a_huge_logo_is_shrunk_once_when_the_practice_is_loaded(folder, monkeypatch):
    from PIL import Image

    monkeypatch.setattr(assets, "LOGO_PIXELS", 100)
    _image(folder / "logo.png", (400, 300))
    result = check_practice(folder, load_library(TEST_CONTENT), today=FAR)
    assert result.errors == []
    logo = result.practice.logo
    assert logo != (folder / "logo.png").resolve()
    with Image.open(logo) as image:
        assert image.size == (100, 75)
    again = check_practice(folder, load_library(TEST_CONTENT), today=FAR).practice.logo
    assert again == logo  # made once, then reused


def test_an_absurd_logo_is_refused_with_a_message(folder, monkeypatch):
    monkeypatch.setattr(assets, "MAX_LOGO_PIXELS", 10_000)
    _image(folder / "logo.png", (200, 200))
    assert errors(folder) == [
        "my-practice/practice.yaml:9: logo: 200 x 200 pixels is far too large for a logo; "
        "save it at most 1600 pixels wide: my-practice/logo.png"
    ]


def test_a_logo_that_is_not_png_or_jpeg_is_refused(folder):
    _image(folder / "logo.png", (20, 20))
    from PIL import Image

    Image.open(folder / "logo.png").save(folder / "logo.gif")
    text = (folder / "practice.yaml").read_text().replace("logo: logo.png", "logo: logo.gif")
    (folder / "practice.yaml").write_text(text)
    assert any("not a PNG or JPEG image (it is GIF)" in e for e in errors(folder))


# --- Templates: sandbox limits and a time budget ------------------------------------

HOSTILE = [
    "{{ range(10**9)|list|length }}",
    "{{ 9**9**9 }}",
    "{{ 'x' * 10**9 }}",
    "{{ [1] * 10**9 }}",
    "{{ 'x'|center(10**9) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ 10**12 * 10**12 * 10**12 }}",
    "{% for a in range(9999) %}{% for b in range(9999) %}{% for c in range(9999) %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% for a in 'x' * 9999 %}{% for b in 'x' * 9999 %}{% for c in 'x' * 9999 %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
]


@pytest.mark.parametrize("expression", HOSTILE)
def test_a_hostile_wording_template_is_a_check_message(folder, expression):
    import time

    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates/wording.j2").write_text(
        '{% extends "base/wording.j2" %}\n'
        f"{{% block emergency_intro %}}{expression}{{% endblock %}}\n"
    )
    started = time.monotonic()
    (problem,) = errors(folder)
    assert time.monotonic() - started < 10
    assert problem.startswith("my-practice/templates")
    assert any(
        words in problem
        for words in ("too large", "range of more than", "took longer", "extends or includes")
    ), problem


@pytest.mark.parametrize("expression", HOSTILE[:8])
def test_a_hostile_placeholder_in_content_is_a_check_message(content_tree, expression):
    path = content_tree / "ankle-sprain" / "causes.yaml"
    text = path.read_text()
    start = text.index("text: ") + len("text: ")
    path.write_text(
        text[:start]
        + repr(expression).replace("\\'", "''")
        + "\n"
        + text[text.index("\n", start) + 1 :]
    )
    problems = [str(p) for p in check_library(content_tree).errors]
    assert any("placeholder not allowed" in p for p in problems), problems


# --- Free-text fields have a length limit ----------------------------------------


def test_a_very_long_note_is_refused_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from handouts.cli import app

    result = CliRunner().invoke(
        app,
        [
            "make",
            "--content",
            str(TEST_CONTENT),
            "-s",
            "swelling",
            "--notes",
            "x" * 300_000,
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2
    assert "'--notes': expected at most 1000 characters" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_very_long_name_fails_its_batch_row_only(tmp_path, ankle_library):
    from handouts import batch

    path = tmp_path / "in.csv"
    path.write_text(f"name,symptoms\n{'Ana' * 1000},swelling\nBo,swelling\n")
    summary = batch.run_batch(path, tmp_path / "out", ankle_library, jobs=1, today=FAR)
    assert str(summary) == "1 written, 1 failed, 0 skipped"
    assert summary.failures[0][0] == 2
    assert summary.failures[0][1].startswith("name: expected at most 100 characters")
