"""Practice: load a practice folder and merge its content overlay into the library.

A practice folder holds ``practice.yaml`` (name, phone numbers, look, sign-off)
and optional ``content/``, ``templates/`` and ``fonts/`` folders. Overlay items
merge into the built-in topics by id: the same id replaces an item, a new id
adds one, and ``hide:`` removes items. None of it can make a handout less safe:
emergency and urgent warning signs cannot be hidden, and no warning sign can be moved to
another module or given a lower urgency. Every problem is reported as
``file:line: field: message``, like the content's own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from handouts import models, resources
from handouts.errors import ContentError, PracticeError, Problem, SelectionError
from handouts.library import (
    SYMPTOMS_FILE,
    CrossCheck,
    Document,
    LibraryCheck,
    _display_root,
    _read,
    _validate,
    format_loc,
    implied_scope,
    overdue_review,
    read_yaml,
    topic_folders,
)

if TYPE_CHECKING:
    from handouts.readability import Thresholds

PRACTICE_FILE = "practice.yaml"
SOURCES_FILE = "sources.yaml"
OVERLAY, TEMPLATES, FONTS = "content", "templates", "fonts"
EXAMPLE = resources.PACKAGE / "examples" / PRACTICE_FILE
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


def _reviewed(topic: models.Topic, signed: models.Review | None) -> models.Topic:
    """``topic`` with the review record every item carries once the practice is applied.

    Signed off by the practice: the topic and every item sharing its review (built-in items,
    and the practice's own without a record) take the sign-off. Not signed off: the practice's
    own items without a record are drafts, so they can never print as checked. An item with a
    record of its own keeps it either way.
    """
    if signed is None:
        draft = models.Review("draft")
        items = tuple(i if i.review else dataclasses.replace(i, review=draft) for i in topic.items)
        return dataclasses.replace(topic, items=items)
    items = tuple(
        dataclasses.replace(i, review=signed) if i.review in (None, topic.review) else i
        for i in topic.items
    )
    return dataclasses.replace(topic, review=signed, items=items)


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


class _Loading:
    """One practice folder being checked: where it is, what it found so far."""

    def __init__(self, folder: Path, today: dt.date, readability: Thresholds | None = None):
        self.folder, self.today, self.readability = folder, today, readability
        self.shown = _display_root(folder)
        self.problems: list[Problem] = []

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
        topics = [self.merge(topic) for topic in library.topics]
        self.unknown_overlay_topics(library)
        topics = self.hide(file, doc, topics)
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

    def sign_off(self, file: Any, doc: Document, practice: models.Practice, topic: models.Topic):
        """The practice's sign-off if it is for ``topic``'s current content, else None."""
        if file.review is None:
            return None
        if file.review.content_version != topic.version:
            self.add(
                doc,
                ("review", "content_version"),
                f"signed off for content version {file.review.content_version}, but "
                f"{topic.id} is now version {topic.version}: read what changed, then sign off "
                "again; until then its handouts print the draft mark",
                warning=True,
            )
            return None
        return practice.review

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
        templates = self.folder / TEMPLATES
        return models.Practice(
            name=file.name,
            address=file.address,
            website=file.website,
            urgent_phone=file.urgent_phone,
            urgent_label=file.urgent_label,
            phone=file.phone,
            emergency_number=file.emergency_number,
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
        from reportlab.lib.utils import ImageReader

        try:
            ImageReader(str(path)).getSize()
        except Exception:  # ReportLab and Pillow raise many kinds for a bad image
            self.add(doc, ("logo",), f"not an image (expected PNG or JPEG): {self.shown / name}")
            return None
        return path.resolve()

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
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            TTFont("handouts-check", str(path))
        except Exception as exc:  # the TrueType parser raises many kinds for a bad file
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.add(doc, ("font",), f"not a usable TrueType font: {self.shown / FONTS / name}")
            self.problems[-1] = dataclasses.replace(self.problems[-1], detail=reason)
            return None
        return path.resolve()

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

    # --- hide ---------------------------------------------------------------

    def hide(self, file: Any, doc: Document, topics: list[models.Topic]) -> list[models.Topic]:
        hidden = set()
        for n, item_id in enumerate(file.hide):
            found = [i for t in topics for i in t.items if i.id == item_id]
            if not found:
                self.add(doc, ("hide", n), f"unknown item {item_id!r}; see 'handouts items'")
            elif any(i.is_emergency for i in found):
                self.add(
                    doc,
                    ("hide", n),
                    f"{item_id!r} is an emergency warning sign; it is in every handout "
                    "and cannot be hidden",
                )
            elif any(i.urgency == "urgent" for i in found):
                self.add(
                    doc,
                    ("hide", n),
                    f"{item_id!r} is an urgent warning sign and cannot be hidden from every "
                    "handout; replace it with your own wording instead (handouts practice "
                    "override), or leave it out for one patient with --omit",
                )
            hidden.add(item_id)
        return [
            dataclasses.replace(t, items=tuple(i for i in t.items if i.id not in hidden))
            for t in topics
        ]

    # --- the content overlay ------------------------------------------------

    def overlay_folders(self) -> list[Path]:
        root = self.folder / OVERLAY
        return topic_folders(root) if root.is_dir() else []

    def unknown_overlay_topics(self, library: models.Library) -> None:
        for folder in self.overlay_folders():
            if folder.name not in library.topic_ids:
                self.problems.append(
                    Problem(
                        self.shown / OVERLAY / folder.name,
                        None,
                        "",
                        f"unknown topic {folder.name!r}; expected one of: "
                        f"{', '.join(library.topic_ids)}",
                    )
                )

    def merge(self, topic: models.Topic) -> models.Topic:
        folder = self.folder / OVERLAY / topic.id
        if not folder.is_dir():
            return topic
        shown = self.shown / OVERLAY / topic.id
        sources = self.sources(topic, folder, shown)
        symptoms = self.symptoms(topic, folder, shown)
        checker = CrossCheck(
            topic,
            {s.id for s in symptoms},
            {s.id for s in sources},
            self.problems,
            self.today,
            self.readability,
        )
        builtin = {item.id: item for item in topic.items}
        by_id = dict(builtin)
        added: list[models.Item] = []
        for kind, doc, module in self.modules(folder, shown):
            for index, entry in enumerate(module.items):
                item = checker.item(kind, doc, index, entry)
                base = builtin.get(item.id)
                at = ("items", index)
                if base is None:
                    self.added(entry, doc, at)
                    added.append(item)
                    continue
                self.protect(base, item, doc, at)
                self.stale(base, entry, doc, at)
                by_id[item.id] = item
        items = [by_id[i.id] for i in topic.items] + added
        items.sort(key=lambda i: models.MODULE_KINDS.index(i.module))
        return dataclasses.replace(
            topic, items=tuple(items), symptoms=tuple(symptoms), sources=tuple(sources)
        )

    def modules(self, folder: Path, shown: Path):
        from handouts import schema

        for path in sorted(folder.glob("*.yaml")):
            if path.name in (SYMPTOMS_FILE, SOURCES_FILE):
                continue
            if path.stem not in models.MODULE_KINDS:
                expected = ", ".join([*models.MODULE_KINDS, "symptoms", "sources"])
                self.problems.append(
                    Problem(
                        shown / path.name,
                        1,
                        "",
                        f"unknown module kind {path.stem!r}; expected one of: {expected}",
                    )
                )
                continue
            doc = _read(path, shown / path.name, self.problems)
            module = _validate(doc, schema.OverlayModuleFile, self.problems) if doc else None
            if module is not None:
                yield path.stem, doc, module

    def sources(self, topic: models.Topic, folder: Path, shown: Path) -> list[models.Source]:
        from handouts import schema

        sources = list(topic.sources)
        doc, file = self.extra(folder, shown, SOURCES_FILE, schema.SourcesFile)
        for n, s in enumerate(file.sources if file else ()):
            if s.id in {x.id for x in sources}:
                self.add(doc, ("sources", n, "id"), f"source {s.id!r} is already in the topic")
                continue
            sources.append(models.Source(s.id, s.publisher, s.title, s.url, s.accessed))
        return sources

    def symptoms(self, topic: models.Topic, folder: Path, shown: Path) -> list[models.Symptom]:
        from handouts import schema

        symptoms = {s.id: s for s in topic.symptoms}
        _, file = self.extra(folder, shown, SYMPTOMS_FILE, schema.SymptomsFile)
        for s in file.symptoms if file else ():
            codes = models.Codes(tuple(s.codes.icd10cm), tuple(s.codes.snomed))
            symptoms[s.id] = models.Symptom(s.id, s.label, s.hint, codes)
        return list(symptoms.values())

    def extra(self, folder: Path, shown: Path, name: str, model: Any):
        if not (folder / name).is_file():
            return None, None
        doc = _read(folder / name, shown / name, self.problems)
        return doc, (_validate(doc, model, self.problems) if doc else None)

    def protect(self, base: models.Item, item: models.Item, doc: Document, at: tuple) -> None:
        """A replacement may not move an item, nor lower a warning sign's urgency."""
        if item.module != base.module:
            self.add(
                doc,
                (*at, "id"),
                f"{base.id!r} is in {base.module}.yaml; a replacement must stay there",
            )
        elif base.urgency and item.urgency and _rank(item.urgency) > _rank(base.urgency):
            self.add(
                doc,
                (*at, "urgency"),
                f"{base.id!r} is an {base.urgency} warning sign; a practice may not "
                f"lower its urgency (got {item.urgency!r})",
            )

    def stale(self, base: models.Item, entry: Any, doc: Document, at: tuple) -> None:
        """Warn when the built-in item changed after the override was made from it."""
        now = item_hash(base)
        if entry.based_on is None:
            self.add(
                doc,
                (*at, "id"),
                f"replaces built-in item {base.id!r} without based_on, so check cannot "
                "tell you when the built-in item changes; after checking your text "
                f"against it, add based_on: {now}",
                warning=True,
            )
        elif entry.based_on != now:
            self.add(
                doc,
                (*at, "based_on"),
                f"built-in item {base.id!r} has changed since this override was made "
                f"from it (based_on {entry.based_on}, now {now}); check your text "
                f"still fits, then set based_on: {now}",
                warning=True,
                detail=_what_changed(base, entry.based_on_text),
            )

    def added(self, entry: Any, doc: Document, at: tuple) -> None:
        if entry.based_on is not None:
            self.add(
                doc,
                (*at, "based_on"),
                f"there is no built-in item {entry.id!r} any more; this item is "
                "added, and replaces nothing",
                warning=True,
            )

    # --- templates ----------------------------------------------------------

    def templates(self, library: models.Library, practice: models.Practice) -> None:
        """Render the wording once, so a broken template is found by ``check``."""
        if not practice.templates:
            return
        from handouts.compose import compose
        from handouts.errors import TemplateError

        for topic in library.topics:
            try:  # compose resolves the wording
                compose(library, models.Selection(topic=topic.id), practice)
            except TemplateError as exc:
                self.problems.append(Problem(self.shown / TEMPLATES, None, "", str(exc)))
                return


def _rank(urgency: str) -> int:
    return models.URGENCIES.index(urgency)


# --- Overrides: what they were made from -------------------------------------


def item_hash(item: models.Item) -> str:
    """First 8 hex digits of the sha256 of the item's content (not its review record).

    Fields left unset are left out, so a new optional field in a later version of
    handouts does not make every practice's overrides look stale.
    """
    content = {k: v for k, v in dataclasses.asdict(item).items() if k != "review"}
    for key, default in (("priority", "medium"), ("scope", implied_scope(item))):
        if content[key] == default:
            del content[key]
    canonical = json.dumps(_as_written(content), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:8]


def _as_written(value: Any) -> Any:
    """``value`` without its unset (None or empty) fields, at every depth."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items() if v not in (None, (), [], {}, "")}
    if isinstance(value, (list, tuple)):
        return [_as_written(v) for v in value]
    return value


def item_text(item: models.Item) -> str:
    """The item as a person reads it, wrapped, so a diff shows what changed."""
    lines = [f"title: {item.title}", *textwrap.wrap(f"text: {item.text}", 76)]
    lines += [f"step: {step}" for step in item.steps]
    if item.urgency:
        lines.append(f"urgency: {item.urgency}")
    if item.when is not None:
        lines.append(f"when symptoms: {', '.join(item.when.symptoms) or 'any'}")
        if item.when.weeks is not None:
            lines.append(f"when weeks: from {item.when.weeks.start} to {item.when.weeks.end}")
    return "\n".join(lines) + "\n"


def _what_changed(base: models.Item, based_on_text: str | None) -> str:
    now = item_text(base)
    if not based_on_text:
        return (
            "(the text it was made from is not recorded, so here is the built-in item now)\n" + now
        )
    then = based_on_text if based_on_text.endswith("\n") else based_on_text + "\n"
    diff = difflib.unified_diff(
        then.splitlines(), now.splitlines(), "built-in then", "built-in now", lineterm=""
    )
    return "\n".join(diff)


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


# --- Writing a practice folder ----------------------------------------------


def init(folder: Path) -> list[Path]:
    """Write an example practice folder; refuses to overwrite a practice.yaml."""
    from handouts.output import write_atomic

    folder = Path(folder)
    target = folder / PRACTICE_FILE
    if target.exists():
        shown = _display_root(folder) / PRACTICE_FILE
        raise PracticeError([Problem(shown, None, "", "already exists; not overwritten")])
    written = []
    for sub in (OVERLAY, TEMPLATES, FONTS):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    written.append(write_atomic(target, EXAMPLE.read_bytes()))
    for sub, text in FOLDER_NOTES.items():
        note = folder / sub / "README.txt"
        if not note.exists():
            written.append(write_atomic(note, text.encode()))
    return written


FOLDER_NOTES = {
    OVERLAY: """\
Your changes to the built-in content, one folder per topic, laid out like the
built-in content: content/<topic-id>/<module>.yaml (causes, self-help, diet,
prevention, warning-signs), plus symptoms.yaml and sources.yaml to add symptoms
and sources.

An item with the id of a built-in item replaces it; a new id adds an item.
Start a replacement with:

    handouts practice override ITEM-ID --practice .

which copies the built-in item here with based_on filled in, so that
'handouts check --practice .' tells you when the built-in item changes.
Emergency and urgent warning signs cannot be hidden; no warning sign can be moved or
made less urgent.
""",
    TEMPLATES: """\
Your own wording around the items. To change one piece, write wording.j2 here:

    {% extends "base/wording.j2" %}
    {% block emergency_intro %}Ring 999 straight away if you notice:{% endblock %}

The blocks are listed in the built-in templates/wording.j2.
""",
    FONTS: """\
TrueType fonts (.ttf) for the handouts, such as one that covers your language's
script. Name the regular one in practice.yaml (font: MyFont-Regular.ttf); files
named MyFont-Bold.ttf, MyFont-Italic.ttf and MyFont-BoldItalic.ttf beside it
are used for bold and italic when present.
""",
}


def override(
    folder: Path, library: models.Library, item_id: str, topic_id: str | None = None
) -> Path:
    """Copy a built-in item into the practice's overlay, with based_on filled in."""
    from handouts.output import write_atomic

    topic, item = _find_item(library, item_id, topic_id)
    if not (Path(folder) / PRACTICE_FILE).is_file():
        shown = _display_root(Path(folder)) / PRACTICE_FILE
        message = "file missing; start the practice with 'handouts practice init'"
        raise PracticeError([Problem(shown, None, "", message)])
    path = Path(folder) / OVERLAY / topic.id / f"{item.module}.yaml"
    shown = _display_root(Path(folder)) / OVERLAY / topic.id / f"{item.module}.yaml"
    block = _override_block(topic, item)
    if path.exists():
        text = _append(path, shown, item, block)
    else:
        text = "items:\n" + textwrap.indent(block, "  ")
    _check_written(text, shown)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, text.encode())


