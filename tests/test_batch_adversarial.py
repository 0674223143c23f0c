"""A batch under hostile or careless input: the right patient, our folder, clear messages."""

from __future__ import annotations

import csv
import os
import re
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
from handouts.errors import InputFileError, OutputError

REPO = Path(__file__).resolve().parent.parent
HEADER = "name,weeks,due_date,symptoms,clinician,notes,output,date"
runner = CliRunner()


def write_csv(path: Path, *lines: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def run(path: Path, out: Path, library, **kw) -> batch.Summary:
    kw.setdefault("today", DAY)
    kw.setdefault("jobs", 1)
    return batch.run_batch(path, out, library, **kw)


def manifest(out: Path) -> list[dict[str, str]]:
    with open(out / "manifest.csv", newline="") as file:
        return list(csv.DictReader(file))


# 1. Never a wrong patient's handout -----------------------------------------


def test_another_batchs_file_of_the_same_name_is_never_replaced(tmp_path, ankle_library):
    out = tmp_path / "out"
    monday = write_csv(tmp_path / "monday.csv", "Ana,,,swelling,,,,", "Ben,,,bruising,,,,")
    run(monday, out, ankle_library)
    anas = (out / "ana.pdf").read_bytes()
    tuesday = write_csv(tmp_path / "tuesday.csv", "Ana,,,bruising,,,,")  # another Ana
    summary = run(tuesday, out, ankle_library)
    assert str(summary) == "1 written, 0 failed, 0 skipped"
    assert (out / "ana.pdf").read_bytes() == anas
    assert summary.outputs == ["ana-2.pdf"]
    outputs = sorted(r["output"] for r in manifest(out))
    assert outputs == ["ana-2.pdf", "ana.pdf", "ben.pdf"]  # Monday's rows are still there


def test_a_file_the_manifest_does_not_know_is_never_replaced(tmp_path, ankle_library):
    out = tmp_path / "out"
    out.mkdir()
    (out / "ana.pdf").write_bytes(b"someone else's handout")
    run(write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,"), out, ankle_library)
    assert (out / "ana.pdf").read_bytes() == b"someone else's handout"
    assert (out / "ana-2.pdf").read_bytes().startswith(b"%PDF-")
    # The rerun of the same batch keeps the same name and skips it.
    again = run(write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,"), out, ankle_library)
    assert str(again) == "0 written, 0 failed, 1 skipped"


# 2. The output folder is ours alone -----------------------------------------


@pytest.mark.parametrize("name", [batch.LOCK, batch.JOURNAL, batch.MANIFEST, batch.FAILED_ROWS])
def test_a_link_in_place_of_the_runs_own_files_is_refused(tmp_path, ankle_library, name):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(outside)
    with pytest.raises(OutputError, match="is a link or not a regular file"):
        run(write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,"), out, ankle_library)
    assert outside.read_text() == "precious"
    assert not (out / "ana.pdf").exists()


def test_a_link_in_place_of_a_handout_is_replaced_not_followed(tmp_path, ankle_library):
    outside = tmp_path / "outside.pdf"
    outside.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ana.pdf").symlink_to(outside)
    run(write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,"), out, ankle_library)
    assert outside.read_text() == "precious"


def test_a_read_only_folder_is_a_message(tmp_path, ankle_library):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write in"):
            run(write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,"), out, ankle_library)
    finally:
        out.chmod(0o700)


# 3. Workers die with their run -----------------------------------------------


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_workers_exit_when_their_run_is_killed_and_the_rerun_is_not_blocked(tmp_path):
    count = 80
    rows = (f"Patient {n},,,swelling;bruising,,,," for n in range(count))
    path = write_csv(tmp_path / "in.csv", *rows)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "handouts", "batch", str(path), "--out", str(out)]
    command += ["--content", str(TEST_CONTENT), "--jobs", "2", "--quiet"]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.pdf"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = _children(process.pid)
    assert workers, "the run had no workers yet"
    process.kill()  # only the run, as kill -9 of its process id does
    process.wait()
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "workers outlived their run"
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.pdf"))) == count


# 7. Patient data stays out of the files we keep ----------------------------


def test_the_manifest_names_the_column_and_rule_never_the_value(tmp_path, ankle_library):
    secret = "HIV positive - do not disclose"
    path = write_csv(
        tmp_path / "in.csv",
        f"Ana,,{secret},swelling,,,,",
        f"Bo,,,{secret},,,,",
        f"Cy,,,swelling,,,,{secret}",
        f"Di,,,swelling,,,{secret}/x.pdf,",
    )
    out = tmp_path / "out"
    summary = run(path, out, ankle_library)
    assert summary.failed == 4
    kept = (out / "manifest.csv").read_text() + (out / "failed.csv").read_text().split("\n", 1)[0]
    assert "HIV" not in (out / "manifest.csv").read_text()
    reasons = [r["error"] for r in manifest(out)]
    assert reasons[0].startswith("due_date: ")
    assert reasons[1].startswith("symptoms: unknown symptom")
    assert all("HIV" not in reason for reason in reasons), kept
    # The terminal may show the value, to help fix the row.
    assert any(secret in message for _, message in summary.failures)


def test_pseudonymous_names_say_nothing_about_the_patient(tmp_path, ankle_library):
    out = tmp_path / "out"
    path = write_csv(tmp_path / "in.csv", "Ana Secret,,,swelling,,,,", "Bo Private,,,bruising,,,,")
    run(path, out, ankle_library, names="row")
    assert sorted(p.name for p in out.glob("*.pdf")) == ["row-0002.pdf", "row-0003.pdf"]
    kept = (out / "manifest.csv").read_text()
    assert "Secret" not in kept and "Private" not in kept and "ana" not in kept


# 8. Every bad input file gets a message ---------------------------------------


def _encoded(tmp_path: Path, text: str, encoding: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-16", ","), ("utf-16", "\t"), ("cp1252", ";"), ("cp1252", ",")],
)
def test_spreadsheet_exports_are_read(tmp_path, ankle_library, encoding, delimiter):
    text = delimiter.join(["name", "symptoms", "notes"]) + "\r\n"
    text += delimiter.join(["Zoë Müller", "swelling", "Café au lait spots, seen today"]) + "\r\n"
    text += delimiter.join(["Renée", "bruising", ""]) + "\r\n"
    path = _encoded(tmp_path, text, encoding)
    assert batch.scan(path) == 2
    rows = list(batch.read_rows(path))
    assert [r.fields["name"] for r in rows] == ["Zoë Müller", "Renée"]
    assert [r.number for r in rows] == [2, 3]


def test_an_excel_sep_line_and_trailing_empty_columns_are_ignored(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("sep=;\nname;symptoms;;\nAna;swelling;;\n")
    rows = list(batch.read_rows(path))
    assert [(r.number, r.fields["name"], r.problem) for r in rows] == [(3, "Ana", "")]


def test_the_encoding_can_be_given(tmp_path):
    path = _encoded(tmp_path, "name,symptoms\nZoë,swelling\n", "latin-1")
    rows = list(batch.read_rows(path, "latin-1"))
    assert rows[0].fields["name"] == "Zoë"
    with pytest.raises(InputFileError, match="unknown encoding 'nope'"):
        batch.scan(path, "nope")


def test_a_duplicate_header_is_an_error_not_last_wins(tmp_path):
    path = write_csv(tmp_path / "in.csv", "Ana,swelling,Bo", header="name,symptoms,name")
    with pytest.raises(InputFileError, match="column 'name' appears twice"):
        batch.scan(path)


def test_a_cell_over_the_csv_field_limit_fails_its_row_only(tmp_path, ankle_library):
    huge = "x" * 200_000
    path = write_csv(tmp_path / "in.csv", f'Ana,,,swelling,,"{huge}",,', "Bo,,,swelling,,,,")
    summary = run(path, tmp_path / "out", ankle_library)
    assert str(summary) == "1 written, 1 failed, 0 skipped"
    assert summary.failures == [(2, "notes: longer than 100,000 characters")]


# 10. A batch a clinic can act on -----------------------------------------------


def test_failed_rows_go_to_failed_csv_with_a_reason_and_can_be_rerun(tmp_path, ankle_library):
    out = tmp_path / "out"
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,", "Bo,,,nope,,,,", "", "Cy,x,,,,,,")
    summary = run(path, out, ankle_library)
    assert [row for row, _ in summary.failures] == [3, 5]  # the blank line is row 4
    with open(out / "failed.csv", newline="") as file:
        failed = list(csv.DictReader(file))
    assert [(r["row"], r["name"]) for r in failed] == [("3", "Bo"), ("5", "Cy")]
    assert failed[0]["reason"].startswith("symptoms: unknown symptom")
    assert "nope" not in failed[0]["reason"]
    failed[0]["symptoms"] = "bruising"  # the clinic fixes the cells the reasons name
    failed[1]["weeks"], failed[1]["symptoms"] = "", "swelling"
    with open(tmp_path / "fixed.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(failed[0]))
        writer.writeheader()
        writer.writerows(failed)
    again = run(tmp_path / "fixed.csv", out, ankle_library)
    assert (again.written, again.failed) == (2, 0)
    assert not (out / "failed.csv").exists()  # nothing left to fix


def test_combine_writes_every_handout_into_one_pdf_in_row_order(tmp_path, ankle_library):
    out = tmp_path / "out"
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,", "Bo,,,x,,,,", "Cy,,,bruising,,,,")
    one = tmp_path / "print-me.pdf"
    summary = run(path, out, ankle_library, combine_into=one)
    assert summary.outputs == ["ana.pdf", "cy.pdf"]
    pages = [len(PdfReader(out / name).pages) for name in summary.outputs]
    combined = PdfReader(one)
    assert len(combined.pages) == sum(pages)
    first_of_cy = combined.pages[pages[0]].extract_text()
    assert "Cy" in first_of_cy


def test_ctrl_c_says_how_to_continue(tmp_path, monkeypatch):
    def interrupted(*args, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_batch", interrupted)
    path = write_csv(tmp_path / "in.csv", "Ana,,,swelling,,,,")
    args = ["batch", str(path), "--out", str(tmp_path / "out"), "--content", str(TEST_CONTENT)]
    result = runner.invoke(app, args)
    assert result.exit_code == 130
    assert "Run the same command again to continue" in result.stderr


def test_ctrl_c_stops_a_real_run_without_a_traceback(tmp_path):
    rows = (f"Patient {n},,,swelling;bruising,,,," for n in range(60))
    path = write_csv(tmp_path / "in.csv", *rows)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "handouts", "batch", str(path), "--out", str(out)]
    command += ["--content", str(TEST_CONTENT), "--jobs", "2", "--quiet"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.pdf"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "Run the same command again to continue" in err


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf\x80", b"\xff\xfe\x00\xd8"])
def test_a_byte_order_mark_before_bytes_that_do_not_follow_it_is_a_message(tmp_path, data):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match="save it again as CSV UTF-8, or give --encoding"):
        batch.scan(path)


def test_random_ids_as_names_are_kept_for_each_row_on_a_rerun(tmp_path, ankle_library):
    out = tmp_path / "out"
    path = write_csv(tmp_path / "in.csv", "Ana Secret,,,swelling,,,,", "Bo Private,,,bruising,,,,")
    run(path, out, ankle_library, names="id")
    first = {int(r["row"]): r["output"] for r in manifest(out)}
    assert all(re.fullmatch(r"id-[0-9a-f]{8}\.pdf", name) for name in first.values())
    assert len(set(first.values())) == 2
    kept = (out / "manifest.csv").read_text()
    assert "Secret" not in kept and "Private" not in kept and "ana" not in kept
    again = run(path, out, ankle_library, names="id")
    assert str(again) == "0 written, 0 failed, 2 skipped"
    assert {int(r["row"]): r["output"] for r in manifest(out)} == first
