"""Fuzzing the batch row by row, and practice.yaml's new keys: never a traceback.

The suite runs a few examples; ``HANDOUTS_FUZZ_EXAMPLES=10000`` runs the long pass.
Every generated row goes the whole way in this process (file bytes, reading, the
row's name, selection, compose, render, write), so an exception that a worker would
only report as "unexpected error" fails here with its traceback.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import DATA, DAY, TEST_CONTENT
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from handouts import batch
from handouts.batch import workers
from handouts.errors import InputFileError
from handouts.library import load_library
from handouts.models import Practice
from handouts.practice import check_practice

EXAMPLES = int(os.environ.get("HANDOUTS_FUZZ_EXAMPLES", "30"))
ROWS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "",
    "swelling",
    "swelling;bruising",
    "pain-walking; swelling ;",
    "../../x",
    "/etc/passwd",
    "C:\\x.pdf",
    "40",
    "31.0",
    "-3",
    "1e9",
    "2026-13-40",
    "2027-01-01",
    "yes",
    "maybe",
    "a\nb",
    "a\r\nb",
    '"quoted"',
    "zoë",
    "\u200b",
    "\u202eevil",
    "**bold** [x](smb://h/s)",
    "{{ 9**9**9 }}",
    "<b>&amp;</b>",
    "x" * 3000,
    "é" * 150,
    "HIV positive - do not disclose",
    "sep=;",
    "\ufeffname",
]
CELL = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
GOOD = {
    "name": st.sampled_from(["Ana", "Zoë O'Brien", "李雷", "Ana " * 20]),
    "symptoms": st.sampled_from(["swelling", "bruising;pain-walking", "swelling;swelling"]),
    "date": st.sampled_from(["", "2026-11-22"]),
}
COLUMNS = list(batch.COLUMNS)


@st.composite
def cell(draw, column: str) -> str:
    """Mostly a value that passes, so rows go all the way to a PDF; else anything."""
    if column in GOOD and draw(st.integers(0, 3)) > 0:
        return draw(GOOD[column])
    if column not in GOOD and draw(st.booleans()):
        return ""
    return draw(CELL)


@st.composite
def batch_file(draw) -> bytes:
    """The bytes of a batch file, as spreadsheets and scripts write them."""
    columns = draw(st.lists(st.sampled_from(COLUMNS), max_size=6, unique=True))
    if draw(st.integers(0, 4)) > 0:  # mostly a usable header
        columns = list(dict.fromkeys(["name", "symptoms", *columns]))
    if draw(st.integers(0, 9)) == 0:  # a column of failed.csv, an unknown one, a blank one
        columns.append(draw(st.sampled_from(["reason", "row", "dob", "", "name"])))
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        row = [draw(cell(c)) for c in columns]
        if draw(st.integers(0, 9)) == 0:
            row += draw(st.lists(CELL, max_size=2))  # too many cells, or empty trailing ones
        rows.append(row)
    if not columns:
        columns = [""]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = io.StringIO(newline="")
    if draw(st.integers(0, 5)) == 0:
        text.write(f"sep={delimiter}\r\n")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = text.getvalue().encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:
        data += draw(st.binary(max_size=40))
    if draw(st.integers(0, 19)) == 0:
        data = codecs.BOM_UTF8 + draw(st.binary(max_size=200))
    return data


@pytest.fixture(scope="module")
def job():
    from handouts.render.pdf import register_fonts

    library = load_library(TEST_CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        register_fonts()
        job = workers.Job(library, "ankle-sprain", Practice(), Path(tmp), DAY)
        workers._JOB = job
        yield job
        workers._JOB = None


@ROWS
@given(data=batch_file(), names=st.sampled_from(batch.NAMING))
def test_any_batch_file_gives_rows_or_one_message(job, data, names):
    path = job.out / "in.csv"
    path.write_bytes(data)
    try:
        count = batch.scan(path)
        rows = list(batch.read_rows(path))
    except InputFileError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        event("the whole file refused with a message")
        return
    assert len(rows) == count
    plan = batch.Plan(job, {}, force=True, names=names)
    for row in rows:
        assert row.number >= 2  # the header is row 1
        work = plan.prepare(row)
        result = batch.make_one(work) if isinstance(work, batch.Task) else work
        assert not result.error.startswith("unexpected error"), (row, result)
        event(f"a row {result.status}")
        if result.status == batch.FAILED:
            assert result.error
            for value in row.fields.values():
                if len(value) >= 12:
                    assert value not in result.error, "the manifest would keep a cell's value"
        else:
            output = job.out / result.output
            assert output.parent == job.out and output.read_bytes().startswith(b"%PDF-")
            output.unlink()


PHONES = st.one_of(
    st.sampled_from(
        ["", "020 7946 0123", "01632 96O 000", "call reception", "123", "999", "+1 212-555-0100"]
    ),
    st.text(max_size=20),
    st.integers(-(10**12), 10**12),
)
REGIONS = st.one_of(
    st.none(), st.sampled_from(["GB", "US", "gb", "XX", "", "IE", "AU"]), st.text(max_size=4)
)
CODES = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["content", "overlay", "wording", "settings", "x"]),
        st.one_of(st.text(max_size=10), st.integers(0, 10**8)),
    ),
    st.text(max_size=10),
    st.integers(),
)


@ROWS
@given(
    urgent=PHONES,
    phone=PHONES,
    emergency=PHONES,
    region=REGIONS,
    covers=CODES,
    signs=CODES,
    paper=st.sampled_from(["a4", "letter", "A5", 3]),
)
def test_any_practice_yaml_keys_give_problems_not_a_traceback(
    urgent, phone, emergency, region, covers, signs, paper
):
    import yaml

    library = load_library(TEST_CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(DATA / "practice", Path(tmp) / "practice"))
        data = yaml.safe_load((folder / "practice.yaml").read_text())
        data.update(urgent_phone=urgent, phone=phone, emergency_number=emergency, paper=paper)
        if region is not None:
            data["region"] = region
        if covers is not None:
            data["review"]["covers"] = covers
        if signs is not None:
            data["review"]["warning_signs"] = signs
        text = yaml.safe_dump(data, allow_unicode=True)
        (folder / "practice.yaml").write_text(text, encoding="utf-8")
        result = check_practice(folder, library, today=dt.date(2026, 11, 22))
        for problem in result.problems:
            assert str(problem) and problem.message and "Traceback" not in str(problem)
        assert (result.practice is None) == bool(result.errors)