def _find_item(library: models.Library, item_id: str, topic_id: str | None):
    topics = [library.topic(topic_id)] if topic_id else list(library.topics)
    found = [(t, i) for t in topics for i in t.items if i.id == item_id]
    if not found:
        raise SelectionError("ITEM_ID", f"unknown item {item_id!r}; see 'handouts items'")
    if len(found) > 1:
        names = ", ".join(t.id for t, _ in found)
        raise SelectionError("--topic", f"{item_id!r} is in several topics ({names}); choose one")
    return found[0]


def _override_block(topic: models.Topic, item: models.Item) -> str:
    entry: dict[str, Any] = {"id": item.id, "title": item.title, "text": item.text}
    if item.steps:
        entry["steps"] = list(item.steps)
    if item.when is not None:
        when: dict[str, Any] = {}
        if item.when.symptoms:
            when["symptoms"] = list(item.when.symptoms)
        if item.when.weeks is not None:
            weeks = {"from": item.when.weeks.start, "to": item.when.weeks.end}
            when["weeks"] = {k: v for k, v in weeks.items() if v is not None}
        entry["when"] = when
    if item.urgency:
        entry["urgency"] = item.urgency
    entry["sources"] = list(item.sources)
    entry["based_on"] = item_hash(item)
    entry["based_on_text"] = item_text(item)
    body = yaml.dump([entry], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    head = (
        f"# Copied from the built-in item {item.id!r} of {topic.id}/{item.module}.yaml.\n"
        "# Edit title, text and steps. Leave based_on and based_on_text as they are: they\n"
        "# record the built-in text this was made from, so `handouts check` can tell you\n"
        "# when the built-in item changes, and show what changed.\n"
    )
    return head + body


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so based_on_text reads as it prints."""


def _literal(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper, value: list):
    ids = all(isinstance(v, str) and v and " " not in v for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=ids)


_Dumper.add_representer(str, _literal)
_Dumper.add_representer(list, _list)


def _append(path: Path, shown: Path, item: models.Item, block: str) -> str:
    doc = read_yaml(path, shown)
    items = doc.data.get("items") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise PracticeError([Problem(shown, doc.line(), "items", "expected a list of items")])
    for n, entry in enumerate(items):
        if isinstance(entry, dict) and entry.get("id") == item.id:
            line = doc.line(("items", n, "id"))
            raise PracticeError(
                [Problem(shown, line, f"items[{n}].id", f"{item.id!r} is already overridden here")]
            )
    sequence = next(v for k, v in doc.node.value if k.value == "items")
    if sequence.flow_style:
        raise PracticeError(
            [Problem(shown, doc.line(("items",)), "items", "write it as a block list to add to it")]
        )
    text = path.read_text(encoding="utf-8")
    indent = " " * sequence.start_mark.column
    return text.rstrip("\n") + "\n\n" + textwrap.indent(block, indent)


def _check_written(text: str, shown: Path) -> None:
    """Never write an overlay file that no longer parses."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PracticeError(
            [Problem(shown, None, "", f"cannot add the item to this file: {exc}")]
        ) from None
