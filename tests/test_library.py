"""Loading and checking content: exact file:line: field: message for broken files."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from handouts.errors import ContentError
from handouts.library import check_library, load_library

ROOT = "content/ankle-sprain"


@pytest.fixture
def tree(content_tree, monkeypatch):
    monkeypatch.chdir(content_tree.parent)
    return content_tree


def write(tree, name: str, text: str) -> None:
    (tree / "ankle-sprain" / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def messages(tree, **kw) -> list[str]:
    return [str(p) for p in check_library(tree, **kw).problems]


def test_the_test_topic_loads(ankle_library):
    topic = ankle_library.topic("ankle-sprain")
    assert topic.symptom_ids == ("swelling", "pain-walking", "bruising")
    assert topic.items[0].module == "causes"
    assert topic.symptoms[2].codes.icd10cm == ("S93.401A",)


def test_builtin_content_passes(builtin_library):
    result = check_library()
    assert result.errors == [], "\n".join(map(str, result.errors))
    assert builtin_library.topic_ids == ("leg-numbness-pregnancy",)


CASES = {
    "after the birth in a topic that is not about pregnancy": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            when: {after_birth: true}
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:5: items[0].when.after_birth: only a pregnancy topic "
            "(uses_weeks: true in topic.yaml) has an 'after the birth'"
        ],
    ),
    "yaml aliases": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: &t Stretched
            text: *t
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:3: anchors and aliases (& and *) are not allowed; "
            "write the value out"
        ],
    ),
    "bad clinical codes": (
        "symptoms.yaml",
        """
        symptoms:
          - id: swelling
            label: Swelling
            codes:
              icd10cm: [S93.401A, r20.2]
              snomed: [57406008, 12ab]
          - id: pain-walking
            label: Pain when walking
          - id: bruising
            label: Bruising
            codes: {snomed: [57406009]}
        """,
        [
            f"{ROOT}/symptoms.yaml:5: symptoms[0].codes.icd10cm[1]: not an ICD-10-CM code "
            "(such as R20.2 or G56.03); got 'r20.2'",
            f"{ROOT}/symptoms.yaml:6: symptoms[0].codes.snomed[0]: not a SNOMED CT id: its "
            "check digit is wrong; got '57406008'",
            f"{ROOT}/symptoms.yaml:6: symptoms[0].codes.snomed[1]: not a SNOMED CT id "
            "(6 to 18 digits, such as 57406009); got '12ab'",
        ],
    ),
    "missing field": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            sources: [test-guide]
        """,
        [f"{ROOT}/causes.yaml:2: items[0].text: field required"],
    ),
    "unknown key": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            when:
              symtpoms: [swelling]
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:6: items[0].when.symtpoms: unknown field; "
            "expected one of: symptoms, weeks, after_birth"
        ],
    ),
    "unknown item key": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            colour: red
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:5: items[0].colour: unknown field; expected one of: id, title, "
            "text, steps, when, urgency, scope, priority, first_for, sources, review"
        ],
    ),
    "unknown symptom": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            when: {symptoms: [swelling, swollen]}
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:5: items[0].when.symptoms[1]: unknown symptom 'swollen'; "
            "expected one of: bruising, pain-walking, swelling"
        ],
    ),
    "unknown source": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            sources:
              - test-guide
              - nhs-sprain
        """,
        [
            f"{ROOT}/causes.yaml:7: items[0].sources[1]: unknown source 'nhs-sprain'; "
            "expected one of: test-guide, test-physio"
        ],
    ),
    "no source": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
        """,
        [f"{ROOT}/causes.yaml:2: items[0].sources: every item needs at least one source"],
    ),
    "duplicate id across files": (
        "diet.yaml",
        """
        items:
          - id: sh-rest
            title: Eat well
            text: A text.
            sources: [test-guide]
        """,
        [f"{ROOT}/diet.yaml:2: items[0].id: duplicate item id 'sh-rest'"],
    ),
    "bad urgency": (
        "warning-signs.yaml",
        """
        items:
          - id: ws-cannot-walk
            title: Cannot walk
            text: A text.
            urgency: high
            sources: [test-guide]
        """,
        [
            f"{ROOT}/warning-signs.yaml:5: items[0].urgency: expected one of: 'emergency', "
            "'urgent', 'routine'; got 'high'"
        ],
    ),
    "warning sign without urgency": (
        "warning-signs.yaml",
        """
        items:
          - id: ws-cannot-walk
            title: Cannot walk
            text: A text.
            sources: [test-guide]
        """,
        [
            f"{ROOT}/warning-signs.yaml:2: items[0]: urgency: field required for warning signs "
            "(expected one of: emergency, urgent, routine)"
        ],
    ),
    "urgency outside warning signs": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            urgency: routine
            sources: [test-guide]
        """,
        [f"{ROOT}/causes.yaml:5: items[0].urgency: only warning signs have an urgency"],
    ),
    "bad id": (
        "causes.yaml",
        """
        items:
          - id: Cause_Stretch
            title: Stretched
            text: A text.
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:2: items[0].id: expected lower-case letters, digits and hyphens "
            "(like numb-legs); got 'Cause_Stretch'"
        ],
    ),
    "steps not a list": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            steps: Rest it.
            sources: [test-guide]
        """,
        [f"{ROOT}/causes.yaml:5: items[0].steps: input should be a valid list; got 'Rest it.'"],
    ),
    "placeholder typo": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: Call {{ practice.urgent_phon }} today.
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:4: items[0].text: unknown placeholder 'practice.urgent_phon'; "
            "expected one of: address, emergency_number, footer, name, phone, reference, "
            "urgent_label, urgent_phone, website"
        ],
    ),
    "unknown variable": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Hello {{ pateint.first_name }}
            text: A text.
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:3: items[0].title: unknown placeholder 'pateint'; "
            "expected one of: practice, patient, topic, clinician, date"
        ],
    ),
    "placeholder syntax": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched {{ patient.name
            text: A text.
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:3: items[0].title: placeholder syntax error: unexpected end of "
            "template, expected 'end of print statement'."
        ],
    ),
    "placeholder that runs code": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: "{{ patient.__class__.__subclasses__() }}"
            sources: [test-guide]
        """,
        [
            f"{ROOT}/causes.yaml:4: items[0].text: placeholder not allowed: access to attribute "
            "'__class__' of 'Patient' object is unsafe."
        ],
    ),
    "yaml syntax": (
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: "Stretched
            text: A text.
        """,
        [f"{ROOT}/causes.yaml:5: invalid YAML: found unexpected end of stream"],
    ),
    "not a mapping": (
        "causes.yaml",
        """
        - id: cause-stretch
        """,
        [f"{ROOT}/causes.yaml:1: expected a mapping of fields"],
    ),
    "unknown module kind": (
        "exercise.yaml",
        """
        items: []
        """,
        [
            f"{ROOT}/exercise.yaml:1: unknown module kind 'exercise'; expected one of: causes, "
            "self-help, diet, prevention, warning-signs"
        ],
    ),
    "duplicate symptom": (
        "symptoms.yaml",
        """
        symptoms:
          - id: swelling
            label: Swollen ankle
          - id: pain-walking
            label: Pain
          - id: bruising
            label: Bruising
          - id: swelling
            label: Swollen again
        """,
        [f"{ROOT}/symptoms.yaml:8: symptoms[3].id: duplicate symptom id 'swelling'"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_content_is_reported_exactly(tree, case):
    name, text, expected = CASES[case]
    write(tree, name, text)
    assert messages(tree) == expected
    with pytest.raises(ContentError) as err:
        load_library(tree)
    assert [str(p) for p in err.value.problems] == expected


def test_weeks_ranges_are_checked(tree):
    topic = (tree / "ankle-sprain" / "topic.yaml").read_text()
    (tree / "ankle-sprain" / "topic.yaml").write_text(topic + "uses_weeks: true\n")
    write(
        tree,
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            when: {weeks: {from: 30, to: 20}}
            sources: [test-guide]
          - id: cause-bruise
            title: Bruise
            text: A text.
            when:
              weeks: {from: 50}
            sources: [test-guide]
        """,
    )
    assert messages(tree) == [
        f"{ROOT}/causes.yaml:5: items[0].when.weeks: impossible weeks range: "
        "from 30 is after to 20",
        f"{ROOT}/causes.yaml:11: items[1].when.weeks.from: input should be less than or equal "
        "to 45",
    ]


