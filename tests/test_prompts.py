"""Interactive make: the questions, typed answers, skipping, and Ctrl-C."""

from __future__ import annotations

import pytest
import typer
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from handouts.cli.prompts import CANCELLED, ask
from handouts.models import Practice

DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"


def answer(topic, practice, keys: str, fields: dict | None = None) -> dict:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return ask(topic, practice, fields or {}, input=pipe, output=DummyOutput())


@pytest.fixture(scope="module")
def legs(builtin_library):
    return builtin_library.topics[0]


def test_tick_type_and_choose(legs):
    practice = Practice(clinicians=("Jo Smith", "Sam Lee"))
    keys = (
        SPACE
        + DOWN
        + SPACE
        + ENTER  # tick the first two symptoms
        + "Ana Silva"
        + ENTER
        + ENTER  # stage: weeks pregnant
        + "31+2"
        + ENTER
        + DOWN
        + ENTER  # clinician: the second
        + "Rest more"
        + ENTER
    )
    fields = answer(legs, practice, keys)
    assert fields["symptoms"] == [legs.symptoms[0].id, legs.symptoms[1].id]
    assert (fields["name"], fields["weeks"], fields["clinician"]) == (
        "Ana Silva",
        "31+2",
        "Sam Lee",
    )
    assert fields["notes"] == "Rest more"


def test_enter_skips_and_a_wrong_answer_is_asked_again(legs):
    keys = (
        SPACE
        + ENTER
        + ENTER  # no name
        + ENTER  # weeks
        + "50"
        + ENTER  # refused: 0 to 45
        + "\x7f\x7f"
        + "30"
        + ENTER
        + ENTER  # no clinician
        + ENTER  # no notes
    )
    fields = answer(legs, Practice(), keys)
    assert (fields["name"], fields["weeks"], fields["clinician"], fields["notes"]) == (
        "",
        "30",
        "",
        "",
    )


def test_after_the_birth_and_given_options_are_not_asked_again(legs):
    keys = DOWN + DOWN + ENTER + ENTER  # stage: after the birth; no notes
    fields = answer(
        legs, Practice(), keys, {"symptoms": ["numb-legs"], "name": "Bo", "clinician": "Jo"}
    )
    assert fields["after_birth"] is True and fields["name"] == "Bo"


def test_nothing_ticked_asks_before_the_general_leaflet(legs):
    fields = answer(
        legs, Practice(), ENTER + "y" + ENTER + ENTER + DOWN * 3 + ENTER + ENTER + ENTER
    )
    assert fields["symptoms"] == []
    with pytest.raises(typer.Exit) as stopped:
        answer(legs, Practice(), ENTER + "n" + ENTER)
    assert stopped.value.exit_code == CANCELLED


def test_ctrl_c_cancels_with_one_line_and_130(legs, capsys):
    with pytest.raises(typer.Exit) as stopped:
        answer(legs, Practice(), SPACE + ENTER + CTRL_C)
    assert stopped.value.exit_code == CANCELLED
    assert capsys.readouterr().err == "Cancelled; nothing written.\n"
