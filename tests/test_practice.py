"""Practice folders: loading, the overlay merge, its safety rules, and exact messages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import DATA, TEST_CONTENT, resign, selection

from handouts.compose import compose
from handouts.errors import PracticeError
from handouts.library import load_library
from handouts.models import Library, Review
from handouts.practice import (
    EXAMPLE,
    check_practice,
    contrast,
    init,
    item_hash,
    load_practice,
    override,
    readable_colour,
)

PRACTICE = DATA / "practice"
P = "my-practice"
OVERLAY = f"{P}/content/ankle-sprain"
FAR = dt.date(2026, 11, 22)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A throwaway copy of the example practice, as my-practice/ in the working folder."""
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(PRACTICE, tmp_path / P))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


def messages(folder: Path, library=None) -> list[str]:
    """Every problem, but the sign-off's own warning that the folder changed since it
    (each test here changes the folder; tests of the sign-off look at it directly)."""
    library = library or load_library(TEST_CONTENT)
    problems = check_practice(folder, library, today=FAR).problems
    return [str(p) for p in problems if SIGNOFF_CHANGED not in str(p)]


SIGNOFF_CHANGED = "review.covers: warning: changed since the sign-off"


def errors(folder: Path, library=None) -> list[str]:
    library = library or load_library(TEST_CONTENT)
    return [str(p) for p in check_practice(folder, library, today=FAR).errors]


# --- The example practice ----------------------------------------------------


def test_the_example_practice_loads_without_problems(folder, ankle_library):
    assert messages(folder, ankle_library) == []
    _, practice = load_practice(folder, ankle_library, today=FAR)
    assert practice.name == "Riverside Midwives"
    assert practice.emergency_number == "999"
    assert practice.logo == (folder / "logo.png").resolve()
    assert practice.accent_colour == "#00594f"
    assert practice.clinicians == ("Jo Smith, midwife", "Dr Sam Patel")
    assert practice.is_default is False


def test_the_overlay_replaces_adds_and_hides_by_id(folder, ankle_library):
    library, _ = load_practice(folder, ankle_library, today=FAR)
    topic = library.topic("ankle-sprain")
    assert topic.item_ids == (
        "cause-stretch",
        "sh-rest",
        "sh-move",
        "sh-riverside-class",
        "ws-cannot-walk",
        "ws-numb-toes",
        "ws-not-better",
        "ws-riverside-blue-foot",
    )
    rest = next(i for i in topic.items if i.id == "sh-rest")
    assert rest.text.startswith("Keep the ankle raised on a cushion")
    assert next(i for i in topic.items if i.id == "ws-riverside-blue-foot").is_emergency
    assert topic.symptom_ids == ("swelling", "pain-walking", "bruising", "stiff-ankle")
    assert topic.sources[-1].publisher == "Riverside Physiotherapy Team"
    assert topic.review.status == "clinically-reviewed"
    assert topic.review.reviewed_by == "Dr Sam Patel, GP"
    # The built-in library itself is untouched.
    assert "cause-bruise" in ankle_library.topic("ankle-sprain").item_ids


def test_added_symptoms_select_added_items(folder, ankle_library):
    library, practice = load_practice(folder, ankle_library, today=FAR)
    handout = compose(library, selection("stiff-ankle"), practice)
    assert "sh-riverside-class" in handout.item_ids
    assert "sh-rest" not in handout.item_ids
    assert {"ws-cannot-walk", "ws-riverside-blue-foot"} <= set(handout.item_ids)


# --- Emergency warning signs stay ------------------------------------------------


def test_an_emergency_sign_cannot_be_hidden(folder):
    edit(folder / "practice.yaml", "hide: [cause-bruise]", "hide: [cause-bruise, ws-cannot-walk]")
    assert messages(folder) == [
        f"{P}/practice.yaml:18: hide[1]: 'ws-cannot-walk' is an emergency warning sign; "
        "it is in every handout and cannot be hidden"
    ]


