"""``handouts practice``: set up a practice folder and copy items into it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handouts.cli.command import Command, Group
from handouts.cli.common import (
    ContentOption,
    TopicOption,
    _complete_items,
    _fail,
    _load,
    bad_request,
)
from handouts.errors import ContentError, RequestError

practice_app = typer.Typer(
    cls=Group,
    help="Set up a practice: its name, phone numbers, look, sign-off and content changes.",
    no_args_is_help=True,
)


@practice_app.command("init", cls=Command)
def practice_init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to create (or fill).", file_okay=False)
    ],
) -> None:
    """Write an example practice folder, every field explained; never overwrites practice.yaml.

    Example: handouts practice init my-practice
    """
    from handouts.practice import init

    try:
        written = init(folder)
    except ContentError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    for path in written:
        typer.echo(str(path))


@practice_app.command("override", cls=Command)
def practice_override(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The built-in item to copy (see 'handouts items').",
            autocompletion=_complete_items,
            show_default=False,
        ),
    ],
    practice: Annotated[
        Path,
        typer.Option(
            "--practice",
            metavar="DIR",
            help="Practice folder to copy the item into.",
            envvar="HANDOUTS_PRACTICE",
            file_okay=False,
        ),
    ],
    topic: TopicOption = None,
    content: ContentOption = None,
    accept: Annotated[
        bool,
        typer.Option(
            "--accept",
            help="The built-in item changed and you have checked your copy against it: "
            "take it as the new base (rewrites based_on and based_on_text).",
        ),
    ] = False,
) -> None:
    """Copy a built-in item into the practice's content, ready to edit.

    The copy records which built-in text it was made from (based_on), so
    'handouts check --practice' warns when the built-in item changes; --accept
    records that you have checked your copy against the change.

    Example: handouts practice override sh-side-sleep --practice my-practice
    """
    from handouts.practice import accept as accept_change
    from handouts.practice import override

    library = _load(content)
    try:
        if accept:
            written = accept_change(practice, library, item_id, topic)
        else:
            written = override(practice, library, item_id, topic)
    except RequestError as exc:
        raise bad_request(exc) from None
    except ContentError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(str(written))
