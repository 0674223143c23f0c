"""Clinical scenarios on the built-in topic: the warning signs the brief ties to each symptom.

The table below is written from section 4 of the clinical brief, not read from the
content, so a content edit that unlinks a warning sign from its symptom fails here.
"""

from __future__ import annotations

import io
import itertools

import pytest
from conftest import selection
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from handouts.compose import compose
from handouts.models import Practice
from handouts.render.pdf import render_pdf

# The brief's heart attack and sudden weakness signs are folded into the clot-in-the-lung
# (chest pain) and stroke signs, as its developer note allows, so page 1 holds them.
EMERGENCY = (
    "ws-pe",
    "ws-stroke",
    "ws-cauda-equina",
    "ws-fit",
)

# Shown whatever is ticked (subject to weeks): a clot in the leg can look like any leg symptom.
ALWAYS_URGENT = ("ws-dvt",)

# Warning signs the brief ties to each ticked symptom (section 4).
TIED = {
    "numb-legs": ("ws-persistent-numbness", "ws-weakness-footdrop"),
    "leg-weakness": ("ws-weakness-footdrop", "ws-after-birth"),
    "sciatica": ("ws-sciatica-slow", "ws-pgp", "ws-weakness-footdrop"),
    "pelvic-pain": ("ws-pgp", "ws-weakness-footdrop"),
    "numb-thigh": ("ws-persistent-numbness", "ws-weakness-footdrop"),
    "numb-hands": ("ws-hands", "ws-persistent-numbness"),
    "swollen-feet": ("ws-dvt", "ws-pre-eclampsia"),
    "heavy-legs": ("ws-dvt",),
    "leg-cramps": ("ws-cramps", "ws-dvt"),
    "restless-legs": ("ws-rls",),
    "numb-on-waking": ("ws-hands", "ws-persistent-numbness"),
}

# Signs the brief times by gestation: (first week shown).
FROM_WEEK = {"ws-pre-eclampsia": 20, "ws-movements": 24}

# Signs for one side of the birth only; pre-eclampsia can also start after it, so it is on both.
AFTER_BIRTH_ONLY = {"ws-after-birth", "ws-epidural"}
PREGNANCY_ONLY = {"ws-movements"}

COMBINATIONS = [
    ("swollen-feet",),
    ("sciatica", "leg-weakness"),
    ("numb-hands",),
    ("numb-legs", "swollen-feet"),
    ("pelvic-pain", "sciatica", "numb-thigh"),
    ("leg-cramps", "restless-legs", "heavy-legs"),
    tuple(TIED),
]
WEEKS = (None, 8, 19, 20, 23, 24, 28, 34, 41)


def expected(symptoms: tuple[str, ...], weeks: int | None, after_birth: bool = False) -> set[str]:
    """The warning signs a handout must show for these symptoms and weeks (or after the birth)."""
    wanted = set(EMERGENCY) | set(ALWAYS_URGENT) | {"ws-movements"}
    for symptom in symptoms:
        wanted |= set(TIED[symptom])
    if weeks is not None:
        wanted = {w for w in wanted if weeks >= FROM_WEEK.get(w, 0)} - AFTER_BIRTH_ONLY
    if after_birth:
        wanted = (wanted - PREGNANCY_ONLY) | {"ws-epidural"}
    return wanted


def warnings_in(handout) -> set[str]:
    return {item.id for item in handout.module("warning-signs")}


def test_the_table_matches_the_topics_symptoms(builtin_library):
    assert set(TIED) == set(builtin_library.topics[0].symptom_ids)
    urgency = {i.id: i.urgency for i in builtin_library.topics[0].items}
    assert all(urgency[w] == "emergency" for w in EMERGENCY)
    assert {w for w, u in urgency.items() if u == "emergency"} == set(EMERGENCY)


@pytest.mark.parametrize("symptom", sorted(TIED))
@pytest.mark.parametrize("weeks", [None, 12, 30])
def test_each_symptom_alone_shows_its_warning_signs(builtin_library, symptom, weeks):
    handout = compose(builtin_library, selection(symptom, weeks=weeks), Practice())
    assert expected((symptom,), weeks) <= warnings_in(handout)


@pytest.mark.parametrize(("symptoms", "weeks"), list(itertools.product(COMBINATIONS, WEEKS)))
def test_combinations_show_every_tied_sign_and_respect_timing(builtin_library, symptoms, weeks):
    handout = compose(builtin_library, selection(*symptoms, weeks=weeks), Practice())
    shown = warnings_in(handout)
    assert expected(symptoms, weeks) <= shown
    for sign, first in FROM_WEEK.items():
        if weeks is not None and weeks < first:
            assert sign not in shown


