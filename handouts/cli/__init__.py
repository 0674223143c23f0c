"""The command line: parse, call the library, turn known errors into messages.

No business logic lives here. One module per command group, imported only when its
command runs: ``handouts make`` builds and imports ``make`` alone (``app`` and
``--help`` have every command). Heavy modules are imported inside the commands, so
each pays only for what it uses.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated, Any

import typer

from handouts import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "topics": ("listing", "topics"),
    "symptoms": ("listing", "symptoms"),
    "items": ("listing", "items"),
    "make": ("make", "make"),
    "intake-form": ("intake", "intake_form"),
    "check": ("check", "check"),
    "schema": ("listing", "schema"),
    "practice": ("practice", "practice_app"),
    "batch": ("batch", "batch"),
    "leaflets": ("batch", "leaflets"),
    "serve": ("serve", "serve"),
}
"""Each command, in the order help lists them: its module in this package and its function
(or, for a group of commands, its Typer app)."""


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"handouts {__version__}")
        raise typer.Exit()


def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Tick a patient's symptoms, print a clear, personalised handout."""


def build(names: tuple[str, ...] = tuple(COMMANDS)) -> typer.Typer:
    """The ``handouts`` app with the commands ``names``."""
    from handouts.cli.command import Command, Group

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
    app.callback()(_options)
    for name in names:
        module_name, attribute = COMMANDS[name]
        module = import_module(f"handouts.cli.{module_name}")
        target = getattr(module, attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name, cls=getattr(module, "COMMAND_CLASS", Command))(target)
    return app


def main() -> None:
    """Run the command line, building only the command it names when it names one."""
    asked = sys.argv[1] if len(sys.argv) > 1 else ""
    build((asked,) if asked in COMMANDS else tuple(COMMANDS))()


def __getattr__(name: str) -> Any:
    """``app`` (every command, built when first asked for) and the completion helpers."""
    if name == "app":
        globals()["app"] = app = build()
        return app
    if name in ("_complete_clinicians", "_complete_symptoms"):
        from handouts.cli import common

        return getattr(common, name)
    raise AttributeError(f"module 'handouts.cli' has no attribute {name!r}")


__all__ = ["COMMANDS", "app", "build", "main"]
