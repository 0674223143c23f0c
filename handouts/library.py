"""Load: read a content root's YAML, validate it, and build a ``Library``.

Every problem is collected with its file, line and field, and reported together
(``content/x/diet.yaml:14: items[2].text: field required``). Lines come from the
YAML node tree, so they point at what the author wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts import models, placeholders, resources
from handouts.errors import ContentError, Problem
from handouts.render.markup import unsafe_links

if TYPE_CHECKING:
    from handouts.readability import Thresholds

TOPIC_FILE = "topic.yaml"
LINK_RULE = "links may only be https:, http:, mailto: or tel:"
SYMPTOMS_FILE = "symptoms.yaml"


# --- YAML with line numbers -------------------------------------------------


@dataclass
class Document:
    """One parsed YAML file: its data and the node tree the lines come from."""

    path: Path
    data: Any
    node: Any

    def line(self, loc: tuple[Any, ...] = ()) -> int:
        return line_of(self.node, loc)


def read_yaml(path: Path, display: Path | str | None = None) -> Document:
    """Parse ``path`` with the safe loader (the C one when available)."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    shown = display or path
    text = _utf8_text(path, shown)
    if (deep := _too_deep(text, loader_class)) is not None:
        message = f"nested more than {MAX_DEPTH} levels deep; content never needs that"
        raise ContentError([Problem(shown, deep, "", message)])
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if (key := _duplicate_key(node)) is not None:
            line = key.start_mark.line + 1
            message = f"key {key.value!r} appears twice in the same mapping"
            raise ContentError([Problem(shown, line, "", message)])
        if (repeated := _repeated_node(node)) is not None:
            line = repeated.start_mark.line + 1
            raise ContentError(
                [
                    Problem(
                        shown,
                        line,
                        "",
                        "anchors and aliases (& and *) are not allowed; write the value out",
                    )
                ]
            )
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "not valid YAML"
        raise ContentError([Problem(shown, line, "", f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, None, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Document(Path(shown), data, node)


MAX_DEPTH = 50
"""Nesting levels a content or practice file may have (the deepest real one has 5)."""


def _utf8_text(path: Path, shown: Path | str) -> str:
    """The file's text; bytes that are not UTF-8 are reported at their line and column."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, None, "", f"cannot read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column} "
            "(save the file as UTF-8)"
        )
        raise ContentError([Problem(shown, line, "", message)]) from None


def _too_deep(text: str, loader_class: Any) -> int | None:
    """The line where nesting passes ``MAX_DEPTH``, found from the parser's event stream
    (which keeps no recursion) before any tree is built; None if it never does."""
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 and later stop at their own depth limit, in the scanner, before
        # the parser has passed ours
        if exc.problem and "nesting depth" in exc.problem and exc.problem_mark:
            return exc.problem_mark.line + 1
        return None  # reported with its line when the file is loaded
    except yaml.YAMLError:
        return None
    return None


def _duplicate_key(root: Any) -> Any:
    """The second of two equal keys in one mapping (YAML would keep the last), or None."""
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        value = getattr(node, "value", None)
        if not isinstance(value, list):
            continue
        keys: set[str] = set()
        for child in value:
            if isinstance(child, tuple):
                key, item = child
                name = getattr(key, "value", None)
                if isinstance(name, str):
                    if name in keys:
                        return key
                    keys.add(name)
                stack.append(item)
            else:
                stack.append(child)
    return None


def _repeated_node(root: Any) -> Any:
    """A node that appears twice in the tree (an alias), or None.

    Aliases let a few lines expand into millions of values ("billion laughs"), and
    content never needs them, so they are refused before anything is built.
    """
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        value = getattr(node, "value", None)
        if isinstance(value, list):
            for child in value:
                stack.extend(child if isinstance(child, tuple) else (child,))
    return None


def line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node ``loc`` reaches (1-based).

    A key that is missing resolves to its parent's line; the last part of
    ``loc`` resolves to the line of its key, where an author looks for it.
    """
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in loc:
        value = getattr(node, "value", None)
        if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            node = value[part]
            line = node.start_mark.line + 1
            continue
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            for key, child in value:
                if getattr(key, "value", None) == str(part):
                    line = key.start_mark.line + 1
                    node = child
                    break
            else:
                return line
            continue
        return line
    return line


def format_loc(loc: tuple[Any, ...]) -> str:
    """``('items', 2, 'text')`` -> ``items[2].text``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _validation_problems(doc: Document, exc: Any, model: Any) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        problems.append(
            Problem(doc.path, doc.line(loc), format_loc(loc), _message(error, model, loc))
        )
    return problems


def _is_union_tag(part: Any) -> bool:
    # pydantic adds tags such as 'function-after[...]' or 'list[...]' for wrapped types
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "date"})


def _message(error: dict[str, Any], model: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        return f"unknown field; expected one of: {', '.join(allowed)}"
    if kind == "missing":
        return "field required"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of: {expected.replace(' or ', ', ')}; got {given!r}"
    if kind == "string_pattern_mismatch":
        return f"expected lower-case letters, digits and hyphens (like numb-legs); got {given!r}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    message = error["msg"]
    message = message[0].lower() + message[1:]
    if kind.endswith("_type") or kind.endswith("_parsing"):
        message += f"; got {given!r}"
    return message


def _allowed_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys a model accepts at ``loc`` (for 'expected one of')."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return []
        model = _inner_model(info.annotation)
        if model is None:
            return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# --- Loading a topic --------------------------------------------------------


@dataclass
class TopicCheck:
    """What loading one topic folder found."""

    topic: models.Topic | None = None
    problems: list[Problem] = field(default_factory=list)


def _validate(doc: Document, model: Any, problems: list[Problem]) -> Any:
    from pydantic import ValidationError

    if not isinstance(doc.data, dict):
        problems.append(Problem(doc.path, doc.line(), "", "expected a mapping of fields"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(doc, exc, model))
        return None


def _read(path: Path, display: Path, problems: list[Problem]) -> Document | None:
    try:
        return read_yaml(path, display)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


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


class CrossCheck:
    """Checks that need more than one file: ids, symptom and source references.

    The built-in loader and a practice's overlay both use it; each passes the
    symptom and source ids its items may name.
    """

    def __init__(
        self,
        topic: Any,
        symptom_ids: set[str],
        source_ids: set[str],
        problems: list[Problem],
        today: dt.date,
        readability: Thresholds | None = None,
    ):
        self.problems, self.today, self.readability = problems, today, readability
        self.symptom_ids, self.source_ids = symptom_ids, source_ids
        self.item_ids: set[str] = set()
        self.sample = placeholders.sample_context(topic)
        self.sample_after_birth = placeholders.sample_context(topic, after_birth=True)
        self.topic_file = topic

    def _add(self, doc: Document, loc: tuple[Any, ...], message: str, warning=False) -> None:
        self.problems.append(Problem(doc.path, doc.line(loc), format_loc(loc), message, warning))

    def item(self, kind: str, doc: Document, index: int, item: Any) -> models.Item:
        at = ("items", index)
        if item.id in self.item_ids:
            self._add(doc, (*at, "id"), f"duplicate item id {item.id!r}")
        self.item_ids.add(item.id)
        if kind == "warning-signs" and item.urgency is None:
            self._add(
                doc,
                at,
                "urgency: field required for warning signs "
                "(expected one of: emergency, urgent, routine)",
            )
        if kind == "warning-signs":
            self._visible(doc, at, item)
        if kind != "warning-signs" and item.urgency is not None:
            self._add(doc, (*at, "urgency"), "only warning signs have an urgency")
        self._scope(kind, doc, at, item)
        if item.when is not None:
            for n, symptom in enumerate(item.when.symptoms):
                if symptom not in self.symptom_ids:
                    self._add(
                        doc,
                        (*at, "when", "symptoms", n),
                        f"unknown symptom {symptom!r}; expected one of: "
                        f"{', '.join(sorted(self.symptom_ids))}",
                    )
            if item.when.weeks is not None and not self.topic_file.uses_weeks:
                self._add(
                    doc,
                    (*at, "when", "weeks"),
                    "this topic does not use weeks (set uses_weeks: true in topic.yaml)",
                )
            if item.when.after_birth is not None and not self.topic_file.uses_weeks:
                self._add(
                    doc,
                    (*at, "when", "after_birth"),
                    "only a pregnancy topic (uses_weeks: true in topic.yaml) has an "
                    "'after the birth'",
                )
            if item.when.after_birth and item.when.weeks is not None:
                self._add(
                    doc,
                    (*at, "when", "weeks"),
                    "weeks are weeks of pregnancy; an item only for after the birth "
                    "cannot have them",
                )
        if not item.sources:
            self._add(doc, (*at, "sources"), "every item needs at least one source")
        for n, source in enumerate(item.sources):
            if source not in self.source_ids:
                known = ", ".join(sorted(self.source_ids)) or "(none defined in topic.yaml)"
                self._add(
                    doc, (*at, "sources", n), f"unknown source {source!r}; expected one of: {known}"
                )
        if not self._placeholders(doc, at, item) and self.readability is not None:
            self._readability(doc, at, item, self.readability)
        if item.review is not None:
            self.review(item.review, doc, (*at, "review"))
        return _item(kind, item)

    def _visible(self, doc: Document, at: tuple[Any, ...], item: Any) -> None:
        """A warning sign's title, text and steps must have words a patient can see."""
        texts = [("title", item.title), ("text", item.text)]
        texts += [(("steps", n), step) for n, step in enumerate(item.steps)]
        for where, text in texts:
            if not visible_words(text):
                loc = (*at, *where) if isinstance(where, tuple) else (*at, where)
                self._add(doc, loc, "a warning sign must say something: no visible words")

    def _scope(self, kind: str, doc: Document, at: tuple[Any, ...], item: Any) -> None:
        """Who an item is for: ticked symptoms, or everyone (warning signs: their tier)."""
        fields = item.model_fields_set
        if kind == "warning-signs":
            if "scope" in fields and item.urgency != "routine":
                self._add(
                    doc,
                    (*at, "scope"),
                    "emergency and urgent signs reach everyone their `when` fits; only a "
                    "routine sign can be kept for the generic leaflet",
                )
        elif item.scope == "ticked" and not (item.when and item.when.symptoms):
            self._add(
                doc,
                (*at, "scope"),
                "an item for the ticked symptoms must name them in `when.symptoms`; "
                "advice for everyone says `scope: everyone`",
            )
        if item.first_for and kind != "warning-signs":
            self._add(doc, (*at, "first_for"), "only warning signs can stand first in a tier")
        for n, symptom in enumerate(item.first_for):
            if symptom not in self.symptom_ids:
                self._add(doc, (*at, "first_for", n), self._unknown_symptom(symptom))

    def _unknown_symptom(self, symptom: str) -> str:
        return (
            f"unknown symptom {symptom!r}; expected one of: {', '.join(sorted(self.symptom_ids))}"
        )

    def topic_texts(self, doc: Document) -> None:
        """The topic's title, summary and points may use placeholders: check them."""
        topic = self.topic_file
        texts = [("title", topic.title), ("summary", topic.summary)]
        texts += [(("remember", n), point) for n, point in enumerate(topic.remember)]
        for where, text in texts:
            loc = where if isinstance(where, tuple) else (where,)
            for sample in (self.sample, self.sample_after_birth):
                if message := placeholders.problem_in(text, sample):
                    self._add(doc, loc, message)
                    break
            for href in unsafe_links(text):
                self._add(doc, loc, f"link to {href!r}: {LINK_RULE}")
        seen: set[str] = set()
        for n, option in enumerate(topic.plan):
            if option.id in seen:
                self._add(doc, ("plan", n, "id"), f"duplicate plan option id {option.id!r}")
            seen.add(option.id)
            for m, symptom in enumerate(option.symptoms):
                if symptom not in self.symptom_ids:
                    self._add(doc, ("plan", n, "symptoms", m), self._unknown_symptom(symptom))

    def _placeholders(self, doc: Document, at: tuple[Any, ...], item: Any) -> bool:
        """Report broken placeholders; True when there were any."""
        texts = [("title", item.title), ("text", item.text)]
        texts += [(("steps", n), step) for n, step in enumerate(item.steps)]
        broken = False
        for where, text in texts:
            loc = (*at, *where) if isinstance(where, tuple) else (*at, where)
            message = placeholders.problem_in(text, self.sample)
            if message:
                self._add(doc, loc, message)
                broken = True
            for href in unsafe_links(text):
                self._add(doc, loc, f"link to {href!r}: {LINK_RULE}")
        return broken

    def _readability(
        self, doc: Document, at: tuple[Any, ...], item: Any, limits: Thresholds
    ) -> None:
        from handouts import readability as rd

        fill = placeholders.fill
        text = rd.as_sentences(fill(item.text, self.sample))
        steps = [rd.as_sentences("", [fill(step, self.sample)]) for step in item.steps]
        whole = rd.measure(text + [s for step in steps for s in step])
        grade = whole.grade
        if grade > limits.max_grade and whole.words >= limits.min_graded_words:
            self._add(
                doc,
                (*at, "text"),
                f"reading grade {grade:g} is above {limits.max_grade:g} (Flesch-Kincaid); "
                "use shorter sentences and everyday words",
                warning=True,
            )
        parts = [((*at, "text"), text)] + [((*at, "steps", n), s) for n, s in enumerate(steps)]
        for loc, sentences in parts:
            for words, sentence in rd.long_sentences(sentences, limits.max_sentence_words):
                self._add(
                    doc,
                    loc,
                    f"sentence of {words} words (limit {limits.max_sentence_words}): "
                    f'"{rd.excerpt(sentence)}"',
                    warning=True,
                )

    def review(self, review: Any, doc: Document, loc: tuple[Any, ...]) -> None:
        if problem := overdue_review(review, doc, loc, self.today):
            self.problems.append(problem)


def visible_words(text: str) -> bool:
    """True when ``text`` has a letter or digit once invisible characters are taken out."""
    import unicodedata

    shown = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc", "Co", "Cn"))
    return any(c.isalnum() for c in shown)


def _unique_ids(ids: list[str], doc: Document, key: str, problems: list[Problem]) -> set[str]:
    """The ids of ``doc``'s ``key`` list, reporting each duplicate."""
    what = key.removesuffix("s")
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            loc = (key, index, "id")
            problems.append(
                Problem(doc.path, doc.line(loc), format_loc(loc), f"duplicate {what} id {value!r}")
            )
        seen.add(value)
    return seen


def overdue_review(review: Any, doc: Document, loc: tuple[Any, ...], today: dt.date):
    """A warning at ``loc``'s next_review when that date has passed, else None."""
    if review.next_review is None or review.next_review >= today:
        return None
    at = (*loc, "next_review")
    message = f"review overdue: next_review was {review.next_review.isoformat()}"
    return Problem(doc.path, doc.line(at), format_loc(at), message, warning=True)


def _review(review: Any) -> models.Review:
    return models.Review(review.status, review.reviewed_by, review.reviewed_on, review.next_review)


def implied_scope(item: Any) -> str:
    """An item's scope when it says none: for everyone when it names no symptoms, except
    warning signs, which reach every handout their `when` fits."""
    names_symptoms = item.when is not None and bool(item.when.symptoms)
    return "ticked" if names_symptoms or item.urgency else "everyone"


def _item(kind: str, item: Any) -> models.Item:
    when = None
    if item.when is not None:
        weeks = item.when.weeks
        when = models.When(
            symptoms=tuple(item.when.symptoms),
            weeks=models.Weeks(weeks.start, weeks.end) if weeks else None,
            after_birth=item.when.after_birth,
        )
    return models.Item(
        id=item.id,
        module=kind,
        title=item.title,
        text=item.text,
        steps=tuple(item.steps),
        when=when,
        urgency=item.urgency,
        sources=tuple(item.sources),
        review=_review(item.review) if item.review else None,
        scope=item.scope or implied_scope(item),
        priority=item.priority,
        first_for=tuple(item.first_for),
    )


def _topic(topic_file: Any, symptoms_file: Any, items: list[models.Item], folder: Path):
    review = _review(topic_file.review)
    # An item without its own review record shares the topic's.
    items = [item if item.review else replace(item, review=review) for item in items]
    return models.Topic(
        id=topic_file.id,
        title=topic_file.title,
        summary=topic_file.summary,
        version=topic_file.version,
        audience=topic_file.audience,
        language=topic_file.language,
        languages=tuple(topic_file.languages),
        urgent_contact=topic_file.urgent_contact,
        routine_contact=topic_file.routine_contact,
        uses_weeks=topic_file.uses_weeks,
        review=review,
        remember=tuple(topic_file.remember),
        get_help_point=topic_file.get_help_point,
        main_publishers=tuple(topic_file.main_publishers),
        plan=tuple(models.PlanOption(p.id, p.label, tuple(p.symptoms)) for p in topic_file.plan),
        sources=tuple(
            models.Source(s.id, s.publisher, s.title, s.url, s.accessed) for s in topic_file.sources
        ),
        symptoms=tuple(
            models.Symptom(
                s.id,
                s.label,
                s.hint,
                models.Codes(tuple(s.codes.icd10cm), tuple(s.codes.snomed)),
                s.remember or "",
            )
            for s in symptoms_file.symptoms
        ),
        items=tuple(items),
        path=folder,
    )


# --- The whole library ------------------------------------------------------


@dataclass
class LibraryCheck:
    """The result of checking a content root: the library (if valid) and every problem."""

    library: models.Library | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def topic_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def check_library(
    root: Path | None = None,
    *,
    today: dt.date | None = None,
    readability: Thresholds | None = None,
) -> LibraryCheck:
    """Validate every topic under ``root`` (default: the built-in content).

    With ``readability`` thresholds, hard-to-read items are warnings too.
    """
    root = Path(root) if root is not None else resources.CONTENT
    display = _display_root(root)
    if not root.is_dir():
        return LibraryCheck(None, [Problem(display, None, "", "content folder not found")])
    problems: list[Problem] = []
    topics = []
    for folder in topic_folders(root):
        result = load_topic(folder, display, today=today, readability=readability)
        problems.extend(result.problems)
        if result.topic is not None:
            topics.append(result.topic)
    if not topics and not problems:
        problems.append(Problem(display, None, "", "no topic folders found"))
    library = (
        models.Library(tuple(topics), root) if not any(not p.warning for p in problems) else None
    )
    return LibraryCheck(library, problems)


def load_library(root: Path | None = None, *, use_cache: bool = True) -> models.Library:
    """The validated library; raises ``ContentError`` listing every problem.

    A library validated before from the same, unchanged files comes from the cache.
    """
    from handouts import cache

    root = Path(root) if root is not None else resources.CONTENT
    if use_cache and root.is_dir() and (cached := cache.read(root)) is not None:
        return cached
    result = check_library(root)
    if result.library is None:
        raise ContentError(result.errors)
    if use_cache:
        cache.write(root, result.library)
    return result.library


def _display_root(root: Path) -> Path:
    """Show paths relative to the working folder when they are below it."""
    try:
        return root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return root
