"""Writing a practice folder: ``practice init`` and ``practice override``."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml

from handouts import models
from handouts.errors import PracticeError, Problem, SelectionError
from handouts.library import _display_root, read_yaml
from handouts.practice.files import EXAMPLE, FONTS, OVERLAY, PRACTICE_FILE, TEMPLATES
from handouts.practice.signoff import item_hash, item_text


def init(folder: Path) -> list[Path]:
    """Write an example practice folder; refuses to overwrite a practice.yaml."""
    from handouts.output import write_atomic

    folder = Path(folder)
    target = folder / PRACTICE_FILE
    if target.exists():
        shown = _display_root(folder) / PRACTICE_FILE
        raise PracticeError([Problem(shown, None, "", "already exists; not overwritten")])
    written = []
    for sub in (OVERLAY, TEMPLATES, FONTS):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    written.append(write_atomic(target, EXAMPLE.read_bytes()))
    for sub, text in FOLDER_NOTES.items():
        note = folder / sub / "README.txt"
        if not note.exists():
            written.append(write_atomic(note, text.encode()))
    return written


FOLDER_NOTES = {
    OVERLAY: """\
Your changes to the built-in content, one folder per topic, laid out like the
built-in content: content/<topic-id>/<module>.yaml (causes, self-help, diet,
prevention, warning-signs), plus symptoms.yaml and sources.yaml to add symptoms
and sources.

An item with the id of a built-in item replaces it; a new id adds an item.
Start a replacement with:

    handouts practice override ITEM-ID --practice .

which copies the built-in item here with based_on filled in, so that
'handouts check --practice .' tells you when the built-in item changes.
Emergency and urgent warning signs cannot be hidden; no warning sign can be moved or
made less urgent.
""",
    TEMPLATES: """\
Your own wording around the items. To change one piece, write wording.j2 here:

    {% extends "base/wording.j2" %}
    {% block emergency_intro %}Ring 999 straight away if you notice:{% endblock %}

The blocks are listed in the built-in templates/wording.j2.
""",
    FONTS: """\
TrueType fonts (.ttf) for the handouts, such as one that covers your language's
script. Name the regular one in practice.yaml (font: MyFont-Regular.ttf); files
named MyFont-Bold.ttf, MyFont-Italic.ttf and MyFont-BoldItalic.ttf beside it
are used for bold and italic when present.
""",
}


def override(
    folder: Path, library: models.Library, item_id: str, topic_id: str | None = None
) -> Path:
    """Copy a built-in item into the practice's overlay, with based_on filled in."""
    from handouts.output import write_atomic

    topic, item = _find_item(library, item_id, topic_id)
    if not (Path(folder) / PRACTICE_FILE).is_file():
        shown = _display_root(Path(folder)) / PRACTICE_FILE
        message = "file missing; start the practice with 'handouts practice init'"
        raise PracticeError([Problem(shown, None, "", message)])
    path = Path(folder) / OVERLAY / topic.id / f"{item.module}.yaml"
    shown = _display_root(Path(folder)) / OVERLAY / topic.id / f"{item.module}.yaml"
    block = _override_block(topic, item)
    if path.exists():
        text = _append(path, shown, item, block)
    else:
        text = "items:\n" + textwrap.indent(block, "  ")
    _check_written(text, shown)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, text.encode())


def accept(
    folder: Path, library: models.Library, item_id: str, topic_id: str | None = None
) -> Path:
    """Take the built-in item as it is now as the new base of the practice's override.

    After a clinician has compared the override with the changed built-in item, this
    rewrites its ``based_on`` and ``based_on_text`` together (comments and the rest of
    the file stay as written), so ``check`` stops warning until the next change.
    """
    from handouts.output import write_atomic

    topic, item = _find_item(library, item_id, topic_id)
    path = Path(folder) / OVERLAY / topic.id / f"{item.module}.yaml"
    shown = _display_root(Path(folder)) / OVERLAY / topic.id / f"{item.module}.yaml"
    entry = _override_entry(path, shown, item)
    text = path.read_text(encoding="utf-8")
    values = {"based_on": item_hash(item), "based_on_text": item_text(item)}
    edits = []
    for key, value in values.items():
        found = next((pair for pair in entry.value if pair[0].value == key), None)
        column = found[0].start_mark.column if found else entry.value[0][0].start_mark.column
        if found is not None:
            start, end = found[1].start_mark.index, found[1].end_mark.index
            edits.append((start, end, _scalar(value, column)))
        else:
            at = _line_end(text, entry.end_mark.index)
            if at == len(text) and not text.endswith("\n"):
                text, at = text + "\n", at + 1
            line = f"{' ' * column}{key}: {_scalar(value, column)}"
            edits.append((at, at, line if line.endswith("\n") else line + "\n"))
    for start, end, replacement in sorted(edits, reverse=True):
        # A literal block ends with the blank lines after it; keep them.
        tail = text[start:end]
        blank = tail[len(tail.rstrip("\n")) :] if replacement.endswith("\n") else ""
        text = text[:start] + replacement + blank[1:] + text[end:]
    _check_written(text, shown)
    return write_atomic(path, text.encode())


