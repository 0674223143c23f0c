"""Profile: load a practice folder, check practice.yaml, and drive the overlay merge.

A practice folder holds ``practice.yaml`` (name, phone numbers, look, sign-off)
and optional ``content/``, ``templates/`` and ``fonts/`` folders. Overlay items
merge into the built-in topics by id: the same id replaces an item, a new id
adds one, and ``hide:`` removes items. None of it can make a handout less safe:
emergency and urgent warning signs cannot be hidden, and no warning sign can be moved to
another module or given a lower urgency. Every problem is reported as
``file:line: field: message``, like the content's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts import models
from handouts.errors import ContentError, PracticeError, Problem
from handouts.library import (
    LINK_RULE,
    Document,
    LibraryCheck,
    _display_root,
    _read,
    _validate,
    format_loc,
    overdue_review,
    read_yaml,
)
from handouts.practice import assets
from handouts.practice.files import FONTS, PRACTICE_FILE, TEMPLATES
from handouts.practice.overlay import Overlay
from handouts.practice.phones import check_phones, default_region
from handouts.practice.protection import Protection
from handouts.practice.signoff import SignOff, _reviewed, coverage

if TYPE_CHECKING:
    from handouts.readability import Thresholds

MIN_CONTRAST = 4.5
"""WCAG AA contrast for normal text on white."""


@dataclass
class PracticeCheck(LibraryCheck):
    """The library with the practice's overlay merged in, the practice, and every problem."""

    practice: models.Practice | None = None


def load_practice(folder: Path, library: models.Library, *, today: dt.date | None = None):
    """``(library, practice)`` for ``folder``; raises ``PracticeError`` listing every problem."""
    result = check_practice(folder, library, today=today)
    if result.errors or result.practice is None:
        raise PracticeError(result.errors)
    return result.library, result.practice


def check_practice(
    folder: Path,
    library: models.Library,
    *,
    today: dt.date | None = None,
    readability: Thresholds | None = None,
) -> PracticeCheck:
    """Validate a practice folder against ``library`` and merge its overlay.

    With ``readability`` thresholds, the overlay's items are measured like built-in ones.
    """
    loading = _Loading(Path(folder), today or dt.date.today(), readability)
    return loading.run(library)


def check_with_practice(content: LibraryCheck, folder: Path, **kw) -> PracticeCheck:
    """``check_practice`` after ``check_library``: every problem of both, in that order."""
    if content.library is None:
        return PracticeCheck(None, content.problems)
    result = check_practice(folder, content.library, **kw)
    return PracticeCheck(result.library, content.problems + result.problems, result.practice)


def clinicians(folder: Path) -> tuple[str, ...]:
    """The names in a practice's ``clinicians:`` list, or none if it cannot be read."""
    try:
        data = read_yaml(Path(folder) / PRACTICE_FILE).data
    except ContentError:  # an unreadable file offers no names
        return ()
    names = data.get("clinicians") if isinstance(data, dict) else None
    return tuple(str(n) for n in names) if isinstance(names, list) else ()


