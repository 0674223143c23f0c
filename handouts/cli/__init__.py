"""The command line: parse, call the library, turn known errors into messages.

No business logic lives here. Heavy modules are imported inside the commands,
so ``handouts make`` pays only for what it uses. One module per command group.
"""

from __future__ import annotations

from typing import Annotated

import typer

from handouts import __version__
from handouts.cli import batch, check, intake, listing, make, serve
from handouts.cli.command import Command, Group
from handouts.cli.common import _complete_clinicians, _complete_symptoms
from handouts.cli.practice import practice_app

app = typer.Typer(
    cls=Group,
    help="Tick a patient's symptoms, print a clear, personalised handout.\n\n"
    "Example: handouts make -s numb-legs -s swollen-feet --name Ana --weeks 31",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"handouts {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Tick a patient's symptoms, print a clear, personalised handout."""


app.command(cls=Command)(listing.topics)
app.command(cls=Command)(listing.symptoms)
app.command(cls=Command)(listing.items)
app.command(cls=make.MakeCommand)(make.make)
app.command("intake-form", cls=Command)(intake.intake_form)
app.command(cls=Command)(check.check)
app.command(cls=Command)(listing.schema)
app.add_typer(practice_app, name="practice")
app.command(cls=Command)(batch.batch)
app.command(cls=Command)(batch.leaflets)
app.command(cls=Command)(serve.serve)

__all__ = ["_complete_clinicians", "_complete_symptoms", "app", "main"]


def main() -> None:
    app()
