"""The in-memory model: what the loader produces and compose and the renderers use.

These are plain frozen dataclasses, so a loaded library can be cached and a
``handouts make`` process never needs the YAML parser or the validation layer
(``handouts.schema``) when the content has not changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

MODULE_KINDS = ("causes", "self-help", "diet", "prevention", "warning-signs")
"""The module files of a topic, in the order a handout prints them."""

URGENCIES = ("emergency", "urgent", "routine")


@dataclass(frozen=True, slots=True)
class Review:
    status: str = "draft"
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    next_review: dt.date | None = None

    @property
    def is_draft(self) -> bool:
        return self.status != "clinically-reviewed"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str
    accessed: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Codes:
    icd10cm: tuple[str, ...] = ()
    snomed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Symptom:
    id: str
    label: str
    hint: str = ""
    codes: Codes = field(default_factory=Codes)
    remember: str = ""


@dataclass(frozen=True, slots=True)
class Weeks:
    start: int | None = None
    end: int | None = None

    def fits(self, weeks: int | None) -> bool:
        """True when ``weeks`` is inside the range, or unknown."""
        if weeks is None:
            return True
        if self.start is not None and weeks < self.start:
            return False
        return not (self.end is not None and weeks > self.end)


@dataclass(frozen=True, slots=True)
class When:
    symptoms: tuple[str, ...] = ()
    weeks: Weeks | None = None
    after_birth: bool | None = None
    """True: only after the birth; False: only during pregnancy; None: both."""


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    module: str
    title: str
    text: str
    steps: tuple[str, ...] = ()
    when: When | None = None
    urgency: str | None = None
    sources: tuple[str, ...] = ()
    review: Review | None = None
    scope: str = "ticked"
    """``ticked`` or ``everyone`` (see ``handouts.schema.ItemFile.scope``)."""
    priority: str = "medium"
    first_for: tuple[str, ...] = ()

    @property
    def is_emergency(self) -> bool:
        return self.urgency == "emergency"

    @property
    def is_warning(self) -> bool:
        return self.urgency is not None


PRIORITIES = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class PlanOption:
    """A tick option of the "My plan" box."""

    id: str
    label: str
    symptoms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    version: str
    audience: str = ""
    language: str = "en"
    languages: tuple[str, ...] = ("en",)
    urgent_contact: str = "your doctor"
    routine_contact: str = "your doctor"
    uses_weeks: bool = False
    review: Review = field(default_factory=Review)
    remember: tuple[str, ...] = ()
    get_help_point: str = ""
    main_publishers: tuple[str, ...] = ()
    plan: tuple[PlanOption, ...] = ()
    sources: tuple[Source, ...] = ()
    symptoms: tuple[Symptom, ...] = ()
    items: tuple[Item, ...] = ()
    path: Path | None = None

    def symptom(self, symptom_id: str) -> Symptom:
        return next(s for s in self.symptoms if s.id == symptom_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    @property
    def symptom_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.symptoms)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


@dataclass(frozen=True, slots=True)
class Library:
    """Every topic of a content root, validated."""

    topics: tuple[Topic, ...]
    root: Path | None = None

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)


LARGE_PRINT_SIZE = 16.0
"""Body text size of large print, in points."""


@dataclass(frozen=True, slots=True)
class Practice:
    """Who hands the leaflet out: branding, local phone numbers and sign-off.

    Empty phone numbers print as blank lines to write on by hand. Paths are
    absolute, checked when the practice folder was loaded.
    """

    name: str = ""
    address: str = ""
    website: str = ""
    urgent_phone: str = ""
    urgent_label: str = ""
    phone: str = ""
    emergency_number: str = ""
    region: str = ""
    """Two-letter country code the phone numbers are checked for (GB, US...)."""
    paper: str = "a4"
    font_size: float = 12.0
    large_print: bool = False
    language: str = "en"
    footer: str = ""
    reference: str = ""
    clinicians: tuple[str, ...] = ()
    logo: Path | None = None
    accent_colour: str = ""
    font: Path | None = None
    templates: tuple[Path, ...] = ()
    online_url: str = ""
    review: Review | None = None
    folder: Path | None = None
    is_default: bool = True

    @property
    def body_size(self) -> float:
        """Body text size: the practice's, or at least 16 pt in large print."""
        if self.large_print:
            return max(self.font_size, LARGE_PRINT_SIZE)
        return self.font_size

    @property
    def date_order(self) -> str:
        """How the practice writes dates such as 03/04/2027: ``dmy`` (3 April) or ``mdy``.

        Read from its paper: Letter is North American, month first; A4 practices
        write the day first. ISO dates (2027-04-03) are read everywhere.
        """
        return "mdy" if self.paper == "letter" else "dmy"