class _Loading(Overlay, Protection, SignOff):
    """One practice folder being checked: where it is, what it found so far."""

    def __init__(self, folder: Path, today: dt.date, readability: Thresholds | None = None):
        self.folder, self.today, self.readability = folder, today, readability
        self.shown = _display_root(folder)
        self.problems: list[Problem] = []
        self.signed_signs: dict[str, str] = {}
        self.covered = False

    def add(self, doc: Document, loc: tuple[Any, ...], message: str, warning=False, detail=""):
        self.problems.append(
            Problem(doc.path, doc.line(loc), format_loc(loc), message, warning, detail)
        )

    def run(self, library: models.Library) -> PracticeCheck:
        result = PracticeCheck(None, self.problems)
        path = self.folder / PRACTICE_FILE
        if not self.folder.is_dir():
            self.problems.append(Problem(self.shown, None, "", "practice folder not found"))
            return result
        if not path.exists():
            self.problems.append(Problem(self.shown / PRACTICE_FILE, None, "", "file missing"))
            return result
        doc = _read(path, self.shown / PRACTICE_FILE, self.problems)
        if doc is None:
            return result
        from handouts import schema

        file = _validate(doc, schema.PracticeFile, self.problems)
        if file is None:
            return result
        practice = self.practice(file, doc)
        self.signed_signs = dict(file.review.warning_signs) if file.review else {}
        topics = [self.merge(topic) for topic in library.topics]
        self.unknown_overlay_topics(library)
        topics = self.hide(file, doc, topics)
        self.covered = self.covers(file, doc, coverage(self.folder, library, file))
        topics = [_reviewed(t, self.sign_off(file, doc, practice, t)) for t in topics]
        self.language(file, doc, topics)
        if self.errors():
            return result
        result.library = models.Library(tuple(topics), library.root)
        result.practice = practice
        self.templates(result.library, practice)
        if self.errors():
            result.library = result.practice = None
        return result

    def errors(self) -> bool:
        return any(not p.warning for p in self.problems)

    # --- practice.yaml ------------------------------------------------------

    def practice(self, file: Any, doc: Document) -> models.Practice:
        review = None
        if file.review is not None:
            sign = file.review
            review = models.Review(
                "clinically-reviewed", sign.reviewed_by, sign.reviewed_on, sign.next_review
            )
            if problem := overdue_review(sign, doc, ("review",), self.today):
                self.problems.append(problem)
        region = (file.region or default_region(file.paper)).upper()
        check_phones(file, region, lambda loc, message, **kw: self.add(doc, loc, message, **kw))
        templates = self.folder / TEMPLATES
        return models.Practice(
            name=file.name,
            address=file.address,
            website=file.website,
            urgent_phone=file.urgent_phone,
            urgent_label=file.urgent_label,
            phone=file.phone,
            emergency_number=file.emergency_number,
            region=region,
            paper=file.paper,
            font_size=file.font_size,
            large_print=file.large_print,
            language=file.language,
            footer=file.footer,
            reference=file.reference,
            clinicians=tuple(file.clinicians),
            logo=self.logo(file.logo, doc),
            accent_colour=self.accent(file.accent_colour, doc),
            font=self.font(file.font, doc),
            online_url=file.online_url,
            templates=(templates.resolve(),) if templates.is_dir() else (),
            review=review,
            folder=self.folder.resolve(),
            is_default=False,
        )

    def logo(self, name: str | None, doc: Document) -> Path | None:
        if not name:
            return None
        path = self.folder / name
        if not self.inside(path):
            self.add(doc, ("logo",), f"must be a file in the practice folder; got {name!r}")
            return None
        if not path.is_file():
            self.add(doc, ("logo",), f"file not found: {self.shown / name}")
            return None
        try:
            return assets.usable_logo(path.resolve())
        except assets.AssetProblem as exc:
            self.add(doc, ("logo",), f"{exc}: {self.shown / name}")
            return None

    def font(self, name: str | None, doc: Document) -> Path | None:
        if not name:
            return None
        path = self.folder / FONTS / name
        if not self.inside(path):
            self.add(
                doc, ("font",), f"must be a file in the practice's fonts/ folder; got {name!r}"
            )
            return None
        if not path.is_file():
            self.add(doc, ("font",), f"file not found: {self.shown / FONTS / name}")
            return None
        usable = True
        for file in assets.font_family(path):
            shown = self.shown / FONTS / file.name
            if not self.inside(file):
                self.add(doc, ("font",), f"must be a file in the practice's fonts/ folder: {shown}")
                usable = False
                continue
            try:
                assets.check_font(file)
            except assets.AssetProblem as exc:
                self.add(doc, ("font",), f"not a usable TrueType font: {shown}", detail=str(exc))
                usable = False
        return path.resolve() if usable else None

    def inside(self, path: Path) -> bool:
        """True when ``path`` stays inside the practice folder (no '..', no absolute path)."""
        return path.resolve().is_relative_to(self.folder.resolve())

    def accent(self, colour: str | None, doc: Document) -> str:
        if not colour:
            return ""
        readable = readable_colour(colour)
        if readable != colour:
            self.add(
                doc,
                ("accent_colour",),
                f"{colour} is too pale to read on white ({contrast(colour):.1f}:1); "
                f"printing {readable} ({contrast(readable):.1f}:1) instead",
                warning=True,
            )
        return readable

    def language(self, file: Any, doc: Document, topics: list[models.Topic]) -> None:
        for topic in topics:
            if file.language not in topic.languages:
                self.add(
                    doc,
                    ("language",),
                    f"topic {topic.id!r} is not available in {file.language!r} "
                    f"(available: {', '.join(topic.languages)}); it prints in {topic.language!r}",
                    warning=True,
                )

    # --- templates ----------------------------------------------------------

    def templates(self, library: models.Library, practice: models.Practice) -> None:
        """Render the wording once, so a broken template is found by ``check``.

        A template that is a link to a file outside the practice folder is refused, like
        a logo or font; a template that extends itself, or links to anything but the
        web, e-mail or a phone, is an error.
        """
        if not practice.templates:
            return
        if self.linked_templates():
            return
        from handouts.compose import compose
        from handouts.errors import TemplateError
        from handouts.render.markup import unsafe_links

        for topic in library.topics:
            try:  # compose resolves the wording
                blocks = compose(library, models.Selection(topic=topic.id), practice).words
            except TemplateError as exc:
                self.problems.append(Problem(self.shown / TEMPLATES, None, "", str(exc)))
                return
            except RecursionError:
                message = "a template extends or includes itself"
                self.problems.append(Problem(self.shown / TEMPLATES, None, "", message))
                return
            for block, text in blocks.items():
                for href in unsafe_links(text):
                    message = f"link to {href!r}: {LINK_RULE}"
                    self.problems.append(Problem(self.shown / TEMPLATES, None, block, message))

    def linked_templates(self) -> bool:
        """Report each template that leads outside the practice folder; True if any."""
        found = False
        root = self.folder / TEMPLATES
        for path in sorted(root.rglob("*")):
            if path.is_symlink() and not self.inside(path):
                shown = self.shown / TEMPLATES / path.relative_to(root)
                message = "must be a file in the practice folder, not a link to one outside it"
                self.problems.append(Problem(shown, None, "", message))
                found = True
        return found


def readable_colour(colour: str) -> str:
    """``colour``, darkened just enough to reach 4.5:1 contrast on white."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    factor = 1.0
    candidate = colour.lower()
    while contrast(candidate) < MIN_CONTRAST:
        factor -= 0.02
        candidate = "#" + "".join(f"{round(c * factor):02x}" for c in (red, green, blue))
    return candidate


def contrast(colour: str) -> float:
    """WCAG contrast ratio of ``colour`` (#rrggbb) on white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)
