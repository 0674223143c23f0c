"""Readability: Flesch-Kincaid grade and sentence length in ``check``, and ``check --report``."""

from __future__ import annotations

import textwrap

import pytest
from typer.testing import CliRunner

from handouts import readability
from handouts.cli import app
from handouts.library import check_library
from handouts.readability import Thresholds

ROOT = "content/ankle-sprain"

HARD = (
    "Considerable musculoskeletal inflammation subsequently necessitates comprehensive "
    "rehabilitation, particularly regarding proprioceptive functionality. "
    "Physiotherapeutic intervention is generally recommended, alongside individualised "
    "progressive strengthening programmes and appropriate analgesic medication."
)
LONG = (
    "If you notice that the swelling in your ankle is getting worse over the next few days "
    "even though you have been resting it and raising it up on a pillow, call us."
)


@pytest.fixture
def tree(content_tree, monkeypatch):
    monkeypatch.chdir(content_tree.parent)
    return content_tree


def write_causes(tree, text: str, steps: tuple[str, ...] = ()) -> None:
    body = f"""
        items:
          - id: cause-stretch
            title: Stretched
            text: {text!r}
            steps: [{", ".join(repr(s) for s in steps)}]
            sources: [test-guide]
        """
    (tree / "ankle-sprain" / "causes.yaml").write_text(textwrap.dedent(body).lstrip())


def messages(tree, limits: Thresholds | None = None) -> list[str]:
    limits = limits or Thresholds()
    return [str(p) for p in check_library(tree, readability=limits).problems]


def test_easy_and_hard_text_get_the_expected_grades():
    easy = readability.measure(readability.as_sentences("Sit down. Put your feet up. Rest."))
    hard = readability.measure(readability.as_sentences(HARD))
    assert easy.grade < 2
    assert hard.grade > 12
    assert (easy.words, easy.longest) == (7, 4)


def test_steps_count_as_sentences_and_markup_is_not_words():
    text = "Lie **on your side**. See [the NHS](https://nhs.uk)."
    parts = readability.as_sentences(text, ["Rest"])
    assert parts == ["Lie on your side.", "See the NHS.", "Rest."]


def test_the_grade_never_needs_the_network(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("tried to download NLTK data")

    monkeypatch.setattr(nltk, "download", refuse)
    readability._textstat.cache_clear()
    assert readability.measure(["A dictionary of pronunciations counts syllables."]).grade > 8


def test_a_hard_item_is_a_warning_at_its_text(tree):
    write_causes(tree, HARD)
    [problem] = messages(tree)
    assert problem.startswith(f"{ROOT}/causes.yaml:4: items[0].text: warning: reading grade ")
    assert problem.endswith("is above 7 (Flesch-Kincaid); use shorter sentences and everyday words")


def test_a_few_words_are_not_graded(tree):
    write_causes(tree, "Ask about physiotherapy.")
    assert readability.measure(["Ask about physiotherapy."]).grade > 7
    assert messages(tree) == []


def test_a_long_sentence_is_a_warning_where_it_is_written(tree):
    write_causes(tree, "Rest it.", steps=("Raise it.", LONG))
    assert messages(tree, Thresholds(max_grade=20)) == [
        f"{ROOT}/causes.yaml:5: items[0].steps[1]: warning: sentence of 33 words (limit 25): "
        '"If you notice that the swelling in your ..."'
    ]


def test_thresholds_are_configurable(tree):
    write_causes(tree, "Rest it. Raise it on a pillow when you sit down.")
    assert messages(tree) == []
    assert [m for m in messages(tree, Thresholds(max_sentence_words=8)) if "causes" in m] == [
        f"{ROOT}/causes.yaml:4: items[0].text: warning: sentence of 9 words (limit 8): "
        '"Raise it on a pillow when you sit ..."'
    ]


def test_placeholders_are_filled_before_measuring(tree):
    write_causes(tree, "Call {{ practice.urgent_phone }} today.")
    assert messages(tree) == []


def test_strict_check_fails_on_hard_text_and_options_reach_the_check(tree):
    write_causes(tree, "Rest it. Raise it on a pillow when you sit down.")
    runner = CliRunner()
    ok = runner.invoke(app, ["check", "--strict", "--content", str(tree)])
    assert ok.exit_code == 0, ok.output
    strict = runner.invoke(
        app, ["check", "--strict", "--max-sentence-words", "8", "--content", str(tree)]
    )
    assert strict.exit_code == 2
    assert "sentence of 9 words (limit 8)" in strict.output
    assert strict.output.splitlines()[-1].startswith("FAILED:")
    bad = runner.invoke(app, ["check", "--max-grade", "-1", "--content", str(tree)])
    assert bad.exit_code == 2
    assert "Invalid value for '--max-grade'" in bad.output


def test_report_lists_every_item_with_its_figures(tree):
    result = CliRunner().invoke(app, ["check", "--report", "--content", str(tree)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("item "))
    assert lines[header].split() == ["item", "module", "words", "grade", "longest"]
    check = check_library(tree)
    topic = check.library.topics[0]
    rows = [line.split() for line in lines[header + 1 : header + 1 + len(topic.items)]]
    assert [r[0] for r in rows] == list(topic.item_ids)
    measured = {r.item: r.measure for r in readability.report(topic)}
    for item_id, module, words, grade, longest in rows:
        m = measured[item_id]
        assert (module, int(words), float(grade), int(longest)) == (
            topic.items[topic.item_ids.index(item_id)].module,
            m.words,
            m.grade,
            m.longest,
        )
    assert any(line.startswith("whole topic") for line in lines)
    assert any(line.startswith("generic leaflet") for line in lines)
    # The one-sheet survey: every single symptom and pair of the (non-pregnancy) test topic.
    pages = lines[lines.index(next(x for x in lines if x.startswith("stage "))) + 1].split()
    symptoms = len(topic.symptoms)
    assert pages[0] == "all" and int(pages[1]) == symptoms + symptoms * (symptoms - 1) // 2
    assert int(pages[2]) <= 2 and pages[3] == "0"


def test_builtin_content_reads_easily(builtin_library):
    topic = builtin_library.topics[0]
    result = check_library(readability=Thresholds())
    assert result.warnings == []
    assert readability.generic_leaflet(topic).grade <= 6
    assert all(row.measure.grade <= 7 for row in readability.report(topic))
    assert all(row.measure.longest <= 25 for row in readability.report(topic))
