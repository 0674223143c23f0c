"""Validation errors as ``file:line: field: message``, and checks shared by every loader."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from handouts.errors import Problem
from handouts.library.yamlfile import Document

if TYPE_CHECKING:
    pass


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
