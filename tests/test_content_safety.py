"""The built-in content never repeats the wrong or unsafe claims of the clinical brief (section 5).

Each pattern catches a claim in any likely wording; the id is the brief's row.
"""

from __future__ import annotations

import re

import pytest

WRONG_CLAIMS = {
    "A3 weakness goes away by itself": r"weakness (may|will|can) (go|pass|settle) "
    r"(away )?(on its own|by itself)",
    "A5 chiropractic for weakness": r"chiropract",
    "B1 numb at 30 weeks": r"(at|by) 30 weeks.{0,40}numb|numb.{0,40}(at|by) 30 weeks",
    "B2 CNS malfunction, lymph stagnation": r"malfunction|lymph",
    "B4 pelvic bones diverging": r"diverg|bones? (separat|spread)|loose pelvis|pelvis "
    r"(is|becomes) (loose|unstable)",
    "B5 numbness always goes after birth": r"(always|will) (go|disappear|stop)s? "
    r"(away )?after (the )?birth",
    "B7 left arm and leg means heart attack": r"left (arm|side).{0,60}heart attack",
    "B9 over 40": r"over 40|older than 40",
    "B10 sleeping pills kill the baby": r"sleeping (pills|tablets).{0,60}(kill|death|die)",
    "B13 essential oils, exact bath temperature": r"essential oil|eucalyptus|juniper|fir oil"
    r"|3[6-9](\.\d)? ?°",
    "B14 salt-free diet": r"salt[- ]free|low[- ]salt diet|cut out salt(?! )|avoid salt",
    "B15 eat liver": r"(?<!not )(?<!never )\beat (beef |chicken )?liver",
    "B19 forbidden acupuncture points": r"forbidden|points? .{0,40}(miscarriage|early "
    r"(birth|labour))",
    "B20 race walking": r"race[- ]walk",
    "B22 contrast shower": r"contrast shower",
    "B23 sedatives and ointments for numb legs": r"sedative|ointment",
    "B25 caffeine banned": r"(no|avoid all|stop all|prohibit\w*) caffeine|caffeine is "
    r"(banned|forbidden|prohibited)",
    "B30 left side is best": r"left side is (best|better|safest)|sleep on your left",
    "B31 carpal tunnel from computers": r"computer",
    "B33 lack of sleep harms the baby": r"sleep .{0,40}(necessary|needed) for .{0,30}baby",
}


def builtin_texts(builtin_library):
    for topic in builtin_library.topics:
        for symptom in topic.symptoms:
            yield symptom.id, f"{symptom.label}. {symptom.hint}"
        for item in topic.items:
            yield item.id, " ".join([item.title, item.text, *item.steps])


@pytest.mark.parametrize("claim", sorted(WRONG_CLAIMS))
def test_no_wrong_claim_appears(builtin_library, claim):
    pattern = re.compile(WRONG_CLAIMS[claim], re.IGNORECASE)
    found = [
        (item_id, m.group(0))
        for item_id, text in builtin_texts(builtin_library)
        if (m := pattern.search(" ".join(text.split())))
    ]
    assert not found, f"{claim}: {found}"


@pytest.mark.parametrize(
    "wrong",
    [
        "Leg weakness may go away on its own.",
        "Numbness in the left arm and leg can mean a heart attack.",
        "Add a few drops of eucalyptus oil to a 37 °C bath.",
        "Try a salt-free diet.",
        "Eat beef liver for B vitamins.",
        "The left side is best for sleep.",
        "Never massage the ankles: these points cause miscarriage.",
        "Your pelvic bones diverge at 37 weeks.",
    ],
)
def test_the_patterns_catch_the_claims_they_are_for(wrong):
    assert any(re.search(p, wrong, re.IGNORECASE) for p in WRONG_CLAIMS.values()), wrong


def test_every_item_has_sources_and_the_topic_is_a_draft(builtin_library):
    for topic in builtin_library.topics:
        assert topic.review.status == "draft"
        assert topic.review.next_review is not None
        for item in topic.items:
            assert item.sources, item.id
            assert item.review is None or item.review.status == "draft", item.id


def test_every_builtin_item_has_sources_and_a_draft_review_record(builtin_library):
    topic = builtin_library.topics[0]
    known = {source.id for source in topic.sources}
    for item in topic.items:
        assert item.sources, item.id
        assert set(item.sources) <= known, item.id
        assert item.review is not None, item.id
        # Written from public guidance; only a clinician's sign-off (in a practice) changes this.
        assert item.review.status == "draft", item.id
        assert item.review.next_review is not None, item.id
    assert topic.review.status == "draft"
    assert topic.review.reviewed_by is None
