"""A row's cells: the columns a batch file has, and the ``Selection`` a row asks for."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace

from handouts import request
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
    "plan",
    "follow_up",
    "contact",
)
"""The columns a batch file may have; ``name`` and ``symptoms`` are required. ``plan``
holds "My plan" option ids separated by ``;``; ``follow_up`` and ``contact`` print as
written."""

REQUIRED = ("name", "symptoms")

OPTION_COLUMNS = {
    "--symptom": "symptoms",
    "--weeks": "weeks",
    "--due-date": "due_date",
    "--date": "date",
    "--after-birth": "after_birth",
    "--plan": "plan",
}
"""compose reports problems by command-line option; a batch names the column."""


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its number (1 = first row after the header) and its cells."""

    number: int
    fields: dict[str, str]
    problem: str = ""


def selection_for(
    fields: dict[str, str],
    topic: Topic,
    today: dt.date,
    paper: str | None,
    date_order: str = "dmy",
) -> Selection:
    """The ``Selection`` a row asks for; raises ``RequestError`` naming the column.

    The request layer reads the cells as people type them (``numb-legs, swollen-feet``,
    ``31.0``, ``24/01/2027`` where the practice writes the day first, ``yes``/``no``).
    """
    cells = {column: value for column, value in fields.items() if column in request.FIELDS}
    asked = request.Request(topic, today, date_order=date_order, required=REQUIRED)
    return replace(request.read_selection(cells, asked), paper=paper)


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
            "plan": next((p.id for p in topic.plan), ""),
            "follow_up": "In two weeks, antenatal clinic",
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