def test_a_practice_added_emergency_sign_cannot_be_hidden_either(folder):
    edit(folder / "practice.yaml", "hide: [cause-bruise]", "hide: [ws-riverside-blue-foot]")
    assert messages(folder) == [
        f"{P}/practice.yaml:18: hide[0]: 'ws-riverside-blue-foot' is an emergency warning "
        "sign; it is in every handout and cannot be hidden"
    ]


def test_an_emergency_sign_cannot_be_replaced_by_a_less_urgent_one(folder):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        """
        items:
          - id: ws-cannot-walk
            title: You cannot walk
            text: Rest it for a day first.
            urgency: urgent
            sources: [test-guide]
            based_on: 5eae0541
        """,
    )
    assert errors(folder) == [
        f"{OVERLAY}/warning-signs.yaml:5: items[0].urgency: 'ws-cannot-walk' is an "
        "emergency warning sign; a practice may not lower its urgency (got 'urgent')"
    ]


def test_an_urgent_sign_cannot_become_routine(folder):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        """
        items:
          - id: ws-numb-toes
            title: Numb toes
            text: Mention it next time.
            urgency: routine
            sources: [test-guide]
            based_on: 7c8a4a40
        """,
    )
    assert errors(folder) == [
        f"{OVERLAY}/warning-signs.yaml:5: items[0].urgency: 'ws-numb-toes' is an "
        "urgent warning sign; a practice may not lower its urgency (got 'routine')"
    ]


def test_a_warning_sign_cannot_move_to_another_module(folder):
    write(
        folder / "content/ankle-sprain/causes.yaml",
        """
        items:
          - id: ws-cannot-walk
            title: Why you cannot walk
            text: The ankle is badly hurt.
            sources: [test-guide]
            based_on: 5eae0541
        """,
    )
    assert errors(folder) == [
        f"{OVERLAY}/causes.yaml:2: items[0].id: 'ws-cannot-walk' is in warning-signs.yaml; "
        "a replacement must stay there"
    ]


def test_an_emergency_sign_may_be_reworded_and_prints_the_new_words(folder, ankle_library):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        """
        items:
          - id: ws-cannot-walk
            title: You cannot stand on the foot at all
            text: It may be broken. Do not try to walk on it.
            urgency: emergency
            sources: [test-guide]
            based_on: 5eae0541
        """,
    )
    (warning,) = messages(folder, ankle_library)
    code = item_hash(
        next(
            i
            for i in load_practice(folder, ankle_library, today=FAR)[0].topic("ankle-sprain").items
            if i.id == "ws-cannot-walk"
        )
    )
    assert warning.startswith(
        f"{OVERLAY}/warning-signs.yaml:4: items[0].text: warning: the practice rewords "
        f"warning sign 'ws-cannot-walk': a clinician must check it and sign it off in "
        f"practice.yaml under review: warning_signs: {{ws-cannot-walk: {code}}}"
    )
    assert "-title: You cannot put any weight on the foot" in warning
    assert "+title: You cannot stand on the foot at all" in warning
    library, practice = load_practice(folder, ankle_library, today=FAR)
    handout = compose(library, selection("bruising"), practice)
    shown = next(i for i in handout.items if i.id == "ws-cannot-walk")
    assert shown.title == "You cannot stand on the foot at all"
    assert handout.review.is_draft  # not signed off: the page says DRAFT

    edit(
        folder / "practice.yaml",
        "  content_version: 1.2.0",
        f"  content_version: 1.2.0\n  warning_signs: {{ws-cannot-walk: {code}}}",
    )
    resign(folder, ankle_library)
    assert messages(folder, ankle_library) == []
    library, practice = load_practice(folder, ankle_library, today=FAR)
    assert not compose(library, selection("bruising"), practice).review.is_draft


# --- Overlay items are checked like built-in ones ------------------------------------


