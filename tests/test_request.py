"""The request layer: every field's rules and messages, as any front end sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DAY

from handouts.errors import RequestError, SelectionError
from handouts.models import Practice
from handouts.request import (
    Request,
    parse_date,
    parse_weeks,
    read_selection,
    split_ids,
    weeks_from_due_date,
)


@pytest.fixture(scope="module")
def ankle(ankle_library):
    return ankle_library.topics[0]


@pytest.fixture(scope="module")
def legs(builtin_library):
    return builtin_library.topics[0]


def read(topic, **fields):
    return read_selection(fields, Request(topic, DAY))


def refused(topic, request=None, **fields) -> RequestError:
    with pytest.raises(RequestError) as caught:
        read_selection(fields, request or Request(topic, DAY))
    return caught.value


# What people type is read ---------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "numb-legs, swollen-feet",
        "numb-legs;swollen-feet",
        "numb-legs swollen-feet",
        " Numb-Legs ;; swollen-feet, numb-legs ",
        ["numb-legs", "swollen-feet"],
        ["numb-legs, swollen-feet"],
    ],
)
def test_symptom_lists_as_people_type_them(legs, typed):
    assert read(legs, symptoms=typed).symptoms == ("numb-legs", "swollen-feet")


@pytest.mark.parametrize(
    ("typed", "weeks"),
    [("31", 31), ("31.0", 31), ("31+2", 31), ("31 weeks", 31), ("0", 0), ("45", 45), (31, 31)],
)
def test_weeks_as_people_type_them(legs, typed, weeks):
    assert read(legs, weeks=typed).weeks == weeks
    assert parse_weeks(str(typed)) == weeks


@pytest.mark.parametrize(
    ("typed", "order", "date"),
    [
        ("2027-01-24", "dmy", dt.date(2027, 1, 24)),
        ("2027-01-24", "mdy", dt.date(2027, 1, 24)),
        ("24/01/2027", "dmy", dt.date(2027, 1, 24)),
        ("24.1.27", "dmy", dt.date(2027, 1, 24)),
        ("03/04/2027", "dmy", dt.date(2027, 4, 3)),
        ("03/04/2027", "mdy", dt.date(2027, 3, 4)),
        ("01/24/2027", "mdy", dt.date(2027, 1, 24)),
        ("01/24/2027", "dmy", None),
        ("24/01/2027", "mdy", None),
        ("2027-02-30", "dmy", None),
        ("tomorrow", "dmy", None),
    ],
)
def test_dates_follow_the_practices_order_and_iso_is_always_read(typed, order, date):
    assert parse_date(typed, order) == date


def test_a_practice_on_letter_paper_writes_the_month_first():
    assert Practice().date_order == "dmy"
    assert Practice(paper="letter").date_order == "mdy"


@pytest.mark.parametrize("typed", ["yes", "Y", "true", "1", "on", True])
def test_yes_no_cells(legs, typed):
    assert read(legs, after_birth=typed).after_birth is True
    assert read(legs, large_print=typed).large_print is True


def test_no_and_empty_say_different_things(legs):
    assert read(legs, after_birth="no").after_birth is False
    assert read(legs, after_birth="").after_birth is None
    assert read(legs, after_birth=None).after_birth is None


def test_a_full_request(legs):
    routine = next(i.id for i in legs.items if not i.is_emergency)
    chosen = read(
        legs,
        symptoms="numb-legs",
        name=" Ana ",
        due_date="24/01/2027",
        clinician="Jo",
        notes="Rest",
        date="2026-11-22",
        omit=routine.upper(),
        paper="Letter",
    )
    assert (chosen.name, chosen.weeks, chosen.date, chosen.paper) == ("Ana", 31, DAY, "letter")
    assert chosen.omit == (routine,) and chosen.clinician == "Jo"
    assert chosen.topic == legs.id


@pytest.mark.parametrize(
    ("days", "weeks"), [(280, 0), (63, 31), (62, 31), (56, 32), (0, 40), (-35, 45)]
)
def test_due_date_gives_completed_weeks(legs, days, weeks):
    assert weeks_from_due_date(DAY + dt.timedelta(days=days), DAY) == weeks
    due = (DAY + dt.timedelta(days=days)).isoformat()
    assert read(legs, due_date=due).weeks == weeks


# Each field's message: the rule, never the value --------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message", "value"),
    [
        (
            {"symptoms": "numb-legs, numb_legs"},
            "symptoms",
            "unknown symptom; expected one of: numb-legs, ",
            "numb_legs",
        ),
        (
            {"weeks": "ten"},
            "weeks",
            "expected a whole number of weeks, such as 31 (or 31+2)",
            "ten",
        ),
        ({"weeks": "31.5"}, "weeks", "expected a whole number of weeks", "31.5"),
        ({"weeks": "46"}, "weeks", "expected 0 to 45 weeks", "46"),
        ({"weeks": "-1"}, "weeks", "expected a whole number of weeks", "-1"),
        (
            {"due_date": "2026-13-01"},
            "due_date",
            "expected a date as YYYY-MM-DD or DD/MM/YYYY, such as 2027-01-24 or 24/01/2027",
            "2026-13-01",
        ),
        (
            {"due_date": "2020-01-01"},
            "due_date",
            "expected a due date from 2026-10-12 to 2027-08-29 "
            "(0 to 45 weeks of pregnancy on 2026-11-22)",
            "2020-01-01",
        ),
        (
            {"weeks": "30", "due_date": "2027-01-01"},
            "due_date",
            "give weeks or due_date, not both",
            None,
        ),
        (
            {"weeks": "30", "after_birth": "yes"},
            "after_birth",
            "give after_birth or weeks (or due_date), not both",
            None,
        ),
        (
            {"after_birth": "maybe"},
            "after_birth",
            "expected yes or no (or leave it empty)",
            "maybe",
        ),
        ({"large_print": "big"}, "large_print", "expected yes or no (or leave it empty)", "big"),
        (
            {"date": "31/02/2027"},
            "date",
            "expected a date as YYYY-MM-DD or DD/MM/YYYY",
            "31/02/2027",
        ),
        ({"omit": "nope"}, "omit", "unknown item; see 'handouts items' for the ids", "nope"),
        (
            {"omit": "EMERGENCY"},
            "omit",
            "an emergency warning sign is in every handout; it cannot be left out",
            "EMERGENCY",
        ),
        ({"paper": "a5"}, "paper", "expected one of: a4, letter", "a5"),
        ({"language": "fr"}, "language", "not available; expected one of: en", "fr"),
        ({"name": "x" * 101}, "name", "expected at most 100 characters", None),
        ({"notes": "x" * 1001}, "notes", "expected at most 1000 characters", None),
    ],
)
def test_each_fields_message_names_the_rule_and_carries_the_value_apart(
    legs, fields, field, message, value
):
    emergency = next(i.id for i in legs.items if i.is_emergency)
    if value == "EMERGENCY":
        fields, value = {"omit": emergency}, emergency
    error = refused(legs, **fields)
    assert error.field == field
    assert error.message.startswith(message)
    assert error.value == value
    if value is not None:
        assert value not in error.message
        assert error.shown() == f"{error.message}; got {value!r}"
    assert str(error) == f"{field}: {error.message}"


def test_a_topic_without_weeks_refuses_weeks_due_date_and_after_birth(ankle):
    assert (
        refused(ankle, weeks="12").message == "topic 'ankle-sprain' does not use weeks of pregnancy"
    )
    assert refused(ankle, due_date="2027-01-01").field == "due_date"
    error = refused(ankle, after_birth="yes")
    assert (error.field, error.message) == (
        "after_birth",
        "topic 'ankle-sprain' is not about pregnancy",
    )


def test_messages_use_the_front_ends_names(legs):
    names = {"weeks": "--weeks", "due_date": "--due-date", "after_birth": "--after-birth"}
    request = Request(legs, DAY, names)
    error = refused(legs, request, weeks="30", due_date="2027-01-01")
    assert (error.field, error.label) == ("due_date", "--due-date")
    assert error.message == "give --weeks or --due-date, not both"
    assert str(error) == "--due-date: give --weeks or --due-date, not both"
    error = refused(legs, request, weeks="30", after_birth=True)
    assert error.message == "give --after-birth or --weeks (or --due-date), not both"


def test_a_month_first_practice_is_told_so(legs):
    error = refused(legs, Request(legs, DAY, date_order="mdy"), date="24/01/2027")
    assert error.message.startswith("expected a date as YYYY-MM-DD or MM/DD/YYYY")


def test_required_fields(legs):
    request = Request(legs, DAY, required=("name", "symptoms"))
    error = refused(legs, request, name="  ", symptoms="")
    assert (error.field, error.message) == ("name", "required, but empty")
    assert [p.field for p in error.problems] == ["name", "symptoms"]


def test_every_wrong_field_is_reported_once(legs):
    error = refused(legs, weeks="99", symptoms="a b", paper="a5", date="never")
    assert [p.field for p in error.problems] == ["date", "weeks", "symptoms", "paper"]
    assert error.problems[0] is error or error.problems[0].field == error.field
    assert [p.value for p in error.problems] == ["never", "99", "a", "a5"]


def test_an_unknown_field_is_a_programming_error(legs):
    with pytest.raises(ValueError, match="unknown request fields: nhs_number"):
        read(legs, nhs_number="1")


def test_the_former_name_still_catches():
    assert SelectionError is RequestError
    assert SelectionError("output", "expected a file name").option == "output"


def test_split_ids_of_nothing():
    assert split_ids(None) == () and split_ids("") == () and split_ids(" ,; ") == ()


def test_my_plan_fields(legs):
    options = [option.id for option in legs.plan]
    assert options, "the built-in topic offers My plan options"
    chosen = read(legs, plan=f"{options[0]}, {options[-1]}", follow_up=" Tue 10am ", contact="Jo")
    assert chosen.plan == (options[0], options[-1])
    assert (chosen.follow_up, chosen.contact) == ("Tue 10am", "Jo")
    error = refused(legs, plan="wrist_splint")
    assert (error.field, error.value) == ("plan", "wrist_splint")
    assert error.message == f"unknown plan option; expected one of: {', '.join(options)}"
    assert refused(legs, contact="x" * 151).message == "expected at most 150 characters"


def test_a_topic_without_plan_options_says_so(ankle):
    assert refused(ankle, plan="physio").message == (
        "unknown plan option; expected one of: (this topic has no plan options)"
    )
