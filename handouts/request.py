"""The request layer: raw fields from any front end become one ``Selection``.

The command line, a batch row, the web page and a filled-in intake form all hand
their fields over as text (or lists of text), as people typed them. This module
reads them with one set of rules and one set of messages. A message names the
field the way the front end calls it (``names``: ``--weeks`` on the command line,
the column ``weeks`` in a batch) and never repeats what was typed: that value is
carried separately (``RequestError.value``), so a terminal or the web page can
show it, and a batch manifest can store the message without patient data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from handouts.errors import RequestError
from handouts.models import Selection, Topic

FIELDS = (
    "symptoms",
    "name",
    "weeks",
    "due_date",
    "after_birth",
    "clinician",
    "notes",
    "date",
    "omit",
    "paper",
    "large_print",
    "language",
    "plan",
    "follow_up",
    "contact",
)
"""The fields a request may carry, by their own names (a batch file's columns)."""

MIN_WEEKS, MAX_WEEKS = 0, 45
FULL_TERM_DAYS = 280
PAPERS = ("a4", "letter")
MAX_LENGTH = {"name": 100, "clinician": 100, "notes": 1000, "follow_up": 100, "contact": 150}
"""Longest text accepted per field, in characters: enough for any real entry,
and a bound on what one request can ask the typesetter to do."""

DATE_ORDERS = ("dmy", "mdy")
YES = ("yes", "y", "true", "1", "on")
NO = ("no", "n", "false", "0", "off")

Raw = str | bool | int | Iterable[str] | None


@dataclass(frozen=True, slots=True)
class Request:
    """How to read one front end's fields.

    ``names`` maps a field to what this front end calls it, for messages;
    ``date_order`` says how to read a date such as 03/04/2027 (``dmy``: 3 April,
    ``mdy``: 4 March; ISO dates such as 2027-04-03 are always accepted);
    ``required`` lists fields that may not be empty.
    """

    topic: Topic
    today: dt.date
    names: Mapping[str, str] | None = None
    date_order: str = "dmy"
    required: tuple[str, ...] = ()

    def label(self, field: str) -> str:
        return (self.names or {}).get(field, field)


def read_selection(fields: Mapping[str, Raw], request: Request) -> Selection:
    """The ``Selection`` the fields ask for.

    Raises ``RequestError`` for the first field that is wrong; its ``problems``
    holds one error per wrong field, so a form can mark every one.
    """
    reader = _Reader(fields, request)
    selection = reader.selection()
    if reader.problems:
        first = reader.problems[0]
        raise RequestError(
            first.field,
            first.message,
            first.value,
            label=first.label,
            problems=tuple(reader.problems),
        )
    return selection


class _Reader:
    """Reads each field once, collecting a problem per wrong field."""

    def __init__(self, fields: Mapping[str, Raw], request: Request):
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown request fields: {', '.join(unknown)}")
        self.fields, self.request = fields, request
        self.topic = request.topic
        self.problems: list[RequestError] = []

    def fail(self, field: str, message: str, value: object = None) -> None:
        if not any(p.field == field for p in self.problems):
            shown = None if value is None else str(value)
            self.problems.append(
                RequestError(field, message, shown, label=self.request.label(field))
            )

    def name(self, field: str) -> str:
        return self.request.label(field)

    def text(self, field: str) -> str:
        value = self.fields.get(field)
        if value is None or value is False:
            return ""
        if not isinstance(value, str):
            value = " ".join(str(v) for v in value) if _is_list(value) else str(value)
        return value.strip()

    def selection(self) -> Selection:
        for field in self.request.required:
            if not self.text(field) and not _is_list(self.fields.get(field)):
                self.fail(field, "required, but empty")
        on = self.date("date") or self.request.today
        weeks = self.weeks(on)
        after_birth = self.after_birth(weeks)
        self.language()
        return Selection(
            symptoms=self.symptoms(),
            name=self.limited("name"),
            weeks=weeks,
            after_birth=after_birth,
            clinician=self.limited("clinician"),
            date=on,
            notes=self.limited("notes"),
            omit=self.omit(),
            topic=self.topic.id,
            paper=self.paper(),
            large_print=bool(self.yes_no("large_print")),
            plan=self.plan(),
            follow_up=self.limited("follow_up"),
            contact=self.limited("contact"),
        )

    def limited(self, field: str) -> str:
        value = self.text(field)
        limit = MAX_LENGTH[field]
        if len(value) > limit:
            self.fail(field, f"expected at most {limit} characters")
        return value

    def symptoms(self) -> tuple[str, ...]:
        known = self.topic.symptom_ids
        ticked = split_ids(self.fields.get("symptoms"))
        for symptom in ticked:
            if symptom not in known:
                self.fail(
                    "symptoms", f"unknown symptom; expected one of: {', '.join(known)}", symptom
                )
        return ticked

    def plan(self) -> tuple[str, ...]:
        known = [option.id for option in self.topic.plan]
        chosen = split_ids(self.fields.get("plan"))
        for option in chosen:
            if option not in known:
                expected = ", ".join(known) or "(this topic has no plan options)"
                self.fail("plan", f"unknown plan option; expected one of: {expected}", option)
        return chosen

    def omit(self) -> tuple[str, ...]:
        omitted = split_ids(self.fields.get("omit"))
        for item_id in omitted:
            item = next((i for i in self.topic.items if i.id == item_id), None)
            if item is None:
                self.fail("omit", "unknown item; see 'handouts items' for the ids", item_id)
            elif item.is_emergency:
                self.fail(
                    "omit",
                    "an emergency warning sign is in every handout; it cannot be left out",
                    item_id,
                )
        return omitted

    def weeks(self, on: dt.date) -> int | None:
        given, due = self.text("weeks"), self.text("due_date")
        if given and due:
            self.fail("due_date", f"give {self.name('weeks')} or {self.name('due_date')}, not both")
            return None
        if (given or due) and not self.topic.uses_weeks:
            field = "weeks" if given else "due_date"
            self.fail(field, f"topic {self.topic.id!r} does not use weeks of pregnancy")
            return None
        if due:
            return self.weeks_from_due(on)
        if not given:
            return None
        weeks = parse_weeks(given)
        if weeks is None:
            self.fail("weeks", "expected a whole number of weeks, such as 31 (or 31+2)", given)
        elif not MIN_WEEKS <= weeks <= MAX_WEEKS:
            self.fail("weeks", f"expected {MIN_WEEKS} to {MAX_WEEKS} weeks", given)
            return None
        return weeks

    def weeks_from_due(self, on: dt.date) -> int | None:
        due = self.date("due_date")
        if due is None:
            return None
        weeks = weeks_from_due_date(due, on)
        if not MIN_WEEKS <= weeks <= MAX_WEEKS:
            earliest = on - dt.timedelta(days=(MAX_WEEKS + 1) * 7 - 1 - FULL_TERM_DAYS)
            latest = on + dt.timedelta(days=FULL_TERM_DAYS)
            self.fail(
                "due_date",
                f"expected a due date from {earliest.isoformat()} to {latest.isoformat()} "
                f"({MIN_WEEKS} to {MAX_WEEKS} weeks of pregnancy on {on.isoformat()})",
                self.text("due_date"),
            )
            return None
        return weeks

    def after_birth(self, weeks: int | None) -> bool | None:
        after = self.yes_no("after_birth")
        if not after:
            return after
        if not self.topic.uses_weeks:
            self.fail("after_birth", f"topic {self.topic.id!r} is not about pregnancy")
        elif weeks is not None or self.text("weeks") or self.text("due_date"):
            both = f"{self.name('weeks')} (or {self.name('due_date')})"
            self.fail("after_birth", f"give {self.name('after_birth')} or {both}, not both")
        return after

    def yes_no(self, field: str) -> bool | None:
        value = self.fields.get(field)
        if isinstance(value, bool) or value is None:
            return value
        text = self.text(field).lower()
        if not text:
            return None
        if text in YES:
            return True
        if text in NO:
            return False
        self.fail(field, "expected yes or no (or leave it empty)", self.text(field))
        return None

    def date(self, field: str) -> dt.date | None:
        text = self.text(field)
        if not text:
            return None
        parsed = parse_date(text, self.request.date_order)
        if parsed is None:
            example = "24/01/2027" if self.request.date_order == "dmy" else "01/24/2027"
            hint = _ORDER_HINT[self.request.date_order]
            self.fail(
                field,
                f"expected a date as YYYY-MM-DD or {hint}, such as 2027-01-24 or {example}",
                text,
            )
        return parsed

    def paper(self) -> str | None:
        text = self.text("paper").lower()
        if not text:
            return None
        if text not in PAPERS:
            self.fail("paper", f"expected one of: {', '.join(PAPERS)}", self.text("paper"))
            return None
        return text

    def language(self) -> None:
        language = self.text("language")
        if not language:
            return
        from handouts import translations  # pydantic and the schema: only when asked

        available = (*self.topic.languages, *translations.languages(self.topic)[1:])
        if language not in available:
            self.fail(
                "language",
                f"not available; expected one of: {', '.join(available)}",
                language,
            )


_ORDER_HINT = {"dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


def split_ids(value: Raw) -> tuple[str, ...]:
    """Ids as people type them: ``numb-legs, swollen-feet``, ``a;b``, ``a b``, or a list.

    Lower-cased, empty parts dropped, each id once, in the order given.
    """
    if value is None or isinstance(value, bool):
        return ()
    parts = [value] if isinstance(value, str) else [str(v) for v in value]
    ids = (p.lower() for part in parts for p in re.split(r"[,;\s]+", part) if p)
    return tuple(dict.fromkeys(ids))


_WEEKS = re.compile(r"(\d{1,3})(?:\.0+|\+[0-6])?\s*(?:w|wk|wks|weeks?)?", re.IGNORECASE)


def parse_weeks(text: str) -> int | None:
    """Whole weeks from ``31``, ``31.0``, ``31+2`` (weeks and days) or ``31 weeks``."""
    match = _WEEKS.fullmatch(text.strip())
    return int(match.group(1)) if match else None


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")


def parse_date(text: str, order: str = "dmy") -> dt.date | None:
    """A date from ISO ``2027-01-24``, or ``24/01/2027`` (``dmy``) or ``01/24/2027`` (``mdy``).

    Slashes, dots or hyphens separate the parts; a two-digit year is 20YY.
    """
    if order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {DATE_ORDERS}")
    text = text.strip()
    if re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", text):
        year, month, day = (int(p) for p in re.split(r"[-/]", text))
    elif match := _DAY_MONTH_YEAR.fullmatch(text):
        first, second, year = (int(p) for p in match.groups())
        day, month = (first, second) if order == "dmy" else (second, first)
        year += 2000 if year < 100 else 0
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def weeks_from_due_date(due: dt.date, on: dt.date) -> int:
    """Completed weeks of pregnancy on ``on`` for a due date of ``due`` (not range-checked)."""
    return (FULL_TERM_DAYS - (due - on).days) // 7
