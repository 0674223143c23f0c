"""``handouts check``: every problem in the content and a practice folder."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from handouts.cli.common import ContentOption, PracticeOption


def check(
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Treat warnings (overdue review, hard-to-read text) as errors."
        ),
    ] = False,
    report: Annotated[
        bool,
        typer.Option(
            "--report", help="Print each item's words, reading grade and longest sentence."
        ),
    ] = False,
    max_grade: Annotated[
        float,
        typer.Option(
            "--max-grade",
            metavar="GRADE",
            min=0,
            help="Warn when an item's Flesch-Kincaid grade is above this.",
        ),
    ] = 7.0,
    max_sentence_words: Annotated[
        int,
        typer.Option(
            "--max-sentence-words",
            metavar="N",
            min=1,
            help="Warn about sentences longer than this.",
        ),
    ] = 25,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Check the content, and a practice folder with it: every problem as file:line: field: message.

    Exits 2 when there are errors (or warnings, with --strict).

    Example: handouts check --strict --report --practice my-practice
    """
    from handouts.library import check_library
    from handouts.readability import Thresholds

    limits = Thresholds(max_grade, max_sentence_words)
    result = check_library(content, readability=limits)
    if practice is not None:
        from handouts.practice import check_with_practice

        result = check_with_practice(result, practice, readability=limits)
    if result.library is not None:
        from handouts.translations import check as check_translations

        found = [p for t in result.library.topics for p in check_translations(t)]
        result = dataclasses.replace(result, problems=[*result.problems, *found])
    for problem in result.problems:
        typer.echo(str(problem))
    library = result.library
    if report and library is not None:
        from handouts.models import Practice as DefaultPractice

        profile = getattr(result, "practice", None) or DefaultPractice()
        for topic in library.topics:
            _print_report(library, topic, profile)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    summary = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
    if library is not None:
        counts = ", ".join(
            f"{t.id}: {len(t.symptoms)} symptoms, {len(t.items)} items" for t in library.topics
        )
        summary = f"{counts}; {summary}"
    typer.echo(("FAILED: " if failed else "OK: ") + summary)
    if failed:
        raise typer.Exit(2)


def _print_report(library, topic, practice) -> None:
    from handouts import readability

    rows = readability.report(topic)
    width = max(len(r.item) for r in rows) if rows else 4

    def line(item: str, module: str, words, grade, longest) -> None:
        typer.echo(f"{item:<{width}}  {module:<13}  {words:>5}  {grade:>5}  {longest:>7}")

    def measured(item: str, module: str, m) -> None:
        line(item, module, m.words, f"{m.grade:.1f}", m.longest)

    typer.echo(f"\n{topic.id}: readability (Flesch-Kincaid grade; longest sentence in words)")
    line("item", "module", "words", "grade", "longest")
    for row in rows:
        measured(row.item, row.module, row.measure)
    measured("whole topic", "", readability.whole_topic(topic))
    measured("generic leaflet", "", readability.generic_leaflet(topic))
    _print_pages(library, topic, practice)
    _print_translations(topic)
    typer.echo()


def _print_pages(library, topic, practice) -> None:
    """Page counts of every single symptom and pair: does each fit its one sheet?"""
    from handouts import readability
    from handouts.fit import survey

    typer.echo(f"\n{topic.id}: handouts for each symptom and each pair (pages; items left out)")
    typer.echo(f"{'stage':<16}  {'handouts':>8}  {'pages':>5}  {'over':>4}  {'left out':>8}  grade")
    rows = survey(library, topic.id, practice)
    for stage in dict.fromkeys(r.stage for r in rows):
        mine = [r.fitted for r in rows if r.stage == stage]
        pages = max(f.pages for f in mine)
        over = sum(1 for f in mine if f.budget is not None and f.pages > f.budget)
        left = sum(len(f.handout.dropped) for f in mine) / len(mine)
        grade = max(readability.handout_measure(f.handout).grade for f in mine)
        figures = f"{len(mine):>8}  {pages:>5}  {over:>4}  {left:>8.1f}  {grade:.1f}"
        typer.echo(f"{stage or 'all':<16}  {figures}")


def _print_translations(topic) -> None:
    """Each translation's readability, where its language has a formula."""
    from handouts import readability

    rows = readability.translations_report(topic)
    if not rows:
        return
    typer.echo(f"\n{topic.id}: translations (the formula of each language, where there is one)")
    for row in rows:
        score = f"{row.formula} {row.score:g}" if row.formula else "no formula for this language"
        typer.echo(f"{row.language:<6}  {row.words:>6} words  {score}")
