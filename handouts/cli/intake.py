"""``handouts intake-form``: the paper (or tablet) checklist a patient fills in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from handouts.cli.common import (
    ContentOption,
    PaperOption,
    PracticeOption,
    TopicOption,
    _fail,
    _load_practice,
    _topic,
)
from handouts.errors import HandoutsError


def intake_form(
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="PDF file to write; '-' writes to standard output. "
            "Default: TOPIC-intake-form.pdf in the current folder.",
            show_default=False,
        ),
    ] = None,
    topic: TopicOption = None,
    paper: PaperOption = None,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Make a one-page intake form: a checkbox per symptom, name, weeks or due date, notes.

    It prints for a pen and fills in any PDF viewer or tablet. Read a filled one
    back with 'handouts make --from-form FILE'. The form names its topic and
    content version, so a form printed for other content is refused.

    Example: handouts intake-form -o form.pdf
    """
    from handouts import output as out
    from handouts.intake import intake_form as make_form

    library, profile = _load_practice(content, practice)
    chosen = _topic(library, topic)
    try:
        pdf = make_form(chosen, profile, paper)
        if output == "-":
            out.write_stream(sys.stdout.buffer, pdf)
            return
        if output:
            written = out.write_atomic(Path(output), pdf)
        else:
            written = out.write_new(Path.cwd(), f"{chosen.id}-intake-form", pdf)
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(str(written))
