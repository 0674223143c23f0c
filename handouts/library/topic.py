"""Loading one topic folder into a ``Topic``, with every problem it has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts import models
from handouts.errors import Problem
from handouts.library.build import _topic
from handouts.library.crosscheck import CrossCheck
from handouts.library.validation import _unique_ids, _validate
from handouts.library.yamlfile import Document, _read

if TYPE_CHECKING:
    from handouts.readability import Thresholds


TOPIC_FILE = "topic.yaml"


SYMPTOMS_FILE = "symptoms.yaml"


@dataclass
class TopicCheck:
    """What loading one topic folder found."""

    topic: models.Topic | None = None
    problems: list[Problem] = field(default_factory=list)


def load_topic(
    folder: Path,
    display_root: Path | None = None,
    *,
    today: dt.date | None = None,
    readability: Thresholds | None = None,
):
    """Validate one topic folder; returns a ``TopicCheck`` with every problem.

    With ``readability`` thresholds, also warns about hard-to-read items.
    """
    from handouts import schema

    shown = (display_root / folder.name) if display_root else folder
    result = TopicCheck()
    problems = result.problems

    topic_doc = symptoms_doc = None
    if not (folder / TOPIC_FILE).is_file():
        problems.append(Problem(shown / TOPIC_FILE, None, "", "file missing"))
    else:
        topic_doc = _read(folder / TOPIC_FILE, shown / TOPIC_FILE, problems)
    if not (folder / SYMPTOMS_FILE).is_file():
        problems.append(Problem(shown / SYMPTOMS_FILE, None, "", "file missing"))
    else:
        symptoms_doc = _read(folder / SYMPTOMS_FILE, shown / SYMPTOMS_FILE, problems)

    topic_file = _validate(topic_doc, schema.TopicFile, problems) if topic_doc else None
    symptoms_file = _validate(symptoms_doc, schema.SymptomsFile, problems) if symptoms_doc else None

    modules: list[tuple[str, Document, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        kind = path.stem
        if path.name in (TOPIC_FILE, SYMPTOMS_FILE):
            continue
        if kind not in models.MODULE_KINDS:
            expected = ", ".join(models.MODULE_KINDS)
            problems.append(
                Problem(
                    shown / path.name,
                    1,
                    "",
                    f"unknown module kind {kind!r}; expected one of: {expected}",
                )
            )
            continue
        doc = _read(path, shown / path.name, problems)
        if doc is None:
            continue
        module = _validate(doc, schema.ModuleFile, problems)
        if module is not None:
            modules.append((kind, doc, module))
    modules.sort(key=lambda m: models.MODULE_KINDS.index(m[0]))

    if topic_file is None or symptoms_file is None:
        return result
    if topic_file.id != folder.name:
        problems.append(
            Problem(
                topic_doc.path,
                topic_doc.line(("id",)),
                "id",
                f"must match the folder name {folder.name!r}; got {topic_file.id!r}",
            )
        )
    checker = CrossCheck(
        topic_file,
        _unique_ids([s.id for s in symptoms_file.symptoms], symptoms_doc, "symptoms", problems),
        _unique_ids([s.id for s in topic_file.sources], topic_doc, "sources", problems),
        problems,
        today or dt.date.today(),
        readability,
    )
    items = [
        checker.item(kind, doc, index, item)
        for kind, doc, module in modules
        for index, item in enumerate(module.items)
    ]
    checker.topic_texts(topic_doc)
    checker.review(topic_file.review, topic_doc, ("review",))
    if any(not p.warning for p in problems):
        return result
    result.topic = _topic(topic_file, symptoms_file, items, folder)
    return result
