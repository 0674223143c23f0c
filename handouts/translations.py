"""Handouts in the patient's language: translation files beside each topic.

English is the source language. ``content/<topic>/translations/<lang>.yaml``
holds, keyed by id, the translated symptom labels and items, and the handout's
own wording (the blocks of ``wording.j2``). Each entry records a short hash of
the English it was translated from (``source``), so ``check`` can say which
entries are missing and which are stale (the English changed since), and
``make --lang`` refuses a handout with either unless ``--allow-fallback``, which
prints those parts in English and says so. Until ``review`` names the qualified
translator who checked it, every page says the translation is a draft.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from handouts import models, resources
from handouts.errors import ContentError, HandoutsError, Problem
from handouts.schema import FileModel, Id, Text

Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]

LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "ar": "العربية",
    "pl": "Polski",
    "ur": "اردو",
}
"""Each language's name in itself, for a list a patient may read too."""

FALLBACK_NOTE = "Some parts of this handout are in English: their translation is not ready yet."


class TranslationError(HandoutsError):
    """A handout cannot be made in the language asked for."""

    exit_code = 2


# --- the file format ----------------------------------------------------------------------


class TranslatorReview(FileModel):
    checked_by: Text
    """Name and qualification of the translator who checked the translation."""
    checked_on: dt.date
    """When it was checked (YYYY-MM-DD)."""


class SymptomEntry(FileModel):
    source: str
    """Hash of the English label, hint and point to remember this was translated from
    (`check` prints it)."""
    label: Text
    hint: str = ""
    remember: str = ""
    """The symptom's one thing to remember, translated."""


class ItemEntry(FileModel):
    source: str
    """Hash of the English title, text and steps this was translated from."""
    title: Text
    text: Text
    steps: list[Text] = Field(default_factory=list)


class TranslationFile(FileModel):
    """`translations/<lang>.yaml`: one language of one topic."""

    language: Lang
    """The language tag, such as `es` or `ar`; must match the file name."""
    review: TranslatorReview | None = None
    """The sign-off by a qualified translator; without it, every page says draft."""
    topic_source: str = ""
    """Hash of the English title, summary, points to remember and plan labels."""
    title: str = ""
    """The topic's title, translated (placeholders as in the English)."""
    summary: str = ""
    """The topic's summary, translated."""
    remember: list[Text] = Field(default_factory=list)
    """The topic's points to remember, in the English order."""
    get_help_point: str = ""
    """The last thing to remember: when to get help."""
    plan: dict[Id, Text] = Field(default_factory=dict)
    """The "My plan" options' labels, by option id."""
    wording_source: str = ""
    """Hash of the English `wording.j2` the wording was translated from."""
    wording: dict[str, Text] = Field(default_factory=dict)
    """Translated blocks of `wording.j2`, by block name, with the same placeholders,
    plus `translation_draft` (the draft note) and optionally `fallback_note`."""
    symptoms: dict[Id, SymptomEntry] = Field(default_factory=dict)
    items: dict[Id, ItemEntry] = Field(default_factory=dict)


# --- hashes -------------------------------------------------------------------------------


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def symptom_source(symptom: models.Symptom) -> str:
    return _hash(symptom.label, symptom.hint, symptom.remember)


def topic_source(topic: models.Topic) -> str:
    """The topic-level text a translation covers besides its items and symptoms."""
    plan = [f"{option.id}={option.label}" for option in topic.plan]
    return _hash(topic.title, topic.summary, *topic.remember, topic.get_help_point, *plan)


def item_source(item: models.Item | models.ShownItem) -> str:
    return _hash(item.title, item.text, *item.steps)


def wording_source() -> str:
    return _hash((resources.TEMPLATES / "wording.j2").read_text(encoding="utf-8"))


# --- loading and checking -----------------------------------------------------------------


@dataclass(frozen=True)
class Translation:
    path: Path
    file: TranslationFile


def folder(topic: models.Topic) -> Path | None:
    return topic.path / "translations" if topic.path else None


def languages(topic: models.Topic) -> tuple[str, ...]:
    """The topic's own language, then every language it has a translation file for."""
    where = folder(topic)
    found = sorted(p.stem for p in where.glob("*.yaml")) if where and where.is_dir() else []
    return (topic.language, *[lang for lang in found if lang != topic.language])


def files_digest(topic: models.Topic) -> str:
    """SHA-256 over the topic's translation files (a batch redoes rows when one changes)."""
    digest = hashlib.sha256()
    where = folder(topic)
    for path in sorted(where.glob("*.yaml")) if where and where.is_dir() else ():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load(topic: models.Topic, lang: str) -> Translation:
    """``topic`` in ``lang``; raises ``ContentError`` or ``TranslationError``."""
    from handouts.library import _validate, read_yaml

    where = folder(topic)
    path = where / f"{lang}.yaml" if where else None
    if path is None or not path.is_file():
        available = ", ".join(languages(topic))
        raise TranslationError(
            f"topic {topic.id!r} has no {lang!r} translation; available: {available}"
        )
    problems: list[Problem] = []
    doc = read_yaml(path)
    parsed = _validate(doc, TranslationFile, problems)
    if parsed is not None and parsed.language != lang:
        line = doc.line(("language",))
        problems.append(Problem(path, line, "language", f"must be {lang!r}, as the file name"))
    if problems:
        raise ContentError(problems)
    return Translation(path, parsed)


def check(topic: models.Topic) -> list[Problem]:
    """Every translation file of ``topic``: errors, and missing or stale entries as warnings."""
    problems: list[Problem] = []
    for lang in languages(topic)[1:]:
        try:
            translation = load(topic, lang)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_entries(topic, translation))
    return problems