def test_overlay_items_get_the_same_checks_as_built_in_content(folder):
    write(
        folder / "content/ankle-sprain/diet.yaml",
        """
        items:
          - id: diet-water
            title: Drink water
            text: Call {{ practice.phon }} if unsure.
            when: {symptoms: [sore]}
            sources: [nowhere]
          - id: diet-water
            title: Drink more water
            text: Plenty.
            sources: [riverside-physio]
        """,
    )
    assert messages(folder) == [
        f"{OVERLAY}/diet.yaml:5: items[0].when.symptoms[0]: unknown symptom 'sore'; "
        "expected one of: bruising, pain-walking, stiff-ankle, swelling",
        f"{OVERLAY}/diet.yaml:6: items[0].sources[0]: unknown source 'nowhere'; "
        "expected one of: riverside-physio, test-guide, test-physio",
        f"{OVERLAY}/diet.yaml:4: items[0].text: unknown placeholder 'practice.phon'; "
        "expected one of: address, emergency_number, footer, name, phone, reference, "
        "urgent_label, urgent_phone, website",
        f"{OVERLAY}/diet.yaml:7: items[1].id: duplicate item id 'diet-water'",
    ]


def test_overlay_warning_signs_need_an_urgency_and_unknown_keys_are_errors(folder):
    write(
        folder / "content/ankle-sprain/warning-signs.yaml",
        """
        items:
          - id: ws-new
            title: New sign
            text: Text.
            sources: [test-guide]
            colour: red
        """,
    )
    assert messages(folder) == [
        f"{OVERLAY}/warning-signs.yaml:6: items[0].colour: unknown field; expected one of: "
        "id, title, text, steps, when, urgency, scope, priority, first_for, sources, review, "
        "based_on, based_on_text"
    ]


def test_unknown_overlay_topic_and_module_are_errors(folder):
    write(folder / "content/knee-pain/causes.yaml", "items: []\n")
    write(folder / "content/ankle-sprain/tips.yaml", "items: []\n")
    assert messages(folder) == [
        f"{OVERLAY}/tips.yaml:1: unknown module kind 'tips'; expected one of: causes, "
        "self-help, diet, prevention, warning-signs, symptoms, sources",
        f"{P}/content/knee-pain: unknown topic 'knee-pain'; expected one of: ankle-sprain",
    ]


# --- Stale overrides -----------------------------------------------------------------


@pytest.fixture
def changed_library(tmp_path):
    """The test content after the built-in sh-rest item was reworded."""
    root = Path(shutil.copytree(TEST_CONTENT, tmp_path / "content"))
    edit(
        root / "ankle-sprain/self-help.yaml",
        "Keep the ankle raised on a pillow when you can.",
        "Keep the ankle raised on two pillows, above your hip.",
    )
    return load_library(root, use_cache=False)


def test_a_changed_built_in_item_makes_its_override_stale_and_shows_the_diff(
    folder, changed_library
):
    now = item_hash(changed_library.topic("ankle-sprain").items[2])
    assert now != "fdbb0d31"
    assert messages(folder, changed_library) == [
        f"{OVERLAY}/self-help.yaml:15: items[0].based_on: warning: built-in item 'sh-rest' "
        f"has changed since this override was made from it (based_on fdbb0d31, now {now}); "
        f"check your text still fits, then run 'handouts practice override sh-rest --accept' "
        f"(it sets based_on: {now} and based_on_text)\n"
        "    --- built-in then\n"
        "    +++ built-in now\n"
        "    @@ -1,5 +1,5 @@\n"
        "     title: Rest and raise it\n"
        "    -text: Keep the ankle raised on a pillow when you can.\n"
        "    +text: Keep the ankle raised on two pillows, above your hip.\n"
        "     step: Raise your foot above your hip.\n"
        "     step: Put ice wrapped in a towel on it for 20 minutes.\n"
        "     when symptoms: swelling, pain-walking"
    ]


def test_accept_takes_the_changed_built_in_item_as_the_new_base(folder, changed_library):
    from handouts.practice import accept

    overlay = folder / "content/ankle-sprain/self-help.yaml"
    before = overlay.read_text()
    accept(folder, changed_library, "sh-rest")
    after = overlay.read_text()
    now = item_hash(changed_library.topic("ankle-sprain").items[2])
    assert f"based_on: {now}\n" in after and "fdbb0d31" not in after
    assert "text: Keep the ankle raised on two pillows, above your hip." in after
    assert not any(
        "has changed since this override" in m for m in messages(folder, changed_library)
    )
    # Only the two based_on fields changed: the practice's own text and comments stay.
    assert after == before.replace("based_on: fdbb0d31", f"based_on: {now}").replace(
        "      text: Keep the ankle raised on a pillow when you can.",
        "      text: Keep the ankle raised on two pillows, above your hip.",
    )
    assert after.count("  - id: ") == before.count("  - id: ")


