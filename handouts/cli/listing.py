"""Commands that list what the content holds: topics, symptoms, items, schemas."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from handouts.cli.common import ContentOption, PracticeOption, TopicOption, _load_practice, _topic


def topics(content: ContentOption = None, practice: PracticeOption = None) -> None:
    """List the topics.

    Example: handouts topics
    """
    library, _ = _load_practice(content, practice)
    for topic in library.topics:
        from handouts.placeholders import topic_title

        title = topic_title(topic)
        typer.echo(f"{topic.id}\t{title}\t(version {topic.version}, {topic.review.status})")


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


class SchemaKind(StrEnum):
    topic = "topic"
    symptoms = "symptoms"
    module = "module"
    practice = "practice"


def schema(
    kind: Annotated[
        SchemaKind | None,
        typer.Argument(
            metavar="KIND",
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
