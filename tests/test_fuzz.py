"""Fuzzing: whatever is in a content file, practice file or batch row, the answer is a
clear problem list, never a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import DATA, DAY, TEST_CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts.errors import HandoutsError, Problem
from handouts.library import check_library, load_library
from handouts.practice import check_practice

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
    st.sampled_from(["{{ practice.nope }}", "{% for %}", "[[", "numb-legs", "emergency", ""]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


def paths(node, prefix=()):
    """Every path to a value inside a YAML document."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def mutate(document, path, value, delete):
    """A copy of ``document`` with the value at ``path`` replaced (or deleted)."""
    if not path:
        return value
    copy = yaml.safe_load(yaml.safe_dump(document))
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


@st.composite
def broken_file(draw, folder: Path):
    """(file name, new text): one file of ``folder`` with one value changed, or raw junk."""
    files = sorted(p.name for p in folder.glob("*.yaml"))
    name = draw(st.sampled_from(files))
    if draw(st.integers(0, 9)) == 0:
        return name, draw(st.text(max_size=200))
    document = yaml.safe_load((folder / name).read_text())
    path = draw(st.sampled_from(list(paths(document))))
    delete = bool(path) and draw(st.booleans())
    changed = mutate(document, path, draw(VALUES), delete)
    return name, yaml.safe_dump(changed, allow_unicode=True, default_flow_style=False)


def assert_clear(problems: list[Problem]) -> None:
    for problem in problems:
        line = str(problem)
        assert line and "Traceback" not in line
        assert problem.message, line


FUZZ = settings(
    max_examples=int(os.environ.get("HANDOUTS_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(change=broken_file(TEST_CONTENT / "ankle-sprain"))
def test_any_broken_content_file_gives_problems_not_a_traceback(change):
    name, text = change
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(shutil.copytree(TEST_CONTENT, Path(tmp) / "content"))
        (root / "ankle-sprain" / name).write_text(text, encoding="utf-8")
        result = check_library(root, today=DAY)
        assert_clear(result.problems)
        if result.library is None:
            assert result.errors
            try:
                load_library(root, use_cache=False)
            except HandoutsError:
                pass
            else:
                raise AssertionError("an invalid library loaded")


@FUZZ
@given(change=broken_file(DATA / "practice"))
def test_any_broken_practice_file_gives_problems_not_a_traceback(change):
    name, text = change
    library = load_library(TEST_CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(DATA / "practice", Path(tmp) / "practice"))
        (folder / name).write_text(text, encoding="utf-8")
        result = check_practice(folder, library, today=DAY)
        assert_clear(result.problems)
        assert (result.practice is None) == bool(result.errors)


@FUZZ
@given(
    change=broken_file(DATA / "practice" / "content" / "ankle-sprain"),
)
def test_any_broken_overlay_file_gives_problems_not_a_traceback(change):
    name, text = change
    library = load_library(TEST_CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(DATA / "practice", Path(tmp) / "practice"))
        (folder / "content" / "ankle-sprain" / name).write_text(text, encoding="utf-8")
        result = check_practice(folder, library, today=DAY)
        assert_clear(result.problems)
        assert (result.practice is None) == bool(result.errors)


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "swelling", "swelling;bruising", "../../x", "/etc/x", "40", "-3", "x"]),
    st.sampled_from(["2026-13-40", "2027-01-01", "nul\0byte", "a\nb", '"quoted"', "zoë"]),
)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                c: CELL
                for c in (
                    "name",
                    "weeks",
                    "due_date",
                    "symptoms",
                    "clinician",
                    "notes",
                    "output",
                    "date",
                )
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_batch_rows_fail_alone_and_stay_in_the_folder(rows):
    import csv

    from handouts.batch import run_batch
    from handouts.errors import InputFileError

    library = load_library(TEST_CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        path = base / "in.csv"
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        out = base / "deep" / "out"
        try:
            summary = run_batch(path, out, library, jobs=1, today=DAY)
        except InputFileError as exc:  # a whole-file problem, such as a NUL byte
            assert str(exc)
            assert not any(p.suffix == ".pdf" for p in base.rglob("*"))
            return
        blank = sum(1 for row in rows if not any(cell.strip() for cell in row.values()))
        assert summary.written + summary.failed == len(rows) - blank  # blank lines are skipped
        assert all(message for _, message in summary.failures)
        pdfs = [p for p in base.rglob("*.pdf")]
        assert len(pdfs) == summary.written
        assert all(p.parent == out for p in pdfs)
