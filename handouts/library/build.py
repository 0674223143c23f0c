"""Turning validated content files into the in-memory model (``handouts.models``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from handouts import models


def _review(review: Any) -> models.Review:
    return models.Review(review.status, review.reviewed_by, review.reviewed_on, review.next_review)


def implied_scope(item: Any) -> str:
    """An item's scope when it says none: for everyone when it names no symptoms, except
    warning signs, which reach every handout their `when` fits."""
    names_symptoms = item.when is not None and bool(item.when.symptoms)
    return "ticked" if names_symptoms or item.urgency else "everyone"


def _item(kind: str, item: Any) -> models.Item:
    when = None
    if item.when is not None:
        weeks = item.when.weeks
        when = models.When(
            symptoms=tuple(item.when.symptoms),
            weeks=models.Weeks(weeks.start, weeks.end) if weeks else None,
            after_birth=item.when.after_birth,
        )
    return models.Item(
        id=item.id,
        module=kind,
        title=item.title,
        text=item.text,
        steps=tuple(item.steps),
        when=when,
        urgency=item.urgency,
        sources=tuple(item.sources),
        review=_review(item.review) if item.review else None,
        scope=item.scope or implied_scope(item),
        priority=item.priority,
        first_for=tuple(item.first_for),
    )


def _topic(topic_file: Any, symptoms_file: Any, items: list[models.Item], folder: Path):
    review = _review(topic_file.review)
    # An item without its own review record shares the topic's.
    items = [item if item.review else replace(item, review=review) for item in items]
    return models.Topic(
        id=topic_file.id,
        title=topic_file.title,
        summary=topic_file.summary,
        version=topic_file.version,
        audience=topic_file.audience,
        language=topic_file.language,
        languages=tuple(topic_file.languages),
        urgent_contact=topic_file.urgent_contact,
        routine_contact=topic_file.routine_contact,
        uses_weeks=topic_file.uses_weeks,
        review=review,
        remember=tuple(topic_file.remember),
        get_help_point=topic_file.get_help_point,
        main_publishers=tuple(topic_file.main_publishers),
        plan=tuple(models.PlanOption(p.id, p.label, tuple(p.symptoms)) for p in topic_file.plan),
        sources=tuple(
            models.Source(s.id, s.publisher, s.title, s.url, s.accessed) for s in topic_file.sources
        ),
        symptoms=tuple(
            models.Symptom(
                s.id,
                s.label,
                s.hint,
                models.Codes(tuple(s.codes.icd10cm), tuple(s.codes.snomed)),
                s.remember or "",
            )
            for s in symptoms_file.symptoms
        ),
        items=tuple(items),
        path=folder,
    )
