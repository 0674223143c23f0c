"""Batch: bad rows fail alone, names stay inside the folder, the manifest is true, reruns resume."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DAY, TEST_CONTENT
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts import batch
from handouts.cli import app
from handouts.compose import compose
from handouts.errors import InputFileError, OutputError, SelectionError
from handouts.models import Practice, Selection

REPO = Path(__file__).resolve().parent.parent
HEADER = "name,weeks,due_date,symptoms,clinician,notes,output,date"


def write_csv(path: Path, *lines: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def run(path: Path, out: Path, library, **kw) -> batch.Summary:
    kw.setdefault("today", DAY)
    kw.setdefault("jobs", 2)
    return batch.run_batch(path, out, library, **kw)


def manifest(out: Path) -> list[dict[str, str]]:
    with open(out / "manifest.csv", newline="") as file:
        return list(csv.DictReader(file))


def pdfs(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")


MIXED = (  # numbered as a spreadsheet shows them: the header is row 1
    "Ana Silva,31,,numb-legs;swollen-feet,Jo,Rest,,",  # 2 good
    "Ben,,,numb_legs,,,,",  # 3 unknown symptom
    "Cara,60,,numb-legs,,,,",  # 4 impossible weeks
    "Dee,,,numb-legs,,,,2026-13-40",  # 5 bad date
    ",,,numb-legs,,,,",  # 6 no name
    "Eve,,,numb-hands,,,../../x.pdf,",  # 7 path escape
    "Fay,,,numb-hands,,,/tmp/abs.pdf,",  # 8 absolute path
    "Ana Silva,,,leg-cramps,,,,",  # 9 same default name as row 2
    "Gil,,2027-02-14,leg-cramps,,,ana-silva.pdf,",  # 10 asks for a taken name
    "Hal,12,2027-02-14,leg-cramps,,,,",  # 11 both weeks and due date
    "Ivy,ten,,leg-cramps,,,,",  # 12 weeks not a number
    "Jon,,,,,,,",  # 13 no symptoms
)


@pytest.fixture
def mixed(tmp_path, builtin_library):
    out = tmp_path / "deep" / "er" / "out"
    summary = run(write_csv(tmp_path / "in.csv", *MIXED), out, builtin_library)
    return summary, out


def test_bad_rows_fail_alone_with_their_row_and_reason(mixed):
    summary, _ = mixed
    assert (summary.written, summary.failed, summary.skipped) == (3, 9, 0)
    assert str(summary) == "3 written, 9 failed, 0 skipped"
    errors = dict(summary.failures)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 11, 12, 13]
    # The terminal shows the value typed, after the rule.
    assert errors[3].startswith("symptoms: unknown symptom; expected one of: numb-legs")
    assert errors[3].endswith("; got 'numb_legs'")
    assert errors[4] == "weeks: expected 0 to 45 weeks; got '60'"
    assert errors[5].startswith("date: expected a date as YYYY-MM-DD")
    assert errors[6] == "name: required, but empty"
    assert errors[7] == "output: expected a file name, not a path; got '../../x.pdf'"
    assert errors[8] == "output: expected a file name, not a path; got '/tmp/abs.pdf'"
    assert errors[11] == "due_date: give weeks or due_date, not both"
    assert errors[12] == "weeks: expected a whole number of weeks, such as 31 (or 31+2); got 'ten'"
    assert errors[13] == "symptoms: required, but empty"


def test_what_a_row_holds_never_reaches_the_manifests_error_column(mixed):
    _, out = mixed
    errors = {int(r["row"]): r["error"] for r in manifest(out)}
    assert errors[3].startswith("symptoms: unknown symptom; expected one of: numb-legs")
    assert errors[4] == "weeks: expected 0 to 45 weeks"
    assert errors[7] == errors[8] == "output: expected a file name, not a path"
    assert errors[12] == "weeks: expected a whole number of weeks, such as 31 (or 31+2)"
    assert not any(v in e for e in errors.values() for v in ("numb_legs", "'ten'", "x.pdf"))


def test_no_file_leaves_the_folder_and_duplicates_get_a_suffix(mixed, tmp_path):
    _, out = mixed
    assert pdfs(out) == ["ana-silva-2.pdf", "ana-silva-3.pdf", "ana-silva.pdf"]
    assert sorted(p.name for p in out.iterdir()) == [*pdfs(out), "failed.csv", "manifest.csv"]
    assert not list(tmp_path.rglob("x.pdf")) and not Path("/tmp/abs.pdf").exists()
    rows = {int(r["row"]): r for r in manifest(out)}
    assert rows[2]["output"] == "ana-silva.pdf"
    assert rows[9]["output"] == "ana-silva-2.pdf"
    assert rows[10]["output"] == "ana-silva-3.pdf"


def test_the_manifest_records_every_row_and_the_true_hash(mixed, builtin_library):
    _, out = mixed
    rows = manifest(out)
    assert [int(r["row"]) for r in rows] == list(range(2, 14))
    assert list(rows[0]) == list(batch.MANIFEST_FIELDS)
    version = builtin_library.topics[0].version
    for row in rows:
        assert row["content_version"] == version
        assert len(row["input_hash"]) == 64
        if row["status"] == "written":
            data = (out / row["output"]).read_bytes()
            assert row["sha256"] == hashlib.sha256(data).hexdigest()
            assert len(PdfReader(io.BytesIO(data)).pages) >= 1
        else:
            assert row["status"] == "failed" and row["error"] and not row["sha256"]
    first = compose(
        builtin_library,
        Selection(symptoms=("numb-legs", "swollen-feet"), name="Ana Silva", weeks=31, date=DAY),
        Practice(),
    )
    from handouts.fit import fit_pdf

    # The manifest records what was printed: the items that fit the page budget.
    assert rows[0]["items"] == ";".join(fit_pdf(first).handout.item_ids)
    text = (out / "manifest.csv").read_text()
    assert "Ana Silva" not in text and "Rest" not in text


def test_an_unknown_column_is_a_whole_file_error_and_nothing_is_written(tmp_path, ankle_library):
    path = write_csv(tmp_path / "in.csv", "Ana,swelling,x", header="name,symptoms,nhs_number")
    with pytest.raises(InputFileError, match=r"unknown column.*'nhs_number'; expected: name"):
        run(path, tmp_path / "out", ankle_library)
    assert not (tmp_path / "out").exists()


def test_a_missing_required_column_is_a_whole_file_error(tmp_path, ankle_library):
    path = write_csv(tmp_path / "in.csv", "Ana", header="name")
    with pytest.raises(InputFileError, match=r"missing column.*symptoms"):
        run(path, tmp_path / "out", ankle_library)


def test_json_lines_rows_with_lists_and_numbers(tmp_path, builtin_library):
    path = tmp_path / "in.jsonl"
    lines = [
        {"name": "Ana", "symptoms": ["numb-legs", "leg-cramps"], "weeks": 31},
        {"name": "Ben", "symptoms": "numb-hands", "output": "ben"},
        "not json",
        {"name": "Cy", "symptoms": "numb-hands", "language": "fr"},
    ]
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    summary = run(path, tmp_path / "out", builtin_library)
    assert (summary.written, summary.failed) == (2, 2)
    errors = dict(summary.failures)
    assert errors[3].startswith("not valid JSON")
    assert errors[4] == "language: not available; expected one of: en, ar, es; got 'fr'"
    assert pdfs(tmp_path / "out") == ["ana.pdf", "ben.pdf"]


def test_json_lines_unknown_key_is_a_whole_file_error(tmp_path, ankle_library):
    path = tmp_path / "in.jsonl"
    path.write_text('{"name": "A", "symptoms": "swelling"}\n{"name": "B", "dob": "1990"}\n')
    with pytest.raises(InputFileError, match="'dob'"):
        run(path, tmp_path / "out", ankle_library)


def stamps(out: Path) -> dict[str, int]:
    return {name: (out / name).stat().st_mtime_ns for name in pdfs(out)}


def test_a_rerun_skips_finished_rows_and_force_redoes_them(tmp_path, ankle_library):
    rows = ["Ana,,,swelling,,,,", "Ben,,,bruising,,,,", "Cy,,,nope,,,,"]
    path = write_csv(tmp_path / "in.csv", *rows)
    out = tmp_path / "out"
    assert str(run(path, out, ankle_library)) == "2 written, 1 failed, 0 skipped"
    before = stamps(out)
    again = run(path, out, ankle_library)
    assert str(again) == "0 written, 1 failed, 2 skipped"
    assert stamps(out) == before
    skipped = manifest(out)
    assert [r["status"] for r in skipped] == ["skipped", "skipped", "failed"]
    assert skipped[0]["sha256"] == hashlib.sha256((out / "ana.pdf").read_bytes()).hexdigest()
    assert skipped[0]["items"]
    forced = run(path, out, ankle_library, force=True)
    assert str(forced) == "2 written, 1 failed, 0 skipped"


def test_a_changed_row_or_a_damaged_file_is_redone(tmp_path, ankle_library):
    out = tmp_path / "out"
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,", "Ben,,,bruising,,,,")
    run(path, out, ankle_library)
    write_csv(path, "Ana,,,swelling;bruising,,,,", "Ben,,,bruising,,,,")
    assert str(run(path, out, ankle_library)) == "1 written, 0 failed, 1 skipped"
    assert [r["status"] for r in manifest(out)] == ["written", "skipped"]
    (out / "ben.pdf").write_bytes(b"%PDF-1.4 damaged")
    assert str(run(path, out, ankle_library)) == "1 written, 0 failed, 1 skipped"
    assert [r["status"] for r in manifest(out)] == ["skipped", "written"]


def test_a_killed_run_leaves_no_partial_pdf_and_the_rerun_completes_it(tmp_path):
    count = 60
    path = write_csv(
        tmp_path / "in.csv", *(f"Patient {n},,,swelling;bruising,,,," for n in range(count))
    )
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "handouts", "batch", str(path), "--out", str(out)]
    command += ["--content", str(TEST_CONTENT), "--jobs", "1", "--quiet"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.pdf"))) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    written = pdfs(out)
    assert 8 <= len(written) < count, "the run finished before it could be killed"
    for name in written:
        data = (out / name).read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), name
    assert not (out / "manifest.csv").exists()
    assert (out / batch.JOURNAL).exists()

    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    written_now, _, skipped = (int(w) for w in result.stdout.split()[0:6:2])
    assert written_now + skipped == count and skipped >= len(written) - 4
    rows = manifest(out)
    assert [int(r["row"]) for r in rows] == list(range(2, count + 2))
    for row in rows:
        assert row["sha256"] == hashlib.sha256((out / row["output"]).read_bytes()).hexdigest()
    assert sorted(p.name for p in out.iterdir()) == sorted([*pdfs(out), "manifest.csv"])
    assert len(pdfs(out)) == count


runner = CliRunner()


def test_the_example_runs_clean_through_the_batch_command(tmp_path):
    example = runner.invoke(app, ["batch", "--example"])
    assert example.exit_code == 0
    assert example.stdout.splitlines()[0] == ",".join(batch.COLUMNS)
    (tmp_path / "example.csv").write_text(example.stdout)
    result = runner.invoke(
        app, ["batch", str(tmp_path / "example.csv"), "--out", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 written, 0 failed, 0 skipped")
    assert len(pdfs(tmp_path / "out")) == 3


def test_the_command_lists_failed_rows_and_exits_1(tmp_path):
    path = write_csv(tmp_path / "in.csv", "Ana Secret,,,swelling,,Private note,,", "Bo,,,x,,,,")
    args = ["batch", str(path), "--out", str(tmp_path / "out"), "--content", str(TEST_CONTENT)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout.startswith("1 written, 1 failed, 0 skipped")
    assert "row 3: symptoms: unknown symptom; expected one of: swelling" in result.stderr
    assert "Secret" not in result.output and "Private" not in result.output


def test_the_command_reports_a_bad_file_as_a_usage_error(tmp_path):
    path = write_csv(tmp_path / "in.csv", "Ana,swelling,1", header="name,symptoms,dob")
    args = ["batch", str(path), "--out", str(tmp_path / "out"), "--content", str(TEST_CONTENT)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "unknown column(s) 'dob'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_batch_help_has_an_example():
    result = runner.invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    assert "Example: handouts batch patients.csv --out" in result.stdout


def test_json_lines_are_recognised_by_content_too(tmp_path, ankle_library):
    path = tmp_path / "rows.txt"
    path.write_text('{"name": "Ana", "symptoms": "swelling"}\n')
    assert batch.input_format(path) == "jsonl"
    assert str(run(path, tmp_path / "out", ankle_library)) == "1 written, 0 failed, 0 skipped"


def test_a_killed_runs_temporary_files_are_removed(tmp_path, ankle_library):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".ana.pdf.k2j4x.part").write_bytes(b"%PDF-1.4 half")
    (out / "notes.txt").write_text("not ours")
    run(write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,"), out, ankle_library)
    assert sorted(p.name for p in out.iterdir()) == ["ana.pdf", "manifest.csv", "notes.txt"]


def test_a_journal_cut_short_mid_line_keeps_its_complete_lines(tmp_path):
    header = ",".join(batch.MANIFEST_FIELDS)
    whole = "2,ana.pdf,written,,a;b,1.2.0," + "f" * 64 + ",b4tch," + "e" * 64
    (tmp_path / batch.JOURNAL).write_text(f"{header}\n{whole}\n2,ben.pdf,writ")
    records = batch.read_manifest(tmp_path)
    assert list(records) == ["ana.pdf"]
    assert records["ana.pdf"].items == ("a", "b") and records["ana.pdf"].sha256 == "f" * 64


def test_batch_and_leaflets_print_for_the_practice(tmp_path):
    import pdfplumber
    from conftest import DATA

    practice = ["--practice", str(DATA / "practice"), "--content", str(TEST_CONTENT)]
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,", "Bo,,,bruising,,,,")
    result = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "out"), *practice])
    assert result.exit_code == 0, result.output
    for name in pdfs(tmp_path / "out"):
        text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "out" / name).pages)
        assert "Riverside Midwives" in text and "020 7946 0123" in text
        assert "DRAFT" not in text and "Checked by Dr Sam Patel, GP" in text

    args = ["leaflets", "--out", str(tmp_path / "leaflets"), "--large-print", *practice]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "leaflets" / "ankle-sprain.pdf") as pdf:
        page = pdf.pages[0]
        assert "Riverside Midwives" in page.extract_text()
        body = [c for c in page.chars if 80 < c["top"] < page.height - 110]
        assert body and min(c["size"] for c in body) >= 16


def test_changed_content_or_practice_files_redo_the_rows(tmp_path, content_tree):
    import shutil

    from conftest import DATA

    from handouts.library import load_library
    from handouts.practice import load_practice

    out = tmp_path / "out"
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,")
    practice_dir = Path(shutil.copytree(DATA / "practice", tmp_path / "practice"))

    def again() -> str:
        library, practice = load_practice(practice_dir, load_library(content_tree, use_cache=False))
        return str(run(path, out, library, practice=practice))

    assert again() == "1 written, 0 failed, 0 skipped"
    assert again() == "0 written, 0 failed, 1 skipped"
    causes = content_tree / "ankle-sprain" / "causes.yaml"  # same version, new words
    causes.write_text(causes.read_text().replace("The ligament was stretched", "It stretched"))
    assert again() == "1 written, 0 failed, 0 skipped"
    (practice_dir / "logo.png").write_bytes((DATA / "practice" / "logo.png").read_bytes() + b"\0")
    assert again() == "1 written, 0 failed, 0 skipped"
    assert again() == "0 written, 0 failed, 1 skipped"


def test_the_after_birth_column(tmp_path, builtin_library):
    header = "name,weeks,after_birth,symptoms"
    path = write_csv(
        tmp_path / "in.csv",
        "Ana,,yes,leg-weakness",
        "Bo,,no,leg-weakness",
        "Cy,30,yes,leg-weakness",
        "Di,,maybe,leg-weakness",
        header=header,
    )
    summary = run(path, tmp_path / "out", builtin_library)
    assert str(summary) == "2 written, 2 failed, 0 skipped"
    assert summary.failures == [
        (4, "after_birth: give after_birth or weeks (or due_date), not both"),
        (5, "after_birth: expected yes or no (or leave it empty); got 'maybe'"),
    ]
    items = {r["output"]: r["items"].split(";") for r in manifest(tmp_path / "out")[:2]}
    assert "ws-after-birth" in items["ana.pdf"]
    assert "ws-after-birth" not in items["bo.pdf"]  # 'no': still pregnant
    assert "ws-movements" in items["bo.pdf"] and "ws-movements" not in items["ana.pdf"]


def test_a_second_batch_into_the_same_folder_is_refused_while_one_runs(tmp_path, ankle_library):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,")
    writing = out / ".ana.pdf.1234.part"  # the running batch's file being written
    writing.write_bytes(b"%PDF-")
    with open(out / batch.LOCK, "w") as held:  # as a running batch holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputError) as caught:
            run(path, out, ankle_library)
        assert str(caught.value) == (
            f"another batch is writing to {out}; let it finish, or use another --out"
        )
        assert pdfs(out) == []
        assert writing.exists()  # the refused run touched nothing
    assert str(run(path, out, ankle_library)) == "1 written, 0 failed, 0 skipped"
    assert not writing.exists()  # once no run holds the folder, leftovers are cleared


def test_the_plan_columns_fill_my_plan(builtin_library):
    from handouts.batch import selection_for

    topic = builtin_library.topics[0]
    row = dict.fromkeys(batch.COLUMNS, "")
    row.update(
        name="Ana",
        symptoms="numb-hands",
        weeks="30",
        plan="wrist-splint;blood-test",
        follow_up="7 December",
        contact="Jo, 01632 960 123",
    )
    chosen = selection_for(row, topic, DAY, None)
    handout = compose(builtin_library, chosen, Practice())
    assert [line.label for line in handout.plan if line.ticked] == [
        "Wrist splint at night",
        "Blood test (iron or B12)",
    ]
    assert (handout.follow_up, handout.contact) == ("7 December", "Jo, 01632 960 123")
    row["plan"] = "wrist-splint;massage"
    with pytest.raises(SelectionError) as raised:
        selection_for(row, topic, DAY, None)
    assert raised.value.field == "plan" and "massage" not in raised.value.message


def test_cells_as_people_type_them(tmp_path, builtin_library):
    path = write_csv(
        tmp_path / "in.csv",
        'Ana,31.0,,"numb-legs, swollen-feet",,,,22/11/2026',
        "Bo,,24/01/2027,numb-legs leg-cramps,,,,",
        header="name,weeks,due_date,symptoms,clinician,notes,output,date",
    )
    summary = run(path, tmp_path / "out", builtin_library)
    assert str(summary) == "2 written, 0 failed, 0 skipped", summary.failures
    fields = dict(zip(batch.COLUMNS, [""] * len(batch.COLUMNS), strict=True))
    row = {**fields, "name": "Ana", "weeks": "31.0", "symptoms": "numb-legs, swollen-feet"}
    chosen = batch.selection_for(row, builtin_library.topics[0], DAY, None)
    assert (chosen.weeks, chosen.symptoms) == (31, ("numb-legs", "swollen-feet"))
    us = {**row, "weeks": "", "due_date": "01/24/2027"}
    assert batch.selection_for(us, builtin_library.topics[0], DAY, None, "mdy").weeks == 31
