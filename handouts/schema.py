"""The content file formats, as pydantic models.

Each model is one YAML file (or one entry in it). Unknown keys are errors, and
every field has a docstring, which ``handouts schema`` turns into the JSON
Schema descriptions that YAML editors show. Only the loader and ``handouts
schema`` import this module; the rest of handouts works on ``handouts.models``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60),
]
"""Lower-case letters, digits and single hyphens, such as ``numb-legs``."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FileModel(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        populate_by_name=False,
    )


class ReviewFile(FileModel):
    status: Literal["draft", "clinically-reviewed"] = "draft"
    """`draft` until a clinician has checked the text; then `clinically-reviewed`."""
    reviewed_by: str | None = None
    """Name and role of the clinician who checked it."""
    reviewed_on: dt.date | None = None
    """When it was checked (YYYY-MM-DD)."""
    next_review: dt.date | None = None
    """When it must be checked again (YYYY-MM-DD); `check` warns once it has passed."""

    @model_validator(mode="after")
    def _signed_off_needs_name_and_date(self) -> ReviewFile:
        if self.status == "clinically-reviewed" and not (self.reviewed_by and self.reviewed_on):
            raise ValueError("clinically-reviewed content needs reviewed_by and reviewed_on")
        return self


class SourceFile(FileModel):
    id: Id
    """Short id that items use in `sources:`."""
    publisher: Text
    """Who published it, such as `NHS 111 Wales`."""
    title: Text
    """The page or leaflet title."""
    url: Text
    """Where to read it."""
    accessed: dt.date | None = None
    """When the page was read (YYYY-MM-DD)."""


class PlanOptionFile(FileModel):
    id: Id
    """Used on the command line: `handouts make --plan wrist-splint`."""
    label: Text
    """What the patient reads beside the tick box."""
    symptoms: list[Id] = []
    """Offer the option when one of these is ticked (none: always)."""


class TopicFile(FileModel):
    """`topic.yaml`: what the topic is, its version, review record and sources."""

    id: Id
    """Must match the folder name."""
    title: Text
    """The handout's title; placeholders such as `{% if patient.after_birth %}` can make
    it read right for the stage."""
    summary: Text
    """One or two sentences that open the handout (placeholders allowed)."""
    version: Text
    """Content version printed in every footer, such as `2026.11.0`."""
    audience: str = ""
    """Who the handout is written for."""
    language: str = "en"
    """Language of the text in these files."""
    languages: list[str] = ["en"]
    """Languages the topic is available in."""
    uses_weeks: bool = False
    """True when weeks of pregnancy apply (`--weeks`, `when.weeks`)."""
    urgent_contact: Text = "your doctor"
    """Whom to contact the same day, in words, such as `your maternity unit, midwife or GP`."""
    routine_contact: Text = "your doctor"
    """Whom to tell at the next appointment, in words."""
    review: ReviewFile = ReviewFile()
    """Clinical review record of the whole topic."""
    remember: list[Text] = []
    """Points for everyone, printed under "things to remember" when fewer than two ticked
    symptoms have a point of their own (and in the generic leaflet)."""
    get_help_point: Text = "If you have any sign in the red box, call for help now."
    """The last of the things to remember: when to get help."""
    main_publishers: list[Text] = []
    """The publishers named in a personalised handout's one-line source note, such as `NHS`;
    the full list is in the generic leaflet."""
    plan: list[PlanOptionFile] = []
    """Tick options of the "My plan" box, such as a wrist splint or a physio referral."""
    sources: list[SourceFile] = []
    """Every source the items cite."""


_ICD10CM = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")

# Verhoeff's dihedral-group tables: SNOMED CT ids end in a Verhoeff check digit.
_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def _icd10cm(code: str) -> str:
    if not _ICD10CM.fullmatch(code):
        raise ValueError(f"not an ICD-10-CM code (such as R20.2 or G56.03); got {code!r}")
    return code