@settings(max_examples=150, deadline=None)
@given(
    symptoms=st.sets(st.sampled_from(sorted(TIED))),
    weeks=st.none() | st.integers(0, 45) | st.just("after birth"),
    omit=st.sets(st.sampled_from(EMERGENCY)),
)
def test_no_selection_ever_drops_an_emergency_sign(builtin_library, symptoms, weeks, omit):
    after_birth = weeks == "after birth"
    weeks = None if after_birth else weeks
    chosen = selection(
        *sorted(symptoms), weeks=weeks, after_birth=after_birth or None, omit=tuple(sorted(omit))
    )
    # The request layer refuses to omit an emergency sign; compose keeps it regardless.
    handout = compose(builtin_library, chosen, Practice())
    assert set(EMERGENCY) <= warnings_in(handout)
    assert expected(tuple(symptoms), weeks, after_birth) <= warnings_in(handout)


@pytest.mark.parametrize(
    ("symptoms", "weeks"),
    [(("swollen-feet",), 34), (("sciatica", "leg-weakness"), 28), (("numb-hands",), 30)],
)
def test_the_printed_handout_carries_every_expected_sign(builtin_library, symptoms, weeks):
    handout = compose(builtin_library, selection(*symptoms, weeks=weeks), Practice())
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(render_pdf(handout))).pages
    )
    titles = {i.id: i.title for i in handout.module("warning-signs")}
    for sign in expected(symptoms, weeks):
        assert " ".join(titles[sign].split()) in text, sign


@pytest.mark.parametrize("symptom", sorted(TIED))
def test_after_the_birth_each_symptom_keeps_its_signs_but_not_pregnancy_ones(
    builtin_library, symptom
):
    handout = compose(builtin_library, selection(symptom, after_birth=True), Practice())
    shown = warnings_in(handout)
    assert expected((symptom,), None, after_birth=True) <= shown
    assert "ws-pre-eclampsia" in shown  # it can start in the weeks after the birth
    assert not PREGNANCY_ONLY & shown
    if symptom in {"numb-legs", "numb-hands", "numb-thigh", "leg-weakness"}:
        assert "ws-after-birth" in shown


def test_after_the_birth_items_are_only_for_after_the_birth(builtin_library):
    pregnant = compose(builtin_library, selection("leg-weakness", weeks=30), Practice())
    after = compose(builtin_library, selection("leg-weakness", after_birth=True), Practice())
    unknown = compose(builtin_library, selection("leg-weakness"), Practice())
    for item in ("cause-after-birth", "ws-after-birth", "ws-epidural"):
        assert item not in pregnant.item_ids
        assert item in after.item_ids and item in unknown.item_ids
    assert "ws-movements" in pregnant.item_ids and "ws-movements" not in after.item_ids
    leaflet = compose(builtin_library, selection(weeks=30), Practice())
    leaflet_after = compose(builtin_library, selection(after_birth=True), Practice())
    for item in ("prev-active", "prev-not-flat", "diet-no-eating-for-two", "diet-no-liver"):
        assert item in leaflet.item_ids
        assert item not in leaflet_after.item_ids


def test_pregnancy_wording_is_gone_after_the_birth(builtin_library):
    """No bump, no "in pregnancy" title, no pregnancy exercise rules after the birth."""
    after = compose(builtin_library, selection(*TIED, after_birth=True), Practice())
    everything = " ".join(
        [after.title, after.summary, *after.remember]
        + [f"{i.title} {i.text} {' '.join(i.steps)}" for i in after.items]
    )
    assert "bump" not in everything.lower()
    assert "in pregnancy" not in after.title and after.title.endswith("after the birth")
    assert "pregnancy leaking" not in everything
    assert "prev-active" not in after.item_ids


def test_folic_acid_until_12_weeks_only_before_12_weeks(builtin_library):
    def supplement_text(weeks):
        handout = compose(builtin_library, selection("numb-legs", weeks=weeks), Practice())
        item = next(i for i in handout.items if i.id == "diet-supplements")
        return f"{item.title} {item.text} {' '.join(item.steps)}"

    assert "folic acid" in supplement_text(8)
    assert "folic acid" not in supplement_text(24)
    assert "vitamin D" in supplement_text(24)


def test_after_the_birth_no_text_speaks_of_weeks_of_pregnancy(builtin_library):
    after = compose(builtin_library, selection(*TIED, after_birth=True), Practice())
    for item in after.items:
        assert "28 weeks" not in item.text and "16 weeks" not in item.text, item.id
