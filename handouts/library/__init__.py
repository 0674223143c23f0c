"""Load: read a content root's YAML, validate it, and build a ``Library``.

Every problem is collected with its file, line and field, and reported together
(``content/x/diet.yaml:14: items[2].text: field required``). Lines come from the
YAML node tree, so they point at what the author wrote.

``yamlfile`` reads YAML with its lines, ``validation`` turns schema errors into
messages, ``topic`` loads one topic folder, ``crosscheck`` checks what spans files and
``build`` makes the model; this module loads and checks a whole content root, from the
cache when it can.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handouts import models, resources
from handouts.errors import ContentError, Problem
from handouts.library.build import implied_scope
from handouts.library.crosscheck import LINK_RULE, CrossCheck
from handouts.library.topic import SYMPTOMS_FILE, TOPIC_FILE, TopicCheck, load_topic
from handouts.library.validation import (
    _validate,
    format_loc,
    overdue_review,
    visible_words,
)
from handouts.library.yamlfile import MAX_DEPTH, Document, _read, line_of, read_yaml

if TYPE_CHECKING:
    from handouts.readability import Thresholds


@dataclass
class LibraryCheck:
    """The result of checking a content root: the library (if valid) and every problem."""

    library: models.Library | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def topic_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def check_library(
    root: Path | None = None,
    *,
    today: dt.date | None = None,
    readability: Thresholds | None = None,
) -> LibraryCheck:
    """Validate every topic under ``root`` (default: the built-in content).

    With ``readability`` thresholds, hard-to-read items are warnings too.
    """
    root = Path(root) if root is not None else resources.CONTENT
    display = _display_root(root)
    if not root.is_dir():
        return LibraryCheck(None, [Problem(display, None, "", "content folder not found")])
    problems: list[Problem] = []
    topics = []
    for folder in topic_folders(root):
        result = load_topic(folder, display, today=today, readability=readability)
        problems.extend(result.problems)
        if result.topic is not None:
            topics.append(result.topic)
    if not topics and not problems:
        problems.append(Problem(display, None, "", "no topic folders found"))
    library = (
        models.Library(tuple(topics), root) if not any(not p.warning for p in problems) else None
    )
    return LibraryCheck(library, problems)


def load_library(root: Path | None = None, *, use_cache: bool = True) -> models.Library:
    """The validated library; raises ``ContentError`` listing every problem.

    A library validated before from the same, unchanged files comes from the cache.
    """
    from handouts import cache

    root = Path(root) if root is not None else resources.CONTENT
    if use_cache and root.is_dir() and (cached := cache.read(root)) is not None:
        return cached
    result = check_library(root)
    if result.library is None:
        raise ContentError(result.errors)
    if use_cache:
        cache.write(root, result.library)
    return result.library


def _display_root(root: Path) -> Path:
    """Show paths relative to the working folder when they are below it."""
    try:
        return root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return root


__all__ = [
    "LINK_RULE",
    "MAX_DEPTH",
    "SYMPTOMS_FILE",
    "TOPIC_FILE",
    "CrossCheck",
    "Document",
    "LibraryCheck",
    "TopicCheck",
    "_display_root",
    "_read",
    "_validate",
    "check_library",
    "format_loc",
    "implied_scope",
    "line_of",
    "load_library",
    "load_topic",
    "overdue_review",
    "read_yaml",
    "topic_folders",
    "visible_words",
]
