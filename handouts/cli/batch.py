"""``handouts batch`` and ``handouts leaflets``: many handouts at once."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from handouts.cli.common import (
    AllowFallbackOption,
    ContentOption,
    LangOption,
    LargePrintOption,
    PaperOption,
    PracticeOption,
    TopicOption,
    _fail,
    _load_practice,
    _topic,
    bad_request,
)
from handouts.errors import HandoutsError, RequestError


def batch(
    input_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="INPUT",
            help="CSV or JSON Lines file, one patient a row (see --example).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help="Folder for the PDFs and manifest.csv.", file_okay=False
        ),
    ] = None,
    topic: TopicOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            metavar="N",
            min=1,
            help="Worker processes (default: all cores).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Redo rows a previous run already wrote.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    names: Annotated[
        str,
        typer.Option(
            "--names",
            metavar="[name|row|id]",
            help="File names when a row has no output cell: 'name' (the patient's name and "
            "date), 'row' (row-0002.pdf) or 'id' (a random id the manifest keeps, such as "
            "id-3f9a2c1b.pdf); the last two say nothing about the patient.",
        ),
    ] = "name",
    combine: Annotated[
        Path | None,
        typer.Option(
            "--combine",
            metavar="FILE",
            help="Also write every handout of the run into this one PDF, in row order.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="The input's text encoding, such as cp1252 (default: detected).",
            show_default=False,
        ),
    ] = None,
    example: Annotated[
        bool, typer.Option("--example", help="Print an example input CSV and exit.")
    ] = False,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Make one handout per row of a CSV or JSON Lines file, on every core.

    Columns: name and symptoms (ids separated by ';') are required; weeks or
    due_date, clinician, notes, language, output (a file name) and date are
    optional. Bad rows fail alone; the summary lists them and the exit code is 1.
    A rerun skips rows already written for the same input (--force redoes them).

    Example: handouts batch patients.csv --out handouts-today
    """
    from handouts import batch as batching

    library, chosen_practice = _load_practice(content, practice)
    if example:
        typer.echo(batching.example_csv(_topic(library, topic)), nl=False)
        return
    if input_file is None or out is None:
        raise typer.BadParameter("give an INPUT file and --out DIR (or --example)")
    if names not in batching.NAMING:
        raise typer.BadParameter(
            f"expected one of: {', '.join(batching.NAMING)}; got {names!r}", param_hint="'--names'"
        )
    try:
        with _batch_progress(quiet, batching.scan(input_file, encoding)) as advance:
            summary = batching.run_batch(
                input_file,
                out,
                library,
                topic=topic,
                practice=chosen_practice,
                jobs=jobs,
                force=force,
                on_result=advance,
                names=names,
                combine_into=combine,
                encoding=encoding,
            )
    except RequestError as exc:
        raise bad_request(exc) from None
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        raise _fail(
            "stopped; the handouts finished so far are kept. Run the same command again "
            "to continue: finished rows are skipped",
            130,
        ) from None
    for row, error in summary.failures:
        typer.echo(f"row {row}: {error}", err=True)
    typer.echo(f"{summary} (manifest: {out / batching.MANIFEST})")
    if summary.failed:
        typer.echo(f"Failed rows, to fix and run again: {out / batching.FAILED_ROWS}", err=True)
    if combine is not None and summary.outputs:
        typer.echo(f"All handouts in one file: {combine}")
    if summary.failed:
        raise typer.Exit(1)


@contextmanager
def _batch_progress(quiet: bool, total: int):
    """A progress bar with rate and time left on standard error, when it is a terminal."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed:.1f} rows/s" if task.speed else "")

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    columns = (BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("batch", total=total)
        yield lambda result: progress.advance(task)


def leaflets(
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Folder for the leaflets.", file_okay=False)
    ],
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            metavar="ID",
            help="Only this topic (default: every topic).",
            show_default=False,
        ),
    ] = None,
    per_symptom: Annotated[
        bool, typer.Option("--per-symptom", help="Also one leaflet per symptom.")
    ] = False,
    paper: PaperOption = None,
    booklet: Annotated[
        bool,
        typer.Option(
            "--booklet", help="A5 booklets on A4 sheets (half-letter on Letter), to fold."
        ),
    ] = False,
    large_print: LargePrintOption = False,
    full: Annotated[
        bool,
        typer.Option("--full", help="Print every item, past the leaflet's page budget."),
    ] = False,
    lang: LangOption = None,
    allow_fallback: AllowFallbackOption = False,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Make the generic (not personalised) leaflets for the waiting room.

    One per topic, named TOPIC.pdf; with --per-symptom also TOPIC-SYMPTOM.pdf
    with just that symptom ticked. --booklet names them ...-booklet.pdf: print
    double-sided, flip on the short edge, fold and staple.

    Example: handouts leaflets --out leaflets --per-symptom --booklet
    """
    from handouts.leaflets import make_leaflets

    library, chosen_practice = _load_practice(content, practice)
    if topic is not None:
        _topic(library, topic)
    try:
        written = make_leaflets(
            library,
            out,
            topic=topic,
            per_symptom=per_symptom,
            paper=paper,
            booklet=booklet,
            practice=chosen_practice,
            large_print=large_print,
            full=full,
            lang=lang or "",
            allow_fallback=allow_fallback,
        )
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    for path in written:
        typer.echo(str(path))
