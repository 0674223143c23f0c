"""Overlay merge: a practice's content/ folder merged into the built-in topics by id."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from handouts import models
from handouts.errors import Problem
from handouts.library import SYMPTOMS_FILE, CrossCheck, Document, _read, _validate, topic_folders
from handouts.practice.files import OVERLAY, SOURCES_FILE
from handouts.practice.signoff import _what_changed, item_hash


class Overlay:
    """The overlay part of ``_Loading``: merge, new sources and symptoms, stale overrides."""

    add: Any
    folder: Path
    shown: Path
    problems: list[Problem]
    today: Any
    readability: Any
    protect: Any
    reworded: Any

    def overlay_folders(self) -> list[Path]:
        root = self.folder / OVERLAY
        return topic_folders(root) if root.is_dir() else []

    def unknown_overlay_topics(self, library: models.Library) -> None:
        for folder in self.overlay_folders():
            if folder.name not in library.topic_ids:
                self.problems.append(
                    Problem(
                        self.shown / OVERLAY / folder.name,
                        None,
                        "",
                        f"unknown topic {folder.name!r}; expected one of: "
                        f"{', '.join(library.topic_ids)}",
                    )
                )

    def merge(self, topic: models.Topic) -> models.Topic:
        folder = self.folder / OVERLAY / topic.id
        if not folder.is_dir():
            return topic
        shown = self.shown / OVERLAY / topic.id
        sources = self.sources(topic, folder, shown)
        symptoms = self.symptoms(topic, folder, shown)
        checker = CrossCheck(
            topic,
            {s.id for s in symptoms},
            {s.id for s in sources},
            self.problems,
            self.today,
            self.readability,
        )
        builtin = {item.id: item for item in topic.items}
        by_id = dict(builtin)
        added: list[models.Item] = []
        for kind, doc, module in self.modules(folder, shown):
            for index, entry in enumerate(module.items):
                item = checker.item(kind, doc, index, entry)
                base = builtin.get(item.id)
                at = ("items", index)
                if base is None:
                    self.added(entry, doc, at)
                    added.append(item)
                    continue
                self.protect(base, item, doc, at)
                self.stale(base, entry, doc, at)
                if self.reworded(base, item, doc, at):
                    item = dataclasses.replace(item, review=models.Review("draft"))
                by_id[item.id] = item
        items = [by_id[i.id] for i in topic.items] + added
        items.sort(key=lambda i: models.MODULE_KINDS.index(i.module))
        return dataclasses.replace(
            topic, items=tuple(items), symptoms=tuple(symptoms), sources=tuple(sources)
        )

    def modules(self, folder: Path, shown: Path):
        from handouts import schema

        for path in sorted(folder.glob("*.yaml")):
            if path.name in (SYMPTOMS_FILE, SOURCES_FILE):
                continue
            if path.stem not in models.MODULE_KINDS:
                expected = ", ".join([*models.MODULE_KINDS, "symptoms", "sources"])
                self.problems.append(
                    Problem(
                        shown / path.name,
                        1,
                        "",
                        f"unknown module kind {path.stem!r}; expected one of: {expected}",
                    )
                )
                continue
            doc = _read(path, shown / path.name, self.problems)
            module = _validate(doc, schema.OverlayModuleFile, self.problems) if doc else None
            if module is not None:
                yield path.stem, doc, module

    def sources(self, topic: models.Topic, folder: Path, shown: Path) -> list[models.Source]:
        from handouts import schema

        sources = list(topic.sources)
        doc, file = self.extra(folder, shown, SOURCES_FILE, schema.SourcesFile)
        for n, s in enumerate(file.sources if file else ()):
            if s.id in {x.id for x in sources}:
                self.add(doc, ("sources", n, "id"), f"source {s.id!r} is already in the topic")
                continue
            sources.append(models.Source(s.id, s.publisher, s.title, s.url, s.accessed))
        return sources

    def symptoms(self, topic: models.Topic, folder: Path, shown: Path) -> list[models.Symptom]:
        from handouts import schema

        symptoms = {s.id: s for s in topic.symptoms}
        _, file = self.extra(folder, shown, SYMPTOMS_FILE, schema.SymptomsFile)
        for s in file.symptoms if file else ():
            codes = models.Codes(tuple(s.codes.icd10cm), tuple(s.codes.snomed))
            symptoms[s.id] = models.Symptom(s.id, s.label, s.hint, codes)
        return list(symptoms.values())

    def extra(self, folder: Path, shown: Path, name: str, model: Any):
        if not (folder / name).is_file():
            return None, None
        doc = _read(folder / name, shown / name, self.problems)
        return doc, (_validate(doc, model, self.problems) if doc else None)

    def stale(self, base: models.Item, entry: Any, doc: Document, at: tuple) -> None:
        """Warn when the built-in item changed after the override was made from it."""
        now = item_hash(base)
        if entry.based_on is None:
            self.add(
                doc,
                (*at, "id"),
                f"replaces built-in item {base.id!r} without based_on, so check cannot "
                "tell you when the built-in item changes; after checking your text "
                f"against it, add based_on: {now}",
                warning=True,
            )
        elif entry.based_on != now:
            self.add(
                doc,
                (*at, "based_on"),
                f"built-in item {base.id!r} has changed since this override was made "
                f"from it (based_on {entry.based_on}, now {now}); check your text "
                f"still fits, then run 'handouts practice override {base.id} --accept' "
                f"(it sets based_on: {now} and based_on_text)",
                warning=True,
                detail=_what_changed(base, entry.based_on_text),
            )

    def added(self, entry: Any, doc: Document, at: tuple) -> None:
        if entry.based_on is not None:
            self.add(
                doc,
                (*at, "based_on"),
                f"there is no built-in item {entry.id!r} any more; this item is "
                "added, and replaces nothing",
                warning=True,
            )
