"""Fit a handout to its page budget: one sheet for a clinician to go through.

A personalised handout with 1 to 3 symptoms ticked prints on one sheet, both
sides (2 pages); each further 3 symptoms add a sheet; large print doubles it, and
an A5 booklet has twice as many pages. The generic leaflet keeps everything: it
is where the general advice and the full source list live. Relevance decides what
goes in, never a smaller font: a handout over its budget leaves out its
lowest-priority items first (the last printed first among equals), never a
warning sign, and says which it left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from handouts.compose import without
from handouts.models import PRIORITIES, Handout

SHEET = 2
"""Pages of one sheet printed on both sides."""
SYMPTOMS_PER_SHEET = 3
KEEP_LONGEST = ("self-help", "causes", "diet", "prevention")
"""Among items of equal priority, the modules in the order they are kept longest."""
BOOKLET_BACK_PAGES = 4
"""A booklet's warning boxes and phone numbers have its last pages to themselves."""


@dataclass(frozen=True, slots=True)
class Fitted:
    """A rendered handout and what fitting it took."""

    pdf: bytes
    handout: Handout
    """The handout as printed: ``handout.dropped`` lists what was left out."""
    pages: int
    budget: int | None
    """The page budget it was fitted to (None: ``full``, everything printed)."""


def page_budget(handout: Handout, *, booklet: bool = False) -> int | None:
    """How many pages ``handout`` may have; None: no limit (the generic leaflet, which
    holds everything the personalised handouts leave out)."""
    if not handout.symptoms:
        return None
    pages = SHEET * math.ceil(len(handout.symptoms) / SYMPTOMS_PER_SHEET)
    if booklet:  # an A5 page holds about half an A4 page; the boxes take the back pages
        pages = pages * 2 + BOOKLET_BACK_PAGES
    return pages * 2 if handout.practice.large_print else pages


def drop_order(handout: Handout) -> list[str]:
    """Item ids in the order they leave; warning signs never.

    Lowest priority first; among equals, an item that is only partly about the ticked
    symptoms (its first symptom is not ticked) before one mainly about them; then
    prevention, eating, why it happens, and what to do last, since a handout is for
    acting on; then the later printed before the earlier.
    """
    droppable = [
        (
            PRIORITIES.index(item.priority),
            not item.primary,
            KEEP_LONGEST.index(item.module),
            position,
            item.id,
        )
        for position, item in enumerate(handout.items)
        if item.urgency is None
    ]
    return [item_id for *_, item_id in sorted(droppable, reverse=True)]


def fit_pdf(handout: Handout, *, full: bool = False, booklet: bool = False) -> Fitted:
    """Render ``handout`` within its page budget (``full``: everything, no budget).

    A booklet keeps its warning boxes for the back cover and pads its page count
    to a multiple of four with pages for notes.
    """
    from handouts.render.pdf import render_pages

    def render(h: Handout) -> tuple[bytes, int]:
        return render_pages(h, back_cover=booklet)

    budget = None if full else page_budget(handout, booklet=booklet)
    pdf, pages = render(handout)
    if budget is not None and pages > budget:
        handout, pdf, pages = _shortest_cut(handout, render, budget, (pdf, pages))
    if booklet and pages % 4:
        pdf, pages = render_pages(handout, back_cover=True, filler=-pages % 4)
    return Fitted(pdf, handout, pages, budget)


def _shortest_cut(handout: Handout, render, budget: int, first: tuple[bytes, int]):
    """The handout with the fewest items dropped (in ``drop_order``) that fits ``budget``.

    Pages fall as items leave, so a binary search over how many leave needs a few
    renders, not one per item. When even dropping every droppable item is not
    enough, that is what prints: warning signs always do.
    """
    order = drop_order(handout)
    low, high = 1, len(order)
    best = None
    while low <= high:
        middle = (low + high) // 2
        candidate = without(handout, set(order[:middle]))
        pdf, pages = render(candidate)
        if pages <= budget:
            best, high = (candidate, pdf, pages), middle - 1
        else:
            low = middle + 1
    if best is None:
        candidate = without(handout, set(order))
        return (candidate, *render(candidate)) if order else (handout, *first)
    return _refill(handout, render, budget, best, order)


REFILL_TRIES = 6
"""How many left-out items to try putting back (a render each)."""


def _refill(handout: Handout, render, budget: int, best, order: list[str]):
    """Put back left-out items that still fit, most important first.

    The cut leaves out a prefix of the drop order; a short item further down that
    order may still fit in the space a long one left.
    """
    candidate, pdf, pages = best
    dropped = [i.id for i in candidate.dropped]
    kept_out = set(dropped)
    for item_id in list(reversed(dropped))[:REFILL_TRIES]:
        trial = without(handout, kept_out - {item_id})
        trial_pdf, trial_pages = render(trial)
        if trial_pages <= budget:
            kept_out.discard(item_id)
            candidate, pdf, pages = trial, trial_pdf, trial_pages
    return candidate, pdf, pages


SURVEY_STAGES = (
    ("20 weeks", {"weeks": 20}),
    ("36 weeks", {"weeks": 36}),
    ("after the birth", {"after_birth": True}),
)
"""The stages ``survey`` measures a pregnancy topic at."""


@dataclass(frozen=True, slots=True)
class Surveyed:
    stage: str
    symptoms: tuple[str, ...]
    fitted: Fitted


def survey(library, topic_id: str, practice) -> list[Surveyed]:
    """Every single symptom and every pair of ``topic_id``, fitted (at each stage of a
    pregnancy topic): what ``check --report`` prints the page counts of."""
    import itertools

    from handouts.compose import compose
    from handouts.models import Selection

    topic = library.topic(topic_id)
    ids = topic.symptom_ids
    chosen = [(s,) for s in ids] + list(itertools.combinations(ids, 2))
    stages = SURVEY_STAGES if topic.uses_weeks else (("", {}),)
    return [
        Surveyed(
            stage,
            symptoms,
            fit_pdf(compose(library, Selection(symptoms, topic=topic_id, **kw), practice)),
        )
        for stage, kw in stages
        for symptoms in chosen
    ]
