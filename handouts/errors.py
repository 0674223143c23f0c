"""The named errors of handouts.

The library raises these; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content or practice file."""

    path: Path | str
    line: int | None
    field: str
    message: str
    warning: bool = False
    detail: str = ""
    """Further lines (such as a diff), printed indented under the problem."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        field = f" {self.field}:" if self.field else ""
        kind = "warning: " if self.warning else ""
        more = "".join(f"\n    {line}" for line in self.detail.splitlines())
        return f"{where}:{field} {kind}{self.message}{more}"


class HandoutsError(Exception):
    """Base class of every error handouts reports to a user."""

    exit_code = 1


class ContentError(HandoutsError):
    """Content (or practice) files are broken; carries every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PracticeError(ContentError):
    """A practice folder is broken."""


class RequestError(HandoutsError):
    """A request (symptoms, weeks, dates, omitted items...) is not valid.

    ``field`` is the request field (``weeks``, ``due_date``...); ``label`` is what
    the front end calls it (``--weeks``, the column ``weeks``); ``message`` names
    the rule and never the value typed, which is ``value`` (``None`` when there is
    none), so the message can be stored and the value shown only where it is safe.
    ``problems`` holds one error per wrong field (this one first).
    """

    exit_code = 2

    def __init__(
        self,
        field: str,
        message: str,
        value: str | None = None,
        *,
        label: str | None = None,
        problems: tuple[RequestError, ...] = (),
    ):
        self.field = field
        self.message = message
        self.value = value
        self.label = label or field
        self.problems = problems or (self,)
        super().__init__(f"{self.label}: {message}")

    @property
    def option(self) -> str:
        """What the front end calls the field (kept for callers of ``SelectionError``)."""
        return self.label

    def shown(self) -> str:
        """The message with the value typed, for a terminal or the page that sent it."""
        return self.message if self.value is None else f"{self.message}; got {self.value!r}"


SelectionError = RequestError
"""The former name of ``RequestError``."""


class TemplateError(HandoutsError):
    """A wording template is missing or broken."""

    exit_code = 2


class OutputError(HandoutsError):
    """The handout could not be written."""

    exit_code = 1


class InputFileError(HandoutsError):
    """A batch input file cannot be used at all (unreadable, unknown columns)."""

    exit_code = 2
