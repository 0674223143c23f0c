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


class SelectionError(HandoutsError):
    """The patient selection (symptoms, weeks, dates, omitted items) is not valid.

    ``option`` names the command-line option the value came from, so the CLI can
    report it as a usage error.
    """

    exit_code = 2

    def __init__(self, option: str, message: str):
        self.option = option
        self.message = message
        super().__init__(f"{option}: {message}")


class TemplateError(HandoutsError):
    """A wording template is missing or broken."""

    exit_code = 2


class OutputError(HandoutsError):
    """The handout could not be written."""

    exit_code = 1


class InputFileError(HandoutsError):
    """A batch input file cannot be used at all (unreadable, unknown columns)."""

    exit_code = 2