def _entries(topic: models.Topic, translation: Translation) -> list[Problem]:
    file, path = translation.file, translation.path
    found: list[Problem] = []

    def warn(field: str, message: str) -> None:
        found.append(Problem(path, None, field, message, warning=True))

    english_items = {item.id: item for item in topic.items}
    for item_id, item in english_items.items():
        entry = file.items.get(item_id)
        if entry is None:
            warn(f"items.{item_id}", f"missing (English source {item_source(item)})")
        elif entry.source != item_source(item):
            warn(f"items.{item_id}", f"stale: the English changed (now {item_source(item)})")
    for symptom in topic.symptoms:
        entry = file.symptoms.get(symptom.id)
        if entry is None:
            warn(f"symptoms.{symptom.id}", f"missing (English source {symptom_source(symptom)})")
        elif entry.source != symptom_source(symptom):
            warn(f"symptoms.{symptom.id}", "stale: the English changed")
    for unknown in sorted(set(file.items) - set(english_items)):
        found.append(Problem(path, None, f"items.{unknown}", "no English item has this id"))
    if file.title and file.topic_source != topic_source(topic):
        warn("topic_source", f"stale: the topic's own text changed (now {topic_source(topic)})")
    if file.wording and file.wording_source != wording_source():
        warn("wording", f"stale: wording.j2 changed (now {wording_source()})")
    if "translation_draft" not in file.wording:
        found.append(Problem(path, None, "wording.translation_draft", "missing (the draft note)"))
    return found


# --- making a handout in another language -------------------------------------------------


def translate(handout: models.Handout, lang: str, *, allow_fallback: bool = False):
    """``handout`` in ``lang``; returns it and the ids printed in English.

    Missing or stale entries raise ``TranslationError`` unless ``allow_fallback``.
    """
    if lang == handout.topic.language:
        return handout, ()
    from handouts import placeholders

    translation = load(handout.topic, lang)
    file = translation.file
    english: list[str] = []
    originals = {i.id: i for i in handout.topic.items}
    context = placeholders.context(
        handout.practice,
        handout.patient,
        handout.topic,
        clinician=handout.clinician,
        date=handout.date,
    )

    def fill(text: str) -> str:
        return placeholders.fill(text, context).strip()

    def item(shown: models.ShownItem) -> models.ShownItem:
        entry = file.items.get(shown.id)
        if entry is None or entry.source != item_source(originals[shown.id]):
            english.append(shown.id)
            return shown
        steps = tuple(step for step in map(fill, entry.steps) if step)
        return dataclasses.replace(
            shown, title=fill(entry.title), text=fill(entry.text), steps=steps
        )

    def symptom(s: models.Symptom) -> models.Symptom:
        entry = file.symptoms.get(s.id)
        if entry is None or entry.source != symptom_source(s):
            english.append(s.id)
            return s
        return dataclasses.replace(
            s, label=entry.label, hint=entry.hint, remember=entry.remember or s.remember
        )

    items = tuple(item(i) for i in handout.items)
    symptoms = tuple(symptom(s) for s in handout.symptoms)
    topic_current = bool(file.title) and file.topic_source == topic_source(handout.topic)
    if not topic_current:
        english.append("topic")
    stale_wording = bool(file.wording) and file.wording_source != wording_source()
    if stale_wording or not file.wording:
        english.append("wording")
    if english and not allow_fallback:
        raise TranslationError(
            f"{translation.path}: no current {lang!r} translation of: {', '.join(english)} "
            "(run 'handouts check'; --allow-fallback prints them in English)"
        )
    from handouts import wording

    topic = dataclasses.replace(handout.topic, language=lang)
    translated = dataclasses.replace(handout, topic=topic, items=items, symptoms=symptoms)
    if topic_current:
        translated = dataclasses.replace(
            translated,
            title=fill(file.title),
            summary=fill(file.summary),
            remember=_remember(handout, symptoms, file, fill),
            plan=tuple(
                dataclasses.replace(line, label=file.plan.get(line.id, line.label))
                for line in handout.plan
            ),
        )
    # The English wording around translated names and titles, then the translated blocks.
    words = wording.words(translated, handout.practice.templates)
    if not stale_wording:
        words.update(_render_wording(translated, file.wording))
    draft = file.wording.get(
        "translation_draft", "Translation not yet checked by a qualified translator"
    )
    if file.review is None:
        for mark in ("draft_mark", "reviewed_mark"):
            words[mark] = f"{words[mark]} · {draft}"
    if english:
        note = file.wording.get("fallback_note", FALLBACK_NOTE)
        words["disclaimer"] = f"{words['disclaimer']} {note}"
    translated = dataclasses.replace(translated, words=words)
    return translated, tuple(english)


def _remember(handout, symptoms, file: TranslationFile, fill) -> tuple[str, ...]:
    """The things to remember, built as compose builds them, from the translated text."""
    from handouts.compose import remember_points

    topic = dataclasses.replace(
        handout.topic,
        symptoms=symptoms,
        remember=tuple(file.remember) or handout.topic.remember,
        get_help_point=file.get_help_point or handout.topic.get_help_point,
    )
    ticked = tuple(s.id for s in symptoms)
    return remember_points(topic, ticked, fill)


def _render_wording(handout: models.Handout, blocks: dict[str, str]) -> dict[str, str]:
    from jinja2 import TemplateError as JinjaError

    from handouts import wording
    from handouts.errors import TemplateError

    env = wording.environment(())
    variables = wording._variables(handout)
    rendered = {}
    for name, text in blocks.items():
        if name not in wording.BLOCKS:
            continue
        try:
            rendered[name] = " ".join(env.from_string(text).render(variables).split())
        except JinjaError as exc:
            raise TemplateError(f"translation wording {name}: {exc.message}") from None
    return rendered
