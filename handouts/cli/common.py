"""What every command shares: options, loading, and turning errors into messages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handouts.errors import ContentError, HandoutsError, RequestError

if TYPE_CHECKING:
    from handouts.models import Library, Practice, Selection, Topic

PAPERS = ("a4", "letter")


CLI_NAMES = {
    "symptoms": "--symptom",
    "name": "--name",
    "weeks": "--weeks",
    "due_date": "--due-date",
    "after_birth": "--after-birth",
    "clinician": "--clinician",
    "notes": "--notes",
    "date": "--date",
    "omit": "--omit",
    "paper": "--paper",
    "large_print": "--large-print",
    "language": "--lang",
    "topic": "--topic",
    "plan": "--plan",
    "follow_up": "--follow-up",
    "contact": "--contact",
}
"""What the command line calls each request field, for messages."""


def bad_request(exc: RequestError) -> typer.BadParameter:
    """A usage error for a request error: the option, the rule and the value typed."""
    option = exc.label if exc.label != exc.field else CLI_NAMES.get(exc.field, exc.field)
    return typer.BadParameter(exc.shown(), param_hint=f"'{option}'")


def read_request(
    fields: dict, topic: Topic, practice: Practice, names: dict[str, str] | None = None
) -> Selection:
    """The selection the options ask for, or a usage error naming the option.

    ``names`` overrides what a field is called (a value read from a form, say).
    """
    import datetime as dt

    from handouts import request

    called = {**CLI_NAMES, **(names or {})}
    asked = request.Request(topic, dt.date.today(), called, practice.date_order)
    try:
        return request.read_selection(fields, asked)
    except RequestError as exc:
        raise bad_request(exc) from None


ContentOption = Annotated[
    Path | None,
    typer.Option(
        "--content",
        metavar="DIR",
        help="Content root: a folder of topic folders (default: the built-in content).",
        file_okay=False,
        show_default=False,
    ),
]
PracticeOption = Annotated[
    Path | None,
    typer.Option(
        "--practice",
        metavar="DIR",
        help="Practice folder: practice.yaml and its changes to the content "
        "(see 'handouts practice init').",
        envvar="HANDOUTS_PRACTICE",
        file_okay=False,
        show_default=False,
    ),
]


def _paper(value: str | None) -> str | None:
    if value is not None and value.lower() not in PAPERS:
        raise typer.BadParameter(f"expected one of: {', '.join(PAPERS)}; got {value!r}")
    return value.lower() if value else None


PaperOption = Annotated[
    str | None,
    typer.Option(
        metavar="[a4|letter]",
        help="Paper size: a4 or letter (default: the practice's, A4).",
        callback=_paper,
        autocompletion=lambda: list(PAPERS),
        show_default=False,
    ),
]
LargePrintOption = Annotated[
    bool, typer.Option("--large-print", help="Large print: body text 16 pt or more.")
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help="Language, such as es or ar (the topic's translations/ folder).",
        show_default=False,
    ),
]
AllowFallbackOption = Annotated[
    bool,
    typer.Option(
        "--allow-fallback",
        help="With --lang: print parts not yet translated in English (and say so).",
    ),
]
TopicOption = Annotated[
    str | None,
    typer.Option(
        "--topic", metavar="ID", help="Topic id (default: the only topic).", show_default=False
    ),
]


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def _load(content: Path | None) -> Library:
    from handouts.library import load_library

    try:
        return load_library(content)
    except ContentError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise _fail(f"{len(exc.problems)} problem(s) in the content; nothing written", 2) from None


def _load_practice(content: Path | None, practice: Path | None) -> tuple[Library, Practice]:
    """The library with the practice's changes merged in, and the practice."""
    from handouts.models import Practice as DefaultPractice

    library = _load(content)
    if practice is None:
        return library, DefaultPractice()
    from handouts.practice import load_practice

    try:
        return load_practice(practice, library)
    except ContentError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise _fail(f"{len(exc.problems)} problem(s) in the practice; nothing written", 2) from None


def _topic(library: Library, topic: str | None):
    from handouts.compose import choose_topic

    try:
        return choose_topic(library, topic)
    except RequestError as exc:
        raise bad_request(exc) from None


def _completion_topic(ctx: typer.Context):
    """The topic the command line names so far, or None (completion must never fail)."""
    from handouts.compose import choose_topic
    from handouts.library import load_library

    try:
        library = load_library(ctx.params.get("content"))
        if folder := ctx.params.get("practice"):
            from handouts.practice import load_practice

            library, _ = load_practice(folder, library)
        return choose_topic(library, ctx.params.get("topic"))
    except HandoutsError:
        return None


def _complete_clinicians(ctx: typer.Context, incomplete: str) -> list[str]:
    """The practice's clinicians (completion must never fail)."""
    from handouts.practice import clinicians

    folder = ctx.params.get("practice")
    names = clinicians(folder) if folder else ()
    return [n for n in names if n.lower().startswith(incomplete.lower())]


def _complete_symptoms(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    topic = _completion_topic(ctx)
    symptoms = topic.symptoms if topic else ()
    return [(s.id, s.label) for s in symptoms if s.id.startswith(incomplete)]


def _complete_items(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    topic = _completion_topic(ctx)
    items = topic.items if topic else ()
    return [(i.id, i.title) for i in items if i.id.startswith(incomplete)]
