"""Measured, not asserted: every single symptom and every pair fits one sheet.

Each of the 11 symptoms alone and the 55 pairs, at 20 and 36 weeks and after the birth,
is composed, fitted and rendered: 2 pages at most, no item twice, warning signs in tier
order, the clinician's notes on page 1, and text at Flesch-Kincaid grade 6 or below.
"""

from __future__ import annotations

import io
import itertools

import pytest
from conftest import selection
from pypdf import PdfReader

from handouts import readability as rd
from handouts.compose import compose
from handouts.fit import drop_order, fit_pdf
from handouts.models import URGENCIES, Practice

STAGES = {"20 weeks": {"weeks": 20}, "36 weeks": {"weeks": 36}, "after": {"after_birth": True}}


def _combinations(library):
    symptoms = library.topics[0].symptom_ids
    return [(s,) for s in symptoms] + list(itertools.combinations(symptoms, 2))


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_single_symptom_and_pair_fits_one_sheet(builtin_library, stage):
    over, grades = [], []
    for symptoms in _combinations(builtin_library):
        chosen = selection(*symptoms, name="Ana", notes="See you soon.", **STAGES[stage])
        fitted = fit_pdf(compose(builtin_library, chosen, Practice()))
        handout = fitted.handout
        pages = PdfReader(io.BytesIO(fitted.pdf)).pages
        if len(pages) > 2:
            over.append((symptoms, len(pages)))
        assert len(handout.item_ids) == len(set(handout.item_ids)), symptoms
        tiers = [URGENCIES.index(i.urgency) for i in handout.module("warning-signs")]
        assert tiers == sorted(tiers), symptoms
        assert {i.id for i in handout.dropped}.isdisjoint(
            i.id for i in handout.module("warning-signs")
        )
        assert "See you soon." in pages[0].extract_text(), symptoms
        words = [f"{i.title}. {i.text} {' '.join(i.steps)}" for i in handout.items]
        grades.append((rd.measure(rd.as_sentences(" ".join(words))).grade, symptoms))
    assert not over, over
    worst = max(grades)
    assert worst[0] <= 6, worst


def test_swollen_feet_puts_pre_eclampsia_first_in_its_tier(builtin_library):
    handout = compose(builtin_library, selection("swollen-feet", weeks=30), Practice())
    assert handout.warnings("urgent")[0].id == "ws-pre-eclampsia"
    other = compose(builtin_library, selection("numb-legs", weeks=30), Practice())
    assert other.warnings("urgent")[0].id != "ws-pre-eclampsia"


def test_items_for_everyone_stay_in_the_generic_leaflet(builtin_library):
    leaflet = compose(builtin_library, selection(weeks=30), Practice())
    ticked = compose(builtin_library, selection("pelvic-pain", weeks=30), Practice())
    for item in ("diet-balanced", "prev-active", "diet-no-eating-for-two", "cause-serious"):
        assert item in leaflet.item_ids and item not in ticked.item_ids
    assert "sh-sciatica" not in ticked.item_ids  # sciatica advice needs sciatica ticked
    hands = compose(builtin_library, selection("numb-on-waking", weeks=30), Practice())
    assert "sh-wrist-splint" not in hands.item_ids  # numbness on waking may be in a leg


def test_the_drop_order_never_holds_a_warning_sign_and_starts_with_low_priority(
    builtin_library,
):
    handout = compose(builtin_library, selection("numb-legs", "numb-hands", weeks=30), Practice())
    order = drop_order(handout)
    by_id = {i.id: i for i in handout.items}
    assert all(by_id[i].urgency is None for i in order)
    priorities = [by_id[i].priority for i in order]
    assert priorities == sorted(priorities, key=("low", "medium", "high").index)


def test_over_budget_says_what_was_left_out_and_full_prints_everything(builtin_library):
    handout = compose(
        builtin_library, selection("numb-legs", "sciatica", "numb-hands", weeks=31), Practice()
    )
    fitted = fit_pdf(handout)
    assert fitted.pages <= 2 and fitted.budget == 2
    assert fitted.handout.dropped
    full = fit_pdf(handout, full=True)
    assert full.budget is None and not full.handout.dropped and full.pages > 2


def test_large_print_has_four_pages(builtin_library):
    from dataclasses import replace

    practice = replace(Practice(), large_print=True)
    handout = compose(builtin_library, selection("numb-legs", "sciatica", weeks=31), practice)
    fitted = fit_pdf(handout)
    assert fitted.budget == 4 and fitted.pages <= 4


def test_an_item_prints_under_the_symptom_it_is_mainly_about(builtin_library):
    """cause-fluid is mainly about swollen feet: it prints there, even with numb hands first."""
    handout = compose(
        builtin_library, selection("numb-hands", "swollen-feet", weeks=30), Practice()
    )
    fluid = next(i for i in handout.items if i.id == "cause-fluid")
    assert fluid.symptoms[0] == "swollen-feet" and fluid.primary
