"""The page's live summary: which warning signs and sections the handout will hold.

Headings come from the handout's own wording (``wording.j2``, a practice's
override included), so the summary says what the PDF will say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handouts.models import MODULE_KINDS, Handout

WARNING_TIERS = (
    ("emergency", "emergency_heading", "Call the emergency number now"),
    ("urgent", "urgent_heading", "Call us now, day or night"),
    ("routine", "routine_heading", "Tell us at your next appointment"),
)
SECTIONS = {
    "causes": ("causes_heading", "Why it happens"),
    "self-help": ("self_help_heading", "Things to try"),
    "diet": ("diet_heading", "Eating and drinking"),
    "prevention": ("prevention_heading", "Helping to prevent it"),
}


LEFT_OUT = "Left out to fit the page budget"


@dataclass(frozen=True)
class Group:
    heading: str
    titles: tuple[str, ...]
    warning: bool = False


def groups(handout: Handout) -> list[Group]:
    """Warning tiers first, then each section, with the titles of the items in it."""
    words = _words(handout)
    found = [
        Group(_plain(words.get(block, fallback)), _titles(handout.warnings(urgency)), True)
        for urgency, block, fallback in WARNING_TIERS
    ]
    for kind in MODULE_KINDS:
        if kind in SECTIONS:
            block, fallback = SECTIONS[kind]
            found.append(Group(_plain(words.get(block, fallback)), _titles(handout.module(kind))))
    found.append(Group(LEFT_OUT, _titles(handout.dropped)))
    return [g for g in found if g.titles]


def _words(handout: Handout) -> dict[str, str]:
    if handout.words:
        return handout.words
    from handouts import wording

    return wording.words(handout, handout.practice.templates)


def _titles(items) -> tuple[str, ...]:
    return tuple(_plain(i.title) for i in items)


def _plain(text: str) -> str:
    """Inline Markdown as plain text: ``**Ring 999**`` reads ``Ring 999``."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", text)).rstrip(":")