def test_weeks_in_a_topic_that_does_not_use_them(tree):
    write(
        tree,
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            when: {weeks: {from: 20}}
            sources: [test-guide]
        """,
    )
    assert messages(tree) == [
        f"{ROOT}/causes.yaml:5: items[0].when.weeks: this topic does not use weeks "
        "(set uses_weeks: true in topic.yaml)"
    ]


def test_every_problem_in_every_file_is_reported_in_one_pass(tree):
    write(
        tree,
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            sources: [test-guide]
        """,
    )
    write(
        tree,
        "diet.yaml",
        """
        items:
          - id: diet-water
            title: Drink
            text: Water.
            sources: [nope]
        """,
    )
    found = messages(tree)
    assert len(found) == 2
    assert found[0].startswith(f"{ROOT}/causes.yaml:2: items[0].text")
    assert found[1].startswith(f"{ROOT}/diet.yaml:5: items[0].sources[0]: unknown source")


def test_topic_id_must_match_its_folder(tree):
    path = tree / "ankle-sprain" / "topic.yaml"
    path.write_text(path.read_text().replace("id: ankle-sprain", "id: ankle"))
    assert messages(tree) == [
        f"{ROOT}/topic.yaml:1: id: must match the folder name 'ankle-sprain'; got 'ankle'"
    ]


