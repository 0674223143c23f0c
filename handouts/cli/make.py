"""``handouts make``: one patient's handout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from handouts.cli.command import Command
from handouts.cli.common import (
    AllowFallbackOption,
    ContentOption,
    LangOption,
    LargePrintOption,
    PaperOption,
    PracticeOption,
    TopicOption,
    _complete_clinicians,
    _complete_items,
    _complete_symptoms,
    _fail,
    _load_practice,
    _topic,
    read_request,
)
from handouts.errors import HandoutsError


class MakeCommand(Command):
    optional_values = ("--print",)


COMMAND_CLASS = MakeCommand
"""The command class ``handouts make`` is built with."""


def make(
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "-s",
            "--symptom",
            metavar="ID",
            help="A ticked symptom id (repeat for more).",
            autocompletion=_complete_symptoms,
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str, typer.Option(metavar="TEXT", help="Patient's name, as it should print.")
    ] = "",
    weeks: Annotated[
        str | None,
        typer.Option(
            metavar="N", help="Weeks of pregnancy (0-45; 31+2 reads as 31).", show_default=False
        ),
    ] = None,
    due_date: Annotated[
        str | None,
        typer.Option(
            "--due-date",
            metavar="DATE",
            help="Due date (YYYY-MM-DD, or the practice's DD/MM/YYYY), instead of --weeks.",
            show_default=False,
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
            metavar="TEXT",
            help="Who is giving the handout (completion offers the practice's clinicians).",
            autocompletion=_complete_clinicians,
        ),
    ] = "",
    notes: Annotated[
        str, typer.Option(metavar="TEXT", help="Free-text notes for the notes box.")
    ] = "",
    plan: Annotated[
        list[str] | None,
        typer.Option(
            "--plan",
            metavar="ID",
            help="A 'My plan' option to tick, such as wrist-splint (repeat for more; "
            "'handouts symptoms' lists them). Not given: blank tick boxes.",
            show_default=False,
        ),
    ] = None,
    follow_up: Annotated[
        str,
        typer.Option(
            "--follow-up", metavar="TEXT", help="Next appointment, as it should print (My plan)."
        ),
    ] = "",
    contact: Annotated[
        str,
        typer.Option(metavar="TEXT", help="Whom to call with questions, and the number (My plan)."),
    ] = "",
    full: Annotated[
        bool,
        typer.Option("--full", help="Print every item that applies, past the page budget."),
    ] = False,
    omit: Annotated[
        list[str] | None,
        typer.Option(
            "--omit",
            metavar="ID",
            help="An item id to leave out (repeat for more).",
            autocompletion=_complete_items,
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Date printed on the handout (as --due-date; default today).",
            show_default=False,
        ),
    ] = None,
    topic: TopicOption = None,
    paper: PaperOption = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="PDF file to write; '-' writes to standard output. "
            "Default: a new file in the current folder.",
            show_default=False,
        ),
    ] = None,
    open_after: Annotated[
        bool, typer.Option("--open", help="Open the handout in the system viewer.")
    ] = False,
    print_to: Annotated[
        str | None,
        typer.Option(
            "--print",
            metavar="[PRINTER]",
            help="Print the handout with lp: on the default printer, or on PRINTER.",
            show_default=False,
        ),
    ] = None,
    printer: Annotated[
        str | None,
        typer.Option("--printer", metavar="PRINTER", hidden=True, show_default=False),
    ] = None,
    large_print: LargePrintOption = False,
    lang: LangOption = None,
    allow_fallback: AllowFallbackOption = False,
    from_form: Annotated[
        Path | None,
        typer.Option(
            "--from-form",
            metavar="PATH",
            help="A filled intake form (see 'handouts intake-form'): its ticks, name, weeks "
            "and notes; options given here add to it.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Make one patient's handout as a PDF.

    With no --symptom on a terminal, shows a checkbox list (with each symptom's
    hint), then asks for name, stage, clinician and notes (Enter skips one);
    otherwise, with no --symptom, makes the generic leaflet.

    Example: handouts make -s numb-legs -s swollen-feet --name "Ana" --weeks 31 -o ana.pdf
    """
    from handouts.compose import compose

    library, profile = _load_practice(content, practice)
    fields = {
        "symptoms": symptom or (),
        "name": name,
        "weeks": weeks,
        "due_date": due_date,
        "after_birth": after_birth or None,
        "clinician": clinician,
        "notes": notes,
        "date": date,
        "omit": omit or (),
        "paper": paper,
        "large_print": large_print,
        "plan": plan or (),
        "follow_up": follow_up,
        "contact": contact,
    }
    names = {}
    if from_form is not None:
        chosen, fields, names = _with_form(from_form, library, topic, fields)
    else:
        chosen = _topic(library, topic)
    if from_form is None and not symptom and output != "-" and _interactive():
        from handouts.cli.prompts import ask

        fields = ask(chosen, profile, fields)
    selection = read_request(fields, chosen, profile, names)
    if printer:  # the name --print [PRINTER] had before it took a value
        print_to = printer
    try:
        handout = compose(library, selection, profile)
        if lang:
            from handouts.translations import translate

            handout, english = translate(handout, lang, allow_fallback=allow_fallback)
            if english:
                typer.echo(f"In English, not yet translated: {', '.join(english)}", err=True)
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    _write(handout, output, open_after, print_to, full)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _with_form(path: Path, library, topic: str | None, fields: dict):
    """The form's topic and fields, with the options given on the command line added."""
    from handouts.intake import FORM_NAMES, IntakeFormError, read_form

    try:
        filled = read_form(path.read_bytes(), library)
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror or exc}", 2) from None
    except IntakeFormError as exc:
        raise _fail(f"{path}: {exc}", exc.exit_code) from None
    if topic is not None and topic != filled.topic.id:
        raise typer.BadParameter(
            f"the form is for {filled.topic.id!r}, not {topic!r}", param_hint="'--topic'"
        )
    merged, names = dict(fields), {}
    for field, value in filled.fields.items():
        if field == "symptoms":
            merged["symptoms"] = [*value, *fields["symptoms"]]
            names[field] = f"--from-form ({FORM_NAMES[field]}) or --symptom"
        elif value and not fields.get(field):
            merged[field] = value
            names[field] = f"--from-form ({FORM_NAMES[field]})"
    return filled.topic, merged, names