def test_accept_adds_based_on_text_when_the_override_lacked_it(folder, changed_library):
    from handouts.practice import accept

    overlay = folder / "content/ankle-sprain/self-help.yaml"
    text = overlay.read_text()
    cut = text[text.index("    based_on_text:") : text.index("\n  - id: sh-riverside-class")]
    overlay.write_text(text.replace(cut, ""))
    accept(folder, changed_library, "sh-rest")
    assert not any("has changed since" in m for m in messages(folder, changed_library))
    assert "based_on_text: |" in overlay.read_text()


def test_accept_without_an_override_is_a_message(folder, ankle_library):
    from handouts.practice import accept

    with pytest.raises(PracticeError, match="no override of 'sh-move' here"):
        accept(folder, ankle_library, "sh-move")


def test_without_the_old_text_a_stale_override_shows_the_built_in_text_now(folder, changed_library):
    overlay = folder / "content/ankle-sprain/self-help.yaml"
    text = overlay.read_text()
    cut = text[text.index("    based_on_text:") : text.index("\n  - id: sh-riverside-class")]
    overlay.write_text(text.replace(cut, ""))
    [problem] = messages(folder, changed_library)
    assert problem.endswith(
        "\n    (the text it was made from is not recorded, so here is the built-in item now)"
        "\n    title: Rest and raise it"
        "\n    text: Keep the ankle raised on two pillows, above your hip."
        "\n    step: Raise your foot above your hip."
        "\n    step: Put ice wrapped in a towel on it for 20 minutes."
        "\n    when symptoms: swelling, pain-walking"
    )


def test_a_replacement_without_based_on_is_a_warning_naming_the_hash(folder):
    edit(folder / "content/ankle-sprain/self-help.yaml", "    based_on: fdbb0d31\n", "")
    assert messages(folder) == [
        f"{OVERLAY}/self-help.yaml:6: items[0].id: warning: replaces built-in item 'sh-rest' "
        "without based_on, so check cannot tell you when the built-in item changes; after "
        "checking your text against it, add based_on: fdbb0d31"
    ]


def test_based_on_an_item_that_no_longer_exists_is_a_warning(folder):
    edit(
        folder / "content/ankle-sprain/self-help.yaml",
        "    sources: [riverside-physio]\n",
        "    sources: [riverside-physio]\n    based_on: 0123abcd\n",
    )
    assert messages(folder) == [
        f"{OVERLAY}/self-help.yaml:28: items[1].based_on: warning: there is no built-in item "
        "'sh-riverside-class' any more; this item is added, and replaces nothing"
    ]


def test_item_hash_ignores_the_review_record_but_not_the_text(ankle_library):
    import dataclasses

    from handouts.models import Review

    item = ankle_library.topic("ankle-sprain").items[2]
    reviewed = dataclasses.replace(item, review=Review("draft", next_review=FAR))
    assert item_hash(reviewed) == item_hash(item) == "fdbb0d31"
    assert item_hash(dataclasses.replace(item, text="Other.")) != item_hash(item)


