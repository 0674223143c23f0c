"""The command line's wiring: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import os

import pytest
from conftest import TEST_CONTENT
from typer.testing import CliRunner

from handouts.cli import app

runner = CliRunner()


def run(*args: str, **kw):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


def make(tmp_path, *args: str):
    return run("make", "--content", TEST_CONTENT, "--date", "2026-11-22", *args)


def test_make_writes_the_pdf_and_prints_its_path(tmp_path):
    out = tmp_path / "ana.pdf"
    result = run(
        "make", "-s", "numb-legs", "-s", "swollen-feet", "--name", "Ana", "--weeks", "31", "-o", out
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    assert out.read_bytes().startswith(b"%PDF-")


def test_make_with_no_terminal_and_no_symptoms_makes_the_generic_leaflet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = make(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("ankle-sprain.pdf")
    assert (tmp_path / "ankle-sprain.pdf").exists()


def test_default_names_are_safe_and_never_overwrite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = make(tmp_path, "--name", "../../Zoë O'Brien/x")
    second = make(tmp_path, "--name", "../../Zoë O'Brien/x")
    assert first.stdout.strip() == str(tmp_path / "zoe-o-brien-x-2026-11-22.pdf")
    assert second.stdout.strip() == str(tmp_path / "zoe-o-brien-x-2026-11-22-2.pdf")
    assert sorted(os.listdir(tmp_path)) == [
        "zoe-o-brien-x-2026-11-22-2.pdf",
        "zoe-o-brien-x-2026-11-22.pdf",
    ]


def test_dash_writes_the_pdf_to_stdout(tmp_path):
    result = make(tmp_path, "-s", "swelling", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"%PDF-")
    assert result.stdout_bytes.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-s", "swollen"],
            "Invalid value for '--symptom': unknown symptom 'swollen'; "
            "expected one of: swelling, pain-walking, bruising",
        ),
        (
            ["--omit", "ws-cannot-walk"],
            "Invalid value for '--omit': 'ws-cannot-walk' is an "
            "emergency warning sign and is in every handout",
        ),
        (["--omit", "nope"], "Invalid value for '--omit': unknown item 'nope'"),
        (
            ["--topic", "nope"],
            "Invalid value for '--topic': unknown topic 'nope'; expected one of: ankle-sprain",
        ),
        (
            ["--weeks", "12"],
            "Invalid value for '--weeks': topic 'ankle-sprain' does not use weeks of pregnancy",
        ),
    ],
)
def test_bad_selection_is_a_usage_error_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = make(tmp_path, *args, "-o", out)
    assert result.exit_code == 2
    assert "Usage: " in result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "46"], "Invalid value for '--weeks': expected 0 to 45; got 46"),
        (["--weeks", "-1"], "Invalid value for '--weeks': expected 0 to 45; got -1"),
        (
            ["--due-date", "2026-13-01"],
            "Invalid value for '--due-date': expected a date as "
            "YYYY-MM-DD, such as 2027-01-24; got '2026-13-01'",
        ),
        (
            ["--due-date", "2020-01-01", "--date", "2026-11-22"],
            "Invalid value for "
            "'--due-date': 2020-01-01 gives 399 weeks on 2026-11-22; expected 0 to 45 weeks",
        ),
        (
            ["--weeks", "30", "--due-date", "2027-01-01"],
            "Invalid value for '--due-date': give --weeks or --due-date, not both",
        ),
        (
            ["--date", "22/11/2026"],
            "Invalid value for '--date': expected a date as YYYY-MM-DD, "
            "such as 2027-01-24; got '22/11/2026'",
        ),
        (["--paper", "a5"], "Invalid value for '--paper': expected one of: a4, letter; got 'a5'"),
    ],
)
def test_bad_weeks_and_dates_are_usage_errors(tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = run("make", "-s", "numb-legs", *args, "-o", out)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split())
    assert not out.exists()


def test_due_date_prints_the_weeks(tmp_path):
    out = tmp_path / "x.pdf"
    result = run(
        "make", "-s", "numb-legs", "--due-date", "2027-01-24", "--date", "2026-11-22", "-o", out
    )
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    assert "31 weeks pregnant" in PdfReader(out).pages[0].extract_text()


def test_unwritable_output_exits_1_with_path_and_reason(tmp_path):
    target = tmp_path / "missing-folder" / "x.pdf"
    result = make(tmp_path, "-o", target)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"Error: cannot write {target}: No such file or directory")
    assert not target.parent.exists()


def test_output_that_is_a_folder_exits_1_and_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "handouts"
    folder.mkdir()
    result = make(tmp_path, "-o", folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: cannot write {folder}: Is a directory"
    assert list(tmp_path.rglob("*")) == [folder]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_output_onto_a_pipe_is_refused_and_the_pipe_stays(tmp_path):
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = make(tmp_path, "-o", fifo)
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_dash_onto_a_full_device_is_a_message_not_a_traceback(tmp_path):
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "handouts",
                "make",
                "--content",
                str(TEST_CONTENT),
                "-s",
                "swelling",
                "-o",
                "-",
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: cannot write to standard output: No space left")
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_broken_content_lists_every_problem_and_writes_nothing(content_tree, tmp_path):
    (content_tree / "ankle-sprain" / "causes.yaml").write_text("items:\n  - id: x\n")
    out = tmp_path / "x.pdf"
    result = run("make", "--content", content_tree, "-o", out)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith("causes.yaml:2: items[0].title: field required")
    assert lines[1].endswith("causes.yaml:2: items[0].text: field required")
    assert lines[-1] == "Error: 2 problem(s) in the content; nothing written"
    assert not out.exists()


def test_check_passes_on_builtin_content_in_strict_mode():
    result = run("check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: leg-numbness-pregnancy: 11 symptoms")


def test_check_fails_on_errors_and_in_strict_mode_on_warnings(content_tree):
    topic = content_tree / "ankle-sprain" / "topic.yaml"
    topic.write_text(topic.read_text().replace("2099-01-01", "2020-01-01"))
    relaxed = run("check", "--content", content_tree)
    assert relaxed.exit_code == 0
    assert "warning: review overdue" in relaxed.stdout
    strict = run("check", "--strict", "--content", content_tree)
    assert strict.exit_code == 2
    assert strict.stdout.splitlines()[-1].startswith("FAILED: ankle-sprain")


def test_symptoms_json_lists_ids_labels_hints_and_codes():
    result = run("symptoms", "--json", "--content", TEST_CONTENT)
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["swelling", "pain-walking", "bruising"]
    assert rows[0]["label"] == "Swollen ankle"
    assert rows[2]["codes"] == {"icd10cm": ["S93.401A"], "snomed": []}


def test_topics_items_and_plain_symptoms():
    assert run("topics").stdout.startswith("leg-numbness-pregnancy\t")
    items = run("items", "--content", TEST_CONTENT).stdout.splitlines()
    assert items[0] == "cause-stretch\tcauses\tThe ligament was stretched"
    assert "ws-cannot-walk\twarning-signs (emergency)\t" in "\n".join(items)
    assert run("symptoms").stdout.splitlines()[0].startswith("numb-legs\t")


def test_schema_is_json_schema_for_each_file_kind():
    everything = json.loads(run("schema").stdout)
    assert sorted(everything) == ["module", "practice", "symptoms", "topic"]
    module = json.loads(run("schema", "module").stdout)
    item = module["$defs"]["ItemFile"]
    assert item["additionalProperties"] is False
    assert "urgency" in item["properties"]
    start = module["$defs"]["WeeksFile"]["properties"]["from"]
    assert start["anyOf"][0] == {"type": "integer", "minimum": 0, "maximum": 45}
    assert start["description"] == "First week the item applies (inclusive)."


def test_every_command_has_help_with_an_example():
    commands = ("make", "check", "schema", "symptoms", "topics", "items", "batch", "leaflets")
    for command in (*commands, "practice init", "practice override"):
        result = run(*command.split(), "--help")
        assert result.exit_code == 0
        assert "Example: handouts " in result.stdout, command


def test_symptom_completion_offers_the_ids():
    from types import SimpleNamespace

    from handouts.cli import _complete_symptoms

    ctx = SimpleNamespace(params={"content": None, "topic": None})
    offered = _complete_symptoms(ctx, "numb-")
    assert [i for i, _ in offered] == ["numb-legs", "numb-thigh", "numb-hands", "numb-on-waking"]


def test_every_builtin_symptom_carries_its_icd10cm_code():
    rows = json.loads(run("symptoms", "--json").output)
    codes = {row["id"]: row["codes"]["icd10cm"] for row in rows}
    assert all(codes.values()), codes
    assert codes["numb-hands"] == ["R20.2"]
    assert codes["swollen-feet"] == ["O12.00"]  # not R60.0, which excludes gestational edema
    assert codes["restless-legs"] == ["G25.81"]


def test_open_shows_the_written_handout_in_the_system_viewer(tmp_path, monkeypatch):
    import subprocess

    from handouts import output

    launched = []
    monkeypatch.setattr(output.sys, "platform", "linux")
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: launched.append(args))
    out = tmp_path / "x.pdf"
    result = make(tmp_path, "-s", "swelling", "-o", out, "--open")
    assert result.exit_code == 0, result.output
    assert launched == [["xdg-open", str(out)]]


def test_open_without_a_viewer_still_writes_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "x.pdf"
    result = make(tmp_path, "-s", "swelling", "-o", out, "--open")
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert result.stdout.strip() == str(out)
    assert result.stderr.startswith(f"Warning: cannot open {out}: xdg-open: ")


def test_after_birth_prints_in_the_prepared_for_line_and_excludes_weeks(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "a.pdf"
    result = run(
        "make",
        "-s",
        "leg-weakness",
        "--after-birth",
        "--name",
        "Ana",
        "-o",
        out,
        "--date",
        "2026-11-22",
    )
    assert result.exit_code == 0, result.output
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Prepared for Ana, after the birth of your baby, on 22 November 2026." in first
    both = run("make", "--after-birth", "--weeks", "30", "-o", tmp_path / "b.pdf")
    assert both.exit_code == 2
    assert "give --after-birth or --weeks/--due-date, not both" in both.output
    assert not (tmp_path / "b.pdf").exists()
