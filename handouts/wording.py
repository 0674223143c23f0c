"""The handout's own words, from the Jinja2 template ``wording.j2``.

Compose resolves them once per handout (``Handout.words``), so every renderer only
places them.

Templates are looked up in the practice's ``templates/`` folder first and the
built-in ``templates/`` last; the built-in ones are also reachable as
``base/NAME``, so an override can extend the built-in template and replace a
single block. Each block renders to one piece of inline-Markdown text.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from handouts import placeholders, resources
from handouts.errors import TemplateError
from handouts.models import Handout

TEMPLATE = "wording.j2"

BLOCKS = (
    "title",
    "prepared_for",
    "intro",
    "remember_heading",
    "symptoms_heading",
    "emergency_heading",
    "emergency_intro",
    "box_continues",
    "urgent_heading",
    "urgent_intro",
    "routine_heading",
    "routine_intro",
    "teach_back",
    "about_heading",
    "causes_heading",
    "self_help_heading",
    "diet_heading",
    "prevention_heading",
    "notes_heading",
    "plan_heading",
    "follow_up_label",
    "contact_label",
    "see_above",
    "back_cover_pointer",
    "sources_heading",
    "sources_line",
    "online_line",
    "disclaimer",
    "draft_mark",
    "reviewed_mark",
    "footer",
    "continued",
    "page_number",
    "emergency_phone_label",
    "urgent_phone_label",
    "phone_label",
)
"""Every block of ``wording.j2``; a practice's template that drops one is an error."""

COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(n: int) -> str:
    """``3`` as ``three``: numbers under ten read better as words in running text."""
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else str(n)


@cache
def environment(search_path: tuple[Path, ...] = ()):
    """A sandboxed environment searching ``search_path`` then the built-in templates."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined

    from handouts.sandbox import LimitedSandbox, bytecode_cache

    builtin = FileSystemLoader(str(resources.TEMPLATES))
    loader = ChoiceLoader(
        [
            *(FileSystemLoader(str(p)) for p in search_path),
            PrefixLoader({"base": builtin}),
            builtin,
        ]
    )
    return LimitedSandbox(
        loader=loader,
        bytecode_cache=bytecode_cache(),
        undefined=StrictUndefined,
        finalize=placeholders.escape_markdown,
        autoescape=False,
    )


def date_text(date: dt.date | None) -> str:
    """``22 November 2026``: unambiguous in every English-speaking country."""
    return f"{date.day} {date:%B %Y}" if date else ""


def words(handout: Handout, search_path: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every block of the wording template, rendered for ``handout``."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateNotFound

    env = environment(tuple(search_path))
    try:
        template = env.get_template(TEMPLATE)
        ctx = template.new_context(_variables(handout))
        for _ in template.root_render_func(ctx):  # resolves {% extends %} into ctx.blocks
            pass
        return {name: _squash("".join(ctx.blocks[name][0](ctx))) for name in BLOCKS}
    except TemplateNotFound as exc:
        searched = ", ".join(str(p) for p in (*search_path, resources.TEMPLATES))
        raise TemplateError(f"template {exc.name!r} not found in: {searched}") from None
    except KeyError as exc:
        raise TemplateError(f"{TEMPLATE}: block {exc.args[0]!r} is missing") from None
    except JinjaError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise TemplateError(f"{where}{exc.message}") from None


def _variables(handout: Handout) -> dict:
    practice = handout.practice
    return {
        **placeholders.context(
            practice,
            handout.patient,
            handout.topic,
            clinician=handout.clinician,
            date=handout.date,
        ),
        "handout": handout,
        "review": handout.review,
        "date_text": date_text(handout.date),
        "format_date": date_text,
        "emergency_number": practice.emergency_number or "your local emergency number",
        "urgent_contact": handout.topic.urgent_contact,
        "count_words": count_words,
    }


def _squash(text: str) -> str:
    return " ".join(text.split())