# --- practice.yaml problems --------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "phone: 020 7946 0000",
            "phone_number: 020 7946 0000",
            f"{P}/practice.yaml:7: phone_number: unknown field; expected one of: name, address, "
            "website, urgent_phone, urgent_label, phone, emergency_number, region, logo, "
            "accent_colour, paper, font_size, large_print, language, clinicians, footer, "
            "reference, hide, review, font, online_url",
        ),
        (
            'accent_colour: "#00594f"',
            "accent_colour: teal",
            f"{P}/practice.yaml:10: accent_colour: expected a colour as #RRGGBB, such as "
            "#1a4f8b; got 'teal'",
        ),
        (
            "logo: logo.png",
            "logo: crest.png",
            f"{P}/practice.yaml:9: logo: file not found: {P}/crest.png",
        ),
        (
            "hide: [cause-bruise]",
            "hide: [cause-bruise, cause-typo]",
            f"{P}/practice.yaml:18: hide[1]: unknown item 'cause-typo'; see 'handouts items'",
        ),
        (
            "paper: a4",
            "paper: a5",
            f"{P}/practice.yaml:11: paper: expected one of: 'a4', 'letter'; got 'a5'",
        ),
        (
            "font_size: 12.5",
            "font_size: 9",
            f"{P}/practice.yaml:12: font_size: input should be greater than or equal to 12",
        ),
        (
            "language: en",
            "language: [en",
            f"{P}/practice.yaml:15: invalid YAML: did not find expected ',' or ']'",
        ),
        (
            "  reviewed_on: 2026-11-01\n",
            "",
            f"{P}/practice.yaml:19: review.reviewed_on: field required",
        ),
        (
            "font_size: 12.5",
            "font_size: 12.5\nfont: Missing.ttf",
            f"{P}/practice.yaml:13: font: file not found: {P}/fonts/Missing.ttf",
        ),
        (
            "font_size: 12.5",
            "font_size: 12.5\nfont: ../../../usr/share/fonts/x.ttf",
            f"{P}/practice.yaml:13: font: must be a file in the practice's fonts/ folder; "
            "got '../../../usr/share/fonts/x.ttf'",
        ),
        (
            "logo: logo.png",
            "logo: /etc/hostname",
            f"{P}/practice.yaml:9: logo: must be a file in the practice folder; "
            "got '/etc/hostname'",
        ),
    ],
)
def test_practice_yaml_problems_are_reported_exactly(folder, old, new, expected):
    edit(folder / "practice.yaml", old, new)
    assert messages(folder) == [expected]


def test_a_logo_that_is_not_an_image(folder):
    (folder / "logo.png").write_text("not a picture")
    assert messages(folder) == [
        f"{P}/practice.yaml:9: logo: not an image (expected PNG or JPEG): {P}/logo.png"
    ]


def test_a_font_that_is_not_truetype(folder):
    (folder / "fonts").mkdir()
    (folder / "fonts/Broken.ttf").write_bytes(b"\x00\x01\x00\x00 not really a font")
    edit(folder / "practice.yaml", "language: en", "language: en\nfont: Broken.ttf")
    [problem] = messages(folder)
    assert problem.startswith(
        f"{P}/practice.yaml:15: font: not a usable TrueType font: {P}/fonts/Broken.ttf\n    "
    )


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda f: shutil.rmtree(f), f"{P}: practice folder not found"),
        (lambda f: (f / "practice.yaml").unlink(), f"{P}/practice.yaml: file missing"),
        (
            lambda f: ((f / "practice.yaml").unlink(), (f / "practice.yaml").mkdir()),
            f"{P}/practice.yaml: cannot read: Is a directory",
        ),
        (
            lambda f: (f / "practice.yaml").write_bytes(b"name: x\nfooter: Caf\xe9\n"),
            f"{P}/practice.yaml:2: not UTF-8 text: byte 0xe9 at column 12 (save the file as UTF-8)",
        ),
        (
            lambda f: (f / "practice.yaml").write_text("- a list\n"),
            f"{P}/practice.yaml:1: expected a mapping of fields",
        ),
    ],
)
def test_a_missing_or_unreadable_practice_file(folder, make, expected):
    make(folder)
    assert messages(folder) == [expected]


def test_a_pale_accent_colour_is_darkened_with_a_warning(folder, ankle_library):
    edit(folder / "practice.yaml", '"#00594f"', '"#ffcc00"')
    result = check_practice(folder, ankle_library, today=FAR)
    printed = result.practice.accent_colour
    assert messages(folder, ankle_library) == [
        f"{P}/practice.yaml:10: accent_colour: warning: #ffcc00 is too pale to read on white "
        f"(1.5:1); printing {printed} ({contrast(printed):.1f}:1) instead"
    ]
    assert contrast(printed) >= 4.5
    assert readable_colour("#00594f") == "#00594f"


