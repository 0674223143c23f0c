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

from handouts import placeholders, wording
from handouts.errors import RequestError
from handouts.models import (
    URGENCIES,
    Handout,
    Item,
    Library,
    Patient,
    PlanLine,
    Practice,
    Review,
    Selection,
    ShownItem,
    Topic,
)

MAX_SYMPTOM_POINTS = 3
"""Things to remember come from at most this many ticked symptoms (page 1 is short)."""


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
    ticked = tuple(s for s in topic.symptom_ids if s in symptoms)
    chosen = [item for item in topic.items if shows(item, selection, symptoms)]
    items = tuple(_fill(item, context, ticked) for item in _in_tier_order(chosen, symptoms))
    cited = {source for item in items for source in item.sources}
    handout = Handout(
        topic=topic,
        practice=practice,
        patient=patient,
        date=date,
        clinician=selection.clinician.strip(),
        notes=selection.notes.strip(),
        symptoms=tuple(topic.symptom(s) for s in ticked),
        items=items,
        personalised=selection.personalised,
        paper=(selection.paper or practice.paper).lower(),
        review=handout_review(topic, chosen),
        sources=tuple(s for s in topic.sources if s.id in cited),
        title=placeholders.fill(topic.title, context),
        summary=placeholders.fill(topic.summary, context),
        remember=_remember(topic, ticked, context),
        plan=_plan(topic, symptoms, selection.plan),
        follow_up=selection.follow_up.strip(),
        contact=selection.contact.strip(),
    )
    return dataclasses.replace(handout, words=wording.words(handout, practice.templates))


def without(handout: Handout, item_ids: set[str]) -> Handout:
    """``handout`` with the items ``item_ids`` left out (and listed as dropped)."""
    kept = tuple(i for i in handout.items if i.id not in item_ids)
    dropped = tuple(i for i in handout.items if i.id in item_ids)
    cited = {source for item in kept for source in item.sources}
    return dataclasses.replace(
        handout,
        items=kept,
        dropped=handout.dropped + dropped,
        sources=tuple(s for s in handout.topic.sources if s.id in cited),
    )


def _in_tier_order(items: list[Item], ticked: frozenset[str]) -> list[Item]:
    """Content order, except that a warning sign ``first_for`` a ticked symptom leads its tier."""

    def place(item: Item) -> tuple[int, int]:
        if not item.is_warning:
            return (-1, 0)  # content order
        return (URGENCIES.index(item.urgency), 0 if not ticked.isdisjoint(item.first_for) else 1)

    return sorted(items, key=place)


def _remember(topic: Topic, ticked: tuple[str, ...], context: dict) -> tuple[str, ...]:
    return remember_points(topic, ticked, lambda text: placeholders.fill(text, context))


def remember_points(topic: Topic, ticked: tuple[str, ...], fill) -> tuple[str, ...]:
    """The things to remember: a point per ticked symptom (at most three), topic points to
    make at least two, and last, when to get help. ``fill`` fills placeholders."""
    points = [topic.symptom(s).remember for s in ticked if topic.symptom(s).remember]
    points = points[:MAX_SYMPTOM_POINTS]
    for point in topic.remember:
        if len(points) >= 2:
            break
        points.append(point)
    points = [fill(p) for p in points if p.strip()]
    if topic.get_help_point:
        points.append(fill(topic.get_help_point))
    return tuple(points)


def _plan(topic: Topic, ticked: frozenset[str], chosen: tuple[str, ...]) -> tuple[PlanLine, ...]:
    """The "My plan" tick boxes for these symptoms; the clinician's choices ticked."""
    return tuple(
        PlanLine(option.label, option.id in chosen, option.id)
        for option in topic.plan
        if option.id in chosen
        or not option.symptoms
        or not ticked
        or not ticked.isdisjoint(option.symptoms)
    )


def handout_review(topic: Topic, items: list[Item]) -> Review:
    """The review status a handout shows: the topic's, unless an item in it is still a draft.

    A signed-off topic with one new, unreviewed item must not print as checked.
    """
    if topic.review.is_draft:
        return topic.review
    return next((i.review for i in items if i.review and i.review.is_draft), topic.review)


def shows(item: Item, selection: Selection, ticked: frozenset[str]) -> bool:
    """The rule for one item (emergency signs always show).

    With symptoms ticked, an item shows only through one of them, except warning signs
    that name no symptoms (they concern everyone at that stage). With nothing ticked
    (the generic leaflet) every item whose stage fits shows.
    """
    if item.is_emergency:
        return True
    if item.id in selection.omit:
        return False
    when = item.when
    for_everyone = item.is_warning and item.scope != "everyone"
    if when is None:
        return not ticked or for_everyone
    stage = selection.after_birth_known
    if when.after_birth is not None and stage is not None and when.after_birth != stage:
        return False
    if when.weeks is not None and not when.weeks.fits(selection.weeks):
        return False
    if not ticked:
        return True
    if not when.symptoms:
        return for_everyone
    return not ticked.isdisjoint(when.symptoms)


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


def _fill(item: Item, context: dict, ticked: tuple[str, ...]) -> ShownItem:
    """The item as printed: placeholders filled, steps that fill to nothing left out."""
    steps = (placeholders.fill(step, context).strip() for step in item.steps)
    about = item.when.symptoms if item.when else ()
    return ShownItem(
        id=item.id,
        module=item.module,
        title=placeholders.fill(item.title, context),
        text=placeholders.fill(item.text, context),
        steps=tuple(step for step in steps if step),
        urgency=item.urgency,
        sources=item.sources,
        priority=item.priority,
        symptoms=tuple(s for s in about if s in ticked),  # the one it is mainly about first
        primary=bool(about) and about[0] in ticked,
    )