@dataclass(frozen=True, slots=True)
class Selection:
    """What the clinician ticked and typed for one patient."""

    symptoms: tuple[str, ...] = ()
    name: str = ""
    weeks: int | None = None
    after_birth: bool | None = None
    """True after the birth, False during pregnancy, None when not said."""
    clinician: str = ""
    date: dt.date | None = None
    notes: str = ""
    omit: tuple[str, ...] = ()
    topic: str | None = None
    paper: str | None = None
    large_print: bool = False
    plan: tuple[str, ...] = ()
    """Ids of the "My plan" options the clinician ticked."""
    follow_up: str = ""
    """When the next appointment or review is, as it should print."""
    contact: str = ""
    """Whom to call with questions, and the number, as it should print."""
    leaflet: bool = False
    """A waiting-room leaflet: never personalised, even with a symptom ticked."""

    @property
    def personalised(self) -> bool:
        return not self.leaflet and bool(
            self.symptoms
            or self.name
            or self.weeks is not None
            or self.after_birth
            or self.clinician
        )

    @property
    def after_birth_known(self) -> bool | None:
        """True after the birth, False during pregnancy (or weeks given), None when not said."""
        if self.after_birth is not None:
            return self.after_birth
        return False if self.weeks is not None else None


@dataclass(frozen=True, slots=True)
class Patient:
    """The patient fields placeholders can use."""

    name: str = ""
    first_name: str = ""
    weeks: int | None = None
    after_birth: bool = False


@dataclass(frozen=True, slots=True)
class ShownItem:
    """An item as it appears in one handout, placeholders filled."""

    id: str
    module: str
    title: str
    text: str
    steps: tuple[str, ...] = ()
    urgency: str | None = None
    sources: tuple[str, ...] = ()
    priority: str = "medium"
    symptoms: tuple[str, ...] = ()
    """The ticked symptoms this item is about, in the item's own order (so the one it is
    mainly about comes first, and it prints under that one); empty for everyone."""
    primary: bool = False
    """True when the first symptom the item names is ticked: it is mainly about it."""


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One tick box of "My plan": ticked when the clinician chose it."""

    label: str
    ticked: bool = False
    id: str = ""
    """The topic's option id (a translation finds its label by it)."""


@dataclass(frozen=True, slots=True)
class Handout:
    """Everything a renderer needs; renderers decide only how it looks."""

    topic: Topic
    practice: Practice
    patient: Patient
    date: dt.date
    clinician: str
    notes: str
    symptoms: tuple[Symptom, ...]
    items: tuple[ShownItem, ...]
    personalised: bool
    paper: str
    review: Review
    sources: tuple[Source, ...]
    title: str = ""
    """The topic's title, filled for this patient's stage."""
    summary: str = ""
    remember: tuple[str, ...] = ()
    """The things to remember, in print order; the last says when to get help."""
    plan: tuple[PlanLine, ...] = ()
    follow_up: str = ""
    contact: str = ""
    words: dict[str, str] = field(default_factory=dict)
    """The frame's wording (``wording.j2``), resolved once for every renderer."""
    dropped: tuple[ShownItem, ...] = ()
    """Items left out to keep to the page budget."""

    def module(self, kind: str) -> tuple[ShownItem, ...]:
        return tuple(i for i in self.items if i.module == kind)

    def warnings(self, urgency: str) -> tuple[ShownItem, ...]:
        return tuple(i for i in self.module("warning-signs") if i.urgency == urgency)

    @property
    def ticked(self) -> bool:
        return bool(self.symptoms)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)