def test_urgent_signs_cannot_be_hidden_but_routine_ones_can(folder):
    edit(folder / "practice.yaml", "hide: [cause-bruise]", "hide: [ws-numb-toes, ws-not-better]")
    assert messages(folder) == [
        f"{P}/practice.yaml:18: hide[0]: 'ws-numb-toes' is an urgent warning sign and cannot "
        "be hidden from every handout; replace it with your own wording instead (handouts "
        "practice override), or leave it out for one patient with --omit"
    ]


def test_an_overdue_practice_sign_off_is_a_warning(folder):
    edit(folder / "practice.yaml", "next_review: 2099-11-01", "next_review: 2026-01-01")
    assert messages(folder) == [
        f"{P}/practice.yaml:22: review.next_review: warning: review overdue: "
        "next_review was 2026-01-01"
    ]


def test_a_sign_off_for_older_content_brings_the_draft_mark_back(folder, ankle_library):
    edit(folder / "practice.yaml", "content_version: 1.2.0", "content_version: 1.1.0")
    assert messages(folder) == [
        f"{P}/practice.yaml:23: review.content_version: warning: signed off for content "
        "version 1.1.0, but ankle-sprain is now version 1.2.0: read what changed, then sign "
        "off again; until then its handouts print the draft mark"
    ]
    library, practice = load_practice(folder, ankle_library, today=FAR)
    assert library.topic("ankle-sprain").review.is_draft
    assert compose(library, selection(), practice).review.is_draft


def test_a_broken_practice_template_is_found_by_check(folder):
    write(folder / "templates/wording.j2", '{% extends "base/wording.j2" %}{% block title %}')
    [problem] = messages(folder)
    assert problem.startswith(f"{P}/templates: ")
    assert "Unexpected end of template" in problem


def test_load_practice_raises_with_every_error(folder, ankle_library):
    edit(folder / "practice.yaml", "hide: [cause-bruise]", "hide: [ws-cannot-walk, nope]")
    with pytest.raises(PracticeError) as caught:
        load_practice(folder, ankle_library, today=FAR)
    assert [p.field for p in caught.value.problems] == ["hide[0]", "hide[1]"]
    assert caught.value.exit_code == 2


# --- init and override ---------------------------------------------------------------


def test_init_writes_an_example_that_checks_clean_and_refuses_to_overwrite(
    tmp_path, monkeypatch, ankle_library
):
    monkeypatch.chdir(tmp_path)
    written = init(Path(P))
    assert [str(p) for p in written] == [
        f"{P}/practice.yaml",
        f"{P}/content/README.txt",
        f"{P}/templates/README.txt",
        f"{P}/fonts/README.txt",
    ]
    assert messages(Path(P), ankle_library) == []
    _, practice = load_practice(Path(P), ankle_library, today=FAR)
    # Safe by default: no made-up phone numbers, no sign-off.
    assert (practice.urgent_phone, practice.emergency_number, practice.review) == ("", "", None)
    with pytest.raises(PracticeError) as caught:
        init(Path(P))
    assert str(caught.value) == f"{P}/practice.yaml: already exists; not overwritten"


def test_the_example_explains_every_field():
    from handouts.schema import PracticeFile

    lines = EXAMPLE.read_text().splitlines()
    for name in PracticeFile.model_fields:
        at = next(
            n
            for n, line in enumerate(lines)
            if line.lstrip("# ").removeprefix("Example: ").startswith(f"{name}:")
        )
        above = []
        while at > 0 and lines[at - 1].startswith("#"):
            at -= 1
            above.append(lines[at])
        explained = [line for line in above if not line.startswith("# Example")]
        assert explained, f"{name} has no comment explaining it"