def test_missing_files_and_missing_root(tree):
    (tree / "ankle-sprain" / "symptoms.yaml").unlink()
    assert messages(tree) == [f"{ROOT}/symptoms.yaml: file missing"]
    assert messages(tree / "nowhere") == ["content/nowhere: content folder not found"]


def test_overdue_review_is_a_warning(tree):
    path = tree / "ankle-sprain" / "topic.yaml"
    path.write_text(path.read_text().replace("2099-01-01", "2026-01-01"))
    result = check_library(tree, today=dt.date(2026, 11, 22))
    assert [str(p) for p in result.problems] == [
        f"{ROOT}/topic.yaml:12: review.next_review: warning: review overdue: next_review was "
        "2026-01-01"
    ]
    assert result.library is not None  # a warning alone does not stop a handout


def test_signed_off_review_needs_a_name_and_date(tree):
    path = tree / "ankle-sprain" / "topic.yaml"
    path.write_text(path.read_text().replace("status: draft", "status: clinically-reviewed"))
    assert messages(tree) == [
        f"{ROOT}/topic.yaml:10: review: clinically-reviewed content needs reviewed_by and "
        "reviewed_on"
    ]


def test_not_utf8(tree):
    (tree / "ankle-sprain" / "causes.yaml").write_bytes(b"items: [\xff\xfe]\n")
    assert messages(tree) == [
        f"{ROOT}/causes.yaml:1: not UTF-8 text: byte 0xff at column 9 (save the file as UTF-8)"
    ]


def test_an_items_overdue_review_uses_the_same_date_as_the_topics(tree):
    write(
        tree,
        "causes.yaml",
        """
        items:
          - id: cause-stretch
            title: Stretched
            text: A text.
            sources: [test-guide]
            review: {status: draft, next_review: 2026-06-01}
        """,
    )
    assert messages(tree, today=dt.date(2026, 1, 1)) == []
    assert messages(tree, today=dt.date(2026, 11, 22)) == [
        f"{ROOT}/causes.yaml:6: items[0].review.next_review: warning: review overdue: "
        "next_review was 2026-06-01"
    ]


def test_an_item_for_after_the_birth_cannot_have_weeks(tmp_path, monkeypatch):
    import shutil

    from handouts.resources import CONTENT

    root = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    monkeypatch.chdir(tmp_path)
    causes = root / "leg-numbness-pregnancy" / "causes.yaml"
    text = causes.read_text()
    causes.write_text(
        text.replace(
            "      after_birth: true\n", "      after_birth: true\n      weeks: {from: 30}\n"
        )
    )
    line = causes.read_text().splitlines().index("      weeks: {from: 30}") + 1
    assert [str(p) for p in check_library(root).problems] == [
        f"content/leg-numbness-pregnancy/causes.yaml:{line}: items[10].when.weeks: weeks are "
        "weeks of pregnancy; an item only for after the birth cannot have them"
    ]