def _write(
    handout, output: str | None, open_after: bool, print_to: str | None, full: bool = False
) -> None:
    from handouts import output as out
    from handouts.fit import fit_pdf
    from handouts.render.markup import to_plain

    if output == "-" and (open_after or print_to is not None):
        raise typer.BadParameter("cannot open or print standard output", param_hint="'-o'")
    try:
        fitted = fit_pdf(handout, full=full)
        pdf = fitted.pdf
        if fitted.handout.dropped:
            typer.echo(
                f"Left out to fit {fitted.budget} pages (--full prints everything):", err=True
            )
            for item in fitted.handout.dropped:
                typer.echo(f"  {item.id}: {to_plain(item.title)}", err=True)
        if output == "-":
            out.write_stream(sys.stdout.buffer, pdf)
            return
        if output:
            written = out.write_atomic(Path(output), pdf)
        else:  # claimed when complete, so runs at once never share a name
            written = out.write_new(Path.cwd(), out.handout_stem(handout), pdf)
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(str(written))
    if open_after and typer.launch(str(written)) != 0:
        # The handout is written; only the viewer is missing.
        typer.echo(f"Warning: cannot open {written}: no viewer could be started", err=True)
    if print_to is not None:
        try:
            said = out.print_file(written, print_to or None)
        except HandoutsError as exc:
            raise _fail(f"{exc} (the handout is written: {written})", exc.exit_code) from None
        typer.echo(said or f"sent to {print_to or 'the default printer'}")
