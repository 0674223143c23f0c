"""``handouts make``: one patient's handout."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from handouts.cli.common import (
    ContentOption,
    LargePrintOption,
    PaperOption,
    PracticeOption,
    TopicOption,
    _complete_clinicians,
    _complete_items,
    _complete_symptoms,
    _date,
    _fail,
    _load_practice,
    _topic,
)
from handouts.errors import HandoutsError, SelectionError


def make(
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "-s",
            "--symptom",
            help="A ticked symptom id (repeat for more).",
            autocompletion=_complete_symptoms,
            show_default=False,
        ),
    ] = None,
    name: Annotated[str, typer.Option(help="Patient's name, as it should print.")] = "",
    weeks: Annotated[
        int | None, typer.Option(help="Weeks of pregnancy (0-45).", show_default=False)
    ] = None,
    due_date: Annotated[
        str | None,
        typer.Option(
            "--due-date", help="Due date (YYYY-MM-DD), instead of --weeks.", show_default=False
        ),
    ] = None,
    after_birth: Annotated[
        bool,
        typer.Option(
            "--after-birth", help="The baby has been born (instead of --weeks or --due-date)."
        ),
    ] = False,
    clinician: Annotated[
        str,
        typer.Option(
            help="Who is giving the handout (completion offers the practice's clinicians).",
            autocompletion=_complete_clinicians,
        ),
    ] = "",
    notes: Annotated[str, typer.Option(help="Free-text notes for the notes box.")] = "",
    omit: Annotated[
        list[str] | None,
        typer.Option(
            "--omit",
            help="An item id to leave out (repeat for more).",
            autocompletion=_complete_items,
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="Date printed on the handout (YYYY-MM-DD; default today).", show_default=False
        ),
    ] = None,
    topic: TopicOption = None,
    paper: PaperOption = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="PDF file to write; '-' writes to standard output. "
            "Default: a new file in the current folder.",
            show_default=False,
        ),
    ] = None,
    open_after: Annotated[
        bool, typer.Option("--open", help="Open the handout in the system viewer.")
    ] = False,
    large_print: LargePrintOption = False,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Make one patient's handout as a PDF.

    With no --symptom on a terminal, shows a checkbox list; otherwise, with no
    --symptom, makes the generic leaflet.

    Example: handouts make -s numb-legs -s swollen-feet --name "Ana" --weeks 31 -o ana.pdf
    """
    from handouts import compose as composing
    from handouts.models import Selection

    if weeks is not None and due_date is not None:
        raise typer.BadParameter("give --weeks or --due-date, not both", param_hint="'--due-date'")
    if after_birth and (weeks is not None or due_date is not None):
        raise typer.BadParameter(
            "give --after-birth or --weeks/--due-date, not both", param_hint="'--after-birth'"
        )
    library, profile = _load_practice(content, practice)
    chosen = _topic(library, topic)
    on = _date(date, "--date") if date else dt.date.today()
    ticked = tuple(dict.fromkeys(symptom or ()))
    if not ticked and output != "-" and sys.stdin.isatty() and sys.stdout.isatty():
        ticked = _ask_symptoms(chosen)
    try:
        if due_date is not None:
            weeks = composing.weeks_from_due_date(_date(due_date, "--due-date"), on)
        selection = Selection(
            symptoms=ticked,
            name=name,
            weeks=weeks,
            after_birth=after_birth or None,
            clinician=clinician,
            date=on,
            notes=notes,
            omit=tuple(omit or ()),
            topic=chosen.id,
            paper=paper,
            large_print=large_print,
        )
        handout = composing.compose(library, selection, profile)
    except SelectionError as exc:
        raise typer.BadParameter(exc.message, param_hint=f"'{exc.option}'") from None
    _write(handout, output, open_after)


def _ask_symptoms(topic) -> tuple[str, ...]:
    import questionary

    choices = [questionary.Choice(f"{s.label}", value=s.id) for s in topic.symptoms]
    answer = questionary.checkbox(
        f"{topic.title}: tick the patient's symptoms (space to tick, enter when done)",
        choices=choices,
    ).ask()
    if answer is None:
        raise _fail("cancelled; nothing written", 1)
    return tuple(answer)


def _write(handout, output: str | None, open_after: bool) -> None:
    from handouts import output as out
    from handouts.render.pdf import render_pdf

    try:
        pdf = render_pdf(handout)
        if output == "-":
            sys.stdout.buffer.write(pdf)
            sys.stdout.buffer.flush()
            return
        path = Path(output) if output else out.free_path(Path.cwd(), _default_stem(handout))
        written = out.write_atomic(path, pdf)
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(str(written))
    if open_after:
        try:
            out.open_file(written)
        except HandoutsError as exc:  # the handout is written; only the viewer is missing
            typer.echo(f"Warning: {exc}", err=True)


def _default_stem(handout) -> str:
    from handouts.output import safe_name

    if handout.patient.name:
        return f"{safe_name(handout.patient.name)}-{handout.date.isoformat()}"
    return safe_name(handout.topic.id)
