"""The command line: parse, call the library, turn known errors into messages.

No business logic lives here. Heavy modules are imported inside the commands,
so ``handouts make`` pays only for what it uses.
"""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handouts.errors import ContentError, HandoutsError, SelectionError

if TYPE_CHECKING:
    from handouts.models import Library, Practice

app = typer.Typer(
    help="Tick a patient's symptoms, print a clear, personalised handout.\n\n"
    "Example: handouts make -s numb-legs -s swollen-feet --name Ana --weeks 31",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


PAPERS = ("a4", "letter")


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"expected a date as YYYY-MM-DD, such as 2027-01-24; got {value!r}",
            param_hint=f"'{option}'",
        ) from None


ContentOption = Annotated[
    Path | None,
    typer.Option(
        "--content",
        help="Content root: a folder of topic folders (default: the built-in content).",
        file_okay=False,
        show_default=False,
    ),
]
PracticeOption = Annotated[
    Path | None,
    typer.Option(
        "--practice",
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
        help="Paper size: a4 or letter (default: the practice's, A4).",
        callback=_paper,
        autocompletion=lambda: list(PAPERS),
        show_default=False,
    ),
]
LargePrintOption = Annotated[
    bool, typer.Option("--large-print", help="Large print: body text 16 pt or more.")
]
TopicOption = Annotated[
    str | None,
    typer.Option("--topic", help="Topic id (default: the only topic).", show_default=False),
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
    except SelectionError as exc:
        raise typer.BadParameter(exc.message, param_hint=f"'{exc.option}'") from None


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


@app.command()
def topics(content: ContentOption = None, practice: PracticeOption = None) -> None:
    """List the topics.

    Example: handouts topics
    """
    library, _ = _load_practice(content, practice)
    for topic in library.topics:
        typer.echo(f"{topic.id}\t{topic.title}\t(version {topic.version}, {topic.review.status})")


@app.command()
def symptoms(
    topic: TopicOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """List the symptoms (checkbox ids) of a topic, with labels and hints.

    Example: handouts symptoms --json
    """
    library, _ = _load_practice(content, practice)
    chosen = _topic(library, topic)
    if as_json:
        import json

        rows = [
            {
                "id": s.id,
                "label": s.label,
                "hint": s.hint,
                "codes": {"icd10cm": list(s.codes.icd10cm), "snomed": list(s.codes.snomed)},
            }
            for s in chosen.symptoms
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for s in chosen.symptoms:
        typer.echo(f"{s.id}\t{s.label}\t{s.hint}")


@app.command()
def items(
    topic: TopicOption = None, content: ContentOption = None, practice: PracticeOption = None
) -> None:
    """List a topic's items (ids for --omit), with module and urgency.

    Example: handouts items
    """
    library, _ = _load_practice(content, practice)
    chosen = _topic(library, topic)
    for item in chosen.items:
        kind = f"{item.module} ({item.urgency})" if item.urgency else item.module
        typer.echo(f"{item.id}\t{kind}\t{item.title}")


@app.command()
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
    from handouts.limits import check_lengths
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
        check_lengths(
            {"name": name, "clinician": clinician, "notes": notes},
            {"name": "--name", "clinician": "--clinician", "notes": "--notes"},
        )
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
            out.write_stream(sys.stdout.buffer, pdf)
            return
        if output:
            written = out.write_atomic(Path(output), pdf)
        else:
            written = out.write_new(Path.cwd(), _default_stem(handout), pdf)
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


@app.command()
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
            min=0,
            help="Warn when an item's Flesch-Kincaid grade is above this.",
        ),
    ] = 7.0,
    max_sentence_words: Annotated[
        int,
        typer.Option("--max-sentence-words", min=1, help="Warn about sentences longer than this."),
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
    for problem in result.problems:
        typer.echo(str(problem))
    library = result.library
    if report and library is not None:
        for topic in library.topics:
            _print_report(topic)
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


def _print_report(topic) -> None:
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
    typer.echo()


class SchemaKind(StrEnum):
    topic = "topic"
    symptoms = "symptoms"
    module = "module"
    practice = "practice"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind | None,
        typer.Argument(
            help="Which file: topic, symptoms, module or practice (default: all).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the content files, for YAML editors.

    Example: handouts schema module > module.schema.json
    """
    import json

    from handouts.schema import json_schemas

    schemas = json_schemas()
    document = schemas[kind.value] if kind else schemas
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


practice_app = typer.Typer(
    help="Set up a practice: its name, phone numbers, look, sign-off and content changes.",
    no_args_is_help=True,
)
app.add_typer(practice_app, name="practice")


@practice_app.command("init")
def practice_init(
    folder: Annotated[Path, typer.Argument(help="Folder to create (or fill).", file_okay=False)],
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


@practice_app.command("override")
def practice_override(
    item_id: Annotated[
        str,
        typer.Argument(
            help="The built-in item to copy (see 'handouts items').",
            autocompletion=_complete_items,
            show_default=False,
        ),
    ],
    practice: Annotated[
        Path,
        typer.Option(
            "--practice",
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
    except SelectionError as exc:
        raise typer.BadParameter(exc.message, param_hint=f"'{exc.option}'") from None
    except ContentError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    typer.echo(str(written))


@app.command()
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
        typer.Option("--out", help="Folder for the PDFs and manifest.csv.", file_okay=False),
    ] = None,
    topic: TopicOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", min=1, help="Worker processes (default: all cores).", show_default=False
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
            help="File names when a row has no output cell: 'name' (the patient's name and "
            "date) or 'row' (row-0002.pdf, which says nothing about the patient).",
        ),
    ] = "name",
    combine: Annotated[
        Path | None,
        typer.Option(
            "--combine",
            help="Also write every handout of the run into this one PDF, in row order.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
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
    except SelectionError as exc:
        raise typer.BadParameter(exc.message, param_hint=f"'{exc.option}'") from None
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


@app.command()
def leaflets(
    out: Annotated[Path, typer.Option("--out", help="Folder for the leaflets.", file_okay=False)],
    topic: Annotated[
        str | None,
        typer.Option("--topic", help="Only this topic (default: every topic).", show_default=False),
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
        )
    except HandoutsError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    for path in written:
        typer.echo(str(path))


def main() -> None:
    app()
