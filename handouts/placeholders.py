"""Placeholders such as ``{{ practice.urgent_phone }}`` in content and wording.

Texts are Jinja2 templates rendered in a ``SandboxedEnvironment`` with
``StrictUndefined``: a typo is an error, and text a practice supplies cannot run
code. Every value a placeholder inserts is escaped for the inline Markdown the
text is written in, so a patient called ``**Ana**`` stays literally that.

Text without ``{{`` or ``{%`` never touches Jinja2 (and does not import it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from handouts.models import Patient, Practice

if TYPE_CHECKING:
    from jinja2 import Template

_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>!&~"})


def escape_markdown(value: Any) -> str:
    """Make ``value`` print literally inside inline Markdown."""
    if value is None:
        return ""
    return str(value).translate(_MARKDOWN_SPECIALS)


def has_placeholders(text: str) -> bool:
    return "{{" in text or "{%" in text


@cache
def environment():
    from jinja2 import BaseLoader, StrictUndefined

    from handouts.sandbox import LimitedSandbox, bytecode_cache

    class TextLoader(BaseLoader):
        """A template's name is its text, so compiled texts are kept between runs."""

        def get_source(self, environment, template):
            return template, None, lambda: True

    return LimitedSandbox(
        loader=TextLoader(),
        bytecode_cache=bytecode_cache(),
        undefined=StrictUndefined,
        finalize=escape_markdown,
        autoescape=False,
        keep_trailing_newline=False,
    )


@cache
def compile_text(text: str) -> Template:
    """Compile ``text`` once (kept between runs in the cache folder); raises Jinja2's
    TemplateSyntaxError."""
    return environment().get_template(text)


def fill(text: str, context: dict[str, Any]) -> str:
    """Render the placeholders of ``text``."""
    if not has_placeholders(text):
        return text
    return compile_text(text).render(context)


@dataclasses.dataclass(frozen=True, slots=True)
class PracticeDetails:
    """What text may say about the practice: ``{{ practice.urgent_phone }}`` and the like.

    Not its files, fonts or settings, which are no business of a patient's handout.
    """

    name: str = ""
    address: str = ""
    website: str = ""
    urgent_phone: str = ""
    urgent_label: str = ""
    phone: str = ""
    emergency_number: str = ""
    footer: str = ""
    reference: str = ""

    @classmethod
    def of(cls, practice: Practice) -> PracticeDetails:
        return cls(**{f.name: getattr(practice, f.name) for f in dataclasses.fields(cls)})


def topic_title(topic: Any, practice: Practice | None = None) -> str:
    """The topic's title where it names the topic rather than one patient's handout (the
    web page, the intake form, listings): its placeholders filled as for a patient not
    yet named, before the birth."""
    return " ".join(fill(topic.title, context(practice or Practice(), Patient(), topic)).split())


def sample_context(topic: Any = None, *, after_birth: bool = False) -> dict[str, Any]:
    """A context with every field filled, to find unknown placeholders at ``check`` time."""
    practice = Practice(
        name="Sample Practice",
        address="1 High Street",
        website="https://example.org",
        urgent_phone="01234 567890",
        urgent_label="Maternity triage, 24 hours",
        phone="01234 000000",
        emergency_number="999",
        footer="Sample footer",
        reference="SAMPLE-1",
        is_default=False,
    )
    patient = Patient(
        name="Sam Sample",
        first_name="Sam",
        weeks=None if after_birth else 30,
        after_birth=after_birth,
    )
    return context(practice, patient, topic, clinician="Jo Sample", date=dt.date(2026, 1, 1))


def context(
    practice: Practice,
    patient: Patient,
    topic: Any,
    *,
    clinician: str = "",
    date: dt.date | None = None,
) -> dict[str, Any]:
    return {
        "practice": PracticeDetails.of(practice),
        "patient": patient,
        "topic": topic,
        "clinician": clinician,
        "date": date,
    }


def problem_in(text: str, context: dict[str, Any]) -> str | None:
    """Why ``text`` does not render against ``context``, or None when it does."""
    if not has_placeholders(text):
        return None
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError

    try:
        compile_text(text).render(context)
    except TemplateSyntaxError as exc:
        return f"placeholder syntax error: {exc.message}"
    except UndefinedError as exc:
        return _explain_undefined(exc.message or "", context)
    except TemplateError as exc:
        return f"placeholder not allowed: {exc.message}"
    return None


_NO_ATTRIBUTE = re.compile(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'")
_UNDEFINED = re.compile(r"'(\w+)' is undefined")


def _explain_undefined(message: str, context: dict[str, Any]) -> str:
    """Say which placeholder is unknown and what was expected."""
    if match := _NO_ATTRIBUTE.match(message):
        owner, name = match.groups()
        variable = next((k for k, v in context.items() if type(v).__name__ == owner), owner.lower())
        fields = (
            sorted(f.name for f in dataclasses.fields(context[variable]))
            if (variable in context and dataclasses.is_dataclass(context[variable]))
            else []
        )
        expected = f"; expected one of: {', '.join(fields)}" if fields else ""
        return f"unknown placeholder '{variable}.{name}'{expected}"
    if match := _UNDEFINED.match(message):
        return f"unknown placeholder {match.group(1)!r}; expected one of: {', '.join(context)}"
    return f"unknown placeholder: {message}"
