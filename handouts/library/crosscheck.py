"""Checks that need more than one file: ids, symptom and source references, texts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from handouts import models, placeholders
from handouts.errors import Problem
from handouts.library.build import _item
from handouts.library.validation import format_loc, overdue_review, visible_words
from handouts.library.yamlfile import Document
from handouts.render.markup import unsafe_links

if TYPE_CHECKING:
    from handouts.readability import Thresholds


LINK_RULE = "links may only be https:, http:, mailto: or tel:"


class CrossCheck:
    """Checks that need more than one file: ids, symptom and source references.

    The built-in loader and a practice's overlay both use it; each passes the
    symptom and source ids its items may name.
    """

    def __init__(
        self,
        topic: Any,
        symptom_ids: set[str],
        source_ids: set[str],
        problems: list[Problem],
        today: dt.date,
        readability: Thresholds | None = None,
    ):
        self.problems, self.today, self.readability = problems, today, readability
        self.symptom_ids, self.source_ids = symptom_ids, source_ids
        self.item_ids: set[str] = set()
        self.sample = placeholders.sample_context(topic)
        self.sample_after_birth = placeholders.sample_context(topic, after_birth=True)
        self.topic_file = topic

    def _add(self, doc: Document, loc: tuple[Any, ...], message: str, warning=False) -> None:
        self.problems.append(Problem(doc.path, doc.line(loc), format_loc(loc), message, warning))

    def item(self, kind: str, doc: Document, index: int, item: Any) -> models.Item:
        at = ("items", index)
        if item.id in self.item_ids:
            self._add(doc, (*at, "id"), f"duplicate item id {item.id!r}")
        self.item_ids.add(item.id)
        if kind == "warning-signs" and item.urgency is None:
            self._add(
                doc,
                at,
                "urgency: field required for warning signs "
                "(expected one of: emergency, urgent, routine)",
            )
        if kind == "warning-signs":
            self._visible(doc, at, item)
        if kind != "warning-signs" and item.urgency is not None:
            self._add(doc, (*at, "urgency"), "only warning signs have an urgency")
        self._scope(kind, doc, at, item)
        if item.when is not None:
            for n, symptom in enumerate(item.when.symptoms):
                if symptom not in self.symptom_ids:
                    self._add(
                        doc,
                        (*at, "when", "symptoms", n),
                        f"unknown symptom {symptom!r}; expected one of: "
                        f"{', '.join(sorted(self.symptom_ids))}",
                    )
            if item.when.weeks is not None and not self.topic_file.uses_weeks:
                self._add(
                    doc,
                    (*at, "when", "weeks"),
                    "this topic does not use weeks (set uses_weeks: true in topic.yaml)",
                )
            if item.when.after_birth is not None and not self.topic_file.uses_weeks:
                self._add(
                    doc,
                    (*at, "when", "after_birth"),
                    "only a pregnancy topic (uses_weeks: true in topic.yaml) has an "
                    "'after the birth'",
                )
            if item.when.after_birth and item.when.weeks is not None:
                self._add(
                    doc,
                    (*at, "when", "weeks"),
                    "weeks are weeks of pregnancy; an item only for after the birth "
                    "cannot have them",
                )
        if not item.sources:
            self._add(doc, (*at, "sources"), "every item needs at least one source")
        for n, source in enumerate(item.sources):
            if source not in self.source_ids:
                known = ", ".join(sorted(self.source_ids)) or "(none defined in topic.yaml)"
                self._add(
                    doc, (*at, "sources", n), f"unknown source {source!r}; expected one of: {known}"
                )
        if not self._placeholders(doc, at, item) and self.readability is not None:
            self._readability(doc, at, item, self.readability)
        if item.review is not None:
            self.review(item.review, doc, (*at, "review"))
        return _item(kind, item)

    def _visible(self, doc: Document, at: tuple[Any, ...], item: Any) -> None:
        """A warning sign's title, text and steps must have words a patient can see."""
        texts = [("title", item.title), ("text", item.text)]
        texts += [(("steps", n), step) for n, step in enumerate(item.steps)]
        for where, text in texts:
            if not visible_words(text):
                loc = (*at, *where) if isinstance(where, tuple) else (*at, where)
                self._add(doc, loc, "a warning sign must say something: no visible words")

    def _scope(self, kind: str, doc: Document, at: tuple[Any, ...], item: Any) -> None:
        """Who an item is for: ticked symptoms, or everyone (warning signs: their tier)."""
        fields = item.model_fields_set
        if kind == "warning-signs":
            if "scope" in fields and item.urgency != "routine":
                self._add(
                    doc,
                    (*at, "scope"),
                    "emergency and urgent signs reach everyone their `when` fits; only a "
                    "routine sign can be kept for the generic leaflet",
                )
        elif item.scope == "ticked" and not (item.when and item.when.symptoms):
            self._add(
                doc,
                (*at, "scope"),
                "an item for the ticked symptoms must name them in `when.symptoms`; "
                "advice for everyone says `scope: everyone`",
            )
        if item.first_for and kind != "warning-signs":
            self._add(doc, (*at, "first_for"), "only warning signs can stand first in a tier")
        for n, symptom in enumerate(item.first_for):
            if symptom not in self.symptom_ids:
                self._add(doc, (*at, "first_for", n), self._unknown_symptom(symptom))

    def _unknown_symptom(self, symptom: str) -> str:
        return (
            f"unknown symptom {symptom!r}; expected one of: {', '.join(sorted(self.symptom_ids))}"
        )

    def topic_texts(self, doc: Document) -> None:
        """The topic's title, summary and points may use placeholders: check them."""
        topic = self.topic_file
        texts = [("title", topic.title), ("summary", topic.summary)]
        texts += [(("remember", n), point) for n, point in enumerate(topic.remember)]
        for where, text in texts:
            loc = where if isinstance(where, tuple) else (where,)
            for sample in (self.sample, self.sample_after_birth):
                if message := placeholders.problem_in(text, sample):
                    self._add(doc, loc, message)
                    break
            for href in unsafe_links(text):
                self._add(doc, loc, f"link to {href!r}: {LINK_RULE}")
        seen: set[str] = set()
        for n, option in enumerate(topic.plan):
            if option.id in seen:
                self._add(doc, ("plan", n, "id"), f"duplicate plan option id {option.id!r}")
            seen.add(option.id)
            for m, symptom in enumerate(option.symptoms):
                if symptom not in self.symptom_ids:
                    self._add(doc, ("plan", n, "symptoms", m), self._unknown_symptom(symptom))

    def _placeholders(self, doc: Document, at: tuple[Any, ...], item: Any) -> bool:
        """Report broken placeholders; True when there were any."""
        texts = [("title", item.title), ("text", item.text)]
        texts += [(("steps", n), step) for n, step in enumerate(item.steps)]
        broken = False
        for where, text in texts:
            loc = (*at, *where) if isinstance(where, tuple) else (*at, where)
            message = placeholders.problem_in(text, self.sample)
            if message:
                self._add(doc, loc, message)
                broken = True
            for href in unsafe_links(text):
                self._add(doc, loc, f"link to {href!r}: {LINK_RULE}")
        return broken

    def _readability(
        self, doc: Document, at: tuple[Any, ...], item: Any, limits: Thresholds
    ) -> None:
        from handouts import readability as rd

        fill = placeholders.fill
        text = rd.as_sentences(fill(item.text, self.sample))
        steps = [rd.as_sentences("", [fill(step, self.sample)]) for step in item.steps]
        whole = rd.measure(text + [s for step in steps for s in step])
        grade = whole.grade
        if grade > limits.max_grade and whole.words >= limits.min_graded_words:
            self._add(
                doc,
                (*at, "text"),
                f"reading grade {grade:g} is above {limits.max_grade:g} (Flesch-Kincaid); "
                "use shorter sentences and everyday words",
                warning=True,
            )
        parts = [((*at, "text"), text)] + [((*at, "steps", n), s) for n, s in enumerate(steps)]
        for loc, sentences in parts:
            for words, sentence in rd.long_sentences(sentences, limits.max_sentence_words):
                self._add(
                    doc,
                    loc,
                    f"sentence of {words} words (limit {limits.max_sentence_words}): "
                    f'"{rd.excerpt(sentence)}"',
                    warning=True,
                )

    def review(self, review: Any, doc: Document, loc: tuple[Any, ...]) -> None:
        if problem := overdue_review(review, doc, loc, self.today):
            self.problems.append(problem)
