"""Compose: decide what one patient's handout says.

``compose(library, selection, practice)`` is a pure function of its inputs (the
date defaults to today): no files, no ReportLab. It picks the items whose
conditions match the ticked symptoms and weeks, always keeps emergency warning
signs, and fills the placeholders. The selection was checked by the request layer
(``handouts.request``), which every front end uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from handouts import placeholders
from handouts.errors import RequestError
from handouts.models import (
    Handout,
    Item,
    Library,
    Patient,
    Practice,
    Review,
    Selection,
    ShownItem,
    Topic,
)


def compose(library: Library, selection: Selection, practice: Practice) -> Handout:
    topic = choose_topic(library, selection.topic)
    if selection.large_print and not practice.large_print:
        practice = dataclasses.replace(practice, large_print=True)
    symptoms = frozenset(selection.symptoms)
    patient = Patient(
        name=selection.name.strip(),
        first_name=first_name(selection.name),
        weeks=selection.weeks,
        after_birth=bool(selection.after_birth),
    )
    date = selection.date or dt.date.today()
    context = placeholders.context(
        practice, patient, topic, clinician=selection.clinician.strip(), date=date
    )
    chosen = [item for item in topic.items if shows(item, selection, symptoms)]
    items = tuple(_fill(item, context) for item in chosen)
    cited = {source for item in items for source in item.sources}
    return Handout(
        topic=topic,
        practice=practice,
        patient=patient,
        date=date,
        clinician=selection.clinician.strip(),
        notes=selection.notes.strip(),
        symptoms=tuple(s for s in topic.symptoms if s.id in symptoms),
        items=items,
        personalised=selection.personalised,
        paper=(selection.paper or practice.paper).lower(),
        review=handout_review(topic, chosen),
        sources=tuple(s for s in topic.sources if s.id in cited),
    )


def handout_review(topic: Topic, items: list[Item]) -> Review:
    """The review status a handout shows: the topic's, unless an item in it is still a draft.

    A signed-off topic with one new, unreviewed item must not print as checked.
    """
    if topic.review.is_draft:
        return topic.review
    return next((i.review for i in items if i.review and i.review.is_draft), topic.review)


def shows(item: Item, selection: Selection, ticked: frozenset[str]) -> bool:
    """The rule for one item (emergency signs always show)."""
    if item.is_emergency:
        return True
    if item.id in selection.omit:
        return False
    when = item.when
    if when is None:
        return True
    stage = selection.after_birth_known
    if when.after_birth is not None and stage is not None and when.after_birth != stage:
        return False
    if when.weeks is not None and not when.weeks.fits(selection.weeks):
        return False
    return not ticked or not when.symptoms or not ticked.isdisjoint(when.symptoms)


def choose_topic(library: Library, topic_id: str | None) -> Topic:
    if topic_id is None:
        if len(library.topics) == 1:
            return library.topics[0]
        raise RequestError("topic", f"choose a topic: {', '.join(library.topic_ids)}")
    if topic_id not in library.topic_ids:
        raise RequestError(
            "topic", f"unknown topic; expected one of: {', '.join(library.topic_ids)}", topic_id
        )
    return library.topic(topic_id)


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def _fill(item: Item, context: dict) -> ShownItem:
    return ShownItem(
        id=item.id,
        module=item.module,
        title=placeholders.fill(item.title, context),
        text=placeholders.fill(item.text, context),
        steps=tuple(placeholders.fill(step, context) for step in item.steps),
        urgency=item.urgency,
        sources=item.sources,
    )
