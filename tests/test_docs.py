"""The README's commands are true, and the wheel carries the content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
SKIP = {
    ".git",
    ".venv",
    "dist",
    "build",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "__pycache__",
}


def readme_commands() -> list[str]:
    """The indented command lines at the top of the README, before the first rule."""
    top = (REPO / "README.md").read_text().split("\n---\n")[0]
    return [line.strip() for line in top.splitlines() if line.startswith("    ")]


def copy_repo(target: Path) -> Path:
    def ignore(folder, names):
        return [n for n in names if n in SKIP or n.endswith(".pdf")]

    return Path(shutil.copytree(REPO, target / "handouts", ignore=ignore))


def test_readme_opens_with_the_install_and_test_commands():
    install, test = readme_commands()
    assert "pip install ." in install and "handouts make" in install
    assert "pip install -e '.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command_word_for_word():
    assert readme_commands()[1] in (REPO / ".ci" / "run").read_text().splitlines()


def test_the_first_readme_command_makes_a_handout_in_a_fresh_venv(tmp_path):
    work = copy_repo(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    result = subprocess.run(
        ["bash", "-c", readme_commands()[0]],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pdf = PdfReader(work / "ana.pdf")
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Prepared for Ana, 31 weeks pregnant" in first
    # Installed, not editable: it works from any folder, with content from the wheel.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(work / "content")
    run = subprocess.run(
        [str(work / ".venv" / "bin" / "handouts"), "check", "--strict"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "site-packages" not in run.stdout  # no problems, so no paths printed
    assert run.stdout.startswith("OK: leg-numbness-pregnancy")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    work = copy_repo(tmp_path_factory.mktemp("src"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(work),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("handouts-*.whl"))


def test_the_wheel_contains_content_templates_and_fonts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in (
        "topic",
        "symptoms",
        "causes",
        "self-help",
        "diet",
        "prevention",
        "warning-signs",
    ):
        assert f"handouts/content/leg-numbness-pregnancy/{module}.yaml" in names
    assert "handouts/templates/wording.j2" in names
    assert "handouts/fonts/AtkinsonHyperlegible-Regular.ttf" in names
    assert "handouts/fonts/OFL.txt" in names
    for page in ("templates/page.html", "templates/field.html", "templates/summary.html"):
        assert f"handouts/web/{page}" in names
    assert "handouts/web/static/page.js" in names and "handouts/web/static/page.css" in names
    assert not any(n.startswith("tests/") for n in names)


def test_the_wheel_carries_a_font_for_every_shipped_script_and_stays_small(wheel):
    from handouts.render.fonts import SHIPPED

    names = set(zipfile.ZipFile(wheel).namelist())
    for family in SHIPPED:
        for weight in ("Regular", "Bold"):
            assert f"handouts/fonts/noto/{family}-{weight}.ttf" in names
    assert "handouts/fonts/noto/OFL.txt" in names
    assert wheel.stat().st_size < 20_000_000