def _override_entry(path: Path, shown: Path, item: models.Item):
    """The YAML node of the practice's override of ``item``; raises ``PracticeError``."""
    missing = PracticeError(
        [
            Problem(
                shown,
                None,
                "",
                f"no override of {item.id!r} here; make one with "
                f"'handouts practice override {item.id}'",
            )
        ]
    )
    if not path.is_file():
        raise missing
    doc = read_yaml(path, shown)
    sequence = next((v for k, v in getattr(doc.node, "value", ()) if k.value == "items"), None)
    for entry in getattr(sequence, "value", None) or ():
        pairs = entry.value if isinstance(entry.value, list) else []
        ids = [v.value for k, v in pairs if k.value == "id"]
        if ids == [item.id]:
            if entry.flow_style:
                line = entry.start_mark.line + 1
                message = "write this item as a block mapping to accept the built-in change"
                raise PracticeError([Problem(shown, line, "", message)])
            return entry
    raise missing


def _scalar(value: str, column: int) -> str:
    """``value`` as YAML after ``key: ``: a literal block when it has several lines."""
    if "\n" not in value.rstrip("\n"):
        return value.rstrip("\n")
    indent = " " * (column + 2)
    return "|\n" + "".join(f"{indent}{line}\n" if line else "\n" for line in value.splitlines())


def _line_end(text: str, index: int) -> int:
    """The start of the line after the one ``index`` falls in (or the end of ``text``)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _find_item(library: models.Library, item_id: str, topic_id: str | None):
    topics = [library.topic(topic_id)] if topic_id else list(library.topics)
    found = [(t, i) for t in topics for i in t.items if i.id == item_id]
    if not found:
        raise SelectionError("ITEM_ID", f"unknown item {item_id!r}; see 'handouts items'")
    if len(found) > 1:
        names = ", ".join(t.id for t, _ in found)
        raise SelectionError("--topic", f"{item_id!r} is in several topics ({names}); choose one")
    return found[0]


def _override_block(topic: models.Topic, item: models.Item) -> str:
    entry: dict[str, Any] = {"id": item.id, "title": item.title, "text": item.text}
    if item.steps:
        entry["steps"] = list(item.steps)
    if item.when is not None:
        when: dict[str, Any] = {}
        if item.when.symptoms:
            when["symptoms"] = list(item.when.symptoms)
        if item.when.weeks is not None:
            weeks = {"from": item.when.weeks.start, "to": item.when.weeks.end}
            when["weeks"] = {k: v for k, v in weeks.items() if v is not None}
        entry["when"] = when
    if item.urgency:
        entry["urgency"] = item.urgency
    entry["sources"] = list(item.sources)
    entry["based_on"] = item_hash(item)
    entry["based_on_text"] = item_text(item)
    body = yaml.dump([entry], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    head = (
        f"# Copied from the built-in item {item.id!r} of {topic.id}/{item.module}.yaml.\n"
        "# Edit title, text and steps. Leave based_on and based_on_text as they are: they\n"
        "# record the built-in text this was made from, so `handouts check` can tell you\n"
        "# when the built-in item changes, and show what changed.\n"
    )
    return head + body


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so based_on_text reads as it prints."""


def _literal(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper, value: list):
    ids = all(isinstance(v, str) and v and " " not in v for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=ids)


_Dumper.add_representer(str, _literal)
_Dumper.add_representer(list, _list)


def _append(path: Path, shown: Path, item: models.Item, block: str) -> str:
    doc = read_yaml(path, shown)
    items = doc.data.get("items") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise PracticeError([Problem(shown, doc.line(), "items", "expected a list of items")])
    for n, entry in enumerate(items):
        if isinstance(entry, dict) and entry.get("id") == item.id:
            line = doc.line(("items", n, "id"))
            raise PracticeError(
                [Problem(shown, line, f"items[{n}].id", f"{item.id!r} is already overridden here")]
            )
    sequence = next(v for k, v in doc.node.value if k.value == "items")
    if sequence.flow_style:
        raise PracticeError(
            [Problem(shown, doc.line(("items",)), "items", "write it as a block list to add to it")]
        )
    text = path.read_text(encoding="utf-8")
    indent = " " * sequence.start_mark.column
    return text.rstrip("\n") + "\n\n" + textwrap.indent(block, indent)


def _check_written(text: str, shown: Path) -> None:
    """Never write an overlay file that no longer parses."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PracticeError(
            [Problem(shown, None, "", f"cannot add the item to this file: {exc}")]
        ) from None
