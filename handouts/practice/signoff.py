"""Sign-off: the practice's review record, and what an override was made from."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import textwrap
from pathlib import Path
from typing import Any

from handouts import models
from handouts.library import Document, implied_scope

COVERED = {
    "content": "the built-in content (its topics and versions)",
    "overlay": "the practice's content/ folder",
    "wording": "the practice's templates/ folder",
    "settings": "practice.yaml's settings that print (name, numbers, look), logo or font",
}
"""What a sign-off covers, each recorded as a code under ``review: covers:``."""


def coverage(folder: Path, library: models.Library, file: Any) -> dict[str, str]:
    """The code of each part of what prints, as ``review: covers:`` records it."""
    from handouts.practice.files import FONTS, OVERLAY, TEMPLATES

    content = sorted(f"{t.id}@{t.version}" for t in library.topics)
    settings = file.model_dump(mode="json", exclude={"review", "clinicians"})
    files = [folder / name for name in (file.logo, file.font and f"{FONTS}/{file.font}") if name]
    return {
        "content": _code(json.dumps(content)),
        "overlay": _files_code(folder / OVERLAY),
        "wording": _files_code(folder / TEMPLATES),
        "settings": _code(json.dumps(settings, sort_keys=True) + _files_code(*files)),
    }


def _code(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _files_code(*roots: Path) -> str:
    """A code over every file under ``roots`` (names and bytes); README.txt notes aside."""
    digest = hashlib.sha256()
    for root in roots:
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            if path.name == "README.txt" or not path.is_file():
                continue
            digest.update(f"{path.relative_to(root.parent)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:8]


class SignOff:
    """The check of ``_Loading`` that decides whether the sign-off covers a topic."""

    add: Any
    covered: bool

    def covers(self, file: Any, doc: Document, now: dict[str, str]) -> bool:
        """True when the sign-off covers what prints now; else say what changed."""
        if file.review is None:
            return False
        recorded = file.review.covers
        line = "covers: {" + ", ".join(f"{k}: {v}" for k, v in now.items()) + "}"
        if recorded is None:
            self.add(
                doc,
                ("review",),
                "the sign-off does not record what it covers, so handouts print the draft "
                f"mark; once a clinician has checked them, add under review: {line}",
                warning=True,
            )
            return False
        changed = [COVERED[k] for k in now if recorded.get(k) != now[k]]
        if changed:
            self.add(
                doc,
                ("review", "covers"),
                f"changed since the sign-off: {'; '.join(changed)}. Handouts print the draft "
                f"mark until a clinician checks them and sets {line}",
                warning=True,
            )
            return False
        return True

    def sign_off(self, file: Any, doc: Document, practice: models.Practice, topic: models.Topic):
        """The practice's sign-off if it is for ``topic``'s current content, else None."""
        if file.review is None or not self.covered:
            return None
        if file.review.content_version != topic.version:
            self.add(
                doc,
                ("review", "content_version"),
                f"signed off for content version {file.review.content_version}, but "
                f"{topic.id} is now version {topic.version}: read what changed, then sign off "
                "again; until then its handouts print the draft mark",
                warning=True,
            )
            return None
        return practice.review


def _reviewed(topic: models.Topic, signed: models.Review | None) -> models.Topic:
    """``topic`` with the review record every item carries once the practice is applied.

    Signed off by the practice: the topic and every item sharing its review (built-in items,
    and the practice's own without a record) take the sign-off. Not signed off: the practice's
    own items without a record are drafts, so they can never print as checked. An item with a
    record of its own keeps it either way.
    """
    if signed is None:
        draft = models.Review("draft")
        items = tuple(i if i.review else dataclasses.replace(i, review=draft) for i in topic.items)
        return dataclasses.replace(topic, items=items)
    items = tuple(
        dataclasses.replace(i, review=signed) if i.review in (None, topic.review) else i
        for i in topic.items
    )
    return dataclasses.replace(topic, review=signed, items=items)


# --- Overrides: what they were made from -------------------------------------


def item_hash(item: models.Item) -> str:
    """First 8 hex digits of the sha256 of the item's content (not its review record).

    Fields left unset are left out, so a new optional field in a later version of
    handouts does not make every practice's overrides look stale.
    """
    content = {k: v for k, v in dataclasses.asdict(item).items() if k != "review"}
    for key, default in (("priority", "medium"), ("scope", implied_scope(item))):
        if content[key] == default:
            del content[key]
    canonical = json.dumps(_as_written(content), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:8]


def _as_written(value: Any) -> Any:
    """``value`` without its unset (None or empty) fields, at every depth."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items() if v not in (None, (), [], {}, "")}
    if isinstance(value, (list, tuple)):
        return [_as_written(v) for v in value]
    return value


def item_text(item: models.Item) -> str:
    """The item as a person reads it, wrapped, so a diff shows what changed."""
    lines = [f"title: {item.title}", *textwrap.wrap(f"text: {item.text}", 76)]
    lines += [f"step: {step}" for step in item.steps]
    if item.urgency:
        lines.append(f"urgency: {item.urgency}")
    if item.when is not None:
        lines.append(f"when symptoms: {', '.join(item.when.symptoms) or 'any'}")
        if item.when.weeks is not None:
            lines.append(f"when weeks: from {item.when.weeks.start} to {item.when.weeks.end}")
    return "\n".join(lines) + "\n"


def _what_changed(base: models.Item, based_on_text: str | None) -> str:
    now = item_text(base)
    if not based_on_text:
        return (
            "(the text it was made from is not recorded, so here is the built-in item now)\n" + now
        )
    then = based_on_text if based_on_text.endswith("\n") else based_on_text + "\n"
    diff = difflib.unified_diff(
        then.splitlines(), now.splitlines(), "built-in then", "built-in now", lineterm=""
    )
    return "\n".join(diff)