def test_override_copies_the_item_with_based_on_and_appends_to_an_existing_file(
    folder, ankle_library
):
    override(folder, ankle_library, "sh-move")
    library, _ = load_practice(folder, ankle_library, today=FAR)
    # The overlay changed since the sign-off: a draft until a clinician signs it again.
    assert library.topic("ankle-sprain").review.is_draft
    resign(folder, ankle_library)
    library, _ = load_practice(folder, ankle_library, today=FAR)
    assert messages(folder, ankle_library) == []
    text = (folder / "content/ankle-sprain/self-help.yaml").read_text()
    assert text.count("  - id: ") == 3
    assert "based_on: 1fd2f7d7" in text
    assert "# Copied from the built-in item 'sh-move'" in text
    moved = next(i for i in library.topic("ankle-sprain").items if i.id == "sh-move")
    builtin = ankle_library.topic("ankle-sprain").items[3]
    assert dataclasses.replace(moved, review=None) == dataclasses.replace(builtin, review=None)
    assert moved.review == library.topic("ankle-sprain").review  # the practice signed it off


def test_override_refuses_an_item_already_overridden_and_unknown_items(folder, ankle_library):
    from handouts.errors import SelectionError

    before = (folder / "content/ankle-sprain/self-help.yaml").read_text()
    with pytest.raises(PracticeError) as caught:
        override(folder, ankle_library, "sh-rest")
    assert str(caught.value) == (
        f"{OVERLAY}/self-help.yaml:6: items[0].id: 'sh-rest' is already overridden here"
    )
    with pytest.raises(SelectionError, match="unknown item 'sh-nope'"):
        override(folder, ankle_library, "sh-nope")
    assert (folder / "content/ankle-sprain/self-help.yaml").read_text() == before


def test_override_starts_a_new_file(folder, ankle_library):
    path = override(folder, ankle_library, "ws-cannot-walk")
    assert path == folder / "content/ankle-sprain/warning-signs.yaml"
    assert messages(folder, ankle_library) == []
    assert path.read_text().count("  - id: ") == 2  # the practice's own sign, then this


def test_override_needs_a_practice_folder(tmp_path, monkeypatch, ankle_library):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PracticeError) as caught:
        override(Path("elsewhere"), ankle_library, "sh-move")
    assert str(caught.value) == (
        "elsewhere/practice.yaml: file missing; start the practice with 'handouts practice init'"
    )
    assert not (tmp_path / "elsewhere").exists()


def test_sign_off_covers_built_in_items_but_an_unsigned_practice_adds_only_drafts(
    folder, ankle_library
):
    signed, _ = load_practice(folder, ankle_library, today=FAR)
    assert all(not i.review.is_draft for i in signed.topic("ankle-sprain").items)
    assert not compose(signed, selection(), load_practice(folder, ankle_library)[1]).review.is_draft

    # Without the practice's sign-off, on a built-in topic a clinician had already checked:
    text = (folder / "practice.yaml").read_text()
    (folder / "practice.yaml").write_text(text[: text.index("review:")])
    checked = Review("clinically-reviewed", "Dr Jo Bloggs", dt.date(2026, 10, 1))
    topic = ankle_library.topic("ankle-sprain")
    items = tuple(dataclasses.replace(i, review=checked) for i in topic.items)
    reviewed = Library((dataclasses.replace(topic, review=checked, items=items),))
    library, practice = load_practice(folder, reviewed, today=FAR)
    merged = library.topic("ankle-sprain")
    own = {i.id for i in merged.items} - {i.id for i in topic.items}
    assert own and all(i.review.is_draft for i in merged.items if i.id in own)
    assert compose(library, selection(), practice).review.is_draft


def test_an_unset_field_never_changes_an_items_hash_but_a_set_one_does(ankle_library):
    from handouts.practice import _as_written, item_hash

    assert _as_written({"a": 1, "b": None, "c": {"d": (), "e": False}}) == {
        "a": 1,
        "c": {"e": False},
    }
    item = next(i for i in ankle_library.topics[0].items if i.id == "sh-rest")
    assert item_hash(item) == "fdbb0d31"  # as written in the test content, no unset fields
    fewer = dataclasses.replace(item, when=dataclasses.replace(item.when, symptoms=("swelling",)))
    assert item_hash(fewer) != item_hash(item)
