"""The compose rules, exhaustively, on the small test topic and the built-in one."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from conftest import DAY, selection
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.compose import compose, shows
from handouts.models import Practice

ANKLE_ALL = (
    "cause-stretch",
    "cause-bruise",
    "sh-rest",
    "sh-move",
    "ws-cannot-walk",
    "ws-numb-toes",
    "ws-not-better",
)

# What each symptom alone shows in the ankle topic: items linked to it, and warning signs
# that name no symptom; cause-stretch is for everyone, so only in the generic leaflet.
ANKLE_ALONE = {
    "swelling": ("sh-rest", "ws-cannot-walk", "ws-numb-toes", "ws-not-better"),
    "pain-walking": ("sh-rest", "sh-move", "ws-cannot-walk", "ws-not-better"),
    "bruising": ("cause-bruise", "ws-cannot-walk", "ws-not-better"),
}


def ids(handout):
    return handout.item_ids


def test_nothing_ticked_gives_the_generic_leaflet_with_every_item(ankle_library, practice):
    handout = compose(ankle_library, selection(), practice)
    assert ids(handout) == ANKLE_ALL
    assert not handout.personalised
    assert handout.symptoms == ()


@pytest.mark.parametrize("symptom", sorted(ANKLE_ALONE))
def test_each_symptom_alone(ankle_library, practice, symptom):
    handout = compose(ankle_library, selection(symptom), practice)
    assert ids(handout) == ANKLE_ALONE[symptom]
    assert [s.id for s in handout.symptoms] == [symptom]


@pytest.mark.parametrize("combo", list(itertools.combinations(sorted(ANKLE_ALONE), 2)))
def test_combinations_are_the_union_in_file_order(ankle_library, practice, combo):
    handout = compose(ankle_library, selection(*combo), practice)
    union = set().union(*(ANKLE_ALONE[s] for s in combo))
    assert ids(handout) == tuple(i for i in ANKLE_ALL if i in union)


def test_each_item_appears_once_even_when_several_symptoms_match(ankle_library, practice):
    handout = compose(ankle_library, selection("swelling", "pain-walking", "swelling"), practice)
    assert len(ids(handout)) == len(set(ids(handout)))
    assert ids(handout).count("sh-rest") == 1


def test_symptoms_print_in_topic_order_whatever_the_tick_order(ankle_library, practice):
    handout = compose(ankle_library, selection("bruising", "swelling"), practice)
    assert [s.id for s in handout.symptoms] == ["swelling", "bruising"]


def test_omit_removes_an_item(ankle_library, practice):
    handout = compose(ankle_library, selection("swelling", omit=("sh-rest",)), practice)
    assert "sh-rest" not in ids(handout)
    assert "ws-numb-toes" in ids(handout)


def test_compose_keeps_an_emergency_sign_even_when_asked_to_omit_it(ankle_library, practice):
    # The request layer refuses such a request; compose never drops the sign either.
    handout = compose(ankle_library, selection(omit=("ws-cannot-walk",)), practice)
    assert "ws-cannot-walk" in ids(handout)


def test_placeholders_are_filled_and_patient_text_stays_literal(ankle_library, practice):
    handout = compose(ankle_library, selection("pain-walking", name="**Zoë** <b>"), practice)
    move = next(i for i in handout.items if i.id == "sh-move")
    assert move.text.startswith("\\*\\*Zoë\\*\\*, after 2 days")
    generic = compose(ankle_library, selection("pain-walking"), practice)
    assert next(i for i in generic.items if i.id == "sh-move").text.startswith("After 2 days")


def test_date_defaults_to_today_and_is_an_input(ankle_library, practice):
    from handouts.models import Selection

    assert compose(ankle_library, Selection(), practice).date == dt.date.today()
    assert compose(ankle_library, selection(), practice).date == DAY


def test_sources_are_those_the_shown_items_cite(ankle_library, practice):
    handout = compose(ankle_library, selection("bruising"), practice)
    assert [s.id for s in handout.sources] == ["test-guide", "test-physio"]


def _builtin(builtin_library):
    return builtin_library.topic("leg-numbness-pregnancy")


def test_builtin_every_symptom_alone_keeps_every_emergency_sign(builtin_library, practice):
    topic = _builtin(builtin_library)
    emergency = {i.id for i in topic.items if i.is_emergency}
    assert emergency, "the built-in topic has emergency warning signs"
    for symptom in topic.symptom_ids:
        for weeks in (None, 8, 20, 28, 40):
            handout = compose(builtin_library, selection(symptom, weeks=weeks), practice)
            assert emergency <= set(ids(handout)), (symptom, weeks)


@pytest.mark.parametrize("weeks", [0, 15, 16, 19, 20, 23, 24, 27, 28, 40, 45])
def test_builtin_weeks_edges_follow_each_items_range(builtin_library, practice, weeks):
    topic = _builtin(builtin_library)
    handout = compose(builtin_library, selection(weeks=weeks), practice)
    for item in topic.items:
        ranged = item.when is not None and item.when.weeks is not None
        if ranged and not item.is_emergency:
            assert (item.id in ids(handout)) == item.when.weeks.fits(weeks), (item.id, weeks)


def test_builtin_leg_weakness_alone_pulls_in_the_weakness_warning(builtin_library, practice):
    handout = compose(builtin_library, selection("leg-weakness"), practice)
    assert "ws-weakness-footdrop" in ids(handout)


# --- Properties over any selection ------------------------------------------

ANKLE_SYMPTOMS = st.lists(st.sampled_from(sorted(ANKLE_ALONE)), max_size=4)


@settings(max_examples=200, deadline=None)
@given(
    ticked=ANKLE_SYMPTOMS,
    omit=st.lists(st.sampled_from(["sh-rest", "cause-bruise", "ws-not-better"]), max_size=3),
)
def test_properties_hold_for_any_selection(ankle_library, ticked, omit):
    practice = Practice()
    sel = selection(*ticked, omit=tuple(omit))
    handout = compose(ankle_library, sel, practice)
    shown = ids(handout)
    topic = ankle_library.topics[0]
    assert "ws-cannot-walk" in shown
    assert len(shown) == len(set(shown))
    assert list(shown) == [i for i in topic.item_ids if i in shown]
    assert not set(omit) & set(shown)
    for item in topic.items:
        assert (item.id in shown) == shows(item, sel, frozenset(ticked))


def test_items_share_the_topics_review_unless_they_have_their_own(ankle_library):
    topic = ankle_library.topics[0]
    assert all(item.review == topic.review for item in topic.items)


def test_a_draft_item_keeps_a_signed_off_topics_handout_a_draft(ankle_library, practice):
    from dataclasses import replace

    from handouts.models import Library, Review

    topic = ankle_library.topics[0]
    signed = Review("clinically-reviewed", "Dr Jo Bloggs", dt.date(2026, 10, 1))
    new_item = replace(topic.items[-1], review=Review("draft"))
    items = (*(replace(i, review=signed) for i in topic.items[:-1]), new_item)
    library = Library((replace(topic, review=signed, items=items),))

    assert compose(library, selection(), practice).review.is_draft
    without = selection(omit=(new_item.id,))
    assert compose(library, without, practice).review == signed


def test_after_the_birth_is_personalised(builtin_library):
    handout = compose(builtin_library, selection(after_birth=True, name="Ana"), Practice())
    assert handout.patient.after_birth and handout.personalised
