"""The command line's wiring: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import os
import re

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
            "Invalid value for '--symptom': unknown symptom; "
            "expected one of: swelling, pain-walking, bruising; got 'swollen'",
        ),
        (
            ["--omit", "ws-cannot-walk"],
            "Invalid value for '--omit': an emergency warning sign is in every handout; "
            "it cannot be left out; got 'ws-cannot-walk'",
        ),
        (
            ["--omit", "nope"],
            "Invalid value for '--omit': unknown item; see 'handouts items' for the ids; "
            "got 'nope'",
        ),
        (
            ["--topic", "nope"],
            "Invalid value for '--topic': unknown topic; expected one of: ankle-sprain; got 'nope'",
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
        (["--weeks", "46"], "Invalid value for '--weeks': expected 0 to 45 weeks; got '46'"),
        (
            ["--weeks", "-1"],
            "Invalid value for '--weeks': expected a whole number of weeks, such as 31 "
            "(or 31+2); got '-1'",
        ),
        (
            ["--due-date", "2026-13-01"],
            "Invalid value for '--due-date': expected a date as YYYY-MM-DD or DD/MM/YYYY, "
            "such as 2027-01-24 or 24/01/2027; got '2026-13-01'",
        ),
        (
            ["--due-date", "2020-01-01", "--date", "2026-11-22"],
            "Invalid value for "
            "'--due-date': expected a due date from 2026-10-12 to 2027-08-29 "
            "(0 to 45 weeks of pregnancy on 2026-11-22); got '2020-01-01'",
        ),
        (
            ["--weeks", "30", "--due-date", "2027-01-01"],
            "Invalid value for '--due-date': give --weeks or --due-date, not both",
        ),
        (
            ["--date", "11/22/2026"],
            "Invalid value for '--date': expected a date as YYYY-MM-DD or DD/MM/YYYY, "
            "such as 2027-01-24 or 24/01/2027; got '11/22/2026'",
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

    launched = []
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
    assert result.stderr == f"Warning: cannot open {out}: no viewer could be started\n"


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
    assert "give --after-birth or --weeks (or --due-date), not both" in both.output
    assert not (tmp_path / "b.pdf").exists()


def test_make_fits_one_sheet_says_what_it_left_out_and_full_prints_everything(tmp_path):
    """The done-when of the one-sheet handout: 2 pages, the notes on page 1."""
    import io

    from pypdf import PdfReader

    args = ["-s", "numb-legs", "-s", "sciatica", "--name", "Ana", "--weeks", "31"]
    args += ["--clinician", "Jo Smith, midwife", "--notes", "Physio referral sent."]
    short, full = tmp_path / "short.pdf", tmp_path / "full.pdf"
    result = run("make", *args, "--plan", "physio", "--follow-up", "7 December", "-o", short)
    assert result.exit_code == 0, result.output
    assert "Left out to fit 2 pages (--full prints everything):" in result.stderr
    assert "  sh-physio-therapies: Ask about physio or acupuncture" in result.stderr
    pages = PdfReader(io.BytesIO(short.read_bytes())).pages
    assert len(pages) == 2
    first = " ".join(pages[0].extract_text().split())
    assert "Notes from Jo Smith, midwife Physio referral sent." in first
    assert "Next appointment: 7 December" in first
    result = run("make", *args, "--full", "-o", full)
    assert result.exit_code == 0 and "Left out" not in result.stderr
    assert len(PdfReader(io.BytesIO(full.read_bytes())).pages) > 2


def test_an_unknown_plan_option_is_a_usage_error(tmp_path):
    out = tmp_path / "x.pdf"
    result = run("make", "-s", "numb-hands", "--plan", "massage", "-o", out)
    assert result.exit_code == 2
    assert "unknown plan option; expected one of: wrist-splint" in result.output
    assert "got 'massage'" in result.output  # the terminal may show the value


def test_make_reads_options_as_people_type_them(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "a.pdf"
    args = ["-s", "numb-legs, swollen-feet", "--weeks", "31+2", "--date", "22/11/2026"]
    result = run("make", *args, "--name", "Ana", "-o", out)
    assert result.exit_code == 0, result.output
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Prepared for Ana, 31 weeks pregnant, on 22 November 2026." in first


def test_print_sends_the_written_handout_to_lp(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.log"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" >> {log}\necho "request id is ward-3-7 (1 file(s))"\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    out = tmp_path / "x.pdf"
    result = make(tmp_path, "-s", "swelling", "-o", out, "--print")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out), "request id is ward-3-7 (1 file(s))"]
    for args in (
        ["--print", "ward-3", "-s", "swelling"],  # --print [PRINTER]
        ["--print=ward-3", "-s", "swelling"],
        ["--print", "-s", "swelling"],  # no printer: the default one
        ["--printer", "ward-3", "-s", "swelling"],  # the older spelling
    ):
        result = make(tmp_path, "-o", out, *args)
        assert result.exit_code == 0, result.output
    assert log.read_text().splitlines() == [
        f"-- {out}",
        f"-d ward-3 -- {out}",
        f"-d ward-3 -- {out}",
        f"-- {out}",
        f"-d ward-3 -- {out}",
    ]


def test_print_with_an_optional_value_leaves_other_options_their_values():
    from handouts.cli.command import with_optional_values

    takes = {"--name", "-o"}
    opts = ("--print",)
    assert with_optional_values(["--print"], opts, takes) == ["--print="]
    assert with_optional_values(["--print", "-o", "x"], opts, takes) == ["--print=", "-o", "x"]
    assert with_optional_values(["--print", "lp1"], opts, takes) == ["--print", "lp1"]
    # a value that looks like the option stays the value of the option before it
    assert with_optional_values(["--name", "--print"], opts, takes) == ["--name", "--print"]
    assert with_optional_values(["--", "--print"], opts, takes) == ["--", "--print"]


def test_print_without_a_print_queue_says_so_and_keeps_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "x.pdf"
    result = make(tmp_path, "-s", "swelling", "-o", out, "--print")
    assert result.exit_code == 1
    assert "Error: cannot print: no print queue command (lp) on this computer" in result.stderr
    assert f"(the handout is written: {out})" in result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert make(tmp_path, "-s", "swelling", "-o", "-", "--print").exit_code == 2


def test_version_and_short_help():
    from handouts import __version__

    assert run("--version").stdout == f"handouts {__version__}\n"
    assert run("-h").stdout.startswith("Usage: root [OPTIONS] COMMAND")  # the runner's name
    assert run("make", "-h").stdout.startswith("Usage: root make [OPTIONS]")
    assert run("practice", "init", "-h").exit_code == 0


def test_help_names_what_each_option_takes():
    help_text = run("make", "--help").stdout
    for shown in (
        "--symptom ID",
        "--omit ID",
        "--output PATH",
        "--paper [a4|letter]",
        "--from-form PATH",
        "--practice DIR",
        "--weeks N",
        "--print [PRINTER]",
    ):
        assert shown in help_text
    for command in ("make", "batch", "leaflets", "check", "serve", "intake-form", "symptoms"):
        options = run(command, "--help").stdout.split("Options:")[1]
        assert not re.search(r"<[a-z]", options), command


def test_make_my_plan_options_go_through_the_request_layer(tmp_path):
    out = tmp_path / "x.pdf"
    result = run("make", "-s", "numb-hands", "--plan", "nope", "-o", out)
    assert result.exit_code == 2
    assert "Invalid value for '--plan': unknown plan option; expected one of:" in " ".join(
        result.stderr.split()
    )
    assert not out.exists()