def _snomed(concept: str) -> str:
    if not (concept.isascii() and concept.isdigit() and 6 <= len(concept) <= 18):
        raise ValueError(f"not a SNOMED CT id (6 to 18 digits, such as 57406009); got {concept!r}")
    check = 0
    for position, digit in enumerate(reversed(concept)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    if check != 0:
        raise ValueError(f"not a SNOMED CT id: its check digit is wrong; got {concept!r}")
    return concept


Icd10cmCode = Annotated[str, AfterValidator(_icd10cm)]


def _digits_as_text(value: object) -> object:
    """YAML reads an unquoted SNOMED CT id as a number; it is an identifier."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


SnomedId = Annotated[str, BeforeValidator(_digits_as_text), AfterValidator(_snomed)]


class CodesFile(FileModel):
    icd10cm: list[Icd10cmCode] = []
    """ICD-10-CM codes, such as `R20.2`."""
    snomed: list[SnomedId] = []
    """SNOMED CT concept ids (6 to 18 digits, the last a Verhoeff check digit)."""


class SymptomFile(FileModel):
    id: Id
    """The checkbox id used on the command line, such as `numb-legs`."""
    label: Text
    """The checkbox label, in plain words."""
    hint: str = ""
    """One line that helps the clinician and patient recognise it."""
    remember: Text | None = None
    """The one thing to remember about this symptom, printed on page 1 when it is ticked."""
    codes: CodesFile = CodesFile()
    """Clinical codes for records."""


class SymptomsFile(FileModel):
    """`symptoms.yaml`: the checkboxes of a topic."""

    symptoms: list[SymptomFile]
    """The checkboxes, in the order they are offered."""


class WeeksFile(FileModel):
    start: int | None = Field(default=None, alias="from", ge=0, le=45)
    """First week the item applies (inclusive)."""
    end: int | None = Field(default=None, alias="to", ge=0, le=45)
    """Last week the item applies (inclusive)."""

    @model_validator(mode="after")
    def _from_before_to(self) -> WeeksFile:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"impossible weeks range: from {self.start} is after to {self.end}")
        return self


class WhenFile(FileModel):
    symptoms: list[Id] = []
    """Show the item when any of these symptoms is ticked (none: any symptom)."""
    weeks: WeeksFile | None = None
    """Show the item only in these weeks of pregnancy."""
    after_birth: bool | None = None
    """`true`: only after the birth; `false`: only during pregnancy; absent: both. When a
    handout does not say which, the item shows."""


class ItemFile(FileModel):
    id: Id
    """Unique within the topic."""
    title: Text
    """Short heading, the action first where there is one."""
    text: Text
    """Plain-language text; **bold**, *italic* and [links](https://...) allowed;
    placeholders such as `{{ practice.urgent_phone }}`."""
    steps: list[Text] = []
    """Short action bullets."""
    when: WhenFile | None = None
    """When to show the item; absent means always."""
    urgency: Literal["emergency", "urgent", "routine"] | None = None
    """Warning signs only: emergency items are in every handout."""
    scope: Literal["ticked", "everyone"] | None = None
    """`everyone`: advice for everyone, in the generic leaflet, and in a personalised handout
    only when a ticked symptom is in its `when.symptoms`. `ticked`: for the symptoms its
    `when.symptoms` names (which it must name). Absent: `ticked` when the item names symptoms,
    else `everyone`. Warning signs: only a routine sign can be kept for the generic leaflet."""
    priority: Literal["high", "medium", "low"] = "medium"
    """A handout over its page budget leaves out `low` items first, then `medium`, then
    `high`; warning signs are never left out."""
    first_for: list[Id] = []
    """Warning signs only: stand first in their tier when one of these symptoms is ticked."""
    sources: list[Id] = []
    """Ids from the topic's source list."""
    review: ReviewFile | None = None
    """Review record, when it differs from the topic's."""


class ModuleFile(FileModel):
    """A module file (`causes.yaml`, `self-help.yaml`, ...): a list of items."""

    items: list[ItemFile]
    """The items, in the order they print."""


# --- A practice folder ------------------------------------------------------

Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$")]
"""The first 8 hex digits of a built-in item's content hash."""


class OverlayItemFile(ItemFile):
    """An item in a practice's overlay: a new item, or one that replaces a built-in item."""

    based_on: Hash | None = None
    """Hash of the built-in item this one replaces, as it was when copied
    (`handouts practice override` fills it in); `check` warns when the built-in item changes."""
    based_on_text: str | None = None
    """The built-in item's text as it was when copied, so `check` can show what changed."""


class OverlayModuleFile(FileModel):
    """A module file in a practice's `content/<topic-id>/` folder."""

    items: list[OverlayItemFile]
    """Items that replace built-in items with the same id, or add new ones."""


class SourcesFile(FileModel):
    """`sources.yaml` in a practice's `content/<topic-id>/` folder: sources its items cite."""

    sources: list[SourceFile]
    """Sources added to the topic's list."""


Code = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
"""A code `check` shows (8 hex digits); YAML reads one of only digits as a number."""


class SignOffFile(FileModel):
    reviewed_by: Text
    """Name and role of the clinician who checked the content, such as `Dr Jo Smith, GP`."""
    reviewed_on: dt.date
    """When it was checked (YYYY-MM-DD)."""
    content_version: Annotated[str, BeforeValidator(lambda v: str(v) if v is not None else v)]
    """The content version that was checked (`handouts topics` shows it). A topic whose
    content has changed since prints the draft mark again until it is signed off anew."""
    next_review: dt.date | None = None
    """When it must be checked again (YYYY-MM-DD); `check` warns once it has passed."""
    covers: dict[str, Code] | None = None
    """What was checked, one code per part (content, overlay, wording, settings), as
    `check` shows them. Any change to those parts prints the draft mark again."""
    warning_signs: dict[str, Code] = {}
    """One line per warning sign the practice reworded: its id and the code `check` shows
    for the wording that was checked. Without it, that sign prints the draft mark."""


class PracticeFile(FileModel):
    """`practice.yaml`: who hands the leaflet out, their phone numbers and look."""

    name: str = ""
    """The practice's name, printed at the top of every handout."""
    address: str = ""
    """Postal address, printed under the name."""
    website: str = ""
    """Web address, printed under the name."""
    urgent_phone: str = ""
    """Number to call the same day (printed in the warning boxes); empty: a line to write on."""
    urgent_label: str = ""
    """What the urgent number is, such as `Maternity triage, 24 hours`."""
    phone: str = ""
    """Switchboard or reception number."""
    emergency_number: str = ""
    """The local emergency number: 999, 911, 112...; empty: "your local emergency number"."""
    region: str | None = None
    """Country the phone numbers are dialled in, as a two-letter code such as GB, US or AU
    (default: US for Letter paper, else GB)."""
    logo: str | None = None
    """Logo file (PNG or JPEG), relative to the practice folder."""
    accent_colour: str | None = None
    """Colour of headings and rules, as #RRGGBB; darkened if too pale to read on white."""
    paper: Literal["a4", "letter"] = "a4"
    """Paper size: a4 or letter."""
    font_size: float = Field(default=12.0, ge=12, le=24)
    """Body text size in points (12 to 24)."""
    large_print: bool = False
    """Print every handout in large print (body text 16 pt or more)."""
    language: str = "en"
    """Default language of the handouts."""
    clinicians: list[Text] = []
    """Names offered for `handouts make --clinician`."""
    footer: str = ""
    """Text printed in the footer of every page."""
    reference: str = ""
    """Leaflet code printed in the footer, such as `MAT-042`."""
    hide: list[Id] = []
    """Ids of items to leave out of every handout (emergency warning signs cannot be hidden)."""
    review: SignOffFile | None = None
    """Clinical sign-off: with it, handouts say "Checked by NAME on DATE" instead of DRAFT."""
    font: str | None = None
    """A TrueType font file in `fonts/`, such as `NotoSans-Regular.ttf`."""
    online_url: str = ""
    """Where patients can read this information online (https://...); a QR code to it
    prints beside the source note."""

    @field_validator("online_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^\s]+\.[^\s]+", value):
            raise ValueError(f"expected a web address such as https://example.org; got {value!r}")
        return value

    @field_validator("accent_colour")
    @classmethod
    def _hex_colour(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError(f"expected a colour as #RRGGBB, such as #1a4f8b; got {value!r}")
        return value.lower() if value else value


FILE_MODELS: dict[str, type[FileModel]] = {
    "topic": TopicFile,
    "symptoms": SymptomsFile,
    "module": ModuleFile,
    "practice": PracticeFile,
}


def json_schemas() -> dict[str, dict]:
    """JSON Schema of each content file kind, for YAML editors."""
    return {kind: model.model_json_schema(by_alias=True) for kind, model in FILE_MODELS.items()}
