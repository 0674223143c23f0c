"""A row's cells: the columns a batch file has, and the ``Selection`` a row asks for."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from handouts.compose import weeks_from_due_date
from handouts.errors import SelectionError
from handouts.limits import check_lengths
from handouts.models import Selection, Topic

COLUMNS = (
    "name",
    "weeks",
    "due_date",
    "after_birth",
    "symptoms",
    "clinician",
    "notes",
    "language",
    "output",
    "date",
)
"""The columns a batch file may have; ``name`` and ``symptoms`` are required."""

REQUIRED = ("name", "symptoms")

OPTION_COLUMNS = {
    "--symptom": "symptoms",
    "--weeks": "weeks",
    "--due-date": "due_date",
    "--date": "date",
    "--after-birth": "after_birth",
}
"""compose reports problems by command-line option; a batch names the column."""


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its number (1 = first row after the header) and its cells."""

    number: int
    fields: dict[str, str]
    problem: str = ""


def selection_for(fields: dict[str, str], topic: Topic, today: dt.date, paper: str | None):
    """The ``Selection`` a row asks for; raises ``SelectionError`` naming the column."""
    for column in REQUIRED:
        if not fields[column]:
            raise SelectionError(column, "required, but the cell is empty")
    check_lengths(fields)
    if fields["weeks"] and fields["due_date"]:
        raise SelectionError("due_date", "give weeks or due_date, not both")
    language = fields["language"]
    if language and language not in topic.languages:
        raise SelectionError(
            "language",
            f"{language!r} is not available; expected one of: {', '.join(topic.languages)}",
        )
    on = _date(fields["date"], "date") if fields["date"] else today
    weeks = _weeks(fields["weeks"]) if fields["weeks"] else None
    if fields["due_date"]:
        weeks = weeks_from_due_date(_date(fields["due_date"], "due_date"), on)
    after_birth = _yes_no(fields["after_birth"], "after_birth")
    if after_birth and weeks is not None:
        raise SelectionError("after_birth", "give after_birth or weeks (or due_date), not both")
    return Selection(
        symptoms=tuple(fields["symptoms"].split(";")),
        name=fields["name"],
        weeks=weeks,
        after_birth=after_birth,
        clinician=fields["clinician"],
        date=on,
        notes=fields["notes"],
        topic=topic.id,
        paper=paper,
    )


def _date(value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SelectionError(
            column, f"expected a date as YYYY-MM-DD, such as 2027-01-24; got {value!r}"
        ) from None


YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")


def _yes_no(value: str, column: str) -> bool | None:
    """True for yes, False for no, None for an empty cell (not said)."""
    if not value:
        return None
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise SelectionError(column, f"expected yes or no (or leave it empty); got {value!r}")


def _weeks(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise SelectionError("weeks", f"expected a whole number of weeks; got {value!r}") from None


def example_csv(topic: Topic) -> str:
    """A small batch file that runs clean against ``topic``."""
    ids = topic.symptom_ids
    weeks = topic.uses_weeks
    rows = [
        {
            "name": "Ana Silva",
            "weeks": "31" if weeks else "",
            "symptoms": ";".join(ids[:2]),
            "clinician": "Jo Smith, midwife",
            "notes": "Review in two weeks.",
            "output": "ana-silva.pdf",
        },
        {
            "name": "Sam Lee",
            "due_date": (dt.date.today() + dt.timedelta(weeks=12)).isoformat() if weeks else "",
            "symptoms": ids[-1],
            "clinician": "Jo Smith, midwife",
        },
        {
            "name": "Priya Patel",
            "symptoms": ";".join(ids[1:4]),
            "after_birth": "yes" if weeks else "",
            "language": topic.language,
        },
    ]
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()
