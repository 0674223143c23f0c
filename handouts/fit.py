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
    from handouts.render.pdf import layout, remembering

    budget = None if full else page_budget(handout, booklet=booklet)
    with remembering(handout):
        if budget is None and not booklet:
            laid = layout(handout)
            return Fitted(laid.pdf, handout, laid.pages, budget)
        # Every layout but the last only counts pages; the last is drawn.
        laid = layout(handout, back_cover=booklet, draw=False)
        if budget is not None and laid.pages > budget:
            handout, laid = Cut(handout, budget, booklet).fit(laid)
        filler = -laid.pages % 4 if booklet else 0
        drawn = layout(handout, back_cover=booklet, filler=filler, check=False)
    return Fitted(drawn.pdf, handout, drawn.pages, budget)


REFILL_TRIES = 3
"""How many left-out items that look as if they fit to try putting back (a render each)."""


class Cut:
    """The fewest items left out, in ``drop_order``, for ``handout`` to fit ``budget``.

    Each item's printed height says how many must go to free the overflow, so the
    search starts there instead of at the middle; pages fall as items leave, so it then
    gallops up or searches down with a few renders. Last, left-out items short enough
    for the room on the last page are tried back in, most important first. When even
    leaving out every droppable item is not enough, that is what prints: warning signs
    always do.
    """

    def __init__(self, handout: Handout, budget: int, booklet: bool):
        from handouts.render.pdf import item_heights

        self.handout, self.budget, self.booklet = handout, budget, booklet
        self.order = drop_order(handout)
        self.heights = item_heights(handout)

    def render(self, dropped: set[str]):
        from handouts.render.pdf import layout

        candidate = without(self.handout, dropped)
        return candidate, layout(candidate, back_cover=self.booklet, draw=False, check=False)

    def fit(self, first):
        if not self.order:
            return self.handout, first
        overflow = (first.pages - self.budget - 1) * first.frame + (first.frame - first.free)
        start, freed = len(self.order), 0.0
        for n, item_id in enumerate(self.order, start=1):
            freed += self.heights[item_id]
            if freed >= overflow * 0.85:  # page breaks waste some room: start a little low
                start = n
                break
        n = start
        best = self.render(set(self.order[:n]))
        if best[1].pages <= self.budget:  # the estimate fits: step down while it still does
            while n > 1:
                shorter = self.render(set(self.order[: n - 1]))
                if shorter[1].pages > self.budget:
                    break
                n, best = n - 1, shorter
            return self.refill(*best)
        low, high, step = n, None, 1  # it does not: gallop up, then search between
        while high is None:
            n = min(n + step, len(self.order))
            result = self.render(set(self.order[:n]))
            if result[1].pages <= self.budget or n == len(self.order):
                high, best = n, result
            else:
                low, step = n, step * 2
        while high - low > 1:
            middle = (low + high) // 2
            result = self.render(set(self.order[:middle]))
            if result[1].pages <= self.budget:
                high, best = middle, result
            else:
                low = middle
        return self.refill(*best)

    def refill(self, candidate: Handout, laid):
        kept_out = {i.id for i in candidate.dropped}
        tries = 0
        for item_id in reversed(self.order[: len(kept_out)]):
            if tries == REFILL_TRIES or laid.pages > self.budget:
                break
            if self.heights[item_id] > laid.free:
                continue
            tries += 1
            trial, trial_laid = self.render(kept_out - {item_id})
            if trial_laid.pages <= self.budget:
                kept_out.discard(item_id)
                candidate, laid = trial, trial_laid
        return candidate, laid


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
